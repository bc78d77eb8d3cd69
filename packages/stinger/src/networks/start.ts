import type { Registry } from "prom-client";
import type { Address, PublicClient, WalletClient } from "viem";
import type { Logger } from "../logger/logger.ts";
import type { NetworkModuleEntry } from "./config.ts";
import { NetworkModuleHost } from "./host.ts";
import type { NetworkPubSub } from "./interfaces.ts";
import { loadModuleDefinition } from "./load.ts";
import { loadOrCreateNetworkKey, networkDir } from "./networkKey.ts";
import { StatementProtection } from "./protection.ts";

export type StartNetworkModulesOptions = {
  entries: readonly NetworkModuleEntry[];
  dataDir: string;
  password: string;
  pubsub: NetworkPubSub;
  publicClient: PublicClient;
  walletClient: WalletClient;
  /** The operator's address (its restaking operator). */
  operator: Address;
  registry: Address;
  chainId: number;
  logger: Logger;
  metrics: Registry;
  /** libp2p peer id of an operator's node, if it has one. */
  resolvePeer(operator: Address): Promise<string | undefined>;
};

/**
 * Starts every enabled module of `networks.json` on one host: its Network key (created on first start, encrypted
 * with the node's password) and its slashing protection live in `<dataDir>/networks/<name>/`. A module that cannot
 * be loaded or started is reported and skipped.
 */
export async function startNetworkModules(o: StartNetworkModulesOptions): Promise<NetworkModuleHost> {
  const host = new NetworkModuleHost({
    logger: o.logger.child({ module: "networks" }),
    metrics: o.metrics,
    pubsub: o.pubsub,
  });
  for (const entry of o.entries) {
    if (!entry.enabled) continue;
    try {
      const definition = await loadModuleDefinition(entry.module);
      const name = entry.name ?? definition.name;
      const dir = networkDir(o.dataDir, name);
      const { key, created } = await loadOrCreateNetworkKey(dir, o.password);
      if (created) o.logger.info("Network key created", { module: name, publicKey: JSON.stringify(key) });
      await host.add(definition, {
        name,
        network: { contract: entry.contract, registry: o.registry, networkId: entry.networkId, chainId: o.chainId },
        operator: o.operator,
        key,
        protection: StatementProtection.open(dir, name),
        chain: { publicClient: o.publicClient, walletClient: o.walletClient },
        options: entry.options,
      });
    } catch (e) {
      o.logger.error("Network module not started", { module: entry.module }, e);
    }
  }
  await host.refreshMembers(o.resolvePeer);
  return host;
}
