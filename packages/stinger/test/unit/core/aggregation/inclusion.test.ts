import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BitArray } from "@chainsafe/ssz";
import type { ApiClient } from "@lodestar/api";
import { MAX_COMMITTEES_PER_SLOT } from "@lodestar/params";
import { Registry } from "prom-client";
import type { DutyDefinition } from "../../../../src/core/interfaces.ts";
import { SlotClock } from "../../../../src/core/scheduler/slotClock.ts";
import { type BlockView, InclusionChecker } from "../../../../src/core/tracker/inclusion.ts";
import { createDutyMetrics, DutyTracker } from "../../../../src/core/tracker/tracker.ts";
import { attestationData, silentLogger } from "../pipeline/fixtures.ts";

const SPE = 8;

async function counterValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))
    .reduce((n, v) => n + v.value, 0);
}
const clock = new SlotClock({ genesisTime: 0, secondsPerSlot: 2, slotsPerEpoch: SPE, nowMs: () => 0 });

function setup(api: Partial<ApiClient> = {}) {
  const registry = new Registry();
  const tracker = new DutyTracker(createDutyMetrics(registry));
  const checker = new InclusionChecker({ api: api as ApiClient, clock, tracker, logger: silentLogger });
  return { registry, tracker, checker };
}

const attester = (
  slot: number,
  validator: number,
  committeeIndex: number,
  position: number,
  length: number,
): DutyDefinition => ({
  duty: { slot, type: "attester", validator },
  pubkey: new Uint8Array(48),
  committeeIndex,
  committeeLength: length,
  validatorCommitteeIndex: position,
});
const syncMessage = (slot: number, validator: number, positions: number[]): DutyDefinition => ({
  duty: { slot, type: "sync_message", validator },
  pubkey: new Uint8Array(48),
  syncCommitteeIndices: positions,
});

/** An Electra attestation over `committees` (index → set positions), bits concatenated in committee order. */
function attestation(slot: number, committees: [number, number, number[]][]) {
  const committeeBits = BitArray.fromBitLen(MAX_COMMITTEES_PER_SLOT);
  const total = committees.reduce((n, [, length]) => n + length, 0);
  const aggregationBits = BitArray.fromBitLen(total);
  let offset = 0;
  for (const [index, length, set] of [...committees].sort((a, b) => a[0] - b[0])) {
    committeeBits.set(index, true);
    for (const p of set) aggregationBits.set(offset + p, true);
    offset += length;
  }
  return { data: attestationData(slot, 0, 0), committeeBits, aggregationBits };
}

function block(slot: number, extra: Partial<BlockView> = {}): BlockView {
  return { slot, proposerIndex: 1, attestations: [], syncCommitteeBits: BitArray.fromBitLen(512), ...extra };
}

describe("inclusion checker (judges duties from canonical blocks)", () => {
  it("finds an attester's bit behind the committees before its own and records the inclusion delay", async () => {
    const { checker, tracker, registry } = setup();
    // Two cluster validators in committees 0 (length 5) and 2 (length 4) of slot 9.
    checker.watch(attester(9, 100, 0, 3, 5));
    checker.watch(attester(9, 101, 2, 1, 4));
    checker.observeBlock(
      10,
      block(10, {
        attestations: [
          attestation(9, [
            [0, 5, [0]],
            [2, 4, [1]],
          ]),
        ],
      }),
    );
    assert.deepEqual(tracker.outcome({ slot: 9, type: "attester", validator: 101 }), {
      status: "included",
      inclusionSlot: 10,
    });
    assert.equal(
      tracker.outcome({ slot: 9, type: "attester", validator: 100 }),
      undefined,
      "bit 3 of committee 0 not set",
    );
    checker.observeBlock(12, block(12, { attestations: [attestation(9, [[0, 5, [3]]])] }));
    assert.deepEqual(tracker.outcome({ slot: 9, type: "attester", validator: 100 }), {
      status: "included",
      inclusionSlot: 12,
    });
    assert.equal(checker.pending, 0);
    const delay = (await registry.getSingleMetric("stinger_duty_inclusion_delay_slots")?.get())?.values.find(
      (v) => (v as { metricName?: string }).metricName === "stinger_duty_inclusion_delay_slots_sum",
    );
    assert.equal(delay?.value, 1 + 3);
  });

  it("an attestation is missed after the end of the next epoch; other slots' or committees' bits do not count", async () => {
    const { checker, tracker, registry } = setup();
    checker.watch(attester(9, 100, 1, 0, 3));
    checker.observeBlock(
      10,
      block(10, { attestations: [attestation(8, [[1, 3, [0]]]), attestation(9, [[0, 3, [0]]])] }),
    );
    checker.observeBlock(22, null);
    assert.equal(
      tracker.outcome({ slot: 9, type: "attester", validator: 100 }),
      undefined,
      "window open up to slot 23",
    );
    checker.observeBlock(23, block(23));
    assert.deepEqual(tracker.outcome({ slot: 9, type: "attester", validator: 100 }), { status: "missed" });
    assert.equal(
      await counterValue(registry, "stinger_duty_outcomes_total", { duty: "attester", status: "missed" }),
      1,
    );
  });

  it("an unknown committee before ours makes our offset unknown: not counted as included", () => {
    const { checker, tracker } = setup();
    checker.watch(attester(9, 100, 2, 0, 3));
    checker.observeBlock(
      10,
      block(10, {
        attestations: [
          attestation(9, [
            [1, 4, []],
            [2, 3, [0]],
          ]),
        ],
      }),
    );
    assert.equal(tracker.outcome({ slot: 9, type: "attester", validator: 100 }), undefined);
  });

  it("reads the lengths of committees before ours with getEpochCommittees, once per slot", async () => {
    const requests: unknown[] = [];
    const api = {
      beacon: {
        getBlockV2: async ({ blockId }: { blockId: number }) => ({
          ok: blockId === 10,
          status: blockId === 10 ? 200 : 404,
          value: () => ({
            message: {
              slot: 10,
              proposerIndex: 1,
              body: {
                attestations: [
                  attestation(9, [
                    [1, 4, []],
                    [2, 3, [0]],
                  ]),
                ],
                syncAggregate: { syncCommitteeBits: BitArray.fromBitLen(512) },
              },
            },
          }),
        }),
        getEpochCommittees: async (args: unknown) => {
          requests.push(args);
          return {
            ok: true,
            status: 200,
            value: () => [
              { index: 0, slot: 9, validators: [1, 2] },
              { index: 1, slot: 9, validators: [3, 4, 5, 6] },
              { index: 2, slot: 9, validators: [7, 8, 9] },
            ],
          };
        },
      },
    } as unknown as ApiClient;
    const { checker, tracker } = setup(api);
    checker.watch(attester(9, 100, 2, 0, 3));
    checker.watch(attester(9, 101, 2, 1, 3));
    await checker.check(10);
    assert.deepEqual(requests, [{ stateId: "head", epoch: 1, slot: 9 }]);
    assert.deepEqual(tracker.outcome({ slot: 9, type: "attester", validator: 100 }), {
      status: "included",
      inclusionSlot: 10,
    });
    assert.equal(tracker.outcome({ slot: 9, type: "attester", validator: 101 }), undefined, "its bit is not set");
  });

  it("a sync message is included by the next block's bits at any of its positions, else missed", async () => {
    const { checker, tracker, registry } = setup();
    checker.watch(syncMessage(20, 7, [3, 300]));
    checker.watch(syncMessage(21, 7, [3, 300]));
    checker.watch(syncMessage(22, 7, [3, 300]));
    const bits = BitArray.fromBitLen(512);
    bits.set(300, true);
    checker.observeBlock(20, block(20, { syncCommitteeBits: bits }));
    assert.equal(tracker.outcome({ slot: 20, type: "sync_message", validator: 7 }), undefined, "slot 20's own block");
    checker.observeBlock(21, block(21, { syncCommitteeBits: bits }));
    checker.observeBlock(22, block(22));
    checker.observeBlock(23, null);
    assert.deepEqual(tracker.outcome({ slot: 20, type: "sync_message", validator: 7 }), {
      status: "included",
      inclusionSlot: 21,
    });
    assert.deepEqual(tracker.outcome({ slot: 21, type: "sync_message", validator: 7 }), { status: "missed" });
    assert.deepEqual(
      tracker.outcome({ slot: 22, type: "sync_message", validator: 7 }),
      { status: "missed" },
      "empty slot",
    );
    assert.deepEqual(tracker.inclusionCounts("sync_message"), { included: 1, missed: 2 });
    const ratio = (await registry.getSingleMetric("stinger_duty_inclusion_ratio")?.get())?.values[0]?.value;
    assert.equal(ratio, 1 / 3);
  });

  it("a proposal is included when the canonical block of its slot is the validator's", () => {
    const { checker, tracker } = setup();
    checker.watch({ duty: { slot: 30, type: "proposer", validator: 4 }, pubkey: new Uint8Array(48) });
    checker.watch({ duty: { slot: 31, type: "proposer", validator: 4 }, pubkey: new Uint8Array(48) });
    checker.observeBlock(30, block(30, { proposerIndex: 4 }));
    checker.observeBlock(31, block(31, { proposerIndex: 5 }));
    assert.equal(tracker.outcome({ slot: 30, type: "proposer", validator: 4 })?.status, "included");
    assert.equal(tracker.outcome({ slot: 31, type: "proposer", validator: 4 })?.status, "missed");
  });

  it("judges once: a later failure or block does not change or recount an outcome", async () => {
    const { checker, tracker, registry } = setup();
    checker.watch(syncMessage(20, 7, [3]));
    const bits = BitArray.fromBitLen(512);
    bits.set(3, true);
    checker.observeBlock(21, block(21, { syncCommitteeBits: bits }));
    tracker.failed({ slot: 20, type: "sync_message", validator: 7 }, "broadcast", "beacon_node");
    tracker.missed({ slot: 20, type: "sync_message", validator: 7 });
    assert.equal(tracker.outcome({ slot: 20, type: "sync_message", validator: 7 })?.status, "included");
    assert.equal(await counterValue(registry, "stinger_duty_outcomes_total", { duty: "sync_message" }), 1);
  });

  it("reads blocks over the Beacon API: 404 is an empty slot, an unreachable node is retried from the same slot", async () => {
    const answers: Record<number, unknown> = {};
    let calls: number[] = [];
    let reachable = false;
    const api = {
      beacon: {
        getBlockV2: async ({ blockId }: { blockId: number }) => {
          calls.push(blockId);
          if (!reachable) throw new Error("ECONNREFUSED");
          const message = answers[blockId];
          if (message === undefined) return { ok: false, status: 404, value: () => undefined };
          return { ok: true, status: 200, value: () => ({ message }) };
        },
      },
    } as unknown as ApiClient;
    const { checker, tracker } = setup(api);
    checker.watch({ duty: { slot: 5, type: "proposer", validator: 4 }, pubkey: new Uint8Array(48) });
    checker.watch(syncMessage(5, 9, [0]));
    await checker.check(6);
    assert.deepEqual(calls, [5]);
    assert.equal(checker.pending, 2);
    reachable = true;
    calls = [];
    answers[5] = {
      slot: 5,
      proposerIndex: 4,
      body: { attestations: [], syncAggregate: { syncCommitteeBits: BitArray.fromBitLen(512) } },
    };
    await checker.check(6);
    assert.deepEqual(calls, [5, 6]);
    assert.equal(tracker.outcome({ slot: 5, type: "proposer", validator: 4 })?.status, "included");
    assert.equal(tracker.outcome({ slot: 5, type: "sync_message", validator: 9 })?.status, "missed", "slot 6 empty");
  });
});
