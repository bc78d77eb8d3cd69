import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { parseEther } from "viem";
import { prng } from "../../helpers/prng.ts";
import { deployOperatorRegistry } from "./fixture.ts";

// The statistics harness (tests only) adds a draw loop to the registry, which is within a few bytes of the
// 24,576-byte code limit: this chain allows larger test contracts.
const { viem } = await network.create({ override: { allowUnlimitedContractSize: true } });

describe("OperatorRegistry: fairness of the cluster draw (10,000 draws, fixed seed)", () => {
  it("selects in proportion to free bond, never twice in a cluster, never below one key share of free bond", async () => {
    const s = await deployOperatorRegistry(viem, { harness: true });
    const harness = s.harness;
    if (!harness) throw new Error("harness not deployed");
    // 34 operators with uneven bonds of 1..13 ETH and 6 with 0.5 ETH, below the 1 ETH lock per key share.
    const eligible = 34;
    const bonds = [
      ...Array.from({ length: eligible }, (_, i) => parseEther(String(1 + ((i * 7) % 13)))),
      ...Array(6).fill(parseEther("0.5")),
    ] as bigint[];
    await s.addFleet(bonds);
    const n = bonds.length;
    const weights = await Promise.all(
      Array.from({ length: n }, async (_, i) => Number((await s.registry.read.getOperator([BigInt(i + 1)])).freeUnits)),
    );
    assert.equal(await s.registry.read.currentLockUnits(), 100n);

    const rounds = 10_000;
    const perCall = 50;
    const firstPick = new Array<number>(n).fill(0);
    const inclusion = new Array<number>(n).fill(0);
    for (let batch = 0; batch < rounds / perCall; batch++) {
      const simulation: { result: readonly [readonly bigint[], readonly bigint[], bigint, bigint] } =
        await harness.simulate.drawMany([BigInt(perCall), BigInt(batch), BigInt(n)], { gas: 16_000_000n });
      const [first, included, duplicates, underBonded] = simulation.result;
      assert.equal(duplicates, 0n, "an operator appeared twice in one cluster");
      assert.equal(underBonded, 0n, "an operator with less free bond than the lock was drawn");
      first.forEach((c, i) => {
        firstPick[i] = (firstPick[i] ?? 0) + Number(c);
      });
      included.forEach((c, i) => {
        inclusion[i] = (inclusion[i] ?? 0) + Number(c);
      });
    }
    for (let i = eligible; i < n; i++) assert.equal(inclusion[i], 0, `under-bonded operator ${i + 1} was drawn`);

    // The first operator of a cluster is an exact draw proportional to free bond among eligible operators.
    const total = weights.slice(0, eligible).reduce((a, b) => a + b, 0);
    let chi2 = 0;
    for (let i = 0; i < eligible; i++) {
      const expected = (rounds * (weights[i] ?? 0)) / total;
      chi2 += ((firstPick[i] ?? 0) - expected) ** 2 / expected;
    }
    // Critical value of chi-square with 33 degrees of freedom at p = 0.001.
    assert.ok(chi2 < 63.87, `first-pick chi-square ${chi2.toFixed(1)} exceeds the p=0.001 critical value`);

    // Cluster membership must match successive sampling proportional to free bond (an independent Monte Carlo).
    const reference = new Array<number>(eligible).fill(0);
    const refRounds = 100_000;
    const rand = prng(4242);
    for (let r = 0; r < refRounds; r++) {
      const left = weights.slice(0, eligible);
      let leftTotal = total;
      for (let p = 0; p < 16; p++) {
        let target = rand() * leftTotal;
        let i = 0;
        while (target >= (left[i] ?? 0)) target -= left[i++] ?? 0;
        reference[i] = (reference[i] ?? 0) + 1;
        leftTotal -= left[i] ?? 0;
        left[i] = 0;
      }
    }
    let chi2Inclusion = 0;
    for (let i = 0; i < eligible; i++) {
      const p = (reference[i] ?? 0) / refRounds;
      const expected = rounds * p;
      const sd = Math.sqrt(rounds * p * (1 - p)) + 1;
      assert.ok(
        Math.abs((inclusion[i] ?? 0) - expected) < 5 * sd,
        `operator ${i + 1} (free ${weights[i]}) in ${inclusion[i]} clusters, expected ${expected.toFixed(0)}`,
      );
      chi2Inclusion += ((inclusion[i] ?? 0) - expected) ** 2 / expected;
    }
    // Membership counts are not multinomial (each cluster has 16 members), so this is a loose sanity bound only.
    assert.ok(chi2Inclusion < 2 * 63.87, `inclusion chi-square ${chi2Inclusion.toFixed(1)} is implausibly high`);
  });
});
