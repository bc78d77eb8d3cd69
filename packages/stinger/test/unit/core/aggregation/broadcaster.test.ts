import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ApiClient } from "@lodestar/api";
import { BeaconBroadcaster, isDuplicateRejection } from "../../../../src/core/broadcast/broadcaster.ts";
import type { DutyType, SignedDuty, UnsignedData } from "../../../../src/core/interfaces.ts";

type Call = { method: string; count: number };
const ok = { ok: true, status: 200, error: () => null };
const fail = (message: string) => ({ ok: false, status: 400, error: () => new Error(message) });

/** A Beacon API whose answers per call come from `answer` (by method and the items' validators). */
function fakeApi(answer: (method: string, validators: number[]) => ReturnType<typeof fail> | typeof ok) {
  const calls: Call[] = [];
  const handler =
    (method: string, key: string, validatorOf: (x: never) => number) => (args: Record<string, never[]>) => {
      const items = args[key] as never[];
      calls.push({ method, count: items.length });
      return Promise.resolve(answer(method, items.map(validatorOf)));
    };
  const api = {
    beacon: {
      submitPoolSyncCommitteeSignatures: handler(
        "sync",
        "signatures",
        (x: { validatorIndex: number }) => x.validatorIndex as never,
      ),
    },
    validator: {
      publishAggregateAndProofsV2: handler(
        "aggregates",
        "signedAggregateAndProofs",
        (x: { message: { aggregatorIndex: number } }) => x.message.aggregatorIndex as never,
      ),
      publishContributionAndProofs: handler(
        "contributions",
        "contributionAndProofs",
        (x: { message: { aggregatorIndex: number } }) => x.message.aggregatorIndex as never,
      ),
    },
  } as unknown as ApiClient;
  return { api, calls };
}

function syncItem(validator: number, slot = 5): SignedDuty {
  const duty = { slot, type: "sync_message" as DutyType, validator };
  const data: UnsignedData = { type: "sync_message", data: { slot, beaconBlockRoot: new Uint8Array(32) } };
  return {
    definition: { duty, pubkey: new Uint8Array(48), syncCommitteeIndices: [1] },
    data,
    signature: { duty, signingRoot: new Uint8Array(32), signature: new Uint8Array(96) },
  };
}

describe("broadcaster", () => {
  it("recognises beacon nodes' duplicate answers (Lodestar codes and plain words)", () => {
    for (const r of [
      "HTTP 400: SYNC_COMMITTEE_ERROR_SYNC_COMMITTEE_MESSAGE_KNOWN",
      "ATTESTATION_ERROR_AGGREGATOR_ALREADY_KNOWN",
      "SYNC_COMMITTEE_ERROR_SYNC_COMMITTEE_AGGREGATOR_ALREADY_CONTRIBUTED",
      "ATTESTATION_ERROR_ATTESTATION_ALREADY_KNOWN",
      "duplicate message",
    ])
      assert.equal(isDuplicateRejection(r), true, r);
    for (const r of ["signature does not verify", "HTTP 500: internal error", "unknown beacon_block_root"])
      assert.equal(isDuplicateRejection(r), false, r);
  });

  it("submits a slot's sync messages in one call, and a duty only once", async () => {
    const { api, calls } = fakeApi(() => ok);
    const b = new BeaconBroadcaster({ api });
    const res = await b.broadcastBatch([syncItem(1), syncItem(2), syncItem(3)]);
    assert.equal(res.published.length, 3);
    assert.deepEqual(calls, [{ method: "sync", count: 3 }]);
    const again = await b.broadcastBatch([syncItem(1), syncItem(4)]);
    assert.deepEqual(
      again.published.map((i) => i.definition.duty.validator),
      [4],
    );
    assert.deepEqual(calls[1], { method: "sync", count: 1 });
  });

  it("a rejected batch is retried per message: duplicates count as done, other rejections as failures", async () => {
    const { api, calls } = fakeApi((_m, vs) => {
      if (vs.length > 1) return fail("Some sync committee messages failed validation");
      if (vs[0] === 2) return fail("SYNC_COMMITTEE_ERROR_SYNC_COMMITTEE_MESSAGE_KNOWN");
      if (vs[0] === 3) return fail("signature does not verify");
      return ok;
    });
    const b = new BeaconBroadcaster({ api });
    const res = await b.broadcastBatch([syncItem(1), syncItem(2), syncItem(3)]);
    assert.deepEqual(
      res.published.map((i) => i.definition.duty.validator),
      [1],
    );
    assert.deepEqual(
      res.duplicates.map((i) => i.definition.duty.validator),
      [2],
    );
    assert.deepEqual(
      res.failed.map((f) => [f.item.definition.duty.validator, f.reason]),
      [[3, "HTTP 400: signature does not verify"]],
    );
    assert.equal(calls.length, 4, "one batch call, then one per message");
    // The failed one may be submitted again (e.g. when a later partial makes a valid signature); the others not.
    const again = await b.broadcastBatch([syncItem(1), syncItem(2), syncItem(3)]);
    assert.equal(again.failed.length, 1);
    assert.equal(calls.length, 5);
  });

  it("publishes aggregates and contributions with their group signature", async () => {
    const { api, calls } = fakeApi(() => ok);
    const b = new BeaconBroadcaster({ api });
    const duty = { slot: 5, type: "aggregator" as DutyType, validator: 9 };
    const res = await b.broadcastBatch([
      {
        definition: { duty, pubkey: new Uint8Array(48) },
        data: { type: "aggregator", data: { aggregatorIndex: 9 } as never },
        signature: { duty, signingRoot: new Uint8Array(32), signature: new Uint8Array(96).fill(4) },
      },
      {
        definition: { duty: { ...duty, type: "sync_contribution" }, pubkey: new Uint8Array(48) },
        data: { type: "sync_contribution", data: { aggregatorIndex: 9 } as never },
        signature: { duty, signingRoot: new Uint8Array(32), signature: new Uint8Array(96) },
      },
    ]);
    assert.equal(res.published.length, 2);
    assert.deepEqual(calls.map((c) => c.method).sort(), ["aggregates", "contributions"]);
  });

  it("refuses an item whose data does not match its duty type, without calling the beacon node", async () => {
    const { api, calls } = fakeApi(() => ok);
    const b = new BeaconBroadcaster({ api });
    const item = syncItem(1);
    const res = await b.broadcastBatch([{ ...item, data: { type: "randao", data: { epoch: 1 } } }]);
    assert.equal(res.failed.length, 1);
    assert.match(res.failed[0]?.reason ?? "", /carries randao data/);
    assert.equal(calls.length, 0);
  });
});
