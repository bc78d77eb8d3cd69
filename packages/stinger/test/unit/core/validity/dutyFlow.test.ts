import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CombinedSignatures } from "../../../../src/core/dutydb/combinedSignatures.ts";
import { MemoryDutyDB } from "../../../../src/core/dutydb/dutyDb.ts";
import type { Clock, DutyBatch, DutyDefinition, DutyType, UnsignedData } from "../../../../src/core/interfaces.ts";
import { PipelineError } from "../../../../src/core/pipelineError.ts";
import { awaitPrerequisites, fetchLocal } from "../../../../src/core/validity/dutyFlow.ts";
import { attestationData } from "../pipeline/fixtures.ts";

const SLOT = 50;
const def = (type: DutyType, validator: number, committeeLength = 4): DutyDefinition => ({
  duty: { slot: SLOT, type, validator },
  pubkey: new Uint8Array(48),
  committeeIndex: 0,
  committeeLength,
});
const batchOf = (type: DutyType, ...definitions: DutyDefinition[]): DutyBatch => ({ slot: SLOT, type, definitions });
/** The slot ends `msLeft` from now. */
const clockEnding = (msLeft: number): Clock => {
  const now = Date.now();
  return {
    secondsPerSlot: 12,
    slotsPerEpoch: 32,
    now: () => Date.now(),
    slotStartMs: (slot) => now + msLeft - (SLOT + 1 - slot) * 12_000,
    secondsIntoSlot: () => 0,
  };
};

describe("duty flow: prerequisites and local data of a batch", () => {
  it("aggregators run when their combined selection proof selects them and the slot's attestation data is decided", async () => {
    const aggSigDb = new CombinedSignatures();
    const dutyDb = new MemoryDutyDB();
    aggSigDb.set({ slot: SLOT, type: "prepare_aggregator", validator: 1 }, new Uint8Array(96).fill(1));
    const waiting = awaitPrerequisites(
      batchOf("aggregator", def("aggregator", 1), def("aggregator", 2)),
      { clock: clockEnding(300), aggSigDb, dutyDb },
      new AbortController().signal,
    );
    setTimeout(
      () =>
        dutyDb.store(
          { slot: SLOT, type: "attester", validator: 1 },
          { type: "attester", data: attestationData(SLOT, 1, 2) },
        ),
      20,
    );
    const { batch, failed } = await waiting;
    assert.deepEqual(
      batch.definitions.map((d) => d.duty.validator),
      [1],
      "a committee of 4: every member with a proof aggregates",
    );
    assert.deepEqual(failed, [
      { duty: { slot: SLOT, type: "aggregator", validator: 2 }, reason: "no_selection_proof" },
    ]);
  });

  it("a decided value that does not come by the end of the slot fails the batch", async () => {
    const aggSigDb = new CombinedSignatures();
    aggSigDb.set({ slot: SLOT, type: "prepare_aggregator", validator: 1 }, new Uint8Array(96).fill(1));
    // AbortSignal.timeout's timer is unref'd: in a node other timers keep the loop alive, here this one does.
    const keepAlive = setTimeout(() => {}, 1000);
    await assert.rejects(
      awaitPrerequisites(
        batchOf("aggregator", def("aggregator", 1)),
        { clock: clockEnding(30), aggSigDb, dutyDb: new MemoryDutyDB() },
        new AbortController().signal,
      ),
      (e: unknown) => (e as PipelineError).type.code === "ERR_DUTY_ABORTED",
    );
    clearTimeout(keepAlive);
  });

  it("attestations need nothing earlier", async () => {
    const b = batchOf("attester", def("attester", 1));
    const ready = await awaitPrerequisites(
      b,
      { clock: clockEnding(0), aggSigDb: new CombinedSignatures(), dutyDb: new MemoryDutyDB() },
      new AbortController().signal,
    );
    assert.deepEqual(ready, { batch: b, failed: [] });
  });

  it("fetches a single value once for the batch and list entries per validator, keeping the ones that came", async () => {
    const fetched: number[] = [];
    const fetcher = {
      fetch: async (d: DutyDefinition): Promise<UnsignedData> => {
        fetched.push(d.duty.validator);
        if (d.duty.validator === 2) throw new PipelineError({ code: "ERR_BEACON_NODE", call: "x", reason: "down" });
        return { type: "attester", data: attestationData(SLOT, 1, 2) };
      },
    };
    const signal = new AbortController().signal;
    const single = await fetchLocal(batchOf("attester", def("attester", 1), def("attester", 3)), fetcher, signal);
    assert.deepEqual(fetched, [1]);
    assert.deepEqual([...single.locals.keys()], [1]);
    assert.deepEqual(
      single.covered.map((d) => d.validator),
      [1, 3],
    );
    fetched.length = 0;
    const list = await fetchLocal(batchOf("aggregator", def("aggregator", 1), def("aggregator", 2)), fetcher, signal);
    assert.deepEqual(fetched, [1, 2]);
    assert.deepEqual(
      list.covered.map((d) => d.validator),
      [1],
    );
    assert.match(list.reasons.get(2) ?? "", /ERR_BEACON_NODE|down/);
    await assert.rejects(
      fetchLocal(batchOf("attester", def("attester", 2)), fetcher, signal),
      (e: unknown) => (e as PipelineError).type.code === "ERR_BEACON_NODE",
    );
  });
});
