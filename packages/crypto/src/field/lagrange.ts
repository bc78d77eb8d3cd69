import { CryptoInputError } from "../errors.ts";
import { Fr } from "./scalar.ts";

/**
 * Lagrange coefficients at x = 0 for the distinct non-zero evaluation points `ids`:
 * λ_i = Π_{j≠i} x_j / (x_j − x_i) mod r, so that f(0) = Σ λ_i f(x_i) for every polynomial of degree < ids.length.
 */
export function lagrangeCoefficientsAtZero(ids: readonly number[]): bigint[] {
  const xs = ids.map((id) => BigInt(id));
  const seen = new Set<number>();
  for (const id of ids) {
    if (!Number.isSafeInteger(id) || id <= 0) {
      throw new CryptoInputError({
        code: "ERR_CRYPTO_INVALID_SHARE_INDEX",
        shareIndex: id,
        max: Number.MAX_SAFE_INTEGER,
      });
    }
    if (seen.has(id)) throw new CryptoInputError({ code: "ERR_CRYPTO_DUPLICATE_SHARE_INDEX", shareIndex: id });
    seen.add(id);
  }
  const numerators: bigint[] = [];
  const denominators: bigint[] = [];
  for (let i = 0; i < xs.length; i++) {
    let num = 1n;
    let den = 1n;
    const xi = xs[i] as bigint;
    for (let j = 0; j < xs.length; j++) {
      if (j === i) continue;
      const xj = xs[j] as bigint;
      num = Fr.mul(num, xj);
      den = Fr.mul(den, Fr.sub(Fr.create(xj), Fr.create(xi)));
    }
    numerators.push(num);
    denominators.push(den);
  }
  const inverses = Fr.invertBatch(denominators);
  return numerators.map((n, i) => Fr.mul(n, inverses[i] as bigint));
}

/** Interpolate f(0) from points (x_i, y_i) over Fr. */
export function interpolateAtZero(ids: readonly number[], values: readonly bigint[]): bigint {
  const lambdas = lagrangeCoefficientsAtZero(ids);
  let acc = 0n;
  for (let i = 0; i < lambdas.length; i++) acc = Fr.add(acc, Fr.mul(lambdas[i] as bigint, values[i] as bigint));
  return acc;
}

const MAX_CACHED_SETS = 4096;
const cache = new Map<string, readonly bigint[]>();

/**
 * Lagrange coefficients for a sorted id set, memoised: an operator combines thousands of signatures per slot with the
 * same few id sets. Bounded (oldest entry evicted) so adversarial id sets cannot grow it without limit.
 */
export function cachedLagrangeCoefficients(sortedIds: readonly number[]): readonly bigint[] {
  const key = sortedIds.join(",");
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const lambdas = Object.freeze(lagrangeCoefficientsAtZero(sortedIds));
  if (cache.size >= MAX_CACHED_SETS) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, lambdas);
  return lambdas;
}

/**
 * Lagrange coefficients at 0 split into small integers and one common scalar: λ_i ≡ c·m_i (mod r) with m_i ∈ ℤ.
 * For ids 1..n, λ_i = P / (x_i·d_i) over the rationals (P = Π x_j, d_i = Π_{j≠i}(x_j − x_i)); with D = lcm(|x_i·d_i|),
 * m_i = ±D / |x_i·d_i| and c = P / D mod r. For 11 of 16 ids every |m_i| < 2^23, so interpolating points costs a
 * 23-bit multi-scalar multiplication plus one full-width multiplication instead of eleven full-width ones.
 */
export type IntegerLagrangePlan = {
  /** Indexes (into the sorted id list) and magnitudes of the positive m_i. */
  positive: { index: number; m: bigint }[];
  /** Indexes and magnitudes |m_i| of the negative m_i. */
  negative: { index: number; m: bigint }[];
  /** c and r − c: σ = c·Σ_pos m_i·P_i + (r − c)·Σ_neg |m_i|·P_i. */
  scale: bigint;
  negatedScale: bigint;
};

function gcd(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function integerLagrangePlan(sortedIds: readonly number[]): IntegerLagrangePlan {
  lagrangeCoefficientsAtZero(sortedIds); // validates ids (positive, distinct)
  const xs = sortedIds.map((id) => BigInt(id));
  const denominators = xs.map((xi, i) => {
    let d = xi;
    xs.forEach((xj, j) => {
      if (j !== i) d *= xj - xi;
    });
    return d;
  });
  let lcm = 1n;
  for (const d of denominators) {
    const a = d < 0n ? -d : d;
    lcm = (lcm / gcd(lcm, a)) * a;
  }
  const product = xs.reduce((p, x) => p * x, 1n);
  const scale = Fr.mul(Fr.create(product), Fr.inv(Fr.create(lcm)));
  const positive: { index: number; m: bigint }[] = [];
  const negative: { index: number; m: bigint }[] = [];
  denominators.forEach((d, index) => {
    const m = lcm / (d < 0n ? -d : d);
    (d < 0n ? negative : positive).push({ index, m });
  });
  return { positive, negative, scale, negatedScale: Fr.neg(scale) };
}

const planCache = new Map<string, IntegerLagrangePlan>();

/** integerLagrangePlan memoised per sorted id set (bounded like cachedLagrangeCoefficients). */
export function cachedIntegerLagrangePlan(sortedIds: readonly number[]): IntegerLagrangePlan {
  const key = sortedIds.join(",");
  const hit = planCache.get(key);
  if (hit !== undefined) return hit;
  const plan = integerLagrangePlan(sortedIds);
  if (planCache.size >= MAX_CACHED_SETS) {
    const oldest = planCache.keys().next().value;
    if (oldest !== undefined) planCache.delete(oldest);
  }
  planCache.set(key, plan);
  return plan;
}
