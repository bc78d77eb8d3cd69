import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak_256 } from "@noble/hashes/sha3.js";
import {
  buildRewardsDistribution,
  operatorLeafHash,
  RewardsError,
  type RewardsValidator,
  shareLeafHash,
} from "../../src/index.ts";
import { seededRandom } from "./harness.ts";

/** Deterministic floats in [0, 1) from the harness's seeded byte source. */
function prng(seed: string): () => number {
  const bytes = seededRandom(seed);
  return () => new DataView(bytes(4).buffer).getUint32(0) / 2 ** 32;
}

/** Recomputes a positional root from a leaf, its position and its path (the contract's `_requireProof`). */
function rootFrom(leaf: Uint8Array, position: number, proof: readonly `0x${string}`[]): string {
  let node = leaf;
  proof.forEach((hex, level) => {
    const sibling = Buffer.from(hex.slice(2), "hex");
    const pair = new Uint8Array(64);
    const right = ((position >> level) & 1) === 1;
    pair.set(right ? sibling : node);
    pair.set(right ? node : sibling, 32);
    node = keccak_256(pair);
  });
  return `0x${Buffer.from(node).toString("hex")}`;
}

function randomValidators(random: () => number, count: number, operators: number): RewardsValidator[] {
  return Array.from({ length: count }, (_, i) => {
    const operatorIds = Array.from({ length: 16 }, () => 1 + Math.floor(random() * operators));
    if (random() < 0.2) return { validatorId: i + 1, operatorIds };
    const expected = Array.from({ length: 16 }, () => Math.floor(random() * 200));
    const contributed = expected.map((e) => Math.floor(random() * (e + 1)));
    return { validatorId: i + 1, operatorIds, statement: { expected, contributed } };
  });
}

describe("buildRewardsDistribution", () => {
  it("property: Σ paid + to holders = the fee to the wei, sums chain, and every proof opens its root", () => {
    const random = prng("rewards-split");
    for (let round = 0; round < 50; round++) {
      const operators = 1 + Math.floor(random() * 20);
      const fee = BigInt(Math.floor(random() * 1e9)) * 10n ** BigInt(Math.floor(random() * 10));
      const d = buildRewardsDistribution({
        feeShares: fee,
        marginBps: 300n,
        validators: randomValidators(random, 1 + Math.floor(random() * 8), operators),
        operatorCount: operators,
      });
      assert.equal(d.commitment.totalPaid + d.toHolders, fee);
      assert.equal(
        d.earned.reduce((a, b) => a + b, 0n),
        d.commitment.totalPaid,
      );
      const last = d.leaves.at(-1);
      assert.ok(last);
      assert.equal(last.prefixPaid + last.amount, d.commitment.totalPaid);
      d.leaves.forEach((leaf, i) => {
        assert.equal(rootFrom(shareLeafHash(leaf), i, d.shareProof(i)), d.commitment.sharesRoot);
        if (!leaf.hasStatement) assert.equal(leaf.amount, 0n);
      });
      for (let id = 0; id <= operators; id++) {
        assert.equal(
          rootFrom(operatorLeafHash(id, d.cumulative[id] as bigint), id, d.operatorProof(id)),
          d.commitment.operatorsRoot,
        );
      }
    }
  });

  it("continues each operator's prior cumulative and pays a share below the threshold nothing", () => {
    const expected = Array<number>(16).fill(100);
    const contributed = [...Array<number>(15).fill(100), 50];
    const d = buildRewardsDistribution({
      feeShares: 16_000n,
      marginBps: 300n,
      validators: [
        {
          validatorId: 1,
          operatorIds: Array.from({ length: 16 }, (_, i) => i + 1),
          statement: { expected, contributed },
        },
      ],
      operatorCount: 16,
      priorCumulative: [0n, 5n],
    });
    assert.equal(d.earned[16], 0n);
    assert.equal(d.earned[1], 1_000n);
    assert.equal(d.cumulative[1], 1_005n);
    assert.equal(d.toHolders, 1_000n);
  });

  it("refuses validators out of order, seats or counts that are not 16, and contributions above expected", () => {
    const seats = Array<number>(16).fill(1);
    const counts = Array<number>(16).fill(1);
    for (const validators of [
      [{ validatorId: 2, operatorIds: seats }],
      [{ validatorId: 1, operatorIds: seats.slice(1) }],
      [{ validatorId: 1, operatorIds: seats, statement: { expected: counts.slice(1), contributed: counts.slice(1) } }],
      [{ validatorId: 1, operatorIds: seats, statement: { expected: counts, contributed: counts.map(() => 2) } }],
    ]) {
      assert.throws(
        () => buildRewardsDistribution({ feeShares: 1n, marginBps: 0n, validators, operatorCount: 1 }),
        RewardsError,
      );
    }
  });
});
