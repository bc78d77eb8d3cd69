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
        code: "ERR_CRYPTO_INVALID_OPERATOR_ID",
        operatorId: id,
        max: Number.MAX_SAFE_INTEGER,
      });
    }
    if (seen.has(id)) throw new CryptoInputError({ code: "ERR_CRYPTO_DUPLICATE_OPERATOR_ID", operatorId: id });
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
