import type { Registry } from "prom-client";
import type { Address, Hex, Log, PublicClient, WalletClient } from "viem";
import type { Logger } from "../logger/logger.ts";
import type { NetworkKey } from "./networkKey.ts";
import type { StatementProtection } from "./protection.ts";

/**
 * Stinger Network modules: the operator-side duty of a Network that runs on Nektar restaking, hosted by the Stinger
 * the operator already runs. This file is the contract the host and every module are typed by.
 */

/** The beacon chain's finalized checkpoint and the execution block hash of its block. */
export type FinalizedCheckpoint = { epoch: bigint; root: Hex; executionBlockHash: Hex };

/** A message on the module's own P2P topic, from a peer admitted for that Network. */
export type NetworkMessage = { from: string; data: Uint8Array };

/** What a module reacts to; the host calls only the handlers a module defines. */
export type NetworkEvent =
  | { kind: "epoch"; epoch: bigint }
  | { kind: "finalized"; checkpoint: FinalizedCheckpoint }
  | { kind: "message"; message: NetworkMessage }
  | { kind: "logs"; logs: Log[] };

export type NetworkEventKind = NetworkEvent["kind"];

/** The module's own gossip topic: only operators opted in to its Network are admitted. */
export type NetworkTopic = {
  readonly name: string;
  publish(data: Uint8Array): Promise<void>;
};

/** The minimal publish/subscribe surface the host needs (libp2p gossipsub in a node, a bus in tests). */
export type NetworkPubSub = {
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  publish(topic: string, data: Uint8Array): Promise<void>;
  /** Registers the one receiver of every topic message: `from` is the peer that delivered it. */
  onMessage(handler: (topic: string, from: string, data: Uint8Array) => void): () => void;
};

/** The Network a module serves, from the operator's config. */
export type NetworkRef = {
  /** The Network's contract (its middleware), which keeps the module's on-chain state. */
  contract: Address;
  /** The Nektar `NetworkRegistry`. */
  registry: Address;
  networkId: bigint;
  chainId: number;
};

/** Everything the host gives a module. */
export type NetworkModuleContext = {
  /** The module's name: its metrics (`stinger_network_<name>_…`), logs (`module=<name>`) and data folder. */
  name: string;
  network: NetworkRef;
  /** The operator's execution-layer address (its restaking operator address). */
  operator: Address;
  /** This operator's BLS key for this Network (not a validator share). */
  key: NetworkKey;
  /** The module's own slashing protection: record before signing, it refuses conflicting statements. */
  protection: StatementProtection;
  topic: NetworkTopic;
  chain: { publicClient: PublicClient; walletClient?: WalletClient | undefined };
  logger: Logger;
  metrics: Registry;
  /** Module-specific settings from the config entry. */
  options: Readonly<Record<string, unknown>>;
  /** Aborted when the host stops the module. */
  signal: AbortSignal;
};

/** A running module: the handlers for what it reacts to. Every handler may be cut short by `signal`. */
export type NetworkModule = {
  onEpoch?(epoch: bigint, signal: AbortSignal): Promise<void>;
  onFinalizedCheckpoint?(checkpoint: FinalizedCheckpoint, signal: AbortSignal): Promise<void>;
  onMessage?(message: NetworkMessage, signal: AbortSignal): Promise<void>;
  onLogs?(logs: Log[], signal: AbortSignal): Promise<void>;
  /** The operators of its Network (the host admits their nodes on the module's topic). */
  members?(): Promise<readonly Address[]>;
  /** Contract events the module wants as `onLogs` (the host's chain follower watches them). */
  readonly watch?: { address: Address } | undefined;
  stop?(): Promise<void>;
};

/** What a module package exports (as its default export): how to create the module for one Network. */
export type NetworkModuleDefinition = {
  /** Default module name (overridable in config). */
  name: string;
  /** One line for operators. */
  description: string;
  create(ctx: NetworkModuleContext): Promise<NetworkModule>;
};
