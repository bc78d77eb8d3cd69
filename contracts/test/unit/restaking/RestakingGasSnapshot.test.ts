import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { parseGasSnapshot } from "../../../bench/operations.ts";
import { measureRestakingGas, RESTAKING_GAS_OPERATIONS } from "../../../bench/restaking-operations.ts";
import { gasSnapshotProblems } from "../../../bench/snapshot.ts";

const committed = parseGasSnapshot(
  readFileSync(new URL("../../../snapshots/gas-restaking.txt", import.meta.url), "utf8"),
);
const HINT = "run `npx hardhat run bench/restaking-gas.ts` in contracts/ and commit snapshots/gas-restaking.txt";

describe("snapshots/gas-restaking.txt against a fresh measurement", async () => {
  const { viem } = await network.create();

  it("has every row, none stale, no figure more than 2% above its committed one, every target met", async () => {
    const measured = await measureRestakingGas(viem);
    const problems = gasSnapshotProblems(RESTAKING_GAS_OPERATIONS, committed, measured);
    assert.deepEqual(problems, [], `${problems.join("\n")}\n${HINT}`);
  });

  it("fails on a regression above 2% and on a missing row", () => {
    const ops = [{ name: "op", target: 1_000n }];
    assert.deepEqual(gasSnapshotProblems(ops, new Map([["op", 900n]]), new Map([["op", 918n]])), []);
    assert.equal(gasSnapshotProblems(ops, new Map([["op", 900n]]), new Map([["op", 919n]])).length, 1);
    assert.equal(gasSnapshotProblems(ops, new Map(), new Map([["op", 1n]])).length, 1);
    assert.equal(gasSnapshotProblems(ops, new Map([["op", 2_000n]]), new Map([["op", 1_500n]])).length, 1);
  });
});
