import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ApiClient } from "@lodestar/api";
import { EPOCHS_PER_SYNC_COMMITTEE_PERIOD } from "@lodestar/params";
import { CombinedSignatures } from "../../../../src/core/dutydb/combinedSignatures.ts";
import { PipelineError } from "../../../../src/core/pipelineError.ts";
import { BeaconScheduler } from "../../../../src/core/scheduler/scheduler.ts";
import { SlotClock } from "../../../../src/core/scheduler/slotClock.ts";
import { dealValidators, keysFor, silentLogger } from "../pipeline/fixtures.ts";

const SPE = 4;
const validators = dealValidators(2); // indices 100, 101
const keys = keysFor(1, validators);
const clock = new SlotClock({ genesisTime: 0, secondsPerSlot: 12, slotsPerEpoch: SPE, nowMs: () => 0 });

const response = <T>(data: T, meta: Record<string, unknown> = {}) => ({
  ok: true,
  status: 200,
  value: () => data,
  meta: () => meta,
});

/** A beacon node with one attester duty per validator and epoch, sync duties by period, a settable dependent root. */
function fakeApi() {
  const state = {
    dependentRoot: new Uint8Array(32),
    syncCalls: [] as number[],
    syncFailsFrom: Number.POSITIVE_INFINITY,
  };
  const api = {
    validator: {
      getAttesterDuties: async ({ epoch }: { epoch: number }) =>
        response(
          [
            {
              slot: epoch * SPE + 1,
              validatorIndex: 100,
              pubkey: new Uint8Array(48),
              committeeIndex: 0,
              committeeLength: 40,
              committeesAtSlot: 1,
              validatorCommitteeIndex: 3,
            },
            {
              slot: epoch * SPE + 2,
              validatorIndex: 999,
              pubkey: new Uint8Array(48),
              committeeIndex: 0,
              committeeLength: 40,
              committeesAtSlot: 1,
              validatorCommitteeIndex: 1,
            },
          ],
          { dependentRoot: state.dependentRoot },
        ),
      getProposerDuties: async () => response([], { dependentRoot: new Uint8Array(32) }),
      getSyncCommitteeDuties: async ({ epoch }: { epoch: number }) => {
        state.syncCalls.push(epoch);
        if (epoch >= state.syncFailsFrom) throw new Error("epoch too far ahead");
        return response([{ validatorIndex: 101, pubkey: new Uint8Array(48), validatorSyncCommitteeIndices: [5, 200] }]);
      },
    },
  } as unknown as ApiClient;
  return { api, state };
}

const types = (s: BeaconScheduler, slot: number) =>
  s
    .getDutyDefinitions(slot)
    .map((d) => `${d.duty.type}/${d.duty.validator}`)
    .sort();

describe("scheduler: aggregation and sync committee duties", () => {
  it("derives selection and aggregation duties from attester duties, and sync duties for every slot", async () => {
    const { api } = fakeApi();
    const s = new BeaconScheduler({ api, clock, keys, logger: silentLogger });
    await s.refreshEpoch(3);
    assert.deepEqual(types(s, 13), [
      "aggregator/100",
      "attester/100",
      "prepare_aggregator/100",
      "prepare_sync_contribution/101",
      "sync_contribution/101",
      "sync_message/101",
    ]);
    assert.deepEqual(types(s, 14), ["prepare_sync_contribution/101", "sync_contribution/101", "sync_message/101"]);
    const agg = s.getDutyDefinitions(13).find((d) => d.duty.type === "aggregator");
    assert.equal(agg?.committeeLength, 40, "selection needs the committee length");
    assert.equal(agg?.validatorCommitteeIndex, 3);
    // Positions 5 and 200 are in subcommittees 0 and 1 (mainnet: 128 per subcommittee): rotated by slot.
    const sub = (slot: number) =>
      s.getDutyDefinitions(slot).find((d) => d.duty.type === "sync_contribution")?.syncSubcommitteeIndices;
    assert.deepEqual([sub(12), sub(13)], [[0], [1]]);
    assert.deepEqual(
      s.getDutyDefinitions(14).find((d) => d.duty.type === "sync_message")?.syncCommitteeIndices,
      [5, 200],
    );
  });

  it("around a resharing's switch epoch, schedules only the slots whose share the keys hold", async () => {
    const { api } = fakeApi();
    // The old operator set's keys stop at epoch 4, the new set's start there.
    const ending = keysFor(1, validators);
    const starting = keysFor(1, validators);
    for (const index of [100, 101]) {
      ending.scheduleSwitch(index, { fromEpoch: 4, sharePublicKeys: [], secretShare: null }, SPE);
      starting.scheduleStart(index, 4, SPE);
    }
    const before = new BeaconScheduler({ api, clock, keys: ending, logger: silentLogger });
    const after = new BeaconScheduler({ api, clock, keys: starting, logger: silentLogger });
    for (const s of [before, after]) for (const epoch of [3, 4]) await s.refreshEpoch(epoch);
    for (const slot of [13, 15, 16, 17]) {
      const [held, waiting] = slot < 16 ? [before, after] : [after, before];
      assert.ok(types(held, slot).includes("sync_message/101"), `slot ${slot}`);
      assert.deepEqual(types(waiting, slot), [], `slot ${slot}`);
    }
    assert.ok(types(before, 13).includes("attester/100"));
    assert.ok(types(after, 17).includes("attester/100"));
  });

  it("fetches sync duties once per period; a moved dependent root replaces the epoch", async () => {
    const { api, state } = fakeApi();
    const s = new BeaconScheduler({ api, clock, keys, logger: silentLogger });
    assert.equal(await s.refreshEpoch(3), true);
    assert.equal(await s.refreshEpoch(3), false);
    assert.equal(await s.refreshEpoch(4), true);
    assert.deepEqual(state.syncCalls, [3], "epochs 3, 4 and 5 are in one period");
    state.dependentRoot = new Uint8Array(32).fill(1);
    assert.equal(await s.refreshEpoch(3), true);
  });

  it("at a period's end the next period may not be served yet: the epoch is fetched again until it is", async () => {
    const { api, state } = fakeApi();
    const s = new BeaconScheduler({ api, clock, keys, logger: silentLogger });
    const last = EPOCHS_PER_SYNC_COMMITTEE_PERIOD - 1;
    state.syncFailsFrom = last + 1;
    await s.refreshEpoch(last);
    const lastSlot = (last + 1) * SPE - 1;
    assert.deepEqual(types(s, lastSlot), [], "the last slot signs for the next period's committee: unknown yet");
    assert.deepEqual(types(s, lastSlot - 1).includes("sync_message/101"), true);
    state.syncFailsFrom = Number.POSITIVE_INFINITY;
    assert.equal(await s.refreshEpoch(last), true, "incomplete: fetched again although the roots did not move");
    assert.equal(types(s, lastSlot).includes("sync_message/101"), true);
    assert.equal(await s.refreshEpoch(last), false);
  });
});

describe("scheduler: selection proofs start half a slot early", () => {
  it("emits the next slot's selection proof duties in the middle of the current slot; at startup the current ones", async () => {
    const { api } = fakeApi();
    // 12 s slots, 5.5 s into slot 10: slot 11's selection proofs are due at 6 s into slot 10.
    const genesisTime = Date.now() / 1000 - (10 * 12 + 5.5);
    const c = new SlotClock({ genesisTime, secondsPerSlot: 12, slotsPerEpoch: SPE });
    const s = new BeaconScheduler({ api, clock: c, keys, logger: silentLogger });
    const emitted: { key: string; atSlot: number }[] = [];
    s.subscribeDuties((d) => emitted.push({ key: `${d.duty.slot}/${d.duty.type}`, atSlot: c.currentSlot() }));
    s.start();
    const deadline = Date.now() + 5000;
    while (!emitted.some((e) => e.key === "11/prepare_sync_contribution") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    s.stop();
    const keysEmitted = emitted.map((e) => e.key);
    assert.ok(keysEmitted.includes("10/prepare_sync_contribution"), "current slot's proof, late start");
    assert.ok(keysEmitted.includes("10/sync_message"), "current slot's message, late start");
    assert.deepEqual(
      emitted.filter((e) => e.key === "11/prepare_sync_contribution"),
      [{ key: "11/prepare_sync_contribution", atSlot: 10 }],
    );
    assert.ok(!keysEmitted.includes("11/sync_message"), "slot 11's message waits for slot 11");
  });
});

describe("combined signatures (RANDAO reveals, selection proofs)", () => {
  const duty = { slot: 5, type: "prepare_aggregator" as const, validator: 1 };

  it("wakes waiters once, keeps the first value, and fails waiters on timeout or abort", async () => {
    const c = new CombinedSignatures();
    const waiting = c.await(duty, 1000, new AbortController().signal);
    c.set(duty, new Uint8Array(96).fill(1));
    c.set(duty, new Uint8Array(96).fill(2));
    assert.equal((await waiting)[0], 1);
    assert.equal(c.get(duty)?.[0], 1);
    const other = { ...duty, validator: 2 };
    const aborted = (e: unknown) => e instanceof PipelineError && e.type.code === "ERR_DUTY_ABORTED";
    await assert.rejects(c.await(other, 5, new AbortController().signal), aborted);
    const ac = new AbortController();
    const pending = c.await(other, 10_000, ac.signal);
    ac.abort();
    await assert.rejects(pending, aborted);
    c.prune(6);
    assert.equal(c.get(duty), undefined);
  });
});
