import { type KeyShare, ReshareParticipant, type ReshareResult } from "@nektar/crypto";
import { type CeremonyContext, CeremonyRound, others } from "../dkg/ceremonyContext.ts";
import { closeRound, runRound } from "../dkg/dkgRounds.ts";
import { ReshareError } from "./errors.ts";

/**
 * Rounds of a resharing as carried in envelope headers. Deal, complain, answer and the lock signature have the DKG's
 * numbers (`CeremonyRound`), because the resharing runs the DKG's round helpers (`runRound`, `approveLock`) and its
 * reliable broadcast; no two rounds may share a number, since one member's second message in a round is evidence of
 * equivocation, not a new message.
 */
export const ReshareRound = {
  deal: CeremonyRound.deal,
  complain: CeremonyRound.complain,
  answer: CeremonyRound.answer,
  validatorSignature: 4,
  lockSignature: CeremonyRound.lockSignature,
  slashingState: 7,
} as const;

export type ReshareRoundsParameters = {
  /** Seat of the leaving operator (1-based); it takes no part, the newcomer holds the seat in `ctx.definition`. */
  leavingIndex: number;
  groupPublicKey: Uint8Array;
  /** The current membership (the leaving operator in its seat), seat order. */
  oldParticipants: readonly { address: `0x${string}` }[];
  /** The current share public keys, seat order. */
  oldSharePublicKeys: readonly Uint8Array[];
  /** This member's current share, null for the newcomer. */
  oldShare: KeyShare | null;
  /** Randomness for the sub-share polynomials; the crypto package's CSPRNG when absent (tests only pass one). */
  random?: (n: number) => Uint8Array;
};

/**
 * Drive `packages/crypto`'s resharing over the network. Seats keep their numbers, so a remaining member's dealer id
 * (old set) and recipient id (new set) are both its seat; the leaving seat deals nothing and the newcomer receives in
 * it. The deal round closes as soon as every remaining member dealt (commitment and this member's sub-share), or at
 * the join timeout; fewer than `threshold` dealers then ends the resharing on this node. Complaints, answers and
 * disqualification are the state machine's, exactly as in a DKG.
 */
export async function runReshareRounds(ctx: CeremonyContext, p: ReshareRoundsParameters): Promise<ReshareResult> {
  const { definition } = ctx;
  const participant = new ReshareParticipant(
    {
      sessionId: ctx.sessionId,
      groupPublicKey: p.groupPublicKey,
      oldParticipants: p.oldParticipants,
      oldThreshold: definition.threshold,
      oldSharePublicKeys: p.oldSharePublicKeys,
      newParticipants: definition.operators.map((o) => ({ address: o.elAddress })),
      newThreshold: definition.threshold,
      oldKeyShare: p.oldShare,
      newOperatorId: ctx.selfIndex + 1,
    },
    p.random,
  );
  const dealers = others(ctx).filter((j) => j + 1 !== p.leavingIndex);
  const heardFrom = (j: number) => ctx.inbox.all(ReshareRound.deal).filter((e) => e.message.sender === j).length;
  const dealing = {
    receive: participant.receive.bind(participant),
    closeRound: participant.closeRound.bind(participant),
    // Every remaining dealer's broadcast commitment and private sub-share are in (the leaving seat never deals).
    isRoundComplete: () => dealers.every((j) => heardFrom(j) >= 2),
  };
  await runRound(ctx, ReshareRound.deal, dealing, () => participant.start(), ctx.timeouts.joinTimeoutMs);
  const dealt = dealers.filter((j) => heardFrom(j) > 0).map((j) => j + 1);
  if (p.oldShare !== null) dealt.push(ctx.selfIndex + 1);
  if (dealt.length < definition.threshold) {
    throw new ReshareError({
      code: "ERR_RESHARE_TOO_FEW_DEALERS",
      dealers: dealt.sort((a, b) => a - b),
      threshold: definition.threshold,
    });
  }
  await runRound(ctx, ReshareRound.complain, participant, () => closeRound(participant), ctx.timeouts.roundTimeoutMs);
  await runRound(ctx, ReshareRound.answer, participant, () => closeRound(participant), ctx.timeouts.roundTimeoutMs);
  closeRound(participant);
  const result = participant.result();
  if (result === undefined || result.keyShare === null) {
    throw new ReshareError({
      code: "ERR_RESHARE_FAILED",
      reason: participant.failure()?.message ?? `resharing ended in phase ${participant.phase}`,
    });
  }
  return result;
}
