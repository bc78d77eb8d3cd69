import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import { network } from "hardhat";
import { parseGasSnapshot } from "../../../bench/operations.ts";
import {
  measureRestakingGas,
  RESTAKING_GAS_OPERATIONS,
  type RestakingGasOperationName,
} from "../../../bench/restaking-operations.ts";

const committed = parseGasSnapshot(
  readFileSync(new URL("../../../snapshots/gas-restaking.txt", import.meta.url), "utf8"),
);
/** A figure may exceed its committed value by at most 2% (in basis points). */
const TOLERANCE_BP = 200n;
const HINT = "run `npx hardhat run bench/restaking-gas.ts` in contracts/ and commit snapshots/gas-restaking.txt";

describe("snapshots/gas-restaking.txt against a fresh measurement", async () => {
  const { viem } = await network.create();
  let measured: Map<RestakingGasOperationName, bigint>;
  before(async () => {
    measured = await measureRestakingGas(viem);
  });

  it("has a row for every benchmarked operation, and no stale row", () => {
    for (const { name } of RESTAKING_GAS_OPERATIONS)
      assert.ok(committed.has(name), `missing row for "${name}": ${HINT}`);
    const names = new Set<string>(RESTAKING_GAS_OPERATIONS.map((o) => o.name));
    for (const name of committed.keys()) assert.ok(names.has(name), `stale row "${name}": ${HINT}`);
  });

  it("measures no operation more than 2% above its committed figure, and every target is met", () => {
    for (const { name, target } of RESTAKING_GAS_OPERATIONS) {
      const gas = measured.get(name);
      const snapshot = committed.get(name);
      assert.ok(gas !== undefined && snapshot !== undefined, `"${name}" not measured or not committed: ${HINT}`);
      const limit = snapshot + (snapshot * TOLERANCE_BP) / 10_000n;
      assert.ok(gas <= limit, `"${name}" now uses ${gas} gas, committed ${snapshot} (+2% allowed: ${limit}): ${HINT}`);
      if (target !== undefined) assert.ok(gas <= target, `"${name}" uses ${gas} gas, target ${target}`);
    }
  });
});
