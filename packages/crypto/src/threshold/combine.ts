import { aggregateSignatures, PublicKey, type Signature, verify } from "@chainsafe/blst";
import { CryptoInputError } from "../errors.ts";
import { linearCombinationG2 } from "../field/combination.ts";
import { glsDecomposition, negateG2 } from "../field/endomorphism.ts";
import { cachedIntegerLagrangePlan } from "../field/lagrange.ts";
import { ThresholdError } from "./errors.ts";
import { parsePublicKey, parseSignature, verifyPartialsBatch } from "./partial.ts";
import type { PartialSignature } from "./types.ts";

export type CombinePartialSignaturesParameters = {
  /** Received partials, in order of preference (the first `threshold` valid ones are tried first). */
  partials: readonly PartialSignature[];
  threshold: number;
  /** The validator's public key (48 bytes, or a subgroup-checked PublicKey). */
  groupPublicKey: Uint8Array | PublicKey;
  signingRoot: Uint8Array;
  /** Share public keys indexed by shareIndex - 1; only read when the optimistic attempt fails. */
  sharePublicKeys: readonly (Uint8Array | PublicKey)[];
};

export type CombinePartialSignaturesReturnType = {
  /** 96-byte compressed signature that verifies against the group public key. */
  signature: Uint8Array;
  /** Share indices whose partials were interpolated, ascending. */
  used: number[];
  /** Share indices whose partials were malformed or did not verify against their share public key, ascending. */
  bad: number[];
};

/**
 * Lagrange interpolation "in the exponent": Σ λ_i·σ_i over the given ids (distinct, ≥ 1). Uses the integer form
 * λ_i = c·m_i (small m_i, see integerLagrangePlan): T = Σ_{m_i>0} m_i·σ_i − Σ_{m_i<0} |m_i|·σ_i by short
 * multi-scalar multiplications, then c·T through the GLS endomorphism (four 64-bit scalars instead of one 255-bit).
 */
export function interpolateSignatures(ids: readonly number[], signatures: readonly Signature[]): Signature {
  const order = ids.map((id, i) => ({ id, sig: signatures[i] as Signature })).sort((a, b) => a.id - b.id);
  if (order.length === 1) return (order[0] as { sig: Signature }).sig;
  const plan = cachedIntegerLagrangePlan(order.map((o) => o.id));
  const side = (terms: { index: number; m: bigint }[]): Signature =>
    linearCombinationG2(
      terms.map((t) => (order[t.index] as { sig: Signature }).sig),
      terms.map((t) => t.m),
    );
  const positive = side(plan.positive);
  const negative = plan.negative.length === 0 ? undefined : side(plan.negative);
  const negated = negative === undefined ? undefined : negateG2(negative);
  const t = negated === undefined ? positive : aggregateSignatures([positive, negated], false);
  const gls = glsDecomposition(t, plan.scale);
  if (gls !== undefined) return linearCombinationG2(gls.points, gls.scalars);
  // T at infinity (or a side at infinity): negligible for real partials; take the generic two-point route.
  if (negative === undefined) return linearCombinationG2([positive], [plan.scale]);
  return linearCombinationG2([positive, negative], [plan.scale, plan.negatedScale]);
}

/**
 * Combine partial signatures into the group signature, optimistically: interpolate the first `threshold` partials
 * and verify once against the group key. Only if that fails are the partials checked against their share public
 * keys (batched, with bisection); bad ones are dropped and reported, and the combination is retried with the good
 * ones. Throws ThresholdError when fewer than `threshold` good partials remain.
 */
export function combinePartialSignatures(
  params: CombinePartialSignaturesParameters,
): CombinePartialSignaturesReturnType {
  const { partials, threshold, signingRoot, sharePublicKeys } = params;
  const n = sharePublicKeys.length;
  if (!Number.isSafeInteger(threshold) || threshold < 1 || threshold > n) {
    throw new CryptoInputError({ code: "ERR_CRYPTO_INVALID_THRESHOLD", threshold, participants: n });
  }
  const groupPublicKey =
    params.groupPublicKey instanceof PublicKey ? params.groupPublicKey : parsePublicKey(params.groupPublicKey);
  if (groupPublicKey === undefined) throw new ThresholdError({ code: "ERR_THRESHOLD_INVALID_GROUP_PUBLIC_KEY" });

  const bad = new Set<number>();
  const seen = new Set<number>();
  const unique: PartialSignature[] = [];
  for (const p of partials) {
    if (!Number.isSafeInteger(p.shareIndex) || p.shareIndex < 1 || p.shareIndex > n) {
      throw new CryptoInputError({ code: "ERR_CRYPTO_INVALID_SHARE_INDEX", shareIndex: p.shareIndex, max: n });
    }
    if (seen.has(p.shareIndex)) continue;
    seen.add(p.shareIndex);
    unique.push(p);
  }

  // Optimistic path: decode (with subgroup checks) only as many partials as needed.
  const decoded = new Map<number, Signature>();
  const chosen: number[] = [];
  for (const p of unique) {
    if (chosen.length === threshold) break;
    const sig = parseSignature(p.signature);
    if (sig === undefined) {
      bad.add(p.shareIndex);
      continue;
    }
    decoded.set(p.shareIndex, sig);
    chosen.push(p.shareIndex);
  }
  if (chosen.length === threshold) {
    const signature = interpolateSignatures(
      chosen,
      chosen.map((id) => decoded.get(id) as Signature),
    );
    if (verify(signingRoot, groupPublicKey, signature, false, false)) {
      return {
        signature: signature.toBytes(),
        used: chosen.sort((a, b) => a - b),
        bad: [...bad].sort((a, b) => a - b),
      };
    }
  }

  if (unique.length - bad.size < threshold) {
    // Too few even if every remaining partial were good: fail fast, without pairings.
    throw new ThresholdError({
      code: "ERR_THRESHOLD_INSUFFICIENT_PARTIALS",
      have: unique.length - bad.size,
      need: threshold,
      bad: [...bad].sort((a, b) => a - b).join(","),
    });
  }

  // Pessimistic path: check every remaining partial against its share key, drop the bad ones, retry once.
  const toCheck = unique
    .filter((p) => !bad.has(p.shareIndex))
    .map((p) => ({
      shareIndex: p.shareIndex,
      sharePublicKey: shareKey(sharePublicKeys, p.shareIndex),
      signature: p.signature,
    }));
  const { valid, invalid } = verifyPartialsBatch(signingRoot, toCheck);
  for (const id of invalid) bad.add(id);
  const badList = [...bad].sort((a, b) => a - b);
  if (valid.length < threshold) {
    throw new ThresholdError({
      code: "ERR_THRESHOLD_INSUFFICIENT_PARTIALS",
      have: valid.length,
      need: threshold,
      bad: badList.join(","),
    });
  }
  const validSet = new Set(valid);
  const used = unique
    .map((p) => p.shareIndex)
    .filter((id) => validSet.has(id))
    .slice(0, threshold);
  const signature = interpolateSignatures(
    used,
    used.map((id) => decoded.get(id) ?? (parseSignature(findPartial(unique, id)) as Signature)),
  );
  if (!verify(signingRoot, groupPublicKey, signature, false, false)) {
    // Every partial verified against its share key yet the interpolation does not verify: the share public keys do
    // not belong to this group key (wrong cluster configuration), not a misbehaving operator.
    throw new ThresholdError({ code: "ERR_THRESHOLD_INCONSISTENT_KEYS", used: used.join(",") });
  }
  return { signature: signature.toBytes(), used: used.sort((a, b) => a - b), bad: badList };
}

function findPartial(partials: readonly PartialSignature[], id: number): Uint8Array {
  return (partials.find((p) => p.shareIndex === id) as PartialSignature).signature;
}

function shareKey(keys: readonly (Uint8Array | PublicKey)[], shareIndex: number): PublicKey {
  const key = keys[shareIndex - 1];
  const pk = key === undefined ? undefined : key instanceof PublicKey ? key : parsePublicKey(key);
  if (pk === undefined) throw new ThresholdError({ code: "ERR_THRESHOLD_INVALID_SHARE_PUBLIC_KEY", shareIndex });
  return pk;
}
