import { getOperator, getOperatorCount, getOperatorEvents, type OperatorEventName } from "@nektar/sdk";
import { Gauge, type Registry } from "prom-client";
import type { Address, Hex, PublicClient } from "viem";
import type { Logger } from "../logger/logger.ts";
import type { PeerAllowlist } from "../p2p/gater.ts";
import { PollLoop } from "./pollLoop.ts";
import { nodeIdentityPeerId } from "./requestDefinition.ts";

/** Events after which an operator's admission may change. */
const ADMISSION_EVENTS: readonly OperatorEventName[] = [
  "OperatorRegistered",
  "OperatorUpdated",
  "OperatorStatusChanged",
];

/** Operators read per batch of concurrent `getOperator` calls during a full scan. */
const SCAN_BATCH = 64;

export type RegistryAdmissionOptions = {
  client: PublicClient;
  registry: Address;
  allowlist: PeerAllowlist;
  /** How often to look for registry changes. */
  pollIntervalMs: number;
  /** Blocks to wait before trusting a change (0 on a local devnet). */
  confirmations: number;
  /** Largest block range of one `eth_getLogs` call. */
  maxBlockRange?: bigint;
  logger: Logger;
  /** Called with a peer id whose admission from the registry was withdrawn (e.g. to close its connections). */
  onRevoke?: (peerId: string) => void;
  metricsRegistry?: Registry;
};

type Admitted = { peerId: string; withdraw: () => void };

/**
 * Admits the node identities of every registered, non-ejected operator into the connection allowlist, following the
 * registry: one full scan at start, then the registry's operator events (registration, identity update, ejection)
 * each poll. Paused operators stay admitted: they still hold key shares of running validators. A peer whose operator
 * was ejected or changed identity loses this admission (it keeps any other, e.g. from a cluster lock it is part of).
 */
export class RegistryAdmission {
  private readonly opts: RegistryAdmissionOptions;
  private readonly admitted = new Map<bigint, Admitted>();
  private nextBlock: bigint | null = null;
  private readonly poller: PollLoop;
  private loop: Promise<void> | null = null;
  private readonly gauge: Gauge | undefined;

  constructor(opts: RegistryAdmissionOptions) {
    this.opts = opts;
    this.poller = new PollLoop({
      intervalMs: opts.pollIntervalMs,
      onError: (e) => opts.logger.warn("Operator registry admission sync failed; retrying", {}, e as Error),
    });
    this.gauge = opts.metricsRegistry
      ? new Gauge({
          name: "stinger_registry_admitted_operators_count",
          help: "Operators admitted to connect because the on-chain registry lists them (registered, not ejected)",
          registers: [opts.metricsRegistry],
        })
      : undefined;
  }

  /** Peer ids currently admitted from the registry, by operator id. */
  peers(): Map<bigint, string> {
    return new Map([...this.admitted].map(([id, a]) => [id, a.peerId]));
  }

  /**
   * Brings the admissions up to date with the registry at the confirmed head: a full scan the first time, the
   * changed operators afterwards. Returns the number of operators admitted.
   */
  async sync(): Promise<number> {
    const { client } = this.opts;
    // cacheTime 0: viem otherwise serves a block number up to its polling interval old.
    const head = (await client.getBlockNumber({ cacheTime: 0 })) - BigInt(this.opts.confirmations);
    if (head < 0n) return this.admitted.size;
    if (this.nextBlock === null) {
      const count = await getOperatorCount(client, { contracts: this.contracts(), blockNumber: head });
      const ids = Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1));
      for (let i = 0; i < ids.length; i += SCAN_BATCH) {
        await Promise.all(ids.slice(i, i + SCAN_BATCH).map((id) => this.refresh(id, head)));
      }
      this.nextBlock = head + 1n;
      this.opts.logger.info("Operator registry admission loaded", { operators: this.admitted.size });
    } else {
      const range = this.opts.maxBlockRange ?? 5_000n;
      let from: bigint = this.nextBlock;
      while (from <= head && !this.poller.stopped) {
        const to: bigint = from + range - 1n < head ? from + range - 1n : head;
        const events = await getOperatorEvents(client, { contracts: this.contracts(), fromBlock: from, toBlock: to });
        const changed = new Set<bigint>();
        for (const e of events) if (ADMISSION_EVENTS.includes(e.eventName)) changed.add(e.operatorId);
        for (const id of changed) await this.refresh(id, to);
        from = to + 1n;
        this.nextBlock = from;
      }
    }
    this.gauge?.set(this.admitted.size);
    return this.admitted.size;
  }

  /** Sync now, then every `pollIntervalMs` until `stop()`; RPC failures are logged and retried. */
  start(): Promise<void> {
    this.loop ??= this.poller.run(() => this.sync());
    return this.loop;
  }

  /** Stops polling and withdraws every admission this source made. */
  async stop(): Promise<void> {
    this.poller.stop();
    await this.loop;
    for (const id of [...this.admitted.keys()]) this.revoke(id);
    this.gauge?.set(0);
  }

  private async refresh(operatorId: bigint, blockNumber: bigint): Promise<void> {
    const op = await getOperator(this.opts.client, { contracts: this.contracts(), operatorId, blockNumber });
    const peerId = op.ejected ? undefined : identityPeerId(op.nodeIdentity, operatorId, this.opts.logger);
    const current = this.admitted.get(operatorId);
    if (current?.peerId === peerId) return;
    if (current !== undefined) this.revoke(operatorId);
    if (peerId !== undefined) {
      this.admitted.set(operatorId, { peerId, withdraw: this.opts.allowlist.admit([peerId]) });
    }
  }

  private contracts() {
    return { operatorRegistry: this.opts.registry };
  }

  private revoke(operatorId: bigint): void {
    const current = this.admitted.get(operatorId);
    if (current === undefined) return;
    this.admitted.delete(operatorId);
    current.withdraw();
    if (!this.opts.allowlist.has(current.peerId)) this.opts.onRevoke?.(current.peerId);
  }
}

/** The peer id of a registered identity, or undefined (logged) when the 32 bytes are not an Ed25519 public key. */
function identityPeerId(nodeIdentity: Hex, operatorId: bigint, logger: Logger): string | undefined {
  try {
    return nodeIdentityPeerId(nodeIdentity);
  } catch (e) {
    logger.warn("Registered node identity is not an Ed25519 key; not admitted", {
      operatorId: operatorId.toString(),
      nodeIdentity,
      reason: (e as Error).message,
    });
    return undefined;
  }
}
