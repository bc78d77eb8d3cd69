import type { Logger } from "../logger/logger.ts";
import type { ClusterNetwork } from "../p2p/clusterNetwork.ts";
import type { ClusterDefinition } from "./definition.ts";
import type { CeremonyInbox } from "./inbox.ts";
import type { DkgMetrics } from "./metrics.ts";

/** Rounds of a ceremony as carried in envelope headers. */
export const CeremonyRound = {
  deal: 1,
  complain: 2,
  answer: 3,
  depositSignature: 4,
  lockSignature: 5,
} as const;
export type CeremonyRound = (typeof CeremonyRound)[keyof typeof CeremonyRound];
export const ROUND_NAMES: Record<number, string> = {
  1: "deal",
  2: "complain",
  3: "answer",
  4: "deposit-signature",
  5: "lock-signature",
};
export const TOTAL_ROUNDS = 5;

export type ProgressEvent =
  | { type: "joined"; operator: number; operators: number; sessionId: string }
  | { type: "round-started"; round: number; name: string }
  | { type: "round-closed"; round: number; name: string; seconds: number; missing: number[] }
  | { type: "disqualified"; dealers: number[] }
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
