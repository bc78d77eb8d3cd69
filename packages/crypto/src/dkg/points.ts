import { PublicKey, Signature } from "@chainsafe/blst";

/*
 * Parsed (subgroup-checked) points of received commitments and PoPs, cached by the identity of the decoded arrays so
 * that a message decoded by the codec is not checked a second time by the state machine. Keyed weakly: entries go
 * with the messages. Callers must not mutate a message's byte arrays after passing it in.
 */
const parsedCommitments = new WeakMap<readonly Uint8Array[], PublicKey[]>();

/** Parse commitment points with subgroup and infinity checks; undefined if any is invalid. */
export function parseCommitmentPoints(commitments: readonly Uint8Array[]): PublicKey[] | undefined {
  const hit = parsedCommitments.get(commitments);
  if (hit !== undefined) return hit;
  const points: PublicKey[] = [];
  try {
    for (const c of commitments) points.push(PublicKey.fromBytes(c, true));
  } catch {
    return undefined;
  }
  parsedCommitments.set(commitments, points);
  return points;
}

const parsedPops = new WeakMap<Uint8Array, Signature>();

/** Parse a G2 signature with subgroup and infinity checks (cached like commitments); undefined if invalid. */
export function parsePopSignature(bytes: Uint8Array): Signature | undefined {
  const hit = parsedPops.get(bytes);
  if (hit !== undefined) return hit;
  try {
    const sig = Signature.fromBytes(bytes, true);
    parsedPops.set(bytes, sig);
    return sig;
  } catch {
    return undefined;
  }
}
