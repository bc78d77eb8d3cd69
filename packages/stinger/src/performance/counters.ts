import type { ValidatorIndex } from "@lodestar/types";

/** One member's counts for one validator in one frame: what its {@link PerformanceView} reports. */
export type ValidatorCounts = {
  /** Duties of the validator this member combined into a group signature. */
  duties: number;
  /** Per share index (position i is share i + 1): of those duties, how many held that share's partial. */
  contributed: number[];
};

/** The serialized form of a frame's counters (`performance/frames/<frame>.json`). */
export type FrameCountersJson = {
  frame: number;
  shares: number;
  validators: Record<string, ValidatorCounts>;
};

/**
 * The accounting oracle's frames in time (`AccountingOracle.frameAt`): frame = ⌊(t − genesisTime) / frameSeconds⌋, 0
 * before its genesis. The oracle's genesis need not be the beacon chain's (the devnet's is its deployment time).
 */
export type OracleFrames = { readonly genesisTime: number; readonly frameSeconds: number };

/** `AccountingOracle.frameAt(seconds)`. */
export function frameAtTime(seconds: number, f: OracleFrames): number {
  return seconds < f.genesisTime ? 0 : Math.floor((seconds - f.genesisTime) / f.frameSeconds);
}

/** The oracle frame of a slot when the oracle's genesis is the beacon genesis: frames of `frameSlots` slots. */
export function frameOfSlot(slot: number, frameSlots: number): number {
  return Math.floor(slot / frameSlots);
}

/**
 * Per-validator counters of one frame (pure, no I/O): for every duty this member combined, which share indices'
 * partial signatures were among those combined. Partials arriving after the combination are not counted: the
 * combined set is what made the duty happen in time.
 */
export class FrameCounters {
  readonly frame: number;
  readonly shares: number;
  private readonly byValidator = new Map<ValidatorIndex, ValidatorCounts>();

  constructor(frame: number, shares: number) {
    this.frame = frame;
    this.shares = shares;
  }

  /** Records one combined duty of `validator` and the share indices (1..shares) whose partials it combined. */
  add(validator: ValidatorIndex, shareIndices: readonly number[]): void {
    let c = this.byValidator.get(validator);
    if (c === undefined) {
      c = { duties: 0, contributed: new Array<number>(this.shares).fill(0) };
      this.byValidator.set(validator, c);
    }
    c.duties++;
    for (const i of new Set(shareIndices)) {
      if (Number.isInteger(i) && i >= 1 && i <= this.shares) c.contributed[i - 1] = (c.contributed[i - 1] ?? 0) + 1;
    }
  }

  get(validator: ValidatorIndex): ValidatorCounts | undefined {
    const c = this.byValidator.get(validator);
    return c === undefined ? undefined : { duties: c.duties, contributed: [...c.contributed] };
  }

  validators(): ValidatorIndex[] {
    return [...this.byValidator.keys()].sort((a, b) => a - b);
  }

  toJson(): FrameCountersJson {
    const validators: Record<string, ValidatorCounts> = {};
    for (const v of this.validators()) validators[v] = this.get(v) as ValidatorCounts;
    return { frame: this.frame, shares: this.shares, validators };
  }

  /** Parses {@link toJson}'s output; throws on anything malformed (the caller names the file). */
  static fromJson(json: unknown): FrameCounters {
    const j = json as FrameCountersJson;
    const count = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
    if (typeof j !== "object" || j === null || !count(j.frame) || !count(j.shares) || j.shares < 1) {
      throw new Error("frame and shares must be non-negative integers");
    }
    const out = new FrameCounters(j.frame, j.shares);
    for (const [key, c] of Object.entries(j.validators ?? {})) {
      const index = Number(key);
      if (!count(index) || !count(c?.duties) || !Array.isArray(c.contributed) || c.contributed.length !== j.shares) {
        throw new Error(`validator ${key}: malformed counts`);
      }
      if (!c.contributed.every((x) => count(x) && x <= c.duties))
        throw new Error(`validator ${key}: bad contributions`);
      out.byValidator.set(index, { duties: c.duties, contributed: [...c.contributed] });
    }
    return out;
  }
}
