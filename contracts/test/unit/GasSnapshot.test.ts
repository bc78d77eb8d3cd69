import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { GAS_OPERATIONS } from "../../bench/operations.ts";

const snapshot = readFileSync(new URL("../../snapshots/gas.txt", import.meta.url), "utf8");

describe("snapshots/gas.txt", () => {
  it("lists every benchmarked operation with a measured gas figure within its target", () => {
    for (const { name, target } of GAS_OPERATIONS) {
      const row = snapshot.split("\n").find((line) => line.startsWith(`| ${name} `));
      assert.ok(row, `missing row for "${name}": run npm run bench -w @nektar/contracts`);
      const gas = BigInt(row.split("|")[2]?.trim() ?? "");
      assert.ok(gas > 21_000n || name.startsWith("finalize"), `implausible gas for "${name}": ${gas}`);
      if (target !== undefined) assert.ok(gas <= target, `"${name}" uses ${gas} gas, target ${target}`);
    }
  });

  it("lists no operation the benchmark no longer measures", () => {
    const names = new Set<string>(GAS_OPERATIONS.map((o) => o.name));
    const rows = snapshot.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| operation"));
    for (const row of rows) assert.ok(names.has(row.split("|")[1]?.trim() ?? ""), `stale row: ${row}`);
  });
});
