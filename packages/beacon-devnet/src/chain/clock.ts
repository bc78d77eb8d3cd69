/** Wall-clock slot arithmetic and per-slot timers for a chain with a fixed genesis time. */
export class SlotClock {
  readonly genesisTime: number;
  readonly secondsPerSlot: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(genesisTime: number, secondsPerSlot: number) {
    this.genesisTime = genesisTime;
    this.secondsPerSlot = secondsPerSlot;
  }

  /** Current slot (0 before and at genesis). */
  currentSlot(now = Date.now()): number {
    return Math.max(0, Math.floor((now / 1000 - this.genesisTime) / this.secondsPerSlot));
  }

  /** Unix milliseconds at which `slot` starts. */
  slotStartMs(slot: number): number {
    return (this.genesisTime + slot * this.secondsPerSlot) * 1000;
  }

  /**
   * Call `onSlot(slot)` at the start of every slot after the current one, and `atFraction(slot)` at
   * `fraction` of each slot. Missed slots (the process was busy) are skipped, not replayed.
   */
  start(handlers: { onSlot(slot: number): void; atFraction?: { fraction: number; run(slot: number): void }[] }): void {
    const schedule = (slot: number): void => {
      if (this.stopped) return;
      this.after(this.slotStartMs(slot) - Date.now(), () => {
        const current = this.currentSlot();
        if (current === slot) {
          handlers.onSlot(slot);
          for (const f of handlers.atFraction ?? []) {
            this.after(this.slotStartMs(slot) + f.fraction * this.secondsPerSlot * 1000 - Date.now(), () => {
              if (this.currentSlot() === slot) f.run(slot);
            });
          }
        }
        schedule(Math.max(slot + 1, current + 1));
      });
    };
    schedule(this.currentSlot() + 1);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        if (!this.stopped) fn();
      },
      Math.max(0, ms),
    );
    this.timers.add(timer);
  }
}
