import type { Logger } from "../../logger/logger.ts";
import type { Acceptance, Agreement, Duty, DutyType } from "../interfaces.ts";
import { PipelineError } from "../pipelineError.ts";
import { DutyMessageKind, type DutyTransport } from "../transport.ts";
import { decodeBody, decodeEnvelope, hashValue } from "./codec.ts";
import { createAgreement, validateAgreementConfig } from "./create.ts";
import type { AgreementConfig, AgreementFault, AgreementInstance, AgreementOutput } from "./types.ts";

/**
 * The cluster-level duty an agreement instance decides: one per (slot, duty type), holding the data of every cluster
 * validator of that slot (one instance per validator would cost ~125,000 messages per slot at 10,000 validators).
 * `validator` is fixed to 0 so every operator derives the same instance id and leader.
 */
export function agreementDuty(slot: number, type: DutyType): Duty {
  return { slot, type, validator: 0 };
}

/** A fault of an agreement message, attributed by share index (1..n) like every other fault of the pipeline. */
export type AttributedAgreementFault = {
  /** Share index of the operator that provably sent the message, or `undefined` when it could not be authenticated. */
  readonly shareIndex: number | undefined;
  readonly reason: AgreementFault["reason"] | "over_quota";
};

export type AgreementRunnerOptions = {
  transport: DutyTransport;
  config: AgreementConfig;
  /** This operator's share index, 1..operators (the instances use the member index `shareIndex − 1`). */
  shareIndex: number;
  sign: (body: Uint8Array) => Uint8Array;
  /** Verifies a body signed by the operator of member index `from` (0-based, as the transport attributes it). */
  verify: (from: number, body: Uint8Array, signature: Uint8Array) => boolean;
  logger: Logger;
  /** Instances (and buffered messages) are kept only for slots accepted here (replays of old slots are dropped). */
  acceptSlot: (slot: number) => boolean;
  onFault?: (fault: AttributedAgreementFault, duty: Duty) => void;
  now?: () => number;
};

type Running = {
  instance: AgreementInstance;
  resolve: (value: Uint8Array) => void;
  reject: (e: Error) => void;
  settled: boolean;
  /** Envelopes handled per sender (member index): the per-peer quota of a running instance. */
  received: Map<number, number>;
  /** Set while the instance's last validity call answered "wait": its `invalid_value` fault is not the leader's. */
  pendingVerdict: boolean;
  /** Values (sha256 hex) whose validity was already waited for once. */
  waited: Set<string>;
  /** Faults reported for this instance (member/reason): each once, however often a message repeats. */
  reported: Set<string>;
};

/**
 * Per-peer quotas. Every envelope costs an Ed25519 verification and buffered ones cost memory, so each member gets its
 * own share: one member flooding the cluster can exhaust only its own quota, never crowd out the others' messages.
 * An honest member sends at most a few envelopes per round (one-round: a proposal and relays; QBFT: PRE-PREPARE,
 * PREPARE, COMMIT, ROUND-CHANGE, DECIDED) plus, in QBFT, one DECIDED proof per lagging operator and round; the quotas
 * are a multiple of that. Worst case per instance: `(8 + n) × (maxRounds + 1)` verifications per member (n = 16,
 * 6 rounds: 168, ~8 ms of CPU).
 */
const ENVELOPES_PER_SENDER_PER_ROUND = 8;
/** Envelopes buffered per sender and instance before the instance starts (peers may start a few ms earlier). */
const MAX_BUFFERED_PER_SENDER = 32;
/** Envelopes buffered per sender over all instances not started yet (a slot has at most a handful of instances). */
const MAX_BUFFERED_PER_SENDER_TOTAL = 256;

type Buffered = { duty: Duty; bySender: Map<number, Uint8Array[]>; overQuota: Set<number> };

/**
 * The pipeline's {@link Agreement} step: drives the pure agreement instances from the network and one timer. Starts
 * an instance per `decide` call, feeds it the envelopes received for it (buffering those that arrive before it
 * starts), ticks it at its deadlines and broadcasts what it outputs. Resolves with the decided value; rejects when the
 * instance gives up (max rounds). It is the boundary between share indices (outside) and member indices (inside).
 */
export class AgreementRunner implements Agreement {
  private readonly opts: AgreementRunnerOptions;
  private readonly running = new Map<string, Running>();
  private readonly buffered = new Map<string, Buffered>();
  /** Envelopes buffered per sender over all instances (the total quota). */
  private readonly bufferedBySender = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly now: () => number;

  constructor(opts: AgreementRunnerOptions) {
    validateAgreementConfig(opts.config);
    this.opts = opts;
    this.now = opts.now ?? Date.now;
    opts.transport.onMessage(DutyMessageKind.agreement, (from, payload) => this.receive(from, payload));
  }

  /**
   * Runs agreement on the (slot, type) instance with this operator's local value. `isAcceptable` must check the
   * value against this operator's own beacon view and slashing protection (it is called synchronously); when it
   * answers with a promise (a bounded wait on the beacon node), the value counts as refused until the promise settles,
   * then the instance reconsiders it once.
   */
  decide(
    slot: number,
    type: DutyType,
    localValue: Uint8Array,
    isAcceptable: (value: Uint8Array) => Acceptance,
    signal: AbortSignal,
  ): Promise<Uint8Array> {
    const duty = agreementDuty(slot, type);
    const key = `${slot}/${type}`;
    if (this.running.has(key)) {
      return Promise.reject(new PipelineError({ code: "ERR_DUTY_CONFLICT", duty: key }));
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      const verdict = (v: Uint8Array): boolean => {
        let answer: Acceptance;
        try {
          answer = isAcceptable(v);
        } catch {
          return false;
        }
        if (typeof answer === "boolean") return answer;
        const h = Buffer.from(hashValue(v)).toString("hex");
        run.pendingVerdict = true;
        if (!run.waited.has(h)) {
          run.waited.add(h);
          const again = () => this.reconsider(key, run);
          answer.then(again, again);
        }
        return false;
      };
      const instance = createAgreement({
        config: this.opts.config,
        duty,
        selfMember: this.opts.shareIndex - 1,
        localValue,
        isAcceptable: verdict,
        sign: this.opts.sign,
        verify: this.opts.verify,
      });
      const run: Running = {
        instance,
        resolve,
        reject,
        settled: false,
        received: new Map(),
        pendingVerdict: false,
        waited: new Set(),
        reported: new Set(),
      };
      this.running.set(key, run);
      signal.addEventListener(
        "abort",
        () => this.settle(key, run, new PipelineError({ code: "ERR_DUTY_ABORTED", duty: key })),
        { once: true },
      );
      this.apply(key, run, instance.start(this.now()));
      for (const [from, env] of this.takeBuffered(key)) {
        if (run.settled && instance.decision === undefined) break;
        this.handle(key, run, from, env);
      }
      this.schedule();
    });
  }

  /** Envelopes buffered for an instance, interleaved by sender (no sender's backlog goes first), and unbuffers them. */
  private takeBuffered(key: string): [number, Uint8Array][] {
    const b = this.buffered.get(key);
    this.buffered.delete(key);
    if (b === undefined) return [];
    const out: [number, Uint8Array][] = [];
    const queues = [...b.bySender].map(([from, envs]) => ({ from, envs: [...envs] }));
    for (const { from, envs } of queues) this.unbuffer(from, envs.length);
    for (let i = 0; queues.some((q) => q.envs.length > i); i++) {
      for (const q of queues) {
        const env = q.envs[i];
        if (env !== undefined) out.push([q.from, env]);
      }
    }
    return out;
  }

  private unbuffer(from: number, count: number): void {
    const left = (this.bufferedBySender.get(from) ?? 0) - count;
    if (left > 0) this.bufferedBySender.set(from, left);
    else this.bufferedBySender.delete(from);
  }

  /** Feeds one envelope of `from` to a running instance within that sender's quota. */
  private handle(key: string, run: Running, from: number, payload: Uint8Array): void {
    const count = (run.received.get(from) ?? 0) + 1;
    run.received.set(from, count);
    const { operators, maxRounds } = this.opts.config;
    const quota = (ENVELOPES_PER_SENDER_PER_ROUND + operators) * (maxRounds + 1);
    if (count > quota) {
      if (count === quota + 1) this.fault({ member: from, reason: "over_quota" }, run.instance.duty);
      return;
    }
    this.apply(key, run, run.instance.receive(payload, this.now()));
  }

  /** A validity wait settled: the instance asks again about the values it refused meanwhile. */
  private reconsider(key: string, run: Running): void {
    if (run.settled || this.running.get(key) !== run) return;
    this.apply(key, run, run.instance.reconsider(this.now()));
    this.schedule();
  }

  /** Drops finished instances and buffers of slots below `slot`. */
  prune(slot: number): void {
    for (const [key, run] of this.running) {
      if (run.instance.duty.slot < slot) {
        this.settle(key, run, new PipelineError({ code: "ERR_DUTY_ABORTED", duty: key }));
        this.running.delete(key);
      }
    }
    for (const [key, b] of this.buffered) {
      if (b.duty.slot >= slot) continue;
      for (const [from, envs] of b.bySender) this.unbuffer(from, envs.length);
      this.buffered.delete(key);
    }
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.prune(Number.MAX_SAFE_INTEGER);
  }

  private receive(from: number, payload: Uint8Array): void {
    let duty: Duty;
    try {
      duty = decodeBody(decodeEnvelope(payload, this.opts.config.maxMessageBytes).body, Number.MAX_SAFE_INTEGER).duty;
    } catch {
      this.fault({ member: from, reason: "malformed" }, agreementDuty(0, "attester"));
      return;
    }
    if (!this.opts.acceptSlot(duty.slot)) return;
    const key = `${duty.slot}/${duty.type}`;
    const run = this.running.get(key);
    if (run === undefined) {
      this.buffer(key, duty, from, payload);
      return;
    }
    this.handle(key, run, from, payload);
    this.schedule();
  }

  /** Holds an envelope of an instance not started here yet, within the sender's quotas. */
  private buffer(key: string, duty: Duty, from: number, payload: Uint8Array): void {
    const b = this.buffered.get(key) ?? {
      duty: agreementDuty(duty.slot, duty.type),
      bySender: new Map(),
      overQuota: new Set(),
    };
    const mine = b.bySender.get(from) ?? [];
    const total = this.bufferedBySender.get(from) ?? 0;
    if (mine.length >= MAX_BUFFERED_PER_SENDER || total >= MAX_BUFFERED_PER_SENDER_TOTAL) {
      if (!b.overQuota.has(from)) this.fault({ member: from, reason: "over_quota" }, b.duty);
      b.overQuota.add(from);
      this.buffered.set(key, b);
      return;
    }
    mine.push(payload);
    b.bySender.set(from, mine);
    this.buffered.set(key, b);
    this.bufferedBySender.set(from, total + 1);
  }

  private apply(key: string, run: Running, out: AgreementOutput): void {
    const pending = run.pendingVerdict;
    run.pendingVerdict = false;
    for (const f of out.faults) {
      // Refused only while waiting on this operator's beacon node: not (yet) the leader's fault.
      if (pending && f.reason === "invalid_value") continue;
      const id = `${f.member}/${f.reason}`;
      if (f.member !== undefined && run.reported.has(id)) continue;
      run.reported.add(id);
      this.fault(f, run.instance.duty);
    }
    for (const env of out.broadcast) {
      void this.opts.transport.broadcast(DutyMessageKind.agreement, env).catch((e) => {
        this.opts.logger.debug("Agreement broadcast failed", { key, reason: (e as Error).message });
      });
    }
    if (out.decided !== undefined && !run.settled) {
      run.settled = true;
      run.resolve(out.decided.value);
    }
    if (run.instance.nextDeadline() === undefined && run.instance.decision === undefined) {
      this.settle(key, run, new PipelineError({ code: "ERR_DUTY_ABORTED", duty: key }));
    }
  }

  private fault(f: AgreementFault | { member: number; reason: "over_quota" }, duty: Duty): void {
    this.opts.onFault?.({ shareIndex: f.member === undefined ? undefined : f.member + 1, reason: f.reason }, duty);
  }

  private settle(_key: string, run: Running, error: Error): void {
    if (run.settled) return;
    run.settled = true;
    run.reject(error);
  }

  private schedule(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const run of this.running.values()) {
      const d = run.instance.nextDeadline();
      if (d !== undefined && d < next) next = d;
    }
    if (next === this.timerAt) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = next;
    if (next === Number.POSITIVE_INFINITY) return;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, next - this.now()));
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.now();
    for (const [key, run] of this.running) {
      const d = run.instance.nextDeadline();
      if (d !== undefined && d <= now) this.apply(key, run, run.instance.tick(now));
    }
    this.schedule();
  }
}
