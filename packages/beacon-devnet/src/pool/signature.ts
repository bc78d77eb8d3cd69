import { aggregatePublicKeys, PublicKey, Signature, verify } from "@chainsafe/blst";

/**
 * Verify a received signature over `signingRoot` by `pubkeys` (aggregated). The signature is deserialised with
 * the subgroup check on (received points are never trusted); malformed bytes verify as false.
 */
export function verifyReceivedSignature(signingRoot: Uint8Array, pubkeys: PublicKey[], signature: Uint8Array): boolean {
  if (pubkeys.length === 0) return false;
  let sig: Signature;
  try {
    sig = Signature.fromBytes(signature, true);
  } catch {
    return false;
  }
  const pk = pubkeys.length === 1 ? (pubkeys[0] as PublicKey) : aggregatePublicKeys(pubkeys);
  try {
    return verify(signingRoot, pk, sig);
  } catch {
    return false;
  }
}

/** Deserialise a received public key with the subgroup and infinity checks on; null if invalid. */
export function parseReceivedPublicKey(bytes: Uint8Array): PublicKey | null {
  try {
    return PublicKey.fromBytes(bytes, true);
  } catch {
    return null;
  }
}
