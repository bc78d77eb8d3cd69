import { SecretKey } from "@chainsafe/blst";
import { byteArrayEquals } from "@chainsafe/ssz";
import { evaluatePolynomial, type Polynomial, randomPolynomial } from "../field/polynomial.ts";
import { CURVE_ORDER, scalarToBytes } from "../field/scalar.ts";
import { encodeDkgMessage, MAX_DKG_PARTICIPANTS } from "./codec.ts";
import { DkgAbortedError, DkgMessageError, DkgUsageError } from "./errors.ts";
import { type CeremonyOutcome, qualifyAndCombine } from "./qualify.ts";
import { commitmentDigest, popMessage } from "./transcript.ts";
import type {
  DkgAnswerMessage,
  DkgCommitmentMessage,
  DkgComplaintsMessage,
  DkgDealerView,
  DkgMessage,
  DkgOutbound,
  DkgPhase,
  RandomSource,
} from "./types.ts";
import { type CheckedCommitment, checkCommitmentShape, shareMatchesCommitment, verifyPops } from "./verify.ts";

/**
 * The transport-independent engine shared by DKG and resharing: `dealerCount` dealers each deal a degree t-1
 * polynomial to `recipientCount` recipients, with Feldman commitments, proofs of possession, a complaint/echo round
 * and public answers. DKG: dealers = recipients and the key is the sum of the qualified dealers' constants.
 * Resharing: dealers are the old holders dealing their old shares and the key is their Lagrange combination.
 */
export type CeremonyParameters = {
  sessionId: Uint8Array;
  dealerCount: number;
  recipientCount: number;
  /** Threshold of the dealt polynomials (degree + 1). */
  threshold: number;
  /** Fewest qualified dealers that still yield a key (DKG: threshold; resharing: the old threshold). */
  minQualified: number;
  selfDealer: number | null;
  selfRecipient: number | null;
  /** Own constant term (resharing: the old share); null deals a random one. */
  secret: bigint | null;
  /** Resharing: each dealer's commitment constant must equal its old share public key (index = dealer - 1). */
  expectedConstants: readonly Uint8Array[] | null;
  combine: "sum" | "lagrange";
  /** Resharing: the key the new shares must reproduce; anything else aborts (inconsistent old share keys). */
  expectedGroupPublicKey: Uint8Array | null;
  random: RandomSource;
};

type Stored<M> = { message: M; encoded: Uint8Array };

export class Ceremony {
  private readonly p: CeremonyParameters;
  private phaseValue: DkgPhase = "idle";
  private polynomial: Polynomial | null = null;
  private readonly commitments = new Map<number, Stored<DkgCommitmentMessage>>();
  private readonly shares = new Map<number, Uint8Array>();
  private readonly equivocatedCommitments = new Set<number>();
  private readonly equivocatedShares = new Set<number>();
  /** Senders seen with two different complaints/answers: ignored (complaints) or disqualified (answers). */
  private readonly equivocatedComplaints = new Set<number>();
  private readonly equivocatedAnswers = new Set<number>();
  private readonly complaints = new Map<number, Stored<DkgComplaintsMessage>>();
  private readonly answers = new Map<number, Stored<DkgAnswerMessage>>();
  /** Commitments that passed every round-1 check, by dealer. */
  private accepted = new Map<number, CheckedCommitment>();
  private outcomeValue: CeremonyOutcome | undefined;
  private failureValue: DkgAbortedError | undefined;

  constructor(params: CeremonyParameters) {
    validateParameters(params);
    this.p = params;
  }

  get phase(): DkgPhase {
    return this.phaseValue;
  }

  /** 0 before start, 1 dealing, 2 complaints, 3 answers, 4 finished (done or aborted). */
  get round(): number {
    return { idle: 0, dealing: 1, complaining: 2, answering: 3, done: 4, aborted: 4 }[this.phaseValue];
  }

  get outcome(): CeremonyOutcome | undefined {
    return this.outcomeValue;
  }

  get failure(): DkgAbortedError | undefined {
    return this.failureValue;
  }

  start(): DkgOutbound[] {
    if (this.phaseValue !== "idle")
      throw new DkgUsageError({ code: "ERR_DKG_INVALID_PHASE", action: "start", phase: this.phaseValue });
    this.phaseValue = "dealing";
    const { selfDealer, selfRecipient, sessionId, threshold } = this.p;
    if (selfDealer === null) return [];
    const polynomial = randomPolynomial(threshold, this.p.random, this.p.secret ?? undefined);
    this.polynomial = polynomial;
    const commitments = polynomial.map((a) => SecretKey.fromBytes(scalarToBytes(a)).toPublicKey().toBytes());
    const pop = SecretKey.fromBytes(scalarToBytes(polynomial[0] as bigint))
      .sign(popMessage(sessionId, selfDealer, commitments))
      .toBytes();
    const commitment: DkgCommitmentMessage = { type: "commitment", sessionId, dealer: selfDealer, commitments, pop };
    this.commitments.set(selfDealer, { message: commitment, encoded: encodeDkgMessage(commitment) });
    const out: DkgOutbound[] = [{ to: "all", message: commitment }];
    for (let j = 1; j <= this.p.recipientCount; j++) {
      const share = scalarToBytes(evaluatePolynomial(polynomial, BigInt(j)));
      if (j === selfRecipient) this.shares.set(selfDealer, share);
      else out.push({ to: j, message: { type: "share", sessionId, dealer: selfDealer, recipient: j, share } });
    }
    return out;
  }

  receive(from: number, msg: DkgMessage): DkgOutbound[] {
    const reject = (code: "ERR_DKG_WRONG_ROUND"): DkgMessageError =>
      new DkgMessageError({ code, messageType: msg.type, phase: this.phaseValue });
    if (this.phaseValue === "done" || this.phaseValue === "aborted") throw reject("ERR_DKG_WRONG_ROUND");
    if (!byteArrayEquals(msg.sessionId, this.p.sessionId)) throw new DkgMessageError({ code: "ERR_DKG_WRONG_SESSION" });
    const claimed = msg.type === "complaints" ? msg.sender : msg.dealer;
    if (claimed !== from) throw new DkgMessageError({ code: "ERR_DKG_SENDER_MISMATCH", from, claimed });
    const senders = msg.type === "complaints" ? this.p.recipientCount : this.p.dealerCount;
    if (!Number.isInteger(from) || from < 1 || from > senders)
      throw new DkgMessageError({ code: "ERR_DKG_UNKNOWN_SENDER", from });
    const self = msg.type === "complaints" ? this.p.selfRecipient : this.p.selfDealer;
    if (from === self) throw new DkgMessageError({ code: "ERR_DKG_DUPLICATE_MESSAGE", messageType: msg.type, from });
    let encoded: Uint8Array;
    try {
      encoded = encodeDkgMessage(msg);
    } catch (e) {
      throw this.invalid(msg, from, e instanceof Error ? e.message : "unencodable");
    }
    switch (msg.type) {
      case "commitment":
        if (this.round > 1) throw reject("ERR_DKG_WRONG_ROUND");
        if (msg.commitments.length !== this.p.threshold)
          throw this.invalid(msg, from, "commitment length differs from threshold");
        this.store(this.commitments, from, msg, encoded, this.equivocatedCommitments);
        break;
      case "share":
        if (this.round > 1) throw reject("ERR_DKG_WRONG_ROUND");
        if (msg.recipient !== this.p.selfRecipient) {
          throw new DkgMessageError({
            code: "ERR_DKG_WRONG_RECIPIENT",
            recipient: msg.recipient,
            self: this.p.selfRecipient ?? 0,
          });
        }
        if (this.shares.has(from)) {
          const same = byteArrayEquals(this.shares.get(from) as Uint8Array, msg.share);
          if (!same) this.equivocatedShares.add(from);
          throw new DkgMessageError({
            code: same ? "ERR_DKG_DUPLICATE_MESSAGE" : "ERR_DKG_EQUIVOCATION",
            messageType: msg.type,
            from,
          });
        }
        this.shares.set(from, msg.share.slice());
        break;
      case "complaints":
        if (this.round > 3) throw reject("ERR_DKG_WRONG_ROUND");
        if (msg.views.length !== this.p.dealerCount) throw this.invalid(msg, from, "one view per dealer expected");
        if (this.round === 3) {
          // Too late to count, but a second version of a stored complaint set is still evidence: members that
          // learn of an equivocation a little later must still discount the complainer like the others do.
          const prev = this.complaints.get(from);
          if (prev === undefined || byteArrayEquals(prev.encoded, encoded)) throw reject("ERR_DKG_WRONG_ROUND");
        }
        this.store(this.complaints, from, msg, encoded, this.equivocatedComplaints);
        break;
      case "answer":
        if (msg.commitments.length !== this.p.threshold)
          throw this.invalid(msg, from, "commitment length differs from threshold");
        if (
          msg.revealed.some(
            (r, i) => r.recipient > this.p.recipientCount || r.recipient <= (msg.revealed[i - 1]?.recipient ?? 0),
          )
        ) {
          throw this.invalid(msg, from, "revealed recipients must be known ids in ascending order");
        }
        this.store(this.answers, from, msg, encoded, this.equivocatedAnswers);
        break;
    }
    return [];
  }

  /** True when every message this round can expect has arrived, so the transport need not wait for its timeout. */
  isRoundComplete(): boolean {
    switch (this.phaseValue) {
      case "dealing":
        return (
          this.commitments.size === this.p.dealerCount &&
          (this.p.selfRecipient === null || this.shares.size === this.p.dealerCount)
        );
      case "complaining":
        return this.complaints.size === this.p.recipientCount;
      case "answering":
        return this.disputedDealers().every((d) => this.answers.has(d));
      default:
        return false;
    }
  }

  closeRound(): DkgOutbound[] {
    switch (this.phaseValue) {
      case "dealing":
        return this.closeDealing();
      case "complaining":
        return this.closeComplaints();
      case "answering":
        this.finish();
        return [];
      default:
        throw new DkgUsageError({ code: "ERR_DKG_INVALID_PHASE", action: "closeRound", phase: this.phaseValue });
    }
  }

  private closeDealing(): DkgOutbound[] {
    const shaped: CheckedCommitment[] = [];
    for (const [dealer, stored] of this.commitments) {
      if (this.equivocatedCommitments.has(dealer)) continue;
      const expected = this.p.expectedConstants?.[dealer - 1];
      const checked = checkCommitmentShape(dealer, stored.message, this.p.threshold, expected);
      if (checked !== undefined) shaped.push(checked);
    }
    // Our own dealing was made here: its PoP and shares need no check.
    const own = this.p.selfDealer;
    const popOk = verifyPops(
      this.p.sessionId,
      shaped.filter((c) => c.dealer !== own),
    );
    if (own !== null) popOk.add(own);
    this.accepted = new Map(shaped.filter((c) => popOk.has(c.dealer)).map((c) => [c.dealer, c]));
    this.phaseValue = "complaining";
    const recipient = this.p.selfRecipient;
    if (recipient === null) return [];
    const views: DkgDealerView[] = [];
    for (let d = 1; d <= this.p.dealerCount; d++) {
      const c = this.accepted.get(d);
      const share = this.shares.get(d);
      const shareOk =
        c !== undefined &&
        share !== undefined &&
        !this.equivocatedShares.has(d) &&
        (d === own || shareMatchesCommitment(c.points, recipient, share));
      views.push({
        commitmentDigest: c === undefined ? null : commitmentDigest(this.p.sessionId, d, c.commitment.commitments),
        complaint: !shareOk,
      });
    }
    const message: DkgComplaintsMessage = { type: "complaints", sessionId: this.p.sessionId, sender: recipient, views };
    this.complaints.set(recipient, { message, encoded: encodeDkgMessage(message) });
    return [{ to: "all", message }];
  }

  private closeComplaints(): DkgOutbound[] {
    this.phaseValue = "answering";
    const dealer = this.p.selfDealer;
    const own = dealer === null ? undefined : this.commitments.get(dealer)?.message;
    if (dealer === null || own === undefined || this.polynomial === null) return [];
    const digest = commitmentDigest(this.p.sessionId, dealer, own.commitments);
    const disputed = [...this.complaints.values()]
      .map((c) => c.message)
      .filter((m) => {
        const v = m.views[dealer - 1] as DkgDealerView;
        return v.complaint || v.commitmentDigest === null || !byteArrayEquals(v.commitmentDigest, digest);
      })
      .map((m) => m.sender)
      .sort((a, b) => a - b);
    // Revealing t or more shares would publish the whole polynomial; such a dealer is disqualified anyway.
    if (disputed.length === 0 || disputed.length >= this.p.threshold) return [];
    const polynomial = this.polynomial;
    const message: DkgAnswerMessage = {
      type: "answer",
      sessionId: this.p.sessionId,
      dealer,
      commitments: own.commitments,
      pop: own.pop,
      revealed: disputed.map((j) => ({
        recipient: j,
        share: scalarToBytes(evaluatePolynomial(polynomial, BigInt(j))),
      })),
    };
    this.answers.set(dealer, { message, encoded: encodeDkgMessage(message) });
    return [{ to: "all", message }];
  }

  private finish(): void {
    this.polynomial = null;
    const result = qualifyAndCombine({
      params: this.p,
      accepted: this.accepted,
      shares: this.shares,
      // Two different broadcasts from one sender: its complaints count as never sent, its answer as a failed one,
      // so members that saw the two versions in different orders still decide the same QUAL.
      complaints: [...this.complaints]
        .filter(([sender]) => !this.equivocatedComplaints.has(sender))
        .map(([, c]) => c.message),
      answers: new Map([...this.answers].map(([d, a]) => [d, a.message])),
      disqualified: this.equivocatedAnswers,
    });
    // Received secret shares are folded into the outcome; drop them so they do not outlive the ceremony.
    for (const share of this.shares.values()) share.fill(0);
    this.shares.clear();
    const expected = this.p.expectedGroupPublicKey;
    const groupKey = result.outcome?.groupPublicKey ?? null;
    const mismatch = expected !== null && groupKey !== null && !byteArrayEquals(expected, groupKey);
    if (result.qualified.length < this.p.minQualified || result.outcome === undefined || mismatch) {
      this.phaseValue = "aborted";
      this.failureValue = new DkgAbortedError({
        code: "ERR_DKG_ABORTED",
        reason: mismatch ? "group_key_mismatch" : "insufficient_qualified_dealers",
        qualified: result.qualified.join(","),
        needed: this.p.minQualified,
      });
      throw this.failureValue;
    }
    this.outcomeValue = result.outcome;
    this.phaseValue = "done";
  }

  /**
   * Dealers expected to answer: some recipient complained or echoed another digest, and fewer than `threshold`
   * recipients disagree with the best-supported commitment (beyond that a dealer is disqualified without answer).
   */
  private disputedDealers(): number[] {
    const out: number[] = [];
    // An equivocating complainer's complaints count as never sent (as in `finish`): nobody waits for answers to them.
    const views = [...this.complaints]
      .filter(([sender]) => !this.equivocatedComplaints.has(sender))
      .map(([, c]) => c.message.views);
    for (let d = 1; d <= this.p.dealerCount; d++) {
      const support = new Map<string, number>();
      for (const v of views) {
        const x = v[d - 1] as DkgDealerView;
        if (x.complaint || x.commitmentDigest === null) continue;
        const key = Buffer.from(x.commitmentDigest).toString("hex");
        support.set(key, (support.get(key) ?? 0) + 1);
      }
      const best = Math.max(0, ...support.values());
      const disputes = views.length - best;
      if (disputes > 0 && disputes < this.p.threshold) out.push(d);
    }
    return out;
  }

  private store<M extends DkgMessage>(
    map: Map<number, Stored<M>>,
    from: number,
    message: M,
    encoded: Uint8Array,
    equivocated: Set<number>,
  ): void {
    const prev = map.get(from);
    if (prev !== undefined) {
      const same = byteArrayEquals(prev.encoded, encoded);
      if (!same) equivocated.add(from);
      throw new DkgMessageError({
        code: same ? "ERR_DKG_DUPLICATE_MESSAGE" : "ERR_DKG_EQUIVOCATION",
        messageType: message.type,
        from,
      });
    }
    map.set(from, { message, encoded });
  }

  private invalid(msg: DkgMessage, from: number, reason: string): DkgMessageError {
    return new DkgMessageError({ code: "ERR_DKG_INVALID_MESSAGE", messageType: msg.type, from, reason });
  }
}

function validateParameters(p: CeremonyParameters): void {
  const fail = (reason: string): never => {
    throw new DkgUsageError({ code: "ERR_DKG_INVALID_CONFIG", reason });
  };
  if (p.sessionId.length !== 32) fail("sessionId must be 32 bytes");
  for (const [name, n] of [
    ["dealers", p.dealerCount],
    ["recipients", p.recipientCount],
  ] as const) {
    if (!Number.isInteger(n) || n < 1 || n > MAX_DKG_PARTICIPANTS) fail(`${name} must be 1..${MAX_DKG_PARTICIPANTS}`);
  }
  if (!Number.isInteger(p.threshold) || p.threshold < 1 || p.threshold > p.recipientCount) {
    fail(`threshold ${p.threshold} must be 1..${p.recipientCount}`);
  }
  if (!Number.isInteger(p.minQualified) || p.minQualified < 1 || p.minQualified > p.dealerCount) {
    fail(`at least ${p.minQualified} qualified dealers required of ${p.dealerCount}`);
  }
  if (p.selfDealer !== null && (!Number.isInteger(p.selfDealer) || p.selfDealer < 1 || p.selfDealer > p.dealerCount)) {
    fail(`self dealer id ${p.selfDealer} out of range`);
  }
  if (
    p.selfRecipient !== null &&
    (!Number.isInteger(p.selfRecipient) || p.selfRecipient < 1 || p.selfRecipient > p.recipientCount)
  ) {
    fail(`self recipient id ${p.selfRecipient} out of range`);
  }
  if (p.selfDealer === null && p.selfRecipient === null) fail("participant is neither dealer nor recipient");
  if (p.secret !== null && (p.secret <= 0n || p.secret >= CURVE_ORDER)) fail("secret out of range [1, r)");
  if (p.expectedConstants !== null && p.expectedConstants.length !== p.dealerCount)
    fail("one expected constant per dealer");
}
