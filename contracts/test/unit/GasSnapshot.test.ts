import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { GAS_OPERATIONS, measureDivaGas, parseGasSnapshot } from "../../bench/operations.ts";
import { gasSnapshotProblems } from "../../bench/snapshot.ts";

const committed = parseGasSnapshot(readFileSync(new URL("../../snapshots/gas.txt", import.meta.url), "utf8"));
const HINT = "run `npx hardhat run bench/gas.ts` in contracts/ and commit snapshots/gas.txt";

describe("snapshots/gas.txt against a fresh measurement", async () => {
  const { viem } = await network.create();

  it("has every row, none stale, no figure more than 2% above its committed one, every target met", async () => {
    const measured = await measureDivaGas(viem);
    const problems = gasSnapshotProblems(GAS_OPERATIONS, committed, measured);
    assert.deepEqual(problems, [], `${problems.join("\n")}\n${HINT}`);
  });
});
