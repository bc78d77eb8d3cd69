import type { DutyMessageKind, DutyTransport } from "../../src/core/transport.ts";

/** Decides what happens to one message on a link: deliver after `delayMs`, or drop (`undefined`). */
export type LinkPolicy = (from: number, to: number, kind: DutyMessageKind, payload: Uint8Array) => number | undefined;

/**
 * An in-process cluster network: n transports whose broadcasts reach every other member asynchronously, with an
 * optional per-link policy (delay, drop) for fault scenarios. Used by unit tests and the in-process e2e clusters;
 * production uses the libp2p transport.
 */
export class MemoryCluster {
  readonly transports: DutyTransport[];
  private readonly handlers: Map<DutyMessageKind, (from: number, payload: Uint8Array) => void>[];
  private readonly down = new Set<number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  policy: LinkPolicy = () => 0;
  /** Rewrites a message on one link (byzantine senders in tests: equivocation, bad partials). */
  rewrite: (from: number, to: number, kind: DutyMessageKind, payload: Uint8Array) => Uint8Array = (_f, _t, _k, p) => p;

  constructor(n: number) {
    this.handlers = Array.from({ length: n }, () => new Map());
    this.transports = Array.from({ length: n }, (_, from) => ({
      broadcast: async (kind: DutyMessageKind, payload: Uint8Array) => this.send(from, kind, payload),
      onMessage: (kind: DutyMessageKind, handler: (from: number, payload: Uint8Array) => void) => {
        this.handlers[from]?.set(kind, handler);
      },
    }));
  }

  /** A stopped member neither sends nor receives. */
  setDown(member: number, isDown: boolean): void {
    if (isDown) this.down.add(member);
    else this.down.delete(member);
  }

  /** Delivers `payload` to `to` as if `from` had sent it (tests: replays, forged senders are the transport's job). */
  inject(from: number, to: number, kind: DutyMessageKind, payload: Uint8Array): void {
    this.handlers[to]?.get(kind)?.(from, payload);
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private send(from: number, kind: DutyMessageKind, payload: Uint8Array): void {
    if (this.down.has(from)) return;
    this.handlers.forEach((h, to) => {
      if (to === from) return;
      const delay = this.policy(from, to, kind, payload);
      if (delay === undefined) return;
      const delivered = this.rewrite(from, to, kind, payload);
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (!this.down.has(to)) h.get(kind)?.(from, delivered);
      }, delay);
      this.timers.add(t);
    });
  }
}
