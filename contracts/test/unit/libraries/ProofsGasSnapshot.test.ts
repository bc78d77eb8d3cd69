import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

const snapshot = readFileSync(new URL("../../../snapshots/gas-proofs.txt", import.meta.url), "utf8");
const rows = snapshot
  .split("\n")
  .filter((line) => line.startsWith("| ") && !line.startsWith("| check"))
  .map((line) => {
    const cells = line.split("|").map((c) => c.trim());
    return { name: cells[1] ?? "", tx: BigInt(cells[2] ?? "0"), execution: cells[4] ? BigInt(cells[4]) : undefined };
  });
const row = (prefix: string) => {
  const found = rows.find((r) => r.name.startsWith(prefix));
  assert.ok(found, `missing row "${prefix}…": run npx hardhat run bench/proofs-gas.ts`);
  return found;
};

describe("snapshots/gas-proofs.txt", () => {
  it("keeps a validator proof within 60k gas per validator in a batch", () => {
    assert.ok(row("balance proof per validator, batch").tx <= 60_000n);
  });

  it("has plausible figures: execution below the transaction, BLS checks above one pairing", () => {
    assert.ok(rows.length >= 8);
    for (const r of rows) {
      assert.ok(r.tx > 21_000n, r.name);
      if (r.execution !== undefined) assert.ok(r.execution < r.tx, r.name);
    }
    for (const name of ["BLS verify", "deposit signature check", "performance statement check"]) {
      const r = row(name);
      assert.ok(r.execution !== undefined && r.execution > 102_900n && r.tx < 250_000n, name);
    }
  });
});
