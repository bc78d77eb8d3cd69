import type { Clock } from "../interfaces.ts";

/** Wall-clock slot arithmetic of a chain (genesis time in seconds, slot length in seconds). */
export class SlotClock implements Clock {
  readonly genesisTime: number;
  readonly secondsPerSlot: number;
  readonly slotsPerEpoch: number;
  private readonly nowMs: () => number;

  constructor(opts: { genesisTime: number; secondsPerSlot: number; slotsPerEpoch: number; nowMs?: () => number }) {
    this.genesisTime = opts.genesisTime;
    this.secondsPerSlot = opts.secondsPerSlot;
    this.slotsPerEpoch = opts.slotsPerEpoch;
    this.nowMs = opts.nowMs ?? Date.now;
  }

  now(): number {
    return this.nowMs();
  }

  /** The current slot (0 before genesis). */
  currentSlot(): number {
    return Math.max(0, Math.floor((this.nowMs() / 1000 - this.genesisTime) / this.secondsPerSlot));
  }

  epochOf(slot: number): number {
    return Math.floor(slot / this.slotsPerEpoch);
  }

  /** Unix milliseconds at which `slot` starts. */
  slotStartMs(slot: number): number {
    return (this.genesisTime + slot * this.secondsPerSlot) * 1000;
  }

  /** Seconds elapsed since the start of `slot` (negative before it). */
  secondsIntoSlot(slot: number): number {
    return (this.nowMs() - this.slotStartMs(slot)) / 1000;
  }
}
