import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import { LinkBytecodeError } from "../../src/deploy/errors.ts";
import { linkBytecode } from "../../src/deploy/linkBytecode.ts";
import { operatorRegistryBytecode, operatorRegistryLinkReferences } from "../../src/generated/bytecode.ts";

const PLACEHOLDER_A = `__$${"a".repeat(34)}$__`;
const PLACEHOLDER_B = `__$${"b".repeat(34)}$__`;
const LIB_A = "0x1111111111111111111111111111111111111111";
const LIB_B = "0x00000000000000000000000000000000000000Bb";
// 0x60 | A | 0x61 | B | 0x62 | A : two libraries, one of them called twice.
const CODE = `0x60${PLACEHOLDER_A}61${PLACEHOLDER_B}62${PLACEHOLDER_A}` as Hex;
const REFS = {
  "src/A.sol": {
    A: [
      { start: 1, length: 20 },
      { start: 43, length: 20 },
    ],
  },
  "src/B.sol": { B: [{ start: 22, length: 20 }] },
} as const;

describe("linkBytecode", () => {
  it("writes each library's address into every slot the references name", () => {
    const linked = linkBytecode(CODE, REFS, { A: LIB_A, "src/B.sol:B": LIB_B });
    assert.equal(linked, `0x60${LIB_A.slice(2)}61${LIB_B.slice(2).toLowerCase()}62${LIB_A.slice(2)}`);
    assert.equal(linked.length, CODE.length);
  });

  it("refuses a missing library, a bad address, a slot outside the code and a placeholder left over", () => {
    const code = (e: unknown) => (e instanceof LinkBytecodeError ? e.type.code : "other");
    assert.throws(
      () => linkBytecode(CODE, REFS, { A: LIB_A }),
      (e) => code(e) === "ERR_LINK_BYTECODE",
    );
    assert.throws(
      () => linkBytecode(CODE, REFS, { A: LIB_A, B: "0x1234" as Hex }),
      (e) => code(e) === "ERR_LINK_BYTECODE" && /not an address/.test((e as Error).message),
    );
    assert.throws(
      () => linkBytecode(CODE, { "src/A.sol": { A: [{ start: 60, length: 20 }] } }, { A: LIB_A }),
      (e) => code(e) === "ERR_LINK_BYTECODE" && /outside/.test((e as Error).message),
    );
    assert.throws(
      () => linkBytecode(CODE, { "src/A.sol": REFS["src/A.sol"] }, { A: LIB_A }),
      (e) => code(e) === "ERR_LINK_BYTECODE" && /placeholder/.test((e as Error).message),
    );
  });

  it("links the generated operator registry bytecode to both of its libraries", () => {
    const names = Object.values(operatorRegistryLinkReferences).flatMap((byName) => Object.keys(byName));
    assert.deepEqual(names.sort(), ["ClusterDraw", "OperatorIdentities"]);
    assert.match(operatorRegistryBytecode, /__\$[0-9a-f]{34}\$__/);
    const linked = linkBytecode(operatorRegistryBytecode, operatorRegistryLinkReferences, {
      ClusterDraw: LIB_A,
      OperatorIdentities: LIB_B,
    });
    assert.doesNotMatch(linked, /__\$/);
    assert.ok(linked.includes(LIB_A.slice(2)) && linked.includes(LIB_B.slice(2).toLowerCase()));
  });
});
