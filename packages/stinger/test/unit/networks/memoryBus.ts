import type { NetworkPubSub } from "../../../src/networks/interfaces.ts";

/** An in-memory gossip bus: each member's `NetworkPubSub` delivers to every other subscribed member. */
export class MemoryBus {
  readonly #members = new Map<
    string,
    { topics: Set<string>; handlers: Set<(t: string, f: string, d: Uint8Array) => void> }
  >();

  join(peerId: string): NetworkPubSub {
    const me = { topics: new Set<string>(), handlers: new Set<(t: string, f: string, d: Uint8Array) => void>() };
    this.#members.set(peerId, me);
    return {
      subscribe: (topic) => me.topics.add(topic),
      unsubscribe: (topic) => me.topics.delete(topic),
      publish: async (topic, data) => {
        for (const [id, m] of this.#members) {
          if (id === peerId || !m.topics.has(topic)) continue;
          for (const h of m.handlers) queueMicrotask(() => h(topic, peerId, data));
        }
      },
      onMessage: (handler) => {
        me.handlers.add(handler);
        return () => me.handlers.delete(handler);
      },
    };
  }

  /** Delivers `data` on `topic` to `to` as if `from` had sent it (a peer outside the Network, in tests). */
  inject(to: string, topic: string, from: string, data: Uint8Array): void {
    for (const h of this.#members.get(to)?.handlers ?? []) h(topic, from, data);
  }
}
