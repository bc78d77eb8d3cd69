import { join } from "node:path";
import { peerIdFromString } from "@libp2p/peer-id";
import { Command } from "commander";
import { Counter } from "prom-client";
import type { AgreementProtocol } from "../core/agreement/types.ts";
import { identitySigner, identityVerifier, peerIdPublicKey } from "../identity/ed25519.ts";
import { loadIdentity } from "../identity/identity.ts";
import { createLogger, type LogLevel } from "../logger/logger.ts";
import { loadClusterKeys, resolveValidatorKeys } from "../node/clusterKeys.ts";
import { DutyNetwork } from "../node/dutyNetwork.ts";
import { startDutyNode } from "../node/dutyNode.ts";
import { startOperatorRuntime } from "../node/runtime.ts";
import { startStatusServer } from "../node/statusServer.ts";
import { addCommonOptions, type CommonFlags, configFrom, identityPassword } from "./options.ts";

type RunFlags = CommonFlags & {
  beaconNode?: string;
  listen?: string;
  metrics?: boolean;
  metricsHost?: string;
  metricsPort?: string;
  agreement?: string;
};

/** `stinger run`: load the cluster locks and key shares, join the cluster network and perform the duties. */
export function runCommand(): Command {
  const cmd = addCommonOptions(
    new Command("run")
      .description("Perform the distributed validators' duties (locks and shares from `stinger dkg` in the data dir)")
      .option("--beacon-node <url>", "Beacon API URL of this operator's own beacon node [env STINGER_BEACON_NODE]")
      .option("--listen <multiaddrs>", "comma-separated libp2p listen addresses [env STINGER_LISTEN]")
      .option("--no-metrics", "do not serve /metrics and /health")
      .option("--metrics-host <host>", "metrics/health HTTP host [env STINGER_METRICS_HOST]")
      .option("--metrics-port <port>", "metrics/health HTTP port, 0 = any [env STINGER_METRICS_PORT]")
      .option("--agreement <protocol>", "one-round (default) or qbft", "one-round"),
  );
  cmd.action(async (flags: RunFlags) => {
    const beaconNode = flags.beaconNode ?? process.env.STINGER_BEACON_NODE;
    if (beaconNode === undefined || !/^https?:\/\//.test(beaconNode)) {
      throw new Error("--beacon-node <url> is required (http(s)://host:port of a standard Beacon API)");
    }
    if (flags.agreement !== "one-round" && flags.agreement !== "qbft") {
      throw new Error(`--agreement must be one-round or qbft, got ${flags.agreement}`);
    }
    const protocol: AgreementProtocol = flags.agreement;
    const config = configFrom(flags, {
      listen: flags.listen,
      metricsEnabled: flags.metrics === false ? false : undefined,
      metricsHost: flags.metricsHost,
      metricsPort: flags.metricsPort,
    });
    const logger = createLogger({ level: config.logLevel as LogLevel, context: { module: "stinger" } });
    const password = await identityPassword(flags);
    const identity = await loadIdentity(config.dataDir, password);
    const cluster = await loadClusterKeys(config.dataDir, identity.peerId.toString(), password);
    // The status server below replaces the runtime's metrics-only server (same host/port, plus /health).
    const runtime = await startOperatorRuntime(
      { ...config, metrics: { ...config.metrics, enabled: false } },
      identity,
      logger,
    );
    runtime.allowlist.admit(cluster.definition.operators.map((o) => o.peerId));
    const dropped = new Counter({
      name: "stinger_duty_messages_dropped_total",
      help: "Duty messages rejected before the pipeline, by reason",
      labelNames: ["reason"],
      registers: [runtime.registry],
    });
    const members = cluster.definition.operators.map((o) => ({
      peerId: o.peerId,
      multiaddrs: o.multiaddrs,
      verifier: identityVerifier(peerIdPublicKey(peerIdFromString(o.peerId))),
    }));
    const signer = identitySigner(identity.privateKey);
    const network = new DutyNetwork({
      node: runtime.node,
      clusterId: cluster.clusterId,
      members,
      selfIndex: cluster.selfIndex,
      signer,
      logger,
      dropped,
    });
    await network.start();
    const duties = await startDutyNode({
      beaconNodeUrl: beaconNode,
      transport: network,
      keys: async (api) => {
        const { keys, unknown } = await resolveValidatorKeys(api, cluster);
        if (unknown.length > 0)
          logger.warn("Validators not known to the beacon node yet", { pubkeys: unknown.join(",") });
        return keys;
      },
      clusterId: cluster.clusterId,
      operators: members.length,
      threshold: cluster.threshold,
      protocol,
      sign: (body) => signer.sign(body),
      verify: (from, body, sig) => members[from]?.verifier.verify(body, sig) ?? false,
      slashingDbDir: join(config.dataDir, "slashing-protection"),
      registry: runtime.registry,
      logger,
    });
    const status = config.metrics.enabled
      ? await startStatusServer(
          runtime.registry,
          async () => {
            const peers = network.connectedMembers();
            const syncing = await duties.api.node.getSyncingStatus().catch(() => undefined);
            const beaconOk = syncing?.ok === true && !syncing.value().isSyncing;
            return {
              healthy: beaconOk && peers + 1 >= cluster.threshold,
              beaconNode: beaconOk ? "synced" : "unreachable_or_syncing",
              connectedOperators: peers,
              threshold: cluster.threshold,
              validators: duties.keys.indices().length,
            };
          },
          config.metrics.host,
          config.metrics.port,
        )
      : undefined;
    console.log(
      `Stinger running: operator ${cluster.selfIndex + 1}/${members.length}, ${duties.keys.indices().length} validators, ` +
        `${protocol} agreement, beacon ${beaconNode}${status ? `, status ${status.url}` : ""}`,
    );
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info("Shutting down", { signal });
      await duties.stop();
      await network.stop();
      await status?.close();
      await runtime.stop();
      process.exit(0);
    };
    process.once("SIGINT", () => void shutdown("SIGINT"));
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
  });
  return cmd;
}
