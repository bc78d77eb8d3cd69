import { peerIdFromString } from "@libp2p/peer-id";
import { multiaddr } from "@multiformats/multiaddr";
import type { Registry } from "prom-client";
import type { StingerConfig } from "../config/config.ts";
import { createDkgMetrics, type DkgMetrics } from "../dkg/metrics.ts";
import type { OperatorIdentity } from "../identity/identity.ts";
import type { Logger } from "../logger/logger.ts";
import { createMetricsRegistry } from "../metrics/registry.ts";
import { type MetricsServer, startMetricsServer } from "../metrics/server.ts";
import { PeerAllowlist } from "../p2p/gater.ts";
import { createP2pMetrics, type P2pMetrics } from "../p2p/metrics.ts";
import { createOperatorNode, type OperatorNode } from "../p2p/node.ts";

/** A running Stinger node: libp2p host, peer allowlist, metrics (and their HTTP endpoint). */
export type OperatorRuntime = {
  node: OperatorNode;
  allowlist: PeerAllowlist;
  registry: Registry;
  p2pMetrics: P2pMetrics;
  dkgMetrics: DkgMetrics;
  metricsServer: MetricsServer | null;
  stop(): Promise<void>;
};

/** Wire and start the node's long-lived parts from its configuration and identity. */
export async function startOperatorRuntime(
  config: StingerConfig,
  identity: OperatorIdentity,
  logger: Logger,
): Promise<OperatorRuntime> {
  const registry = createMetricsRegistry();
  const p2pMetrics = createP2pMetrics(registry);
  const dkgMetrics = createDkgMetrics(registry);
  const allowlist = new PeerAllowlist();
  // Bootnodes are operators the node owner trusts explicitly (e.g. from the registry, until it is read on-chain).
  allowlist.admit(config.bootnodes.map((a) => bootnodePeerId(a)));
  const metricsServer = config.metrics.enabled
    ? await startMetricsServer(registry, config.metrics.host, config.metrics.port)
    : null;
  let node: OperatorNode;
  try {
    node = await createOperatorNode({
      privateKey: identity.privateKey,
      listen: config.listen,
      allowlist,
      metrics: p2pMetrics,
    });
  } catch (e) {
    await metricsServer?.close();
    throw e;
  }
  const onConnect = () => p2pMetrics.connectedPeers.set(node.getPeers().length);
  node.addEventListener("peer:connect", onConnect);
  node.addEventListener("peer:disconnect", onConnect);
  logger.info("Stinger node started", {
    peerId: identity.peerId.toString(),
    listen: node.getMultiaddrs().map((a) => a.toString()),
    metrics: metricsServer?.url ?? "disabled",
  });
  for (const a of config.bootnodes) void node.dial(multiaddr(a)).catch(() => {});
  return {
    node,
    allowlist,
    registry,
    p2pMetrics,
    dkgMetrics,
    metricsServer,
    stop: async () => {
      await node.stop();
      await metricsServer?.close();
    },
  };
}

function bootnodePeerId(addr: string): string {
  const id = multiaddr(addr)
    .getComponents()
    .findLast((c) => c.name === "p2p")?.value;
  if (id === undefined) throw new Error(`bootnode ${addr} must end in /p2p/<peerId>`);
  return peerIdFromString(id).toString();
}
