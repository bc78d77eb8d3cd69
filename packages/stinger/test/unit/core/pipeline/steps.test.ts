import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryDutyDB } from "../../../../src/core/dutydb/dutyDb.ts";
import type { ParSignedData } from "../../../../src/core/interfaces.ts";
import { MemoryParSigDB } from "../../../../src/core/parsigdb/parSigDb.ts";
import { decodePartialBatch, encodePartialBatch } from "../../../../src/core/parsigex/codec.ts";
import { BatchedParSigEx } from "../../../../src/core/parsigex/parSigEx.ts";
import { PipelineError } from "../../../../src/core/pipelineError.ts";
import { DutyMessageKind } from "../../../../src/core/transport.ts";
import { MemoryCluster } from "../../../support/memoryTransport.ts";
import { attestationData, silentLogger } from "./fixtures.ts";

const partial = (slot: number, validator: number, shareIndex: number, root = 1, sig = shareIndex): ParSignedData => ({
  duty: { slot, type: "attester", validator },
  signingRoot: new Uint8Array(32).fill(root),
  signature: new Uint8Array(96).fill(sig),
  shareIndex,
});

describe("parsigex codec", () => {
  it("round-trips a slot batch and attributes it to the authenticated sender, not the payload", () => {
    const bytes = encodePartialBatch(9, [
      partial(9, 1, 3),
      { ...partial(9, 2, 3), duty: { slot: 9, type: "randao", validator: 2 } },
    ]);
    const d = decodePartialBatch(bytes, 7);
    assert.ok(d.ok);
    assert.equal(d.partials.length, 2);
    assert.deepEqual(
      d.partials.map((p) => [p.duty.type, p.duty.validator, p.shareIndex]),
      [
        ["attester", 1, 7],
        ["randao", 2, 7],
      ],
    );
  });

  it("drops garbage, truncation and unknown duty types without throwing", () => {
    const bytes = encodePartialBatch(9, [partial(9, 1, 3)]);
    assert.equal(decodePartialBatch(bytes.subarray(0, bytes.length - 1), 1).ok, false);
    assert.equal(decodePartialBatch(new Uint8Array([1, 2, 3]), 1).ok, false);
    const badType = Uint8Array.from(bytes);
    badType[13] = 200; // first partial's type byte (after version 1 + slot 8 + offset 4)
    assert.deepEqual(decodePartialBatch(badType, 1), { ok: false, reason: "malformed" });
    const badVersion = Uint8Array.from(bytes);
    badVersion[0] = 9;
    assert.deepEqual(decodePartialBatch(badVersion, 1), { ok: false, reason: "version" });
  });
});

describe("parsigex exchange", () => {
  it("sends one message per slot and drops replays of old slots, counted against the sender", async () => {
    const net = new MemoryCluster(3);
    let sent = 0;
    net.policy = (_f, _t, kind) => {
      if (kind === DutyMessageKind.partials) sent++;
      return 0;
    };
    const drops: [number, string][] = [];
    const current = { slot: 10 };
    const exchanges = net.transports.map(
      (transport) =>
        new BatchedParSigEx({
          transport,
          logger: silentLogger,
          acceptSlot: (s) => s >= current.slot - 1 && s <= current.slot + 1,
          onDrop: (i, r) => drops.push([i, r]),
        }),
    );
    const got: [number, number][] = [];
    exchanges[1]?.subscribe((ps, from) => got.push([ps.length, from]));
    const batch = Array.from({ length: 50 }, (_, v) => partial(10, v, 1));
    await exchanges[0]?.broadcast(batch);
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(got, [[50, 1]]);
    assert.equal(sent, 2, "one message per slot to each of the 2 peers");
    current.slot = 20;
    net.inject(0, 1, DutyMessageKind.partials, encodePartialBatch(10, batch));
    assert.deepEqual(drops, [[1, "stale_slot"]]);
    assert.equal(got.length, 1);
    net.stop();
  });
});

describe("parsigdb", () => {
  it("fires once the agreed root has threshold partials, ignores other roots, reports equivocation", () => {
    const fired: number[] = [];
    const equivocators: number[] = [];
    const db = new MemoryParSigDB({
      threshold: 3,
      onEquivocation: (i) => equivocators.push(i),
      holds: (validator) => validator === 1,
    });
    db.subscribeThreshold((ps) => fired.push(ps.length));
    db.add(partial(5, 2, 1));
    db.expect({ slot: 5, type: "attester", validator: 2 }, new Uint8Array(32).fill(1));
    assert.equal(db.count({ slot: 5, type: "attester", validator: 2 }), 0, "a validator this node holds no share of");
    db.add(partial(5, 1, 1));
    db.add(partial(5, 1, 2));
    db.add(partial(5, 1, 3, 2)); // another root: never combined
    assert.deepEqual(fired, [], "nothing before this operator decided");
    db.expect({ slot: 5, type: "attester", validator: 1 }, new Uint8Array(32).fill(1));
    assert.deepEqual(fired, []);
    db.add(partial(5, 1, 4));
    assert.deepEqual(fired, [3]);
    db.add(partial(5, 1, 4, 1, 99));
    assert.deepEqual(equivocators, [4]);
    db.add(partial(5, 1, 5));
    assert.deepEqual(fired, [3, 4], "a failed combine gets another chance with each new partial");
    db.markDone({ slot: 5, type: "attester", validator: 1 });
    db.add(partial(5, 1, 6));
    assert.deepEqual(fired, [3, 4]);
  });
});

describe("dutydb", () => {
  it("stores once, refuses a different second value, and wakes waiters", async () => {
    const db = new MemoryDutyDB();
    const duty = { slot: 3, type: "attester" as const, validator: 1 };
    const waiting = db.await(duty, AbortSignal.timeout(1000));
    db.store(duty, { type: "attester", data: attestationData(3, 0, 1) });
    // AbortSignal.timeout's timer is unref'd: abort explicitly so the test does not depend on other work keeping it alive.
    const abortSoon = new AbortController();
    setTimeout(() => abortSoon.abort(), 5);
    assert.equal((await waiting).type, "attester");
    db.store(duty, { type: "attester", data: attestationData(3, 0, 1) });
    assert.throws(
      () => db.store(duty, { type: "attester", data: attestationData(3, 0, 1, 5) }),
      (e: unknown) => e instanceof PipelineError && e.type.code === "ERR_DUTY_CONFLICT",
    );
    await assert.rejects(
      db.await({ ...duty, validator: 2 }, abortSoon.signal),
      (e: unknown) => e instanceof PipelineError,
    );
    db.prune(4);
    assert.equal(db.size, 0);
  });
});
