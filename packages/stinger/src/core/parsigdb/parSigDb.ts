import { type Duty, dutyKey, type ParSigDB, type ParSignedData } from "../interfaces.ts";

type Entry = {
  slot: number;
  /** Agreed signing root (hex) once this operator decided; partials of other roots are never combined. */
  expected: string | undefined;
  byShare: Map<number, ParSignedData>;
  /** Share indices already handed out in the last threshold event (to know when new ones arrived). */
  offered: number;
  done: boolean;
};

export type ThresholdHandler = (partials: readonly ParSignedData[]) => void;

export type MemoryParSigDBOptions = {
  threshold: number;
  /** Called with the share index of an operator that sent two different partials for one duty. */
  onEquivocation?: (shareIndex: number, partial: ParSignedData) => void;
  /**
   * Whether this node holds a share of the validator: partials of other validators (the cluster topic carries every
   * member's validators) are ignored instead of kept until pruned.
   */
  holds?: (validator: number) => boolean;
};

/**
 * Partial signatures per duty until they can be combined (Charon's parsigdb), in memory. The first partial of an
 * operator for a duty counts; a second, different one is reported as equivocation. When the partials matching the
 * agreed signing root reach the threshold, the threshold subscribers are called; if combining then fails (bad
 * partials), they are called again whenever a further partial arrives, until `markDone`.
 */
export class MemoryParSigDB implements ParSigDB {
  private readonly threshold: number;
  private readonly entries = new Map<string, Entry>();
  private readonly handlers = new Set<ThresholdHandler>();
  private readonly onEquivocation: (shareIndex: number, partial: ParSignedData) => void;
  private readonly holds: (validator: number) => boolean;

  constructor(opts: MemoryParSigDBOptions) {
    this.threshold = opts.threshold;
    this.onEquivocation = opts.onEquivocation ?? (() => {});
    this.holds = opts.holds ?? (() => true);
  }

  subscribeThreshold(handler: ThresholdHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  expect(duty: Duty, signingRoot: Uint8Array): void {
    const e = this.entry(duty);
    e.expected = Buffer.from(signingRoot).toString("hex");
    this.check(e);
  }

  add(partial: ParSignedData): void {
    if (!this.holds(partial.duty.validator)) return;
    const e = this.entry(partial.duty);
    if (e.done) return;
    const known = e.byShare.get(partial.shareIndex);
    if (known !== undefined) {
      const same =
        Buffer.from(known.signingRoot).equals(partial.signingRoot) &&
        Buffer.from(known.signature).equals(partial.signature);
      if (!same) this.onEquivocation(partial.shareIndex, partial);
      return;
    }
    e.byShare.set(partial.shareIndex, partial);
    this.check(e);
  }

  markDone(duty: Duty): void {
    this.entry(duty).done = true;
  }

  /** Number of partials held for a duty with its agreed root. */
  count(duty: Duty): number {
    const e = this.entries.get(dutyKey(duty));
    return e === undefined ? 0 : this.matching(e).length;
  }

  prune(slot: number): void {
    for (const [k, e] of this.entries) if (e.slot < slot) this.entries.delete(k);
  }

  private entry(duty: Duty): Entry {
    const key = dutyKey(duty);
    let e = this.entries.get(key);
    if (e === undefined) {
      e = { slot: duty.slot, expected: undefined, byShare: new Map(), offered: 0, done: false };
      this.entries.set(key, e);
    }
    return e;
  }

  private matching(e: Entry): ParSignedData[] {
    if (e.expected === undefined) return [];
    return [...e.byShare.values()].filter((p) => Buffer.from(p.signingRoot).toString("hex") === e.expected);
  }

  private check(e: Entry): void {
    if (e.done) return;
    const ready = this.matching(e);
    if (ready.length < this.threshold || ready.length <= e.offered) return;
    e.offered = ready.length;
    for (const h of this.handlers) h(ready);
  }
}
