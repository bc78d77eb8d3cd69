import {
  type PublicKey,
  SecretKey,
  type SignatureSet,
  verify,
  verifyMultipleAggregateSignatures,
} from "@chainsafe/blst";
import { byteArrayEquals } from "@chainsafe/ssz";
import { evaluateCommitment } from "../field/combination.ts";
import { parseCommitmentPoints, parsePopSignature } from "./points.ts";
import { popMessage } from "./transcript.ts";
import type { DealerCommitment } from "./types.ts";

/** A dealer commitment whose points parsed (subgroup-checked) and, once verified, whose PoP holds. */
export type CheckedCommitment = { dealer: number; commitment: DealerCommitment; points: PublicKey[] };

/**
 * Structural and algebraic checks of one commitment: t points in G1's subgroup, none at infinity, and (resharing)
 * a constant term equal to the dealer's old share public key. PoPs are checked separately, in a batch.
 */
export function checkCommitmentShape(
  dealer: number,
  commitment: DealerCommitment,
  threshold: number,
  expectedConstant: Uint8Array | undefined,
): CheckedCommitment | undefined {
  if (commitment.commitments.length !== threshold) return undefined;
  const points = parseCommitmentPoints(commitment.commitments);
  if (points === undefined) return undefined;
  if (expectedConstant !== undefined && !byteArrayEquals(commitment.commitments[0] as Uint8Array, expectedConstant)) {
    return undefined;
  }
  return { dealer, commitment, points };
}

/**
 * Verify the proofs of possession of many commitments: one multi-pairing with random blinding when all are valid,
 * individual checks only when the batch fails. Returns the dealers whose PoP verified.
 */
export function verifyPops(sessionId: Uint8Array, items: readonly CheckedCommitment[]): Set<number> {
  const ok = new Set<number>();
  const sets: (SignatureSet & { dealer: number })[] = [];
  for (const it of items) {
    const sig = parsePopSignature(it.commitment.pop);
    if (sig === undefined) continue;
    sets.push({
      dealer: it.dealer,
      msg: popMessage(sessionId, it.dealer, it.commitment.commitments),
      pk: it.points[0] as PublicKey,
      sig,
    });
  }
  if (sets.length === 0) return ok;
  if (sets.length > 1 && verifyMultipleAggregateSignatures(sets, false, false)) {
    for (const s of sets) ok.add(s.dealer);
    return ok;
  }
  for (const s of sets) if (verify(s.msg, s.pk, s.sig, false, false)) ok.add(s.dealer);
  return ok;
}

/** Feldman check: share·G1 equals the commitment evaluated at the recipient's id. A zero share never passes. */
export function shareMatchesCommitment(points: readonly PublicKey[], recipient: number, share: Uint8Array): boolean {
  let expected: Uint8Array;
  try {
    expected = SecretKey.fromBytes(share).toPublicKey().toBytes();
  } catch {
    return false;
  }
  return byteArrayEquals(expected, evaluateCommitment(points, recipient).toBytes());
}
