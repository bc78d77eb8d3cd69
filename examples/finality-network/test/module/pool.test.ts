import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import { decodeSignedStatement, encodeSignedStatement, SIGNED_STATEMENT_LENGTH } from "../../module/messages.ts";
import { aggregatorOf, reachesQuorum, SignaturePool } from "../../module/pool.ts";
import type { Statement } from "../../module/statement.ts";

const word = (b: number) => `0x${b.toString(16).padStart(2, "0").repeat(32)}` as Hex;
const statement = (epoch: bigint, root = 1): Statement => ({
  epoch,
  checkpointRoot: word(root),
  executionBlockHash: word(2),
});
const sig = (b: number) => new Uint8Array(96).fill(b);

describe("finality module: pure parts", () => {
  it("round-trips a signed statement and drops malformed bytes", () => {
    const m = { statement: statement(7n), signer: 3, signature: sig(9) };
    const bytes = encodeSignedStatement(m);
    assert.equal(bytes.length, SIGNED_STATEMENT_LENGTH);
    assert.deepEqual(decodeSignedStatement(bytes), m);
    assert.equal(decodeSignedStatement(bytes.subarray(1)), undefined);
  });

  it("collects signers per statement and reports an equivocation with both signatures", () => {
    const pool = new SignaturePool();
    const a = statement(5n, 1);
    const b = statement(5n, 3);
    assert.equal(pool.add(a, word(0xa), 2, sig(1)), undefined);
    assert.equal(pool.add(a, word(0xa), 0, sig(2)), undefined);
    assert.equal(pool.add(a, word(0xa), 0, sig(2)), undefined, "a repeat is not an equivocation");
    const e = pool.add(b, word(0xb), 2, sig(3));
    assert.equal(e?.signer, 2);
    assert.deepEqual(e?.first.statement, a);
    assert.deepEqual(e?.second.statement, b);
    assert.deepEqual(
      pool.signersOf(5n, word(0xa)).map((s) => s.signer),
      [0, 2],
    );
  });

  it("applies the contract's two-thirds rule and rotates the aggregator", () => {
    assert.equal(reachesQuorum(2n, 3n), true);
    assert.equal(reachesQuorum(20n, 31n), false);
    assert.equal(reachesQuorum(0n, 0n), false);
    assert.deepEqual(
      [0n, 1n, 2n, 3n].map((e) => aggregatorOf(e, 3)),
      [0, 1, 2, 0],
    );
    assert.equal(aggregatorOf(4n, 0), -1);
  });
});
