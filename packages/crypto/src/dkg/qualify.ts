import type { PublicKey } from "@chainsafe/blst";
import { byteArrayEquals } from "@chainsafe/ssz";
import { evaluateCommitment, linearCombinationG1, sumPublicKeys } from "../field/combination.ts";
import { lagrangeCoefficientsAtZero } from "../field/lagrange.ts";
import { Fr, scalarFromBytes } from "../field/scalar.ts";
import type { CeremonyParameters } from "./ceremony.ts";
import { commitmentDigest } from "./transcript.ts";
import type { DkgAnswerMessage, DkgComplaintsMessage, DkgDealerView } from "./types.ts";
import { type CheckedCommitment, checkCommitmentShape, shareMatchesCommitment, verifyPops } from "./verify.ts";

/** Public and (for recipients) secret output of a finished ceremony. */
export type CeremonyOutcome = {
  qualified: number[];
  /** Null only for a dealer that is not a recipient and missed a qualified dealer's commitment. */
  groupPublicKey: Uint8Array | null;
  sharePublicKeys: Uint8Array[] | null;
  /** This recipient's new share; null for dealers that are not recipients. */
  secret: bigint | null;
};

type QualifyInput = {
  params: CeremonyParameters;
  accepted: ReadonlyMap<number, CheckedCommitment>;
  shares: ReadonlyMap<number, Uint8Array>;
  complaints: readonly DkgComplaintsMessage[];
  answers: ReadonlyMap<number, DkgAnswerMessage>;
  /** Dealers disqualified outright (seen sending two different answers). */
  disqualified: ReadonlySet<number>;
};

type Decision = { points: PublicKey[] | null; share: bigint | null };

/**
 * Decide QUAL from the broadcast transcript (identical at every honest member under reliable broadcast) and combine
 * the qualified dealings. A dealer stays qualified iff either
 *  - every echo names the same commitment and nobody complained, or
 *  - it answered with one valid commitment (PoP, shape) and revealed a share that passes the Feldman check for every
 *    recipient that complained or echoed another digest, and fewer than t recipients needed a revealed share.
 */
export function qualifyAndCombine(input: QualifyInput): { qualified: number[]; outcome: CeremonyOutcome | undefined } {
  const { params } = input;
  const decisions = new Map<number, Decision>();
  for (let d = 1; d <= params.dealerCount; d++) {
    if (input.disqualified.has(d)) continue;
    const decision = decideDealer(input, d);
    if (decision !== undefined) decisions.set(d, decision);
  }
  const qualified = [...decisions.keys()].sort((a, b) => a - b);
  if (qualified.length < params.minQualified) return { qualified, outcome: undefined };

  const weights = params.combine === "sum" ? qualified.map(() => 1n) : lagrangeCoefficientsAtZero(qualified);
  let secret: bigint | null = null;
  if (params.selfRecipient !== null) {
    secret = 0n;
    qualified.forEach((d, i) => {
      secret = Fr.add(secret as bigint, Fr.mul(weights[i] as bigint, (decisions.get(d) as Decision).share as bigint));
    });
  }
  const allPoints = qualified.map((d) => (decisions.get(d) as Decision).points);
  if (allPoints.some((p) => p === null)) {
    return { qualified, outcome: { qualified, groupPublicKey: null, sharePublicKeys: null, secret } };
  }
  const points = allPoints as PublicKey[][];
  const combined: PublicKey[] = [];
  for (let k = 0; k < params.threshold; k++) {
    const column = points.map((p) => p[k] as PublicKey);
    combined.push(params.combine === "sum" ? sumPublicKeys(column) : linearCombinationG1(column, weights));
  }
  const sharePublicKeys: Uint8Array[] = [];
  for (let j = 1; j <= params.recipientCount; j++) sharePublicKeys.push(evaluateCommitment(combined, j).toBytes());
  return {
    qualified,
    outcome: { qualified, groupPublicKey: (combined[0] as PublicKey).toBytes(), sharePublicKeys, secret },
  };
}

function decideDealer(input: QualifyInput, d: number): Decision | undefined {
  const { params, accepted, shares, complaints } = input;
  const me = params.selfRecipient;
  const views: { sender: number; view: DkgDealerView }[] = complaints.map((m) => ({
    sender: m.sender,
    view: m.views[d - 1] as DkgDealerView,
  }));
  const answer = input.answers.get(d);
  if (answer === undefined) {
    const mine = accepted.get(d);
    if (views.length === 0) return undefined;
    const first = views[0]?.view.commitmentDigest ?? null;
    if (first === null) return undefined;
    for (const { view } of views) {
      if (view.complaint || view.commitmentDigest === null || !byteArrayEquals(view.commitmentDigest, first))
        return undefined;
    }
    if (mine === undefined) {
      // Only a dealer that is not a recipient can get here (recipients echo their own view).
      return { points: null, share: null };
    }
    if (!byteArrayEquals(commitmentDigest(params.sessionId, d, mine.commitment.commitments), first)) return undefined;
    const share = me === null ? null : scalarFromBytes(shares.get(d) as Uint8Array);
    return { points: mine.points, share };
  }
  const checked = checkCommitmentShape(d, answer, params.threshold, params.expectedConstants?.[d - 1]);
  if (checked === undefined || !verifyPops(params.sessionId, [checked]).has(d)) return undefined;
  const digest = commitmentDigest(params.sessionId, d, answer.commitments);
  const disputed = views
    .filter(
      ({ view }) => view.complaint || view.commitmentDigest === null || !byteArrayEquals(view.commitmentDigest, digest),
    )
    .map((v) => v.sender);
  if (disputed.length >= params.threshold) return undefined;
  const revealed = new Map(answer.revealed.map((r) => [r.recipient, r.share]));
  for (const j of disputed) if (!revealed.has(j)) return undefined;
  for (const [j, s] of revealed) if (!shareMatchesCommitment(checked.points, j, s)) return undefined;
  let share: bigint | null = null;
  if (me !== null) {
    const bytes = revealed.get(me) ?? shares.get(d);
    // A recipient not in `disputed` echoed this digest without complaint, so it holds a share that passed the check.
    if (bytes === undefined) return undefined;
    share = scalarFromBytes(bytes);
  }
  return { points: checked.points, share };
}
