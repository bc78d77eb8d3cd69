import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { formatOracleGas, measureOracleGas, POST_REPORT_TARGET } from "../../../bench/oracle-operations.ts";

const { viem } = await network.create();
const SNAPSHOT = new URL("../../../snapshots/gas-oracle.txt", import.meta.url);

describe("snapshots/gas-oracle.txt", () => {
  it("is what the oracle costs today (re-measured) and posting stays within 150k at any validator count", async () => {
    const rows = await measureOracleGas(viem);
    assert.equal(
      formatOracleGas(rows),
      readFileSync(SNAPSHOT, "utf8"),
      "gas changed: run `npx hardhat run bench/oracle-gas.ts` and commit snapshots/gas-oracle.txt",
    );
    const posts = rows.filter((r) => r.name.startsWith("postReport"));
    assert.equal(posts.length, 4);
    for (const r of posts) assert.ok(r.gas <= POST_REPORT_TARGET, `${r.name}: ${r.gas}`);
    const [, ten, thousand, tenThousand] = posts.map((r) => r.gas);
    assert.ok(ten !== undefined && thousand !== undefined && tenThousand !== undefined);
    // Independent of the count: within 1% from 10 to 10,000 validators.
    assert.ok(tenThousand - ten < ten / 100n && thousand - ten < ten / 100n);
  });
});
