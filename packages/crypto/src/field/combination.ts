import { aggregatePublicKeys, aggregateSignatures, type PublicKey, type Signature } from "@chainsafe/blst";
import { CryptoInputError } from "../errors.ts";
import { CURVE_ORDER } from "./scalar.ts";

/*
 * Linear combinations Σ s_i·P_i of BLS12-381 points with PUBLIC scalars (Lagrange coefficients, powers of operator
 * ids). @chainsafe/blst exposes no scalar multiplication, only "sum this list of points" (which doubles when a
 * point meets itself). One native call costs ~3.4 µs plus ~1.1 µs per G2 addition on the build machines, so the
 * algorithm minimises calls, not additions: Straus' interleaved method with 2-bit windows, where each window is ONE
 * call summing [4 copies of the accumulator, the table entry d_i·P_i of every point]. Never use this with secret
 * scalars: the call pattern depends on the scalar bits.
 */

type Sum<P> = (points: P[]) => P;

const WINDOW_BITS = 2;
const WINDOW_MASK = 3n;
const SCALAR_BITS = 256;

const sumG2: Sum<Signature> = (points) => aggregateSignatures(points, false);
const sumG1: Sum<PublicKey> = (points) => aggregatePublicKeys(points, false);

function assertScalars(scalars: readonly bigint[], count: number, kind: "G1" | "G2"): void {
  if (scalars.length !== count) {
    throw new CryptoInputError({
      code: "ERR_CRYPTO_INVALID_POINT",
      kind,
      reason: `${count} points but ${scalars.length} scalars`,
    });
  }
  for (const s of scalars) {
    if (s < 0n || s >= CURVE_ORDER) {
      throw new CryptoInputError({ code: "ERR_CRYPTO_INVALID_SCALAR", reason: "scalar out of range [0, r)" });
    }
  }
}

function straus<P>(points: readonly P[], scalars: readonly bigint[], sum: Sum<P>, kind: "G1" | "G2"): P {
  assertScalars(scalars, points.length, kind);
  // tables[i][d] = d·P_i for d in 1..3
  const tables: [P, P, P][] = [];
  const used: bigint[] = [];
  let maxBits = 0;
  for (let i = 0; i < points.length; i++) {
    const s = scalars[i] as bigint;
    if (s === 0n) continue;
    const p = points[i] as P;
    const p2 = sum([p, p]);
    tables.push([p, p2, sum([p2, p])]);
    used.push(s);
    maxBits = Math.max(maxBits, s.toString(2).length);
  }
  if (used.length === 0) {
    throw new CryptoInputError({ code: "ERR_CRYPTO_INVALID_SCALAR", reason: "all scalars are zero (identity result)" });
  }
  const windows = Math.ceil(Math.min(maxBits, SCALAR_BITS) / WINDOW_BITS);
  let acc: P | undefined;
  for (let w = windows - 1; w >= 0; w--) {
    const shift = BigInt(w * WINDOW_BITS);
    const terms: P[] = acc === undefined ? [] : [acc, acc, acc, acc];
    for (let i = 0; i < used.length; i++) {
      const digit = Number(((used[i] as bigint) >> shift) & WINDOW_MASK);
      if (digit !== 0) terms.push((tables[i] as [P, P, P])[digit - 1] as P);
    }
    if (terms.length === 0) continue;
    acc = terms.length === 1 ? terms[0] : sum(terms);
  }
  return acc as P;
}

/** Σ s_i·P_i in G2 for public scalars in [0, r). */
export function linearCombinationG2(points: readonly Signature[], scalars: readonly bigint[]): Signature {
  return straus(points, scalars, sumG2, "G2");
}

/** Σ s_i·P_i in G1 for public scalars in [0, r). */
export function linearCombinationG1(points: readonly PublicKey[], scalars: readonly bigint[]): PublicKey {
  return straus(points, scalars, sumG1, "G1");
}

/** Largest x for which evaluateCommitment multiplies by x with one call of x copies instead of a generic combination. */
const MAX_COPIES = 64;

/**
 * Σ_k x^k·C_k in G1 (a Feldman commitment evaluated at share index x) by Horner's rule; for the small ids used here
 * each step is a single native call summing x copies of the accumulator and the next coefficient.
 */
export function evaluateCommitment(commitments: readonly PublicKey[], x: number): PublicKey {
  if (commitments.length === 0) {
    throw new CryptoInputError({ code: "ERR_CRYPTO_INVALID_POINT", kind: "G1", reason: "empty commitment" });
  }
  if (!Number.isSafeInteger(x) || x <= 0) {
    throw new CryptoInputError({ code: "ERR_CRYPTO_INVALID_SHARE_INDEX", shareIndex: x, max: Number.MAX_SAFE_INTEGER });
  }
  if (x > MAX_COPIES) {
    const xb = BigInt(x);
    const powers: bigint[] = [];
    let p = 1n;
    for (let k = 0; k < commitments.length; k++) {
      powers.push(p);
      p = (p * xb) % CURVE_ORDER;
    }
    return linearCombinationG1(commitments, powers);
  }
  let acc = commitments[commitments.length - 1] as PublicKey;
  for (let k = commitments.length - 2; k >= 0; k--) {
    const terms: PublicKey[] = new Array<PublicKey>(x).fill(acc);
    terms.push(commitments[k] as PublicKey);
    acc = sumG1(terms);
  }
  return acc;
}

/** Sum of points in G1 (no validation: callers pass points they already subgroup-checked). */
export function sumPublicKeys(points: readonly PublicKey[]): PublicKey {
  return sumG1([...points]);
}
