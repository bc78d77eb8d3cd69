import { sha256 } from "@noble/hashes/sha2.js";

const encoder = new TextEncoder();
const POP_TAG = encoder.encode("NEKTAR_DKG_POP_V1");
const COMMITMENT_TAG = encoder.encode("NEKTAR_DKG_COMMITMENT_V1");

function hash(tag: Uint8Array, sessionId: Uint8Array, dealer: number, commitments: readonly Uint8Array[]): Uint8Array {
  const h = sha256.create();
  h.update(tag);
  h.update(sessionId);
  h.update(Uint8Array.of(dealer >> 8, dealer & 0xff, commitments.length));
  for (const c of commitments) h.update(c);
  return h.digest();
}

/**
 * The message a dealer signs with its constant term a_0 as proof of possession. Binding the session, the dealer id
 * and the whole commitment vector stops rogue-key contributions (a_0·G chosen as a function of others' keys, for
 * which the dealer cannot know the discrete log) and replay of a proof into another ceremony or slot.
 */
export function popMessage(sessionId: Uint8Array, dealer: number, commitments: readonly Uint8Array[]): Uint8Array {
  return hash(POP_TAG, sessionId, dealer, commitments);
}

/** Digest recipients echo in round 2 so that diverging views of a dealer's commitment become visible to everyone. */
export function commitmentDigest(
  sessionId: Uint8Array,
  dealer: number,
  commitments: readonly Uint8Array[],
): Uint8Array {
  return hash(COMMITMENT_TAG, sessionId, dealer, commitments);
}
