import type { SignedEnvelope } from "../p2p/envelope.ts";

/**
 * Admitted envelopes of one ceremony, kept by round so that a message from a peer already in a later round waits
 * until this node gets there. Waiters are woken on every arrival; an abort from a peer wakes them with an error.
 */
export class CeremonyInbox {
  private readonly rounds = new Map<number, SignedEnvelope[]>();
  private readonly cursors = new Map<number, number>();
  private wake: (() => void) | null = null;
  private failure: Error | null = null;

  push(envelope: SignedEnvelope): void {
    const list = this.rounds.get(envelope.message.round) ?? [];
    list.push(envelope);
    this.rounds.set(envelope.message.round, list);
    this.notify();
  }

  /** Make every current and future wait fail with `error` (a peer aborted the ceremony). */
  fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  /** Envelopes of `round` not returned by an earlier call. */
  takeNew(round: number): SignedEnvelope[] {
    const list = this.rounds.get(round) ?? [];
    const from = this.cursors.get(round) ?? 0;
    this.cursors.set(round, list.length);
    return list.slice(from);
  }

  /** All envelopes of `round` received so far. */
  all(round: number): readonly SignedEnvelope[] {
    return this.rounds.get(round) ?? [];
  }

  /**
   * Run `step` on arrivals until it returns true or `timeoutMs` passes. Returns false on timeout; throws if the
   * ceremony was aborted by a peer. `onIdle` runs when `idleMs` pass without completion, then after doubling
   * intervals (to ask for resends without flooding a slow network). Envelope streams are ordered and re-send
   * everything when they reopen, so a stall almost always means a slow peer, not a lost message: asking early
   * only adds load to a saturated cluster.
   */
  async until(step: () => boolean, timeoutMs: number, onIdle?: () => void, idleMs = 3000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let idle = idleMs;
    let nextIdle = Date.now() + idle;
    for (;;) {
      if (this.failure) throw this.failure;
      if (step()) return true;
      const now = Date.now();
      if (now >= deadline) return false;
      if (onIdle !== undefined && now >= nextIdle) {
        onIdle();
        // Back off: on a saturated machine a slow round must not be slowed further by resend traffic.
        idle = Math.min(idle * 2, 12_000);
        nextIdle = now + idle;
      }
      const left = Math.min(deadline, onIdle !== undefined ? nextIdle : deadline) - now;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  private notify(): void {
    this.wake?.();
  }
}
