import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import {
  type CombineBatchOutcome,
  type CombinePartialSignaturesParameters,
  combinePartialSignaturesBatch,
  ThresholdError,
} from "@nektar/crypto";
import { type AggregatedSignature, dutyKey, type ParSignedData, type SigAgg } from "../interfaces.ts";
import { PipelineError } from "../pipelineError.ts";
import type { ValidatorKeys } from "../signer/validatorKeys.ts";

/** Called with the share indices whose partials did not verify (attributed faults). */
export type BadPartialHandler = (duty: ParSignedData["duty"], shareIndices: number[]) => void;

/**
 * Validators combined per event-loop turn: ~1 ms each, so agreement and gossip messages wait at most tens of ms
 * behind a slot's worth of combinations instead of the whole slot's.
 */
export const COMBINE_CHUNK = 32;

/** Slots for which an operator whose partial failed verification stays suspect (its partials are used last). */
export const SUSPECT_SLOTS = 32;
/**
 * How long a combination that would need a suspect's partial waits for more partials first (ms). Eleven honest
 * partials then combine on the cheap optimistic path; if no more come, the suspect's partial is tried after all.
 */
export const SUSPECT_GRACE_MS = 250;

type Request = {
  readonly key: string;
  readonly duty: ParSignedData["duty"];
  partials: readonly ParSignedData[];
  readonly waiters: { resolve: (a: AggregatedSignature) => void; reject: (e: Error) => void }[];
};

/**
 * Combines ≥ threshold partials of one duty and signing root with `@nektar/crypto`'s optimistic combine: interpolate,
 * verify once against the group key; only on failure is each partial checked, and the bad ones are reported.
 *
 * Requests made in the same event-loop turn (a partial batch makes every attester of the slot reach the threshold at
 * once) are combined together in chunks of COMBINE_CHUNK validators, yielding to the event loop between chunks: the
 * combined signatures over one signing root are checked by one blinded pairing check instead of one each, and a
 * slot's combinations do not block the node for their whole duration. A request for a duty already waiting joins it
 * (the latest, largest partial set is used); the first caller gets the signature and later ones are refused with
 * ERR_DUTY_CONFLICT, so one duty is combined and broadcast once.
 *
 * An operator whose partial failed verification is a suspect for SUSPECT_SLOTS slots: its partials are interpolated
 * last, and a combination that could only reach the threshold with a suspect's partial waits SUSPECT_GRACE_MS for
 * more partials first. Without this, one operator sending bad partials for every duty would push every honest node
 * onto the slow path (one pairing per partial) for every duty, twice, and starve it of CPU.
 */
export class ThresholdSigAgg implements SigAgg {
  private readonly keys: ValidatorKeys;
  private readonly threshold: number;
  private readonly onBad: BadPartialHandler;
  private readonly graceMs: number;
  private readonly queue = new Map<string, Request>();
  /** Requests that would need a suspect's partial, waiting up to `graceMs` for more partials. */
  private readonly deferred = new Map<string, { request: Request; timer: NodeJS.Timeout }>();
  /** Share index → slot of the last partial of that operator that failed verification. */
  private readonly suspects = new Map<number, number>();
  private draining = false;

  constructor(opts: {
    keys: ValidatorKeys;
    threshold: number;
    onBadPartials?: BadPartialHandler;
    /** See SUSPECT_GRACE_MS. */
    suspectGraceMs?: number;
  }) {
    this.keys = opts.keys;
    this.threshold = opts.threshold;
    this.onBad = opts.onBadPartials ?? (() => {});
    this.graceMs = opts.suspectGraceMs ?? SUSPECT_GRACE_MS;
  }

  /** Share indices currently suspect for a slot (their partials failed verification within SUSPECT_SLOTS). */
  suspectsAt(slot: number): number[] {
    return [...this.suspects].filter(([, last]) => slot - last <= SUSPECT_SLOTS).map(([i]) => i);
  }

  aggregate(partials: readonly ParSignedData[]): Promise<AggregatedSignature> {
    const first = partials[0];
    if (first === undefined) {
      return Promise.reject(new PipelineError({ code: "ERR_DUTY_DATA_INVALID", reason: "no partials to combine" }));
    }
    const key = dutyKey(first.duty);
    const root = Buffer.from(first.signingRoot);
    if (partials.some((p) => dutyKey(p.duty) !== key || !root.equals(p.signingRoot))) {
      return Promise.reject(
        new PipelineError({
          code: "ERR_DUTY_DATA_INVALID",
          reason: `partials of ${key} differ in duty or signing root`,
        }),
      );
    }
    if (!this.keys.has(first.duty.validator, first.duty.slot)) {
      return Promise.reject(new PipelineError({ code: "ERR_DUTY_UNKNOWN_VALIDATOR", validator: first.duty.validator }));
    }
    return new Promise((resolve, reject) => {
      const waiting = this.queue.get(key) ?? this.deferred.get(key)?.request;
      if (waiting !== undefined) {
        if (partials.length >= waiting.partials.length) waiting.partials = partials;
        waiting.waiters.push({ resolve, reject });
        if (this.deferred.has(key) && !this.mustWait(waiting)) this.release(key);
        return;
      }
      const request: Request = { key, duty: first.duty, partials, waiters: [{ resolve, reject }] };
      if (this.mustWait(request)) {
        // One operator's bad partials must not cost every honest node the slow path on every duty: give the honest
        // partials a moment to make the threshold without it.
        const timer = setTimeout(() => this.release(key), this.graceMs);
        this.deferred.set(key, { request, timer });
        return;
      }
      this.enqueue(request);
    });
  }

  /** Fewer than threshold partials from non-suspects, and more partials may still come. */
  private mustWait(r: Request): boolean {
    const suspects = this.suspectsAt(r.duty.slot);
    if (suspects.length === 0) return false;
    if (r.partials.length >= this.keys.get(r.duty.validator, r.duty.slot).sharePublicKeys.length) return false;
    return r.partials.filter((p) => !suspects.includes(p.shareIndex)).length < this.threshold;
  }

  private release(key: string): void {
    const d = this.deferred.get(key);
    if (d === undefined) return;
    clearTimeout(d.timer);
    this.deferred.delete(key);
    this.enqueue(d.request);
  }

  private enqueue(request: Request): void {
    this.queue.set(request.key, request);
    if (!this.draining) {
      this.draining = true;
      // After the current turn: every request the caller makes synchronously joins the first chunk.
      setImmediate(() => void this.drain());
    }
  }

  private reportBad(duty: ParSignedData["duty"], shareIndices: number[]): void {
    for (const i of shareIndices) this.suspects.set(i, Math.max(duty.slot, this.suspects.get(i) ?? 0));
    this.onBad(duty, shareIndices);
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.size > 0) {
        const requests = [...this.queue.values()].slice(0, COMBINE_CHUNK);
        for (const r of requests) this.queue.delete(r.key);
        this.combineChunk(requests);
        if (this.queue.size > 0) await yieldToEventLoop();
      }
    } finally {
      this.draining = false;
    }
  }

  private combineChunk(requests: readonly Request[]): void {
    let outcomes: CombineBatchOutcome[];
    try {
      outcomes = combinePartialSignaturesBatch(requests.map((r) => this.params(r)));
    } catch (e) {
      for (const r of requests) for (const w of r.waiters) w.reject(e as Error);
      return;
    }
    requests.forEach((r, i) => {
      const out = outcomes[i] as CombineBatchOutcome;
      const [firstWaiter, ...others] = r.waiters;
      if (out.ok) {
        if (out.value.bad.length > 0) this.reportBad(r.duty, out.value.bad);
        firstWaiter?.resolve({
          duty: r.duty,
          signingRoot: (r.partials[0] as ParSignedData).signingRoot,
          signature: out.value.signature,
          used: out.value.used,
        });
        if (others.length > 0) {
          // One error for all of them: a duty typically gets a request per partial arriving after the threshold.
          const duplicate = new PipelineError({ code: "ERR_DUTY_CONFLICT", duty: r.key });
          for (const w of others) w.reject(duplicate);
        }
        return;
      }
      const error = this.failure(r, out.error);
      for (const w of r.waiters) w.reject(error);
    });
  }

  private params(r: Request): CombinePartialSignaturesParameters {
    const v = this.keys.get(r.duty.validator, r.duty.slot);
    // The optimistic combine interpolates the first `threshold` partials: suspects' go last.
    const suspects = this.suspectsAt(r.duty.slot);
    const ordered = [
      ...r.partials.filter((p) => !suspects.includes(p.shareIndex)),
      ...r.partials.filter((p) => suspects.includes(p.shareIndex)),
    ];
    return {
      partials: ordered.map((p) => ({ shareIndex: p.shareIndex, signature: p.signature })),
      threshold: this.threshold,
      groupPublicKey: v.groupPublicKey,
      signingRoot: (r.partials[0] as ParSignedData).signingRoot,
      sharePublicKeys: v.sharePublicKeys,
    };
  }

  private failure(r: Request, e: Error): Error {
    if (e instanceof ThresholdError && e.type.code === "ERR_THRESHOLD_INSUFFICIENT_PARTIALS") {
      const meta = e.type;
      const bad = meta.bad === "" ? [] : meta.bad.split(",").map(Number);
      if (bad.length > 0) this.reportBad(r.duty, bad);
      return new PipelineError({
        code: "ERR_DUTY_INSUFFICIENT_PARTIALS",
        duty: r.key,
        have: meta.have,
        need: meta.need,
        bad: meta.bad,
      });
    }
    return e;
  }
}
