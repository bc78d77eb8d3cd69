import { bytesToHex } from "viem";
import type { Logger } from "../logger/logger.ts";
import type { ClusterNetwork } from "../p2p/clusterNetwork.ts";
import { BROADCAST, envelopeId, MessageKind, type SignedEnvelope } from "../p2p/envelope.ts";
import { CeremonyRound, type ProgressEvent, ROUND_NAMES } from "./ceremonyContext.ts";
import type { CeremonyInbox } from "./inbox.ts";
import type { DkgMetrics } from "./metrics.ts";

/**
 * The DKG rounds whose broadcasts decide the qualified set: every member's complaint set and every disputed dealer's
 * answer. What any honest member holds of them, every honest member must hold, whatever the author sent to whom.
 */
export const RELIABLE_ROUNDS: ReadonlySet<number> = new Set([CeremonyRound.complain, CeremonyRound.answer]);

/** Two validly signed, different messages of one operator for one round: proof that it equivocated. */
export type EquivocationEvidence = { operator: number; round: number; first: SignedEnvelope; second: SignedEnvelope };

export type ReliableBroadcastOptions = {
  network: ClusterNetwork;
  inbox: CeremonyInbox;
  selfIndex: number;
  metrics: DkgMetrics;
  logger: Logger;
  progress: (event: ProgressEvent) => void;
};

/**
 * Echo broadcast with signed messages over the cluster network (see docs/dkg.md, "Reliable broadcast"):
 *
 * - Echo: the first time this node admits another member's complaint set or answer, it relays the author-signed
 *   envelope, unchanged, to every member. A member the author left out gets it from the n - f ≥ 11 honest others
 *   one hop later, before its round closes, so it cannot be singled out (the issue 20 exclusion attack).
 * - Evidence: a second, different signed envelope of the same author and round is no longer "first wins": both go to
 *   the DKG state machine, which counts an equivocating complainer as silent and an equivocating dealer as
 *   disqualified, and the second is relayed too, so every honest member holds the same pair and decides alike.
 *
 * Agreement on the outcome is checked, not assumed: after the answers, every member signs the digest of its qualified
 * set and key and waits for the same digest from every operator (`confirmQualifiedSet`).
 */
export class ReliableBroadcast {
  private readonly opts: ReliableBroadcastOptions;
  private readonly evidenceByAuthor = new Map<string, EquivocationEvidence>();

  constructor(opts: ReliableBroadcastOptions) {
    this.opts = opts;
  }

  /** Evidence collected so far, one entry per (operator, kind, round). */
  evidence(): EquivocationEvidence[] {
    return [...this.evidenceByAuthor.values()];
  }

  /** Every admitted envelope passes here before the inbox: echo the ones reliable broadcast covers. */
  admitted(envelope: SignedEnvelope): void {
    if (!this.covers(envelope)) return;
    this.opts.metrics.relayedEnvelopes.inc();
    void this.opts.network.relay(envelope);
  }

  /**
   * A conflicting second envelope (the network admitted `first`). Recorded once per slot; in a reliable round the
   * second version is relayed and delivered to the DKG, so every honest member sees the equivocation. Later versions
   * add nothing and are dropped: an author minting versions cannot make the cluster relay them all.
   */
  equivocated(first: SignedEnvelope, second: SignedEnvelope): void {
    const m = second.message;
    const key = `${m.sender}/${m.kind}/${m.round}/${m.recipient}`;
    if (this.evidenceByAuthor.has(key)) return;
    const evidence = { operator: m.sender + 1, round: m.round, first, second };
    this.evidenceByAuthor.set(key, evidence);
    this.opts.metrics.equivocations.inc({ round: ROUND_NAMES[m.round] ?? String(m.round) });
    this.opts.logger.warn("Operator equivocated", {
      operator: evidence.operator,
      round: m.round,
      first: envelopeId(first).slice(0, 16),
      second: envelopeId(second).slice(0, 16),
      signature: bytesToHex(second.signature).slice(0, 18),
    });
    this.opts.progress({ type: "equivocation", operator: evidence.operator, round: m.round });
    if (!this.covers(second)) return;
    this.opts.inbox.push(second);
    void this.opts.network.relay(second);
  }

  private covers(envelope: SignedEnvelope): boolean {
    const m = envelope.message;
    return (
      m.kind === MessageKind.dkg &&
      m.recipient === BROADCAST &&
      m.sender !== this.opts.selfIndex &&
      RELIABLE_ROUNDS.has(m.round)
    );
  }
}
