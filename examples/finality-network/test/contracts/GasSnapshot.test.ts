import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { gasSnapshotProblems, parseGasSnapshot } from "@nektar/contracts/bench/snapshot.ts";
import { network } from "hardhat";
import { FINALITY_GAS_OPERATIONS, measureFinalityGas } from "../../bench/operations.ts";

const committed = parseGasSnapshot(readFileSync(new URL("../../snapshots/gas.txt", import.meta.url), "utf8"));
const HINT = "run `npx hardhat run bench/gas.ts` in examples/finality-network/ and commit snapshots/gas.txt";

describe("snapshots/gas.txt against a fresh measurement", async () => {
  const { viem } = await network.create();

  it("has every row, none stale, no figure more than 2% above its committed one", async () => {
    const measured = await measureFinalityGas(viem);
    const problems = gasSnapshotProblems(FINALITY_GAS_OPERATIONS, committed, measured);
    assert.deepEqual(problems, [], `${problems.join("\n")}\n${HINT}`);
  });
});
