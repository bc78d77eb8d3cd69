import { ssz } from "@lodestar/types";
import { type Duty, type DutyDB, dutyKey, type UnsignedData } from "../interfaces.ts";
import { PipelineError } from "../pipelineError.ts";

/** A byte-exact fingerprint of decided data, to refuse a second, different value for the same duty. */
function fingerprint(data: UnsignedData): string {
  switch (data.type) {
    case "attester":
      return Buffer.from(ssz.phase0.AttestationData.hashTreeRoot(data.data)).toString("hex");
    case "aggregator":
      return Buffer.from(ssz.electra.AggregateAndProof.hashTreeRoot(data.data)).toString("hex");
    case "sync_contribution":
      return Buffer.from(ssz.altair.ContributionAndProof.hashTreeRoot(data.data)).toString("hex");
    case "proposer":
      return `${data.data.slot}/${Buffer.from(data.data.blockRoot).toString("hex")}`;
    case "sync_message":
      return `${data.data.slot}/${Buffer.from(data.data.beaconBlockRoot).toString("hex")}`;
    default:
      return JSON.stringify(data.data);
  }
}

/**
 * Decided values by duty, in memory, for the slots still in flight. A duty is decided once: storing a different value
 * again throws `ERR_DUTY_CONFLICT` (the agreement step must never decide twice). `prune` drops old slots.
 */
export class MemoryDutyDB implements DutyDB {
  private readonly values = new Map<string, { slot: number; data: UnsignedData; fp: string }>();
  private readonly waiters = new Map<string, Set<(d: UnsignedData) => void>>();

  store(duty: Duty, data: UnsignedData): void {
    const key = dutyKey(duty);
    const fp = fingerprint(data);
    const existing = this.values.get(key);
    if (existing !== undefined) {
      if (existing.fp !== fp) throw new PipelineError({ code: "ERR_DUTY_CONFLICT", duty: key });
      return;
    }
    this.values.set(key, { slot: duty.slot, data, fp });
    const ws = this.waiters.get(key);
    this.waiters.delete(key);
    for (const w of ws ?? []) w(data);
  }

  get(duty: Duty): UnsignedData | undefined {
    return this.values.get(dutyKey(duty))?.data;
  }

  await(duty: Duty, signal: AbortSignal): Promise<UnsignedData> {
    const key = dutyKey(duty);
    const known = this.values.get(key);
    if (known !== undefined) return Promise.resolve(known.data);
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new PipelineError({ code: "ERR_DUTY_ABORTED", duty: key }));
      const set = this.waiters.get(key) ?? new Set();
      const onAbort = () => {
        set.delete(done);
        reject(new PipelineError({ code: "ERR_DUTY_ABORTED", duty: key }));
      };
      const done = (d: UnsignedData) => {
        signal.removeEventListener("abort", onAbort);
        resolve(d);
      };
      set.add(done);
      this.waiters.set(key, set);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Forgets every duty of a slot below `slot` (their deadlines have passed). */
  prune(slot: number): void {
    for (const [k, v] of this.values) if (v.slot < slot) this.values.delete(k);
    for (const [k, ws] of this.waiters) if (ws.size === 0 && Number(k.split("/")[0]) < slot) this.waiters.delete(k);
  }

  get size(): number {
    return this.values.size;
  }
}
