import { aggregateWithRandomness, PublicKey, SecretKey, Signature, verify } from "@chainsafe/blst";
import type { KeyShare, PartialSignature } from "./types.ts";

/** Sign a signing root with a key share (standard Ethereum BLS, POP ciphersuite). */
export function signPartial(share: KeyShare, signingRoot: Uint8Array): PartialSignature {
  const signature = SecretKey.fromBytes(share.secretKey).sign(signingRoot).toBytes();
  return { shareIndex: share.shareIndex, signature };
}

/** Parse a received G2 signature with the subgroup and infinity checks; undefined when invalid. */
export function parseSignature(bytes: Uint8Array): Signature | undefined {
  try {
    return Signature.fromBytes(bytes, true);
  } catch {
    return undefined;
  }
}

/** Parse a received G1 public key with the subgroup and infinity checks; undefined when invalid. */
export function parsePublicKey(bytes: Uint8Array): PublicKey | undefined {
  try {
    return PublicKey.fromBytes(bytes, true);
  } catch {
    return undefined;
  }
}

function toPublicKey(key: Uint8Array | PublicKey): PublicKey | undefined {
  return key instanceof PublicKey ? key : parsePublicKey(key);
}

/**
 * Verify one partial signature against the share public key of its operator. Malformed, off-subgroup or infinity
 * points verify as false (they come from the network). A `PublicKey` object must already be subgroup-checked.
 */
export function verifyPartial(
  sharePublicKey: Uint8Array | PublicKey,
  signingRoot: Uint8Array,
  partial: Uint8Array | Signature,
): boolean {
  const pk = toPublicKey(sharePublicKey);
  const sig = partial instanceof Signature ? partial : parseSignature(partial);
  if (pk === undefined || sig === undefined) return false;
  return verify(signingRoot, pk, sig, false, false);
}

/** A partial signature with the share public key to check it against. */
export type PartialToVerify = {
  shareIndex: number;
  sharePublicKey: Uint8Array | PublicKey;
  signature: Uint8Array;
};

export type BatchVerifyResult = { valid: number[]; invalid: number[] };

/** Below this many signatures a random linear combination does not pay for itself against plain verifies. */
const MIN_BATCH = 3;

/**
 * Verify many partial signatures over the SAME signing root. All-valid batches cost one random linear combination
 * (`aggregateWithRandomness`, 64-bit blinding scalars) plus one pairing check; a failing batch is bisected so k bad
 * partials among m cost O(k log m) checks. Returns the share indices that verified and those that did not.
 */
export function verifyPartialsBatch(signingRoot: Uint8Array, partials: readonly PartialToVerify[]): BatchVerifyResult {
  const valid: number[] = [];
  const invalid: number[] = [];
  const candidates: { shareIndex: number; pk: PublicKey; sig: Uint8Array }[] = [];
  for (const p of partials) {
    const pk = toPublicKey(p.sharePublicKey);
    // Deserialising here rejects encodings aggregateWithRandomness would throw on, so bisection only sees points.
    if (pk === undefined || parseSignature(p.signature) === undefined) invalid.push(p.shareIndex);
    else candidates.push({ shareIndex: p.shareIndex, pk, sig: p.signature });
  }
  const check = (items: typeof candidates): void => {
    if (items.length === 0) return;
    if (items.length < MIN_BATCH) {
      for (const it of items) {
        const sig = Signature.fromBytes(it.sig, false);
        (verify(signingRoot, it.pk, sig, false, false) ? valid : invalid).push(it.shareIndex);
      }
      return;
    }
    const blinded = aggregateWithRandomness(items.map((it) => ({ pk: it.pk, sig: it.sig })));
    if (verify(signingRoot, blinded.pk, blinded.sig, false, false)) {
      for (const it of items) valid.push(it.shareIndex);
      return;
    }
    const mid = items.length >> 1;
    check(items.slice(0, mid));
    check(items.slice(mid));
  };
  check(candidates);
  valid.sort((a, b) => a - b);
  invalid.sort((a, b) => a - b);
  return { valid, invalid };
}
