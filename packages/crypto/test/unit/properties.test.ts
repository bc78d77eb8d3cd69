import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey, Signature } from "@chainsafe/blst";
import fc from "fast-check";
import {
  CURVE_ORDER,
  type DkgMessage,
  decodeDkgMessage,
  encodeDkgMessage,
  evaluatePolynomial,
  Fr,
  integerLagrangePlan,
  interpolateAtZero,
  lagrangeCoefficientsAtZero,
  linearCombinationG1,
  linearCombinationG2,
  scalarFromBytes,
  scalarToBytes,
} from "../../src/index.ts";

const scalar = fc.bigInt({ min: 0n, max: CURVE_ORDER - 1n });
const nonZero = fc.bigInt({ min: 1n, max: CURVE_ORDER - 1n });
const idSet = (max: number) => fc.uniqueArray(fc.integer({ min: 1, max }), { minLength: 1, maxLength: 16 });

describe("property: scalars and Lagrange interpolation", () => {
  it("scalar bytes round-trip and reject values >= r", () => {
    fc.assert(
      fc.property(scalar, (s) => {
        assert.equal(scalarFromBytes(scalarToBytes(s)), s);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: CURVE_ORDER, max: (1n << 256n) - 1n }), (v) => {
        const bytes = Uint8Array.from(Buffer.from(v.toString(16).padStart(64, "0"), "hex"));
        assert.throws(() => scalarFromBytes(bytes));
      }),
    );
  });

  it("any t points of a degree t-1 polynomial interpolate its constant", () => {
    fc.assert(
      fc.property(fc.array(scalar, { minLength: 1, maxLength: 12 }), idSet(1000), (poly, ids) => {
        fc.pre(ids.length >= poly.length);
        const chosen = ids.slice(0, poly.length);
        const values = chosen.map((x) => evaluatePolynomial(poly, BigInt(x)));
        assert.equal(interpolateAtZero(chosen, values), poly[0]);
      }),
    );
  });

  it("Lagrange coefficients sum to one and fewer points than t miss the secret", () => {
    fc.assert(
      fc.property(idSet(64), (ids) => {
        assert.equal(
          lagrangeCoefficientsAtZero(ids).reduce((a, b) => Fr.add(a, b), 0n),
          1n,
        );
      }),
    );
    fc.assert(
      fc.property(fc.array(nonZero, { minLength: 2, maxLength: 12 }), idSet(64), (poly, ids) => {
        fc.pre(ids.length >= poly.length - 1 && poly[poly.length - 1] !== 0n);
        const chosen = ids.slice(0, poly.length - 1);
        const values = chosen.map((x) => evaluatePolynomial(poly, BigInt(x)));
        // t-1 points determine a degree t-2 polynomial; the true constant is hit only with negligible probability.
        assert.notEqual(interpolateAtZero(chosen, values), poly[0]);
      }),
    );
  });
});

describe("property: point linear combinations", () => {
  it("Σ s_i·(a_i·G) equals (Σ s_i·a_i)·G in G1 and G2", () => {
    const msg = new Uint8Array(32).fill(5);
    fc.assert(
      fc.property(fc.array(fc.tuple(nonZero, scalar), { minLength: 1, maxLength: 6 }), (pairs) => {
        const expected = pairs.reduce((acc, [a, s]) => Fr.add(acc, Fr.mul(a, s)), 0n);
        fc.pre(expected !== 0n && pairs.some(([, s]) => s !== 0n));
        const keys = pairs.map(([a]) => SecretKey.fromBytes(scalarToBytes(a)));
        const scalars = pairs.map(([, s]) => s);
        const g1 = linearCombinationG1(
          keys.map((k) => k.toPublicKey()),
          scalars,
        );
        const g2 = linearCombinationG2(
          keys.map((k) => k.sign(msg)),
          scalars,
        );
        const whole = SecretKey.fromBytes(scalarToBytes(expected));
        assert.deepEqual(g1.toBytes(), whole.toPublicKey().toBytes());
        assert.deepEqual(g2.toBytes(), whole.sign(msg).toBytes());
      }),
      { numRuns: 25 },
    );
  });
});

/** fast-check builds null-prototype records; rebuild plain objects for deep equality. */
function plain(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(plain);
  if (x instanceof Uint8Array || x === null || typeof x !== "object") return x;
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
}

describe("property: DKG message serialization", () => {
  const sk = SecretKey.fromBytes(scalarToBytes(123456789n));
  const point = sk.toPublicKey().toBytes();
  const pop = Signature.fromBytes(sk.sign(new Uint8Array(32)).toBytes(), true).toBytes();
  const session = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const id = fc.integer({ min: 1, max: 64 });
  const share = scalar.map(scalarToBytes);
  const view = fc.record({
    commitmentDigest: fc.option(fc.uint8Array({ minLength: 32, maxLength: 32 }), { nil: null }),
    complaint: fc.boolean(),
  });
  const message: fc.Arbitrary<DkgMessage> = fc.oneof(
    fc.record({
      type: fc.constant("commitment" as const),
      sessionId: session,
      dealer: id,
      commitments: fc.integer({ min: 1, max: 64 }).map((t) => Array.from({ length: t }, () => point)),
      pop: fc.constant(pop),
    }),
    fc.record({ type: fc.constant("share" as const), sessionId: session, dealer: id, recipient: id, share }),
    fc.record({
      type: fc.constant("complaints" as const),
      sessionId: session,
      sender: id,
      views: fc.array(view, { minLength: 1, maxLength: 64 }),
    }),
    fc.record({
      type: fc.constant("answer" as const),
      sessionId: session,
      dealer: id,
      commitments: fc.integer({ min: 1, max: 16 }).map((t) => Array.from({ length: t }, () => point)),
      pop: fc.constant(pop),
      revealed: fc
        .uniqueArray(id, { maxLength: 16 })
        .chain((ids) =>
          fc.tuple(...ids.sort((a, b) => a - b).map((r) => share.map((s) => ({ recipient: r, share: s })))),
        ),
    }),
  );

  it("decode(encode(m)) = m for every well-formed message", () => {
    fc.assert(
      fc.property(message, (m) => {
        const bytes = encodeDkgMessage(m);
        assert.deepEqual(decodeDkgMessage(bytes), plain(m));
        assert.deepEqual(encodeDkgMessage(decodeDkgMessage(bytes)), bytes);
      }),
      { numRuns: 150 },
    );
  });
});

describe("property: integer Lagrange plan", () => {
  it("c·m_i ≡ λ_i (mod r) for random id sets", () => {
    fc.assert(
      fc.property(idSet(64), (ids) => {
        const sorted = [...ids].sort((a, b) => a - b);
        const plan = integerLagrangePlan(sorted);
        const lambdas = lagrangeCoefficientsAtZero(sorted);
        for (const { index, m } of plan.positive) assert.equal(Fr.mul(plan.scale, Fr.create(m)), lambdas[index]);
        for (const { index, m } of plan.negative) assert.equal(Fr.mul(plan.negatedScale, Fr.create(m)), lambdas[index]);
        assert.equal(plan.positive.length + plan.negative.length, sorted.length);
      }),
    );
  });
});
