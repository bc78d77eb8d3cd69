import type { Logger } from "../../logger/logger.ts";
import type { Agreement, Duty, DutyType } from "../interfaces.ts";
import { PipelineError } from "../pipelineError.ts";
import { DutyMessageKind, type DutyTransport } from "../transport.ts";
import { decodeBody, decodeEnvelope } from "./codec.ts";
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
  readonly reason: AgreementFault["reason"];
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
};

/** Envelopes buffered per instance before it starts (peers may start a few ms earlier). */
const MAX_BUFFERED_PER_INSTANCE = 64;

/**
 * The pipeline's {@link Agreement} step: drives the pure agreement instances from the network and one timer. Starts
 * an instance per `decide` call, feeds it the envelopes received for it (buffering those that arrive before it
 * starts), ticks it at its deadlines and broadcasts what it outputs. Resolves with the decided value; rejects when the
 * instance gives up (max rounds). It is the boundary between share indices (outside) and member indices (inside).
 */
export class AgreementRunner implements Agreement {
  private readonly opts: AgreementRunnerOptions;
  private readonly running = new Map<string, Running>();
  private readonly buffered = new Map<string, { slot: number; envelopes: Uint8Array[] }>();
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
   * value against this operator's own beacon view and slashing protection (it is called synchronously).
   */
  decide(
    slot: number,
    type: DutyType,
    localValue: Uint8Array,
    isAcceptable: (value: Uint8Array) => boolean,
    signal: AbortSignal,
  ): Promise<Uint8Array> {
    const duty = agreementDuty(slot, type);
    const key = `${slot}/${type}`;
    if (this.running.has(key)) {
      return Promise.reject(new PipelineError({ code: "ERR_DUTY_CONFLICT", duty: key }));
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      const instance = createAgreement({
        config: this.opts.config,
        duty,
        selfMember: this.opts.shareIndex - 1,
        localValue,
        isAcceptable: (v) => {
          try {
            return isAcceptable(v);
          } catch {
            return false;
          }
        },
        sign: this.opts.sign,
        verify: this.opts.verify,
      });
      const run: Running = { instance, resolve, reject, settled: false };
      this.running.set(key, run);
      signal.addEventListener(
        "abort",
        () => this.settle(key, run, new PipelineError({ code: "ERR_DUTY_ABORTED", duty: key })),
        { once: true },
      );
      this.apply(key, run, instance.start(this.now()));
      const early = this.buffered.get(key);
      this.buffered.delete(key);
      for (const env of early?.envelopes ?? []) {
        if (run.settled && instance.decision === undefined) break;
        this.apply(key, run, instance.receive(env, this.now()));
      }
      this.schedule();
    });
  }

  /** Drops finished instances and buffers of slots below `slot`. */
  prune(slot: number): void {
    for (const [key, run] of this.running) {
      if (run.instance.duty.slot < slot) {
        this.settle(key, run, new PipelineError({ code: "ERR_DUTY_ABORTED", duty: key }));
        this.running.delete(key);
      }
    }
    for (const [key, b] of this.buffered) if (b.slot < slot) this.buffered.delete(key);
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
      const b = this.buffered.get(key) ?? { slot: duty.slot, envelopes: [] };
      if (b.envelopes.length < MAX_BUFFERED_PER_INSTANCE) b.envelopes.push(payload);
      this.buffered.set(key, b);
      return;
    }
    this.apply(key, run, run.instance.receive(payload, this.now()));
    this.schedule();
  }

  private apply(key: string, run: Running, out: AgreementOutput): void {
    for (const f of out.faults) this.fault(f, run.instance.duty);
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

  private fault(f: AgreementFault, duty: Duty): void {
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
