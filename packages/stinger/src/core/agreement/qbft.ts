/**
 * QBFT (Moniz, "The Istanbul BFT Consensus Algorithm", 2020; as used by Obol and SSV): PRE-PREPARE / PREPARE / COMMIT
 * with justified round changes. The baseline the one-round protocol is measured against, and a fallback.
 *
 * - The round leader broadcasts PRE-PREPARE(r, v). Round 1 needs no justification; round r > 1 carries a quorum of
 *   ROUND-CHANGE(r) and, if any of them reports a prepared value, the prepare quorum of the highest one — and then v
 *   must be that value (this is what keeps a value that may have been decided in an earlier round).
 * - On a valid PRE-PREPARE an operator broadcasts PREPARE(r, H(v)); on a quorum of PREPAREs it records
 *   (preparedRound, preparedValue) and broadcasts COMMIT; on a quorum of COMMITs it decides and broadcasts DECIDED with
 *   the commit quorum, so operators that missed messages catch up; a decided operator re-sends that proof to an
 *   operator still changing rounds (e.g. one that restarted), once per (operator, round).
 * - On timeout it moves to r+1 and broadcasts ROUND-CHANGE(r+1, pr, H(pv)) with the prepared certificate attached;
 *   f+1 round changes for higher rounds make it jump to the smallest of them.
 */
import { authenticate, seal } from "./authenticate.ts";
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  type Envelope,
  encodeEnvelope,
  encodePreparedCertificate,
  hashValue,
  MessageKind,
} from "./codec.ts";
import { leaderOf, leaderOffset } from "./leader.ts";
import { emptyOutput, type OutputBuilder, withFault } from "./output.ts";
import { hasQuorum, justifyPrePrepare, verifyCertificate } from "./qbftJustification.ts";
import type { AgreementDecision, AgreementInstance, AgreementInstanceParams, AgreementOutput } from "./types.ts";

type RoundChange = { readonly preparedRound: number; readonly preparedHash: string; readonly stripped: Uint8Array };
type Prepared = { readonly round: number; readonly value: Uint8Array; readonly prepares: Uint8Array[] };

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

export class QbftAgreement implements AgreementInstance {
  private readonly p: AgreementInstanceParams;
  private readonly offset: number;
  private readonly faultyMax: number;
  private readonly maxBytes: number;
  private currentRound = 1;
  private roundEnd = 0;
  private started = false;
  private decisionValue: AgreementDecision | undefined;
  private prepared: Prepared | undefined;
  /** Hash of the PRE-PREPARE accepted per round (at most one). */
  private readonly accepted = new Map<number, string>();
  private readonly values = new Map<string, Uint8Array>();
  /** round → value hash → sender → stripped envelope. */
  private readonly prepares = new Map<number, Map<string, Map<number, Uint8Array>>>();
  private readonly commits = new Map<number, Map<string, Map<number, Uint8Array>>>();
  /** round → sender → round change. */
  private readonly roundChanges = new Map<number, Map<number, RoundChange>>();
  private readonly committedRounds = new Set<number>();
  private readonly proposedRounds = new Set<number>();
  /** The DECIDED envelope (own or received) and the operators it was re-sent to after they fell behind. */
  private decidedProof: Uint8Array | undefined;
  private readonly proofSentTo = new Set<string>();
  /** Justified PRE-PREPAREs this operator refused, by round: asked about again on {@link reconsider}. */
  private readonly refused = new Map<
    number,
    { from: number; value: Uint8Array; justification: readonly Uint8Array[] }
  >();

  constructor(params: AgreementInstanceParams) {
    this.p = params;
    const { operators } = params.config;
    this.offset = leaderOffset(params.config.clusterId, params.duty, operators);
    this.faultyMax = Math.floor((operators - 1) / 3);
    this.maxBytes = params.config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
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
    if (this.isLeader(1) && this.p.isAcceptable(this.p.localValue)) {
      this.proposedRounds.add(1);
      this.emit(out, now, { kind: MessageKind.prePrepare, round: 1, value: this.p.localValue, justification: [] });
    }
    return out;
  }

  tick(now: number): AgreementOutput {
    const out = emptyOutput();
    if (this.started && this.decisionValue === undefined && now >= this.roundEnd) {
      if (this.currentRound >= this.p.config.maxRounds) {
        this.roundEnd = Number.POSITIVE_INFINITY;
      } else {
        this.enterRound(out, now, this.currentRound + 1);
      }
    }
    return out;
  }

  reconsider(now: number): AgreementOutput {
    const out = emptyOutput();
    for (const [round, r] of [...this.refused]) {
      this.refused.delete(round);
      if (round >= this.currentRound && this.decisionValue === undefined)
        this.onPrePrepare(out, now, r.from, round, r.value, r.justification);
    }
    return out;
  }

  nextDeadline(): number | undefined {
    if (!this.started || this.decisionValue !== undefined || !Number.isFinite(this.roundEnd)) return undefined;
    return this.roundEnd;
  }

  receive(bytes: Uint8Array, now: number): AgreementOutput {
    const out = emptyOutput();
    const auth = authenticate(this.p, bytes);
    if (!auth.ok) return withFault(out, auth.fault);
    if (auth.envelope.message.from === this.p.selfMember) return out;
    this.handle(out, now, auth.envelope);
    return out;
  }

  private handle(out: OutputBuilder, now: number, e: Envelope): void {
    const m = e.message;
    switch (m.kind) {
      case MessageKind.prePrepare:
        this.onPrePrepare(out, now, m.from, m.round, m.value, m.justification);
        return;
      case MessageKind.prepare:
        this.onVote(out, now, this.prepares, m.from, m.round, hex(m.valueHash), strip(e));
        return;
      case MessageKind.commit:
        this.onVote(out, now, this.commits, m.from, m.round, hex(m.valueHash), strip(e));
        return;
      case MessageKind.roundChange:
        this.onRoundChange(out, now, m.from, m.round, m.preparedRound, hex(m.preparedValueHash), e);
        return;
      case MessageKind.decided:
        this.onDecided(out, m.from, m.round, m.value, m.justification, strip(e));
        return;
      default:
        out.faults.push({ member: m.from, reason: "malformed" });
    }
  }

  private onPrePrepare(
    out: OutputBuilder,
    now: number,
    from: number,
    round: number,
    value: Uint8Array,
    justification: readonly Uint8Array[],
  ): void {
    if (from !== this.leader(round)) {
      out.faults.push({ member: from, reason: "not_leader" });
      return;
    }
    if (round < this.currentRound || this.decisionValue !== undefined) return;
    const h = hex(hashValue(value));
    const seen = this.accepted.get(round);
    if (seen !== undefined) {
      if (seen !== h) out.faults.push({ member: from, reason: "equivocation" });
      return;
    }
    if (round > 1 && !justifyPrePrepare(this.p, round, h, justification)) {
      out.faults.push({ member: from, reason: "unjustified" });
      return;
    }
    if (!this.p.isAcceptable(value)) {
      this.refused.set(round, { from, value, justification });
      out.faults.push({ member: from, reason: "invalid_value" });
      return;
    }
    if (round > this.currentRound) this.startTimer(now, round);
    this.accepted.set(round, h);
    this.values.set(h, value);
    this.emit(out, now, { kind: MessageKind.prepare, round, valueHash: hashValue(value) });
    // Votes for this value may have arrived before the PRE-PREPARE.
    this.checkPrepareQuorum(out, now, round, h);
    this.checkCommitQuorum(out, round, h);
  }

  private onVote(
    out: OutputBuilder,
    now: number,
    store: Map<number, Map<string, Map<number, Uint8Array>>>,
    from: number,
    round: number,
    h: string,
    stripped: Uint8Array,
  ): void {
    const byHash = getOrCreate(store, round, () => new Map());
    for (const [otherHash, senders] of byHash) {
      if (otherHash !== h && senders.has(from)) {
        out.faults.push({ member: from, reason: "equivocation" });
        return;
      }
    }
    const senders = getOrCreate(byHash, h, () => new Map());
    if (senders.has(from)) return;
    senders.set(from, stripped);
    if (store === this.prepares) this.checkPrepareQuorum(out, now, round, h);
    else this.checkCommitQuorum(out, round, h);
  }

  private checkPrepareQuorum(out: OutputBuilder, now: number, round: number, h: string): void {
    const senders = this.prepares.get(round)?.get(h);
    if (!senders || senders.size < this.p.config.quorum) return;
    if (round !== this.currentRound || this.accepted.get(round) !== h || this.committedRounds.has(round)) return;
    if (this.decisionValue !== undefined) return;
    const value = this.values.get(h);
    if (!value) return;
    this.committedRounds.add(round);
    this.prepared = { round, value, prepares: [...senders.values()].slice(0, this.p.config.quorum) };
    this.emit(out, now, { kind: MessageKind.commit, round, valueHash: hashValue(value) });
  }

  private checkCommitQuorum(out: OutputBuilder, round: number, h: string): void {
    const senders = this.commits.get(round)?.get(h);
    if (!senders || senders.size < this.p.config.quorum || this.decisionValue !== undefined) return;
    const value = this.values.get(h);
    if (!value || !this.p.isAcceptable(value)) return;
    this.decisionValue = { value, round };
    out.decided = this.decisionValue;
    const justification = [...senders.values()].slice(0, this.p.config.quorum);
    this.decidedProof = this.sealMessage({ kind: MessageKind.decided, round, value, justification });
    out.broadcast.push(this.decidedProof);
  }

  private onDecided(
    out: OutputBuilder,
    from: number,
    round: number,
    value: Uint8Array,
    justification: readonly Uint8Array[],
    envelope: Uint8Array,
  ): void {
    if (this.decisionValue !== undefined) return;
    const h = hashValue(value);
    if (!hasQuorum(this.p, justification, MessageKind.commit, round, h)) {
      out.faults.push({ member: from, reason: "unjustified" });
      return;
    }
    if (!this.p.isAcceptable(value)) return;
    this.decisionValue = { value, round };
    out.decided = this.decisionValue;
    // The received proof is signed by its sender and self-verifying, so it can be forwarded as is.
    this.decidedProof = envelope;
  }

  private onRoundChange(
    out: OutputBuilder,
    now: number,
    from: number,
    round: number,
    preparedRound: number,
    preparedHash: string,
    e: Envelope,
  ): void {
    if (this.decisionValue !== undefined) {
      // A lagging operator (e.g. restarted) is changing rounds after the cluster decided: send it the proof, once per
      // (operator, round) — per round, so replays of its old round changes cannot use up its answer.
      const key = `${from}/${round}`;
      if (this.decidedProof !== undefined && !this.proofSentTo.has(key)) {
        this.proofSentTo.add(key);
        out.broadcast.push(this.decidedProof);
      }
      return;
    }
    if (preparedRound > 0) {
      // The attachment must prove the prepared claim: the value and a prepare quorum for (preparedRound, value).
      const cert = verifyCertificate(this.p, this.maxBytes, e.attachment, preparedRound, preparedHash);
      if (!cert) {
        out.faults.push({ member: from, reason: "unjustified" });
        return;
      }
      this.values.set(preparedHash, cert.value);
      this.rememberPrepares(preparedRound, preparedHash, cert.prepares);
    }
    const bySender = getOrCreate(this.roundChanges, round, () => new Map());
    if (bySender.has(from)) return;
    bySender.set(from, { preparedRound, preparedHash, stripped: strip(e) });

    // f+1 operators are in higher rounds: at least one honest timed out, so follow to the smallest of their rounds.
    const ahead = new Map<number, number>();
    for (const [r, senders] of this.roundChanges) {
      if (r <= this.currentRound) continue;
      for (const s of senders.keys()) ahead.set(s, Math.min(ahead.get(s) ?? r, r));
    }
    if (ahead.size > this.faultyMax) this.enterRound(out, now, Math.min(...ahead.values()));
    else this.tryLeadRound(out, now, round);
  }

  private enterRound(out: OutputBuilder, now: number, round: number): void {
    this.startTimer(now, round);
    const pr = this.prepared;
    const attachment = pr ? encodePreparedCertificate({ value: pr.value, prepares: pr.prepares }) : undefined;
    this.emit(
      out,
      now,
      {
        kind: MessageKind.roundChange,
        round,
        preparedRound: pr?.round ?? 0,
        preparedValueHash: pr ? hashValue(pr.value) : new Uint8Array(32),
      },
      attachment,
    );
    this.tryLeadRound(out, now, round);
  }

  private tryLeadRound(out: OutputBuilder, now: number, round: number): void {
    if (round !== this.currentRound || !this.isLeader(round) || this.proposedRounds.has(round)) return;
    const rcs = this.roundChanges.get(round);
    if (!rcs || rcs.size < this.p.config.quorum) return;
    const quorum = [...rcs.values()].slice(0, this.p.config.quorum);
    const highest = quorum.reduce((a, b) => (b.preparedRound > a.preparedRound ? b : a));
    let value = this.p.localValue;
    const justification = quorum.map((rc) => rc.stripped);
    if (highest.preparedRound > 0) {
      const v = this.values.get(highest.preparedHash);
      const prepares = this.prepares.get(highest.preparedRound)?.get(highest.preparedHash);
      if (!v || !prepares || prepares.size < this.p.config.quorum) return;
      value = v;
      justification.push(...[...prepares.values()].slice(0, this.p.config.quorum));
    } else if (!this.p.isAcceptable(value)) {
      return;
    }
    this.proposedRounds.add(round);
    this.emit(out, now, { kind: MessageKind.prePrepare, round, value, justification });
  }

  private rememberPrepares(round: number, h: string, envelopes: readonly Uint8Array[]): void {
    const byHash = getOrCreate(this.prepares, round, () => new Map());
    const senders = getOrCreate(byHash, h, () => new Map());
    for (const bytes of envelopes) {
      const auth = authenticate(this.p, bytes);
      if (auth.ok && !senders.has(auth.envelope.message.from))
        senders.set(auth.envelope.message.from, strip(auth.envelope));
    }
  }

  private startTimer(now: number, round: number): void {
    this.currentRound = round;
    this.roundEnd = now + this.p.config.roundTimeoutMs(round);
  }

  private leader(round: number): number {
    return leaderOf(this.offset, round, this.p.config.operators);
  }

  private isLeader(round: number): boolean {
    return this.leader(round) === this.p.selfMember;
  }

  private sealMessage(
    body: DistributiveOmit<Parameters<typeof seal>[1], "clusterId" | "duty" | "from">,
    attachment?: Uint8Array,
  ): Uint8Array {
    return seal(
      this.p,
      { ...body, clusterId: this.p.config.clusterId, duty: this.p.duty, from: this.p.selfMember } as Parameters<
        typeof seal
      >[1],
      attachment,
    );
  }

  /** Broadcasts a message and delivers it to this operator too (its own vote counts). */
  private emit(
    out: OutputBuilder,
    now: number,
    body: DistributiveOmit<Parameters<typeof seal>[1], "clusterId" | "duty" | "from">,
    attachment?: Uint8Array,
  ): void {
    const bytes = this.sealMessage(body, attachment);
    out.broadcast.push(bytes);
    const auth = authenticate(this.p, bytes);
    if (auth.ok) this.handle(out, now, auth.envelope);
  }
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The envelope without its attachment: what goes into justifications. */
function strip(e: Envelope): Uint8Array {
  return encodeEnvelope(e.body, e.signature);
}
