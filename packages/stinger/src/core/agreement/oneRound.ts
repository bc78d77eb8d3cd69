/**
 * One-round rotating-leader agreement (Diva's design).
 *
 * Rounds are driven by each operator's clock from the duty start: round r lasts `roundTimeoutMs(r)`, and its leader is
 * `leaderOf(offset, r)`. The leader of the current round broadcasts a signed PROPOSAL. An operator that has not yet
 * decided and receives a leader-signed proposal it accepts (own beacon view + slashing safety) decides it at once —
 * the caller signs its partial signature immediately, so agreement costs one message delay. It then relays the
 * leader's envelope unchanged, so operators that missed the leader's message still get it within one more hop.
 * A silent or invalid leader is skipped when its round times out; the next leader proposes what it already signed
 * (its decision) or else its own value, which makes honest leaders converge on one value.
 *
 * Rounds gate proposals: a proposal for round r is acted on only once round r has started on this operator's clock.
 * One that arrives earlier waits (one slot per round: only its leader's first envelope) and is considered when the round
 * starts. Without this gate a byzantine leader of any later round could race the honest round-1 leader with another
 * value and split the honest operators (8 sign A, 7 sign B: neither reaches 11, the duty is missed).
 *
 * Safety: an operator decides at most once per instance, and only values that pass `isAcceptable` (which includes the
 * slashing DB check), so no operator ever signs two values for a duty. Equivocation (two different leader-signed
 * proposals for one round) is detected and reported, but cannot make an operator sign twice.
 */
import { authenticate, seal } from "./authenticate.ts";
import { hashValue, MessageKind } from "./codec.ts";
import { leaderOf, leaderOffset } from "./leader.ts";
import { emptyOutput, type OutputBuilder, withFault } from "./output.ts";
import type { AgreementDecision, AgreementInstance, AgreementInstanceParams, AgreementOutput } from "./types.ts";

/** An authenticated leader proposal and the envelope it came in (relayed unchanged). */
type Proposal = { readonly from: number; readonly value: Uint8Array; readonly bytes: Uint8Array };

export class OneRoundAgreement implements AgreementInstance {
  private readonly p: AgreementInstanceParams;
  private readonly offset: number;
  private currentRound = 1;
  private roundEnd = 0;
  private started = false;
  private finished = false;
  private decisionValue: AgreementDecision | undefined;
  /** Hash of the proposal seen per round, to detect leader equivocation. */
  private readonly proposals = new Map<number, string>();
  private readonly equivocators = new Set<number>();
  /** Leader envelopes of rounds that have not started locally yet, by round (at most one per round). */
  private readonly early = new Map<number, Proposal>();
  /** Proposals of started rounds this operator refused, by round: asked about again on {@link reconsider}. */
  private readonly refused = new Map<number, Proposal>();

  constructor(params: AgreementInstanceParams) {
    this.p = params;
    this.offset = leaderOffset(params.config.clusterId, params.duty, params.config.operators);
  }

  get duty(): AgreementInstanceParams["duty"] {
    return this.p.duty;
  }

  get decision(): AgreementDecision | undefined {
    return this.decisionValue;
  }

  get round(): number {
    return this.currentRound;
  }

  start(now: number): AgreementOutput {
    const out = emptyOutput();
    if (this.started) return out;
    this.started = true;
    this.roundEnd = now + this.p.config.roundTimeoutMs(1);
    this.proposeIfLeader(out);
    return out;
  }

  tick(now: number): AgreementOutput {
    const out = emptyOutput();
    while (this.started && !this.finished && now >= this.roundEnd) {
      if (this.currentRound >= this.p.config.maxRounds) {
        this.finished = true;
        break;
      }
      this.currentRound++;
      this.roundEnd += this.p.config.roundTimeoutMs(this.currentRound);
      this.proposeIfLeader(out);
      const held = this.early.get(this.currentRound);
      this.early.delete(this.currentRound);
      if (held !== undefined) this.consider(out, this.currentRound, held);
    }
    return out;
  }

  reconsider(_now: number): AgreementOutput {
    const out = emptyOutput();
    for (const [round, r] of [...this.refused].sort((a, b) => a[0] - b[0])) {
      if (this.decisionValue !== undefined) break;
      if (!this.p.isAcceptable(r.value)) {
        out.faults.push({ member: r.from, reason: "invalid_value" });
        continue;
      }
      this.refused.delete(round);
      this.decide(out, r.value, round);
      if (this.p.config.relayProposals ?? true) out.broadcast.push(r.bytes);
    }
    return out;
  }

  nextDeadline(): number | undefined {
    return this.started && !this.finished ? this.roundEnd : undefined;
  }

  receive(bytes: Uint8Array, _now: number): AgreementOutput {
    const out = emptyOutput();
    const auth = authenticate(this.p, bytes);
    if (!auth.ok) return withFault(out, auth.fault);
    const m = auth.envelope.message;
    if (m.kind !== MessageKind.proposal) return withFault(out, { member: m.from, reason: "malformed" });
    const leader = leaderOf(this.offset, m.round, this.p.config.operators);
    if (m.from !== leader) return withFault(out, { member: m.from, reason: "not_leader" });
    const h = Buffer.from(hashValue(m.value)).toString("hex");
    const seen = this.proposals.get(m.round);
    if (seen !== undefined) {
      if (seen !== h && !this.equivocators.has(m.from)) {
        this.equivocators.add(m.from);
        out.faults.push({ member: m.from, reason: "equivocation" });
      }
      return out;
    }
    this.proposals.set(m.round, h);
    if (!this.started || m.round > this.currentRound) {
      // Round m.round has not started here: hold the proposal until it does (see the header).
      this.early.set(m.round, { from: m.from, value: m.value, bytes });
      return out;
    }
    this.consider(out, m.round, { from: m.from, value: m.value, bytes });
    return out;
  }

  /** Acts on an authenticated leader proposal of a started round: decides it if acceptable, else records the refusal. */
  private consider(out: OutputBuilder, round: number, proposal: Proposal): void {
    if (this.decisionValue !== undefined || proposal.from === this.p.selfMember) return;
    if (!this.p.isAcceptable(proposal.value)) {
      this.refused.set(round, proposal);
      out.faults.push({ member: proposal.from, reason: "invalid_value" });
      return;
    }
    this.decide(out, proposal.value, round);
    if (this.p.config.relayProposals ?? true) out.broadcast.push(proposal.bytes);
  }

  private proposeIfLeader(out: OutputBuilder): void {
    const { operators } = this.p.config;
    if (leaderOf(this.offset, this.currentRound, operators) !== this.p.selfMember) return;
    // Re-propose what this operator already signed; otherwise its own value, and only if it would sign it itself.
    const value = this.decisionValue?.value ?? this.p.localValue;
    if (this.decisionValue === undefined && !this.p.isAcceptable(value)) return;
    const envelope = seal(this.p, {
      kind: MessageKind.proposal,
      clusterId: this.p.config.clusterId,
      duty: this.p.duty,
      round: this.currentRound,
      from: this.p.selfMember,
      value,
    });
    this.proposals.set(this.currentRound, Buffer.from(hashValue(value)).toString("hex"));
    out.broadcast.push(envelope);
    if (this.decisionValue === undefined) this.decide(out, value, this.currentRound);
  }

  private decide(out: OutputBuilder, value: Uint8Array, round: number): void {
    this.decisionValue = { value, round };
    out.decided = this.decisionValue;
  }
}
