import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { SYNC_COMMITTEE_SIZE, SYNC_COMMITTEE_SUBNET_COUNT } from "@lodestar/params";
import {
  isAggregatorFromCommitteeLength,
  isSyncCommitteeAggregator as lodestarIsSyncAggregator,
} from "@lodestar/state-transition";
import { PipelineError } from "../../../../src/core/pipelineError.ts";
import {
  attestationAggregatorModulo,
  isAttestationAggregator,
  isSyncCommitteeAggregator,
  SYNC_SUBCOMMITTEE_SIZE,
  syncAggregatorModulo,
  syncSubcommitteeForSlot,
  syncSubcommittees,
} from "../../../../src/core/selection/selection.ts";

/** The spec's `bytes_to_uint64(hash(sig)[0:8]) % modulo == 0`, written out independently. */
function specSelected(signature: Uint8Array, modulo: number): boolean {
  const h = createHash("sha256").update(signature).digest();
  let x = 0n;
  for (let i = 7; i >= 0; i--) x = (x << 8n) | BigInt(h[i] as number);
  return x % BigInt(modulo) === 0n;
}

const invalid = (e: unknown) => e instanceof PipelineError && e.type.code === "ERR_DUTY_DATA_INVALID";

describe("aggregator selection (consensus specs, mainnet preset)", () => {
  it("modulo is max(1, committee length // 16): every member of a committee under 32 aggregates", () => {
    assert.equal(attestationAggregatorModulo(1), 1);
    assert.equal(attestationAggregatorModulo(31), 1);
    assert.equal(attestationAggregatorModulo(32), 2);
    assert.equal(attestationAggregatorModulo(2048), 128);
    const sig = randomBytes(96);
    assert.equal(isAttestationAggregator(5, sig), true);
  });

  it("matches the spec formula and Lodestar on 2,000 real slot signatures and committee lengths", () => {
    const sk = SecretKey.fromKeygen(randomBytes(32));
    let selected = 0;
    for (let i = 0; i < 2000; i++) {
      const sig = sk.sign(Uint8Array.from([i & 0xff, i >> 8])).toBytes();
      const length = 1 + ((i * 97) % 2048);
      const ours = isAttestationAggregator(length, sig);
      assert.equal(ours, specSelected(sig, attestationAggregatorModulo(length)), `length ${length}`);
      assert.equal(ours, isAggregatorFromCommitteeLength(length, sig), `lodestar, length ${length}`);
      if (ours) selected++;
    }
    // Expected selections: Σ 1/modulo ≈ 2000 × 0.037 for lengths spread over 1..2048; far from 0 and from 2000.
    assert.ok(selected > 20 && selected < 400, `selected ${selected}`);
  });

  it("sync aggregator: modulo 8 on mainnet, same answer as the spec and Lodestar", () => {
    assert.equal(SYNC_SUBCOMMITTEE_SIZE, SYNC_COMMITTEE_SIZE / SYNC_COMMITTEE_SUBNET_COUNT);
    assert.equal(syncAggregatorModulo, 8);
    let selected = 0;
    for (let i = 0; i < 800; i++) {
      const sig = randomBytes(96);
      const ours = isSyncCommitteeAggregator(sig);
      assert.equal(ours, specSelected(sig, 8));
      assert.equal(ours, lodestarIsSyncAggregator(sig));
      if (ours) selected++;
    }
    assert.ok(selected > 50 && selected < 160, `selected ${selected} of 800 (expected ~100)`);
  });

  it("rejects a selection proof that is not 96 bytes and a committee length below 1", () => {
    assert.throws(() => isAttestationAggregator(10, new Uint8Array(95)), invalid);
    assert.throws(() => isSyncCommitteeAggregator(new Uint8Array(0)), invalid);
    assert.throws(() => isAttestationAggregator(0, randomBytes(96)), invalid);
    assert.throws(() => isAttestationAggregator(1.5, randomBytes(96)), invalid);
  });
});

describe("sync subcommittees of a validator", () => {
  it("maps positions to distinct sorted subcommittees and rotates one per slot", () => {
    assert.deepEqual(syncSubcommittees([300, 5, 130, 7]), [0, 1, 2]);
    assert.equal(syncSubcommitteeForSlot(0, [300, 5, 130]), 0);
    assert.equal(syncSubcommitteeForSlot(1, [300, 5, 130]), 1);
    assert.equal(syncSubcommitteeForSlot(5, [300, 5, 130]), 2);
    assert.equal(syncSubcommitteeForSlot(7, []), undefined);
  });

  it("rejects positions outside the committee", () => {
    assert.throws(() => syncSubcommittees([SYNC_COMMITTEE_SIZE]), invalid);
    assert.throws(() => syncSubcommittees([-1]), invalid);
  });
});
