import { aggregateWithRandomness, PublicKey, Signature, verify } from "@chainsafe/blst";
import { CryptoInputError } from "../errors.ts";
import {
  type CombinePartialSignaturesParameters,
  type CombinePartialSignaturesReturnType,
  combinePartialSignatures,
  interpolateSignatures,
} from "./combine.ts";
import { ThresholdError } from "./errors.ts";
import { parsePublicKey } from "./partial.ts";

/** One combination's outcome: the result, ThresholdError or CryptoInputError that combinePartialSignatures gives. */
export type CombineBatchOutcome =
  | { readonly ok: true; readonly value: CombinePartialSignaturesReturnType }
  | { readonly ok: false; readonly error: ThresholdError | CryptoInputError };

/** Below this many candidates a blinded batch check costs more than plain verifies. */
const MIN_BATCH = 3;

type Candidate = {
  readonly index: number;
  readonly groupPublicKey: PublicKey;
  readonly signature: Uint8Array;
  readonly used: number[];
};

/**
 * combinePartialSignatures for many validators at once (e.g. every attester of a slot), with the same results but a
 * fraction of the cost in the common case where every operator is honest:
 * - the first `threshold` partials of each item are decoded WITHOUT their subgroup checks and interpolated;
 * - the combined signatures are checked together: those over the same signing root by one random linear
 *   combination (`aggregateWithRandomness`, which subgroup- and infinity-checks every combined signature, with
 *   64-bit blinding scalars) and one pairing check; a failing group is bisected.
 * Skipping the per-partial subgroup checks is sound because only the OUTPUT is trusted: an output that is in the
 * subgroup and verifies against the group key is the unique valid BLS signature, whatever the inputs were (a forged
 * batch passes with probability ≤ 2^-64). Any item whose optimistic output fails (malformed, off-subgroup or wrong
 * partials) is redone by combinePartialSignatures, which checks and attributes each partial.
 * Never throws for one item's inputs: each item's error (including argument errors such as a share index out of
 * range) is its own outcome, so one bad item cannot fail the others.
 */
export function combinePartialSignaturesBatch(
  items: readonly CombinePartialSignaturesParameters[],
): CombineBatchOutcome[] {
  const outcomes: (CombineBatchOutcome | undefined)[] = new Array(items.length).fill(undefined);
  const byRoot = new Map<string, Candidate[]>();
  const slow: number[] = [];
  items.forEach((item, index) => {
    const candidate = optimistic(item, index);
    if (candidate === undefined) {
      slow.push(index);
      return;
    }
    const root = Buffer.from(item.signingRoot).toString("hex");
    const list = byRoot.get(root);
    if (list === undefined) byRoot.set(root, [candidate]);
    else list.push(candidate);
  });
  for (const candidates of byRoot.values()) {
    const root = (items[(candidates[0] as Candidate).index] as CombinePartialSignaturesParameters).signingRoot;
    checkGroup(
      root,
      candidates,
      (c) => {
        outcomes[c.index] = {
          ok: true,
          value: { signature: c.signature, used: [...c.used].sort((a, b) => a - b), bad: [] },
        };
      },
      (c) => {
        slow.push(c.index);
      },
    );
  }
  for (const index of slow) {
    try {
      outcomes[index] = {
        ok: true,
        value: combinePartialSignatures(items[index] as CombinePartialSignaturesParameters),
      };
    } catch (e) {
      if (!(e instanceof ThresholdError || e instanceof CryptoInputError)) throw e;
      outcomes[index] = { ok: false, error: e };
    }
  }
  return outcomes as CombineBatchOutcome[];
}

/** Interpolates the first `threshold` distinct partials, unchecked; undefined when the item needs the careful path. */
function optimistic(item: CombinePartialSignaturesParameters, index: number): Candidate | undefined {
  const { partials, threshold, sharePublicKeys } = item;
  const n = sharePublicKeys.length;
  if (!Number.isSafeInteger(threshold) || threshold < 1 || threshold > n) return undefined;
  const groupPublicKey =
    item.groupPublicKey instanceof PublicKey ? item.groupPublicKey : parsePublicKey(item.groupPublicKey);
  if (groupPublicKey === undefined) return undefined;
  const seen = new Set<number>();
  const ids: number[] = [];
  const sigs: Signature[] = [];
  for (const p of partials) {
    // Out-of-range ids are an argument error: combinePartialSignatures throws it.
    if (!Number.isSafeInteger(p.shareIndex) || p.shareIndex < 1 || p.shareIndex > n) return undefined;
    if (seen.has(p.shareIndex)) continue;
    seen.add(p.shareIndex);
    if (ids.length === threshold) continue;
    try {
      // On-curve check only; the subgroup check is done once, on the output.
      sigs.push(Signature.fromBytes(p.signature, false, false));
    } catch {
      return undefined;
    }
    ids.push(p.shareIndex);
  }
  if (ids.length < threshold) return undefined;
  try {
    return { index, groupPublicKey, signature: interpolateSignatures(ids, sigs).toBytes(), used: ids };
  } catch {
    // Off-subgroup inputs can make the endomorphism shortcut meaningless; the careful path handles them.
    return undefined;
  }
}

/** Checks candidates over one signing root: blinded batches, bisected on failure; single ones verified directly. */
function checkGroup(
  root: Uint8Array,
  candidates: readonly Candidate[],
  good: (c: Candidate) => void,
  bad: (c: Candidate) => void,
): void {
  if (candidates.length === 0) return;
  if (candidates.length < MIN_BATCH) {
    for (const c of candidates) (verifyOne(root, c) ? good : bad)(c);
    return;
  }
  let ok = false;
  try {
    // Throws when a combined signature is off the subgroup or at infinity: bisect to find it.
    const blinded = aggregateWithRandomness(candidates.map((c) => ({ pk: c.groupPublicKey, sig: c.signature })));
    ok = verify(root, blinded.pk, blinded.sig, false, false);
  } catch {
    ok = false;
  }
  if (ok) {
    for (const c of candidates) good(c);
    return;
  }
  const mid = candidates.length >> 1;
  checkGroup(root, candidates.slice(0, mid), good, bad);
  checkGroup(root, candidates.slice(mid), good, bad);
}

function verifyOne(root: Uint8Array, c: Candidate): boolean {
  try {
    const sig = Signature.fromBytes(c.signature, true, true);
    return verify(root, c.groupPublicKey, sig, false, false);
  } catch {
    return false;
  }
}
