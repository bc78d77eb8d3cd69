import { PublicKey, Signature } from "@chainsafe/blst";

/*
 * Parsed (subgroup-checked) points of received commitments, cached by the identity of the decoded array so that a
 * message decoded by the codec is not checked a second time by the state machine.
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

/** Parse a G2 signature with subgroup and infinity checks; undefined if invalid. */
export function parsePopSignature(bytes: Uint8Array): Signature | undefined {
  try {
    return Signature.fromBytes(bytes, true);
  } catch {
    return undefined;
  }
}
