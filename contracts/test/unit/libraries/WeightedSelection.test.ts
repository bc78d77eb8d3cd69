import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { prng } from "../../helpers/prng.ts";

const { viem } = await network.create();

async function deployWith(weights: readonly bigint[]) {
  const harness = await viem.deployContract("WeightedSelectionHarness");
  for (let start = 0; start < weights.length; start += 200) {
    const chunk = weights.slice(start, start + 200);
    await harness.write.setMany([chunk.map((_, i) => BigInt(start + i)), [...chunk]]);
  }
  return harness;
}

describe("WeightedSelection", () => {
  it("keeps every level's sums consistent through sets, updates and removals", async () => {
    const harness = await viem.deployContract("WeightedSelectionHarness");
    const rand = prng(7);
    const model = new Map<number, bigint>();
    for (let i = 0; i < 150; i++) {
      const index = Math.floor(rand() * 32_768);
      const weight = rand() < 0.2 ? 0n : BigInt(Math.floor(rand() * 1_000_000));
      await harness.write.set([BigInt(index), weight]);
      model.set(index, weight);
    }
    let total = 0n;
    for (const [index, weight] of model) {
      assert.equal(await harness.read.weightOf([BigInt(index)]), weight);
      total += weight;
    }
    assert.equal(await harness.read.totalWeight(), total);
  });

  it("rejects an index beyond capacity and a total above 2^32 - 1", async () => {
    const harness = await viem.deployContract("WeightedSelectionHarness");
    await viem.assertions.revertWithCustomErrorWithArgs(harness.write.set([32_768n, 1n]), harness, "LeafOutOfRange", [
      32_768n,
      32_768n,
    ]);
    await harness.write.set([0n, 2n ** 32n - 2n]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      harness.write.set([32_767n, 2n]),
      harness,
      "TotalWeightOverflow",
      [2n ** 32n, 2n ** 32n - 1n],
    );
    // Lowering and re-raising within the cap still works.
    await harness.write.set([0n, 1n]);
    await harness.write.set([32_767n, 2n ** 32n - 2n]);
    assert.equal(await harness.read.totalWeight(), 2n ** 32n - 1n);
  });

  it("draws distinct leaves, never a zero-weight leaf, and reverts when too few candidates exist", async () => {
    const weights = Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? 0n : BigInt(1 + i * 37)));
    const harness = await deployWith(weights);
    for (let seed = 0n; seed < 60n; seed++) {
      const [picked] = (await harness.simulate.draw([16n, seed, 1n, 0n])).result;
      assert.equal(picked.length, 16);
      assert.equal(new Set(picked).size, 16, "a leaf was drawn twice");
      for (const leaf of picked) assert.notEqual(weights[Number(leaf)], 0n, `zero-weight leaf ${leaf} drawn`);
    }
    const sparse = await deployWith([5n, 0n, 7n, 9n]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      sparse.simulate.draw([4n, 1n, 1n, 0n]),
      sparse,
      "NotEnoughCandidates",
      [3n, 4n],
    );
  });

  it("sets aside leaves below the minimum weight and reports them", async () => {
    // Leaves 0..3 are heavy but under the minimum; 4..19 qualify.
    const weights = [...Array(4).fill(1_000n), ...Array(16).fill(2_000n)] as bigint[];
    const harness = await deployWith(weights);
    const [picked, skipped] = (await harness.simulate.draw([16n, 42n, 1_500n, 4n])).result;
    assert.deepEqual(
      [...picked].sort((a, b) => Number(a - b)),
      Array.from({ length: 16 }, (_, i) => BigInt(i + 4)),
    );
    for (const leaf of skipped) assert.ok(leaf < 4n);
    // With no room for skips, hitting an under-weight leaf is an error rather than an unbounded loop.
    await viem.assertions.revertWithCustomError(
      harness.simulate.draw([17n, 42n, 1_500n, 0n]),
      harness,
      "NotEnoughCandidates",
    );
  });

  it("draws each position with probability proportional to weight (chi-square, 10,000 rounds, fixed seed)", async () => {
    const n = 40;
    const rand = prng(2026);
    const weights = Array.from({ length: n }, () => BigInt(1 + Math.floor(rand() * 100)));
    const harness = await deployWith(weights);
    const rounds = 10_000;
    const count = 16;
    const counts = new Array<number>(count * n).fill(0);
    for (let batch = 0; batch < rounds / 50; batch++) {
      const { result: part } = await harness.simulate.drawMany([50n, BigInt(count), BigInt(batch), BigInt(n)], {
        gas: 16_000_000n,
      });
      part.forEach((c, i) => {
        counts[i] = (counts[i] ?? 0) + Number(c);
      });
    }
    // Position 0 is an exact multinomial draw proportional to weight.
    const total = weights.reduce((a, b) => a + b, 0n);
    let chi2 = 0;
    for (let i = 0; i < n; i++) {
      const expected = (rounds * Number(weights[i])) / Number(total);
      chi2 += ((counts[i] ?? 0) - expected) ** 2 / expected;
    }
    // Critical value of chi-square with 39 degrees of freedom at p = 0.001.
    assert.ok(chi2 < 72.05, `position-0 chi-square ${chi2.toFixed(1)} exceeds the p=0.001 critical value`);

    // Over all 16 positions, inclusion frequencies must match successive sampling (each draw proportional to the
    // weight left): compare with an independent Monte Carlo of that process.
    const reference = new Array<number>(n).fill(0);
    const refRounds = 100_000;
    const refRand = prng(99);
    for (let r = 0; r < refRounds; r++) {
      const left = weights.map(Number);
      let leftTotal = left.reduce((a, b) => a + b, 0);
      for (let p = 0; p < count; p++) {
        let target = refRand() * leftTotal;
        let i = 0;
        while (target >= (left[i] ?? 0)) target -= left[i++] ?? 0;
        reference[i] = (reference[i] ?? 0) + 1;
        leftTotal -= left[i] ?? 0;
        left[i] = 0;
      }
    }
    for (let i = 0; i < n; i++) {
      let included = 0;
      for (let p = 0; p < count; p++) included += counts[p * n + i] ?? 0;
      const p = (reference[i] ?? 0) / refRounds;
      const sd = Math.sqrt((rounds * p * (1 - p)) / 1) + 1;
      assert.ok(
        Math.abs(included - rounds * p) < 5 * sd,
        `leaf ${i} (weight ${weights[i]}) included ${included} times, expected ${(rounds * p).toFixed(0)}`,
      );
    }
  });
});
