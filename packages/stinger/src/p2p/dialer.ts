import type { PeerId } from "@libp2p/interface";
import { KEEP_ALIVE } from "@libp2p/interface";
import { multiaddr } from "@multiformats/multiaddr";
import type { Logger } from "../logger/logger.ts";
import type { OperatorNode } from "./node.ts";

export type BackoffOptions = { initialMs: number; maxMs: number };
/**
 * Retries while a member is unreachable (typically: its process is not listening yet). Refused dials are cheap, and
 * the retry interval bounds how long a member that starts later waits for this node's connection.
 */
const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 1000 };

/**
 * Keeps a connection to each listed peer: dials at once, retries with exponential backoff while unreachable, and
 * starts again when a connection drops. libp2p 3 has no discovery, so operators are dialled from known addresses.
 */
export class MemberDialer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly delays = new Map<string, number>();
  private readonly peers = new Map<string, { peerId: PeerId; addrs: string[]; delayMs?: number }>();
  private stopped = false;
  private readonly node: OperatorNode;
  private readonly logger: Logger;
  private readonly backoff: BackoffOptions;
  private readonly onDisconnect = (evt: CustomEvent<PeerId>) => {
    const id = evt.detail.toString();
    this.schedule(id, this.peers.get(id)?.delayMs ?? 0);
  };

  constructor(node: OperatorNode, logger: Logger, backoff: BackoffOptions = DEFAULT_BACKOFF) {
    this.node = node;
    this.logger = logger;
    this.backoff = backoff;
  }

  /**
   * @param peers members to keep connected; `delayMs` postpones the first dial and the first re-dial after a
   *   disconnect (the other side is expected to dial: one connection per pair instead of two simultaneous handshakes).
   */
  async start(peers: { peerId: PeerId; addrs: string[]; delayMs?: number }[]): Promise<void> {
    for (const p of peers) {
      this.peers.set(p.peerId.toString(), p);
      await this.node.peerStore.merge(p.peerId, {
        multiaddrs: p.addrs.map((a) => multiaddr(a)),
        tags: { [KEEP_ALIVE]: { value: 1 } },
      });
      this.schedule(p.peerId.toString(), p.delayMs ?? 0);
    }
    this.node.addEventListener("peer:disconnect", this.onDisconnect);
  }

  stop(): void {
    this.stopped = true;
    this.node.removeEventListener("peer:disconnect", this.onDisconnect);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(id: string, delayMs: number): void {
    if (this.stopped || this.timers.has(id) || !this.peers.has(id)) return;
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        void this.dial(id);
      }, delayMs),
    );
  }

  private async dial(id: string): Promise<void> {
    const peer = this.peers.get(id);
    if (this.stopped || peer === undefined) return;
    if (this.node.getConnections(peer.peerId).length > 0) {
      // Connected (perhaps by the peer): nothing to do until it disconnects.
      this.delays.delete(id);
      return;
    }
    try {
      await this.node.dial(peer.peerId, { signal: AbortSignal.timeout(15_000) });
      this.delays.delete(id);
    } catch (e) {
      const next = Math.min((this.delays.get(id) ?? this.backoff.initialMs / 2) * 2, this.backoff.maxMs);
      this.delays.set(id, next);
      this.logger.debug("Dial failed, retrying", { peer: id, retryInMs: next, reason: (e as Error).message });
      this.schedule(id, next);
    }
  }
}
