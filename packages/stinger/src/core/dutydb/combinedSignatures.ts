import { type AggSigDB, type Duty, dutyKey } from "../interfaces.ts";
import { PipelineError } from "../pipelineError.ts";

type Entry = { slot: number; value?: Uint8Array; waiters: Set<(s: Uint8Array) => void> };

/**
 * Group signatures that later duties consume rather than broadcast: RANDAO reveals (for the proposal) and selection
 * proofs (for aggregation), in memory. A later step awaits the signature of a duty until a deadline; the first
 * combined value counts (a group signature over the same root is unique, so a second one is identical).
 */
export class CombinedSignatures implements AggSigDB {
  private readonly entries = new Map<string, Entry>();

  set(duty: Duty, signature: Uint8Array): void {
    const e = this.entry(duty);
    if (e.value !== undefined) return;
    e.value = signature;
    for (const w of e.waiters) w(signature);
    e.waiters.clear();
  }

  get(duty: Duty): Uint8Array | undefined {
    return this.entries.get(dutyKey(duty))?.value;
  }

  /** Resolves with the duty's group signature; rejects with `ERR_DUTY_ABORTED` after `timeoutMs` or on abort. */
  await(duty: Duty, timeoutMs: number, signal: AbortSignal): Promise<Uint8Array> {
    const e = this.entry(duty);
    if (e.value !== undefined) return Promise.resolve(e.value);
    return new Promise((resolve, reject) => {
      const fail = () => {
        cleanup();
        reject(new PipelineError({ code: "ERR_DUTY_ABORTED", duty: dutyKey(duty) }));
      };
      const done = (s: Uint8Array) => {
        cleanup();
        resolve(s);
      };
      const timer = setTimeout(fail, Math.max(0, timeoutMs));
      const cleanup = () => {
        clearTimeout(timer);
        e.waiters.delete(done);
        signal.removeEventListener("abort", fail);
      };
      if (signal.aborted) return fail();
      signal.addEventListener("abort", fail, { once: true });
      e.waiters.add(done);
    });
  }

  /** Forgets signatures of slots below `slot` (pending waiters still time out on their own). */
  prune(slot: number): void {
    for (const [k, e] of this.entries) if (e.slot < slot && e.waiters.size === 0) this.entries.delete(k);
  }

  private entry(duty: Duty): Entry {
    const key = dutyKey(duty);
    let e = this.entries.get(key);
    if (e === undefined) {
      e = { slot: duty.slot, waiters: new Set() };
      this.entries.set(key, e);
    }
    return e;
  }
}
