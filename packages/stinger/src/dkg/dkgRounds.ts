import { byteArrayEquals } from "@chainsafe/ssz";
import {
  DkgAbortedError,
  type DkgMessage,
  type DkgOutbound,
  DkgParticipant,
  type DkgResult,
  decodeDkgMessage,
  encodeDkgMessage,
  type RandomSource,
} from "@nektar/crypto";
import { BROADCAST, MessageKind, type SignedEnvelope } from "../p2p/envelope.ts";
import { askForMissing, type CeremonyContext, CeremonyRound, others, ROUND_NAMES } from "./ceremonyContext.ts";
import { CeremonyError } from "./errors.ts";

/**
 * Drive `packages/crypto`'s DKG state machine over the network: deal (commitments broadcast, shares point to point),
 * complain, answer. A round closes as soon as every expected message is in, or at its deadline; the state machine
 * decides what missing or invalid messages mean (complaints, disqualification). One rule is the driver's: an operator
 * that sent nothing at all in the dealing round is absent, and the ceremony aborts on every node with its index,
 * because the validator would run with a share missing from the start (if it sent envelopes of another session, the
 * abort says so: it runs another definition).
 *
 * The polynomial comes from `dealer.random`: a seed from the platform CSPRNG kept on disk only while the dealing
 * round is open (`dealerSeed.ts`), so a dealer restarted mid-round replays the identical deal, and nothing of it can
 * be recomputed from long-lived keys; `dealer.dealt()` runs when the dealing round closes (the seed is deleted there,
 * before any answer can reveal a share), so a later restart or a retried session deals anew. Without `dealer`, the
 * platform CSPRNG directly. The complaint and answer broadcasts
 * travel by reliable broadcast (`ReliableBroadcast`, wired by the ceremony), so the transcript they feed to the
 * state machine is the same at every honest member.
 */
export async function runDkgRounds(
  ctx: CeremonyContext,
  dealer?: { random: RandomSource; dealt: () => void },
): Promise<DkgResult> {
  const { definition } = ctx;
  const participant = new DkgParticipant(
    {
      sessionId: ctx.sessionId,
      participants: definition.operators.map((o) => ({ address: o.elAddress })),
      threshold: definition.threshold,
      self: ctx.selfIndex + 1,
    },
    dealer?.random,
  );
  const peers = others(ctx);

  // Round 1: deal. Waits up to the join timeout: operators start their nodes at different times.
  await runRound(ctx, CeremonyRound.deal, participant, () => participant.start(), ctx.timeouts.joinTimeoutMs);
  dealer?.dealt();
  const dealt = new Set(ctx.inbox.all(CeremonyRound.deal).map((e) => e.message.sender));
  const absent = peers.filter((j) => !dealt.has(j));
  if (absent.length > 0) {
    const elsewhere = ctx.network.membersOnOtherSession().filter((j) => absent.includes(j));
    if (elsewhere.length > 0) {
      throw new CeremonyError({ code: "ERR_CEREMONY_SESSION_MISMATCH", operators: elsewhere.map((j) => j + 1) });
    }
    throw new CeremonyError({
      code: "ERR_CEREMONY_TIMEOUT",
      phase: "deal",
      missing: absent.map((j) => j + 1),
      timeoutMs: ctx.timeouts.joinTimeoutMs,
    });
  }
  // Round 2: every member broadcasts its view of every dealer (commitment digest, complaint flag).
  await runRound(ctx, CeremonyRound.complain, participant, () => closeRound(participant), ctx.timeouts.roundTimeoutMs);
  // Round 3: disputed dealers answer in public (complete at once when nobody disputed anything).
  await runRound(ctx, CeremonyRound.answer, participant, () => closeRound(participant), ctx.timeouts.roundTimeoutMs);
  closeRound(participant);
  const result = participant.result();
  if (result === undefined) {
    throw new CeremonyError({
      code: "ERR_CEREMONY_DKG_FAILED",
      reason: participant.failure()?.message ?? `DKG ended in phase ${participant.phase}`,
    });
  }
  return result;
}

/** The surface of `packages/crypto`'s ceremony state machines (DKG and resharing) the round driver uses. */
export type RoundParticipant = Pick<DkgParticipant, "receive" | "isRoundComplete" | "closeRound">;

/** Close the participant's round; an abort of the state machine becomes `ERR_CEREMONY_DKG_FAILED`. */
export function closeRound(participant: RoundParticipant): DkgOutbound[] {
  try {
    return participant.closeRound();
  } catch (e) {
    if (e instanceof DkgAbortedError) {
      throw new CeremonyError({
        code: "ERR_CEREMONY_DKG_FAILED",
        reason: `${e.type.code}: ${JSON.stringify(e.getMetadata())}`,
      });
    }
    throw e;
  }
}

/**
 * Run one round: send what `open` returns, feed arrivals to the participant until its round is complete or
 * `timeoutMs` passes, then send its replies.
 */
export async function runRound(
  ctx: CeremonyContext,
  round: number,
  participant: RoundParticipant,
  open: () => DkgOutbound[],
  timeoutMs: number,
): Promise<void> {
  const started = performance.now();
  const name = ROUND_NAMES[round] ?? String(round);
  ctx.progress({ type: "round-started", round, name });
  await sendAll(ctx, open());
  const got = new Set<number>();
  const replies: DkgOutbound[] = [];
  // While answers come in, complaint sets still arriving are evidence only (a second version of one already held).
  const late = round === CeremonyRound.answer ? CeremonyRound.complain : null;
  const closed = await ctx.inbox.until(
    () => {
      const arrived =
        late === null ? ctx.inbox.takeNew(round) : [...ctx.inbox.takeNew(late), ...ctx.inbox.takeNew(round)];
      for (const envelope of arrived) {
        if (envelope.message.kind !== MessageKind.dkg) continue;
        const message = decodeFrom(ctx, envelope);
        if (message === null) continue;
        if (envelope.message.round === round) got.add(envelope.message.sender);
        try {
          replies.push(...participant.receive(envelope.message.sender + 1, message));
        } catch (e) {
          ctx.logger.warn("DKG message rejected", {
            round,
            from: envelope.message.sender + 1,
            reason: (e as Error).message,
          });
        }
      }
      return participant.isRoundComplete();
    },
    timeoutMs,
    askForMissing(ctx, round, round === CeremonyRound.deal ? 2 : 1),
  );
  if (replies.length > 0) await sendAll(ctx, replies);
  const missing = others(ctx)
    .filter((j) => !got.has(j))
    .map((j) => j + 1);
  const seconds = (performance.now() - started) / 1000;
  ctx.metrics.roundDuration.observe({ round: name }, seconds);
  ctx.progress({ type: "round-closed", round, name, seconds, missing: closed ? [] : missing });
}

/** Decode a DKG payload and check it is authored by the envelope's signer for this session; null if not. */
function decodeFrom(ctx: CeremonyContext, envelope: SignedEnvelope): DkgMessage | null {
  let message: DkgMessage;
  try {
    message = decodeDkgMessage(envelope.message.payload);
  } catch (e) {
    ctx.logger.warn("Malformed DKG payload", { from: envelope.message.sender + 1, reason: (e as Error).message });
    return null;
  }
  const author = message.type === "complaints" ? message.sender : message.dealer;
  const sameSession = byteArrayEquals(message.sessionId, ctx.sessionId);
  // Commitments, complaints and answers are broadcasts: one privately addressed copy proves nothing about what the
  // others received, so only the broadcast envelope (which every member echoes) counts.
  const broadcast = message.type !== "share";
  if (
    author !== envelope.message.sender + 1 ||
    !sameSession ||
    roundOf(message) !== envelope.message.round ||
    broadcast !== (envelope.message.recipient === BROADCAST)
  ) {
    ctx.logger.warn("DKG payload does not match its envelope", { from: envelope.message.sender + 1 });
    return null;
  }
  return message;
}

function roundOf(message: DkgMessage): number {
  switch (message.type) {
    case "commitment":
    case "share":
      return CeremonyRound.deal;
    case "complaints":
      return CeremonyRound.complain;
    case "answer":
      return CeremonyRound.answer;
  }
}

async function sendAll(ctx: CeremonyContext, outbound: DkgOutbound[]): Promise<void> {
  await Promise.all(
    outbound.map((o) =>
      ctx.network.send(
        MessageKind.dkg,
        roundOf(o.message),
        o.to === "all" ? BROADCAST : o.to - 1,
        encodeDkgMessage(o.message),
      ),
    ),
  );
}
