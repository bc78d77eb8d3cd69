import type { ValidatorIndex } from "@lodestar/types";
import type { Duty, PerformanceRecorder } from "../core/interfaces.ts";
import { FrameCounters, frameOfSlot } from "./counters.ts";
import type { PerformanceStore } from "./store.ts";

export type FrameRecorderOptions = {
  store: PerformanceStore;
  /** Oracle frame length in slots (`AccountingOracle` `frameSeconds / secondsPerSlot`). */
  frameSlots: number;
  /** The oracle frame of a slot when the oracle's genesis is not the beacon's (default ⌊slot / frameSlots⌋). */
  frameOf?: (slot: number) => number;
  /** Cluster size n (share indices 1..n). */
  shares: number;
  /** Counters are saved when a duty of a later slot than `flushEverySlots` after the last save arrives (default 32). */
  flushEverySlots?: number;
  /** Called with each frame whose counters are complete (the first duty of a later frame arrived). */
  onFrameClosed?: (counters: FrameCounters) => void;
};

/**
 * The duty pipeline's performance step: after each combination it counts, for the duty's validator and oracle frame,
 * which share indices' partials were combined. Counters are saved atomically at most once per `flushEverySlots` slots
 * and when a frame closes, so a crash loses at most that many slots of counts and never double-counts (a restart
 * reloads the saved counters of the current frame).
 */
export class FrameRecorder implements PerformanceRecorder {
  private readonly o: Required<Omit<FrameRecorderOptions, "onFrameClosed" | "frameOf">> &
    Pick<FrameRecorderOptions, "onFrameClosed" | "frameOf">;
  private current: FrameCounters | undefined;
  private lastSavedSlot = -1;
  private dirty = false;

  constructor(opts: FrameRecorderOptions) {
    this.o = { flushEverySlots: 32, ...opts };
  }

  contributed(duty: Duty, shareIndices: readonly number[]): void {
    const counters = this.countersFor(duty.slot);
    if (counters === undefined) return;
    counters.add(duty.validator as ValidatorIndex, shareIndices);
    this.dirty = true;
    if (duty.slot - this.lastSavedSlot >= this.o.flushEverySlots) this.flush(duty.slot);
  }

  /** Counters of the open frame (a copy is not made: read-only use). */
  openFrame(): FrameCounters | undefined {
    return this.current;
  }

  /** Saves the open frame's counters now (also called on shutdown). */
  flush(atSlot = this.lastSavedSlot): void {
    if (this.current === undefined || !this.dirty) return;
    this.o.store.saveFrame(this.current);
    this.dirty = false;
    this.lastSavedSlot = atSlot;
  }

  private countersFor(slot: number): FrameCounters | undefined {
    const frame = this.o.frameOf?.(slot) ?? frameOfSlot(slot, this.o.frameSlots);
    if (this.current?.frame === frame) return this.current;
    // A late duty of a closed frame: its counters are final (possibly already agreed on); it is not counted.
    if (this.current !== undefined && frame < this.current.frame) return undefined;
    const closed = this.current;
    if (closed !== undefined) {
      this.flush(slot);
      this.o.onFrameClosed?.(closed);
    }
    if (closed === undefined) {
      // First duty since start: a frame that closed while this node was restarting is agreed on now.
      const previous = this.o.store.loadFrame(frame - 1);
      if (previous !== undefined) this.o.onFrameClosed?.(previous);
    }
    this.current = this.o.store.loadFrame(frame) ?? new FrameCounters(frame, this.o.shares);
    this.lastSavedSlot = slot;
    return this.current;
  }
}
