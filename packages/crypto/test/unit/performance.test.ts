import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as params from "@lodestar/params";
import {
  computePerformanceSigningRoot,
  computePerformanceViewSigningRoot,
  DOMAIN_NEKTAR_PERFORMANCE,
  DOMAIN_NEKTAR_RESHARE,
  encodePerformanceStatement,
  encodePerformanceView,
  type PerformanceStatement,
} from "../../src/index.ts";

const FORK = Uint8Array.of(0x10, 0, 0, 0x38);
const statement: PerformanceStatement = {
  chainId: 1n,
  oracle: "0x00000000000000000000000000000000000000aa",
  validatorPubkey: new Uint8Array(48).fill(3),
  frame: 4n,
  expected: [10, 10, 10],
  contributed: [10, 0, 7],
};

describe("performance statement message", () => {
  it("signs under an application domain no beacon-chain domain type can equal", () => {
    const mask = params.DOMAIN_APPLICATION_MASK;
    assert.ok(
      DOMAIN_NEKTAR_PERFORMANCE.every((b, i) => (b & (mask[i] as number)) === mask[i]),
      "application bit set",
    );
    const beacon = Object.entries(params)
      .filter(([k]) => k.startsWith("DOMAIN_") && !k.startsWith("DOMAIN_APPLICATION"))
      .map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString("hex")]);
    assert.ok(beacon.length >= 15, "the spec's domain types are found");
    for (const [name, hex] of beacon) {
      assert.ok((Buffer.from(hex as string, "hex")[3] as number) % 2 === 0, `${name} never sets the bit`);
      assert.notEqual(hex, Buffer.from(DOMAIN_NEKTAR_PERFORMANCE).toString("hex"), name);
    }
    assert.notDeepEqual(DOMAIN_NEKTAR_PERFORMANCE, DOMAIN_NEKTAR_RESHARE);
  });

  it("a member's view never has a statement's signing root, and every field changes the root", () => {
    const view = { ...statement, shareIndex: 1, duties: 10, contributed: statement.contributed };
    const root = Buffer.from(computePerformanceSigningRoot(statement, FORK)).toString("hex");
    assert.notEqual(Buffer.from(computePerformanceViewSigningRoot(view, FORK)).toString("hex"), root);
    const variants: PerformanceStatement[] = [
      { ...statement, chainId: 2n },
      { ...statement, frame: 5n },
      { ...statement, oracle: "0x00000000000000000000000000000000000000ab" },
      { ...statement, contributed: [10, 1, 7] },
      { ...statement, expected: [10, 10, 11] },
    ];
    const roots = new Set([
      root,
      ...variants.map((v) => Buffer.from(computePerformanceSigningRoot(v, FORK)).toString("hex")),
    ]);
    assert.equal(roots.size, variants.length + 1);
  });

  it("rejects malformed statements and views with a typed error naming the field", () => {
    const bad: [PerformanceStatement, string][] = [
      [{ ...statement, validatorPubkey: new Uint8Array(47) }, "validatorPubkey"],
      [{ ...statement, expected: [], contributed: [] }, "expected"],
      [{ ...statement, contributed: [1, 2] }, "contributed"],
      [{ ...statement, contributed: [11, 0, 0] }, "contributed[0]"],
      [{ ...statement, expected: [10, 10, 2 ** 32] }, "expected[2]"],
      [{ ...statement, frame: -1n }, "frame"],
    ];
    for (const [s, field] of bad) {
      assert.throws(
        () => encodePerformanceStatement(s),
        (e: Error & { type?: { code: string; field: string } }) =>
          e.type?.code === "ERR_PERFORMANCE_MESSAGE_INVALID_FIELD" && e.type.field === field,
        field,
      );
    }
    const view = { ...statement, shareIndex: 4, duties: 10, contributed: [1, 2, 3] };
    assert.throws(() => encodePerformanceView(view), /ERR_PERFORMANCE_MESSAGE_INVALID_FIELD/);
    assert.throws(
      () => computePerformanceSigningRoot(statement, new Uint8Array(3)),
      /ERR_PERFORMANCE_MESSAGE_INVALID_FIELD/,
    );
  });
});
