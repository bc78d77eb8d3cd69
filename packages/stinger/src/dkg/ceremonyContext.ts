import type { Logger } from "../logger/logger.ts";
import type { ClusterNetwork } from "../p2p/clusterNetwork.ts";
import type { ClusterDefinition } from "./definition.ts";
import { CeremonyError } from "./errors.ts";
import type { CeremonyInbox } from "./inbox.ts";
import type { DkgMetrics } from "./metrics.ts";

/** Rounds of a ceremony as carried in envelope headers. */
export const CeremonyRound = {
  deal: 1,
  complain: 2,
  answer: 3,
  qualifiedSet: 4,
  depositSignature: 5,
  lockSignature: 6,
} as const;
export type CeremonyRound = (typeof CeremonyRound)[keyof typeof CeremonyRound];
export const ROUND_NAMES: Record<number, string> = {
  1: "deal",
  2: "complain",
  3: "answer",
  4: "qualified-set",
  5: "deposit-signature",
  6: "lock-signature",
};
export const TOTAL_ROUNDS = 6;

export type ProgressEvent =
  | { type: "joined"; operator: number; operators: number; sessionId: string }
  | { type: "round-started"; round: number; name: string }
  | { type: "round-closed"; round: number; name: string; seconds: number; missing: number[] }
  | { type: "disqualified"; dealers: number[] }
  | { type: "equivocation"; operator: number; round: number }
  | { type: "completed"; lockHash: string; seconds: number }
  | { type: "aborted"; reason: string };

/** What every step of a running ceremony shares. Operator indices are 0-based; DKG operator ids are index + 1. */
export type CeremonyContext = {
  definition: ClusterDefinition;
  sessionId: Uint8Array;
  selfIndex: number;
  network: ClusterNetwork;
  inbox: CeremonyInbox;
  logger: Logger;
  metrics: DkgMetrics;
  timeouts: { joinTimeoutMs: number; roundTimeoutMs: number };
  progress: (event: ProgressEvent) => void;
};

/** Indices of every operator but this one. */
export function others(ctx: CeremonyContext): number[] {
  return ctx.definition.operators.map((_, i) => i).filter((i) => i !== ctx.selfIndex);
}

/**
 * Ask every operator this node has fewer than `perSender` messages from in `round` to send them again: a gossip message can be
 * lost (e.g. on a connection that was replaced), and the DKG needs every broadcast to reach everyone.
 */
export function askForMissing(ctx: CeremonyContext, round: number, perSender = 1): () => void {
  return () => {
    const heard = new Map<number, number>();
    for (const e of ctx.inbox.all(round)) heard.set(e.message.sender, (heard.get(e.message.sender) ?? 0) + 1);
    for (const j of others(ctx)) {
      if ((heard.get(j) ?? 0) < perSender) void ctx.network.requestResend(j, round);
    }
  };
}

/** The timeout error of `round`: the other operators (reported 1-based) for which `owing` still holds. */
export function roundTimeoutError(ctx: CeremonyContext, round: number, owing: (j: number) => boolean): CeremonyError {
  return new CeremonyError({
    code: "ERR_CEREMONY_TIMEOUT",
    phase: ROUND_NAMES[round] ?? String(round),
    missing: others(ctx)
      .filter(owing)
      .map((j) => j + 1),
    timeoutMs: ctx.timeouts.roundTimeoutMs,
  });
}

/** Record `round` closed with everything in: its duration (since `started`, a `performance.now()`) and progress. */
export function roundClosed(ctx: CeremonyContext, round: number, started: number): void {
  const name = ROUND_NAMES[round] ?? String(round);
  const seconds = (performance.now() - started) / 1000;
  ctx.metrics.roundDuration.observe({ round: name }, seconds);
  ctx.progress({ type: "round-closed", round, name, seconds, missing: [] });
}
