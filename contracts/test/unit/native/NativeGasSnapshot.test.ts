import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { measureNativeGas, NATIVE_GAS_OPERATIONS } from "../../../bench/native-operations.ts";
import { parseGasSnapshot } from "../../../bench/operations.ts";
import { gasSnapshotProblems } from "../../../bench/snapshot.ts";

const committed = parseGasSnapshot(readFileSync(new URL("../../../snapshots/gas-native.txt", import.meta.url), "utf8"));
const HINT = "run `npx hardhat run bench/native-gas.ts` in contracts/ and commit snapshots/gas-native.txt";

describe("snapshots/gas-native.txt against a fresh measurement", async () => {
  const { viem } = await network.create();

  it("has every row, none stale, no figure more than 2% above its committed one, every target met", async () => {
    const measured = await measureNativeGas(viem);
    const problems = gasSnapshotProblems(NATIVE_GAS_OPERATIONS, committed, measured);
    assert.deepEqual(problems, [], `${problems.join("\n")}\n${HINT}`);
  });
});
