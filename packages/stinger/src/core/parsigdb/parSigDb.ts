import { dutyKey, type PartialSignature } from "../interfaces.ts";

type Entry = {
  slot: number;
  /** Agreed signing root (hex) once this operator decided; partials of other roots are never combined. */
  expected: string | undefined;
  byShare: Map<number, PartialSignature>;
  /** Share indices already handed out in the last threshold event (to know when new ones arrived). */
  offered: number;
  done: boolean;
};

export type ThresholdHandler = (partials: PartialSignature[]) => void;

/**
 * Partial signatures per duty until they can be combined (Charon's parsigdb). The first partial of an operator for a
 * duty counts; a second, different one is reported as equivocation. When the partials matching the agreed signing
 * root reach the threshold, `onThreshold` fires; if combining then fails (bad partials), it fires again whenever a
 * further partial arrives, until `markDone`.
 */
export class PartialSignatureDB {
  private readonly threshold: number;
  private readonly entries = new Map<string, Entry>();
  private readonly onThreshold: ThresholdHandler;
  private readonly onEquivocation: (shareIndex: number, partial: PartialSignature) => void;

  constructor(opts: {
    threshold: number;
    onThreshold: ThresholdHandler;
    onEquivocation?: (shareIndex: number, partial: PartialSignature) => void;
  }) {
    this.threshold = opts.threshold;
    this.onThreshold = opts.onThreshold;
    this.onEquivocation = opts.onEquivocation ?? (() => {});
  }

  /** Declares the signing root this operator agreed on for a duty (its own partial signs it). */
  expect(duty: PartialSignature["duty"], signingRoot: Uint8Array): void {
    const e = this.entry(duty);
    e.expected = Buffer.from(signingRoot).toString("hex");
    this.check(e);
  }

  add(partial: PartialSignature): void {
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

  /** The duty is combined (or given up): later partials are ignored. */
  markDone(duty: PartialSignature["duty"]): void {
    this.entry(duty).done = true;
  }

  /** Number of partials held for a duty with its agreed root. */
  count(duty: PartialSignature["duty"]): number {
    const e = this.entries.get(dutyKey(duty));
    return e === undefined ? 0 : this.matching(e).length;
  }

  prune(slot: number): void {
    for (const [k, e] of this.entries) if (e.slot < slot) this.entries.delete(k);
  }

  private entry(duty: PartialSignature["duty"]): Entry {
    const key = dutyKey(duty);
    let e = this.entries.get(key);
    if (e === undefined) {
      e = { slot: duty.slot, expected: undefined, byShare: new Map(), offered: 0, done: false };
      this.entries.set(key, e);
    }
    return e;
  }

  private matching(e: Entry): PartialSignature[] {
    if (e.expected === undefined) return [];
    return [...e.byShare.values()].filter((p) => Buffer.from(p.signingRoot).toString("hex") === e.expected);
  }

  private check(e: Entry): void {
    if (e.done) return;
    const ready = this.matching(e);
    if (ready.length < this.threshold || ready.length <= e.offered) return;
    e.offered = ready.length;
    this.onThreshold(ready);
  }
}
