import type { ApiClient } from "@lodestar/api";
import { CliUsageError, getOperator, getOperatorIdByOwner, loadKeyFile } from "@nektar/sdk";
import type { Address } from "viem";
import { nodeIdentityPeerId } from "../chain/requestDefinition.ts";
import type { StingerConfig } from "../config/config.ts";
import type { Logger } from "../logger/logger.ts";
import { readNetworksConfig } from "../networks/config.ts";
import { startChainFeed } from "../networks/finalityFeed.ts";
import type { NetworkModuleHost } from "../networks/host.ts";
import { startLogFeed } from "../networks/logFeed.ts";
import { gossipsubNetworkPubSub } from "../networks/pubsub.ts";
import { startNetworkModules } from "../networks/start.ts";
import type { OperatorRuntime } from "../node/runtime.ts";
import { type ChainFlags, connect } from "./chainCommand.ts";

/** How often the Network modules' chain feed polls the beacon node and refreshes the Networks' members. */
const FEED_INTERVAL_MS = 2_000;
const MEMBERS_INTERVAL_MS = 30_000;

/**
 * `stinger run --networks <file>`: starts the Network modules of `networks.json` beside the validator duties, signing
 * their transactions with the `--signer-key-file` account (the operator's restaking address), and feeds them the
 * beacon node's epochs and finalized checkpoints and the execution client's logs of the contracts they watch. Returns
 * what stops them.
 */
export async function startNetworks(p: {
  file: string;
  flags: ChainFlags & { signerKeyFile?: string | undefined };
  config: StingerConfig;
  password: string;
  runtime: OperatorRuntime;
  beacon: { api: ApiClient; slotsPerEpoch: number };
  logger: Logger;
}): Promise<{ host: NetworkModuleHost; stop(): Promise<void> }> {
  if (p.flags.signerKeyFile === undefined) {
    throw new CliUsageError(
      "--networks needs --signer-key-file",
      "Network modules submit certificates and evidence: give the operator's execution-layer key file",
    );
  }
  const entries = readNetworksConfig(p.file);
  const account = loadKeyFile(p.flags.signerKeyFile);
  const c = await connect({ ...p.flags, json: false }, account);
  if (!c.wallet) throw new CliUsageError("--signer-key-file gave no account", "check the key file");
  const registry = c.contracts.networkRegistry;
  const resolvePeer = async (operator: Address) => {
    const id = await getOperatorIdByOwner(c.publicClient, { contracts: c.contracts, owner: operator });
    if (id === 0n) return undefined;
    const record = await getOperator(c.publicClient, { contracts: c.contracts, operatorId: id });
    return nodeIdentityPeerId(record.nodeIdentity);
  };
  const host = await startNetworkModules({
    entries,
    dataDir: p.config.dataDir,
    password: p.password,
    pubsub: gossipsubNetworkPubSub(p.runtime.node.services.pubsub),
    publicClient: c.publicClient,
    walletClient: c.wallet,
    operator: account.address,
    registry,
    chainId: c.manifest.chainId,
    logger: p.logger,
    metrics: p.runtime.registry,
    resolvePeer,
  });
  let withdraw = () => {};
  const admit = async () => {
    await host.refreshMembers(resolvePeer);
    withdraw();
    withdraw = p.runtime.allowlist.admit(host.memberPeers());
  };
  await admit();
  const membersTimer = setInterval(() => void admit().catch(() => {}), MEMBERS_INTERVAL_MS);
  const feed = startChainFeed(
    p.beacon.api,
    {
      onEpoch: (epoch) => host.dispatch({ kind: "epoch", epoch }),
      onFinalized: (checkpoint) => host.dispatch({ kind: "finalized", checkpoint }),
    },
    {
      intervalMs: FEED_INTERVAL_MS,
      slotsPerEpoch: p.beacon.slotsPerEpoch,
      logger: p.logger.child({ module: "networks" }),
    },
  );
  const logs = startLogFeed(
    c.publicClient,
    () => host.watchedAddresses(),
    (l) => host.dispatch({ kind: "logs", logs: l }),
    { intervalMs: FEED_INTERVAL_MS, logger: p.logger.child({ module: "networks" }) },
  );
  return {
    host,
    stop: async () => {
      feed.stop();
      logs.stop();
      clearInterval(membersTimer);
      withdraw();
      await host.stop();
    },
  };
}
