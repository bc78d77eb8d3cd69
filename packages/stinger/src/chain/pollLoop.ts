/**
 * Calls `tick` now and then every `intervalMs` until `stop()`, without overlapping calls. A failing tick is reported to
 * `onError` and retried at the next interval; `stop()` cuts the current wait short.
 */
export class PollLoop {
  private readonly intervalMs: number;
  private readonly onError: (e: unknown) => void;
  private halted = false;
  private wake: (() => void) | null = null;

  constructor(opts: { intervalMs: number; onError: (e: unknown) => void }) {
    this.intervalMs = opts.intervalMs;
    this.onError = opts.onError;
  }

  get stopped(): boolean {
    return this.halted;
  }

  async run(tick: () => Promise<unknown>): Promise<void> {
    while (!this.halted) {
      try {
        await tick();
      } catch (e) {
        this.onError(e);
      }
      if (this.halted) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.intervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  stop(): void {
    this.halted = true;
    this.wake?.();
  }
}
