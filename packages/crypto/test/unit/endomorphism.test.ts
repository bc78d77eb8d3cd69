import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import fc from "fast-check";
import { BLS_X_ABS, glsDecomposition, negateG2, psiG2 } from "../../src/field/endomorphism.ts";
import { CURVE_ORDER, linearCombinationG2 } from "../../src/index.ts";

const point = (seed: number) => SecretKey.fromKeygen(new Uint8Array(32).fill(seed)).sign(new Uint8Array(32).fill(seed));
const same = (a: { toBytes(): Uint8Array }, b: { toBytes(): Uint8Array }) =>
  Buffer.from(a.toBytes()).equals(Buffer.from(b.toBytes()));

describe("G2 endomorphism", () => {
  it("ψ(Q) = [x]Q with x = −|x_BLS|, and −Q = [r−1]Q", () => {
    for (const seed of [1, 2, 3]) {
      const q = point(seed);
      assert.ok(same(psiG2(q) as never, linearCombinationG2([q], [CURVE_ORDER - BLS_X_ABS])));
      assert.ok(same(negateG2(q) as never, linearCombinationG2([q], [CURVE_ORDER - 1n])));
    }
  });

  it("the GLS decomposition multiplies like the scalar itself", () => {
    const q = point(7);
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: CURVE_ORDER - 1n }), (k) => {
        const d = glsDecomposition(q, k);
        assert.ok(d !== undefined);
        for (const s of d.scalars) assert.ok(s < BLS_X_ABS);
        assert.ok(same(linearCombinationG2(d.points, d.scalars), linearCombinationG2([q], [k])));
      }),
      { numRuns: 15 },
    );
  });
});
