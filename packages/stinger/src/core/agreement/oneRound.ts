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
 * Safety: an operator decides at most once per instance, and only values that pass `isAcceptable` (which includes the
 * slashing DB check), so no operator ever signs two values for a duty. Equivocation (two different leader-signed
 * proposals for one round) is detected and reported, but cannot make an operator sign twice.
 */
import { authenticate, seal } from "./authenticate.ts";
import { hashValue, MessageKind } from "./codec.ts";
import { leaderOf, leaderOffset } from "./leader.ts";
import { emptyOutput, type OutputBuilder, withFault } from "./output.ts";
import type { AgreementDecision, AgreementInstance, AgreementInstanceParams, AgreementOutput } from "./types.ts";

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
    if (this.decisionValue !== undefined || m.from === this.p.selfMember) return out;
    if (!this.p.isAcceptable(m.value)) return withFault(out, { member: m.from, reason: "invalid_value" });
    this.decide(out, m.value, m.round);
    if (this.p.config.relayProposals ?? true) out.broadcast.push(bytes);
    return out;
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
