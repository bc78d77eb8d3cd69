import { dirname } from "node:path";
import { nonNegativeInt, positiveInt } from "@nektar/command-line";
import { CliUsageError, loadKeyFile } from "@nektar/sdk";
import { Command } from "commander";
import { ExitUpkeep } from "../chain/exitUpkeep.ts";
import { OracleUpkeep } from "../chain/oracleUpkeep.ts";
import { PoolUpkeep } from "../chain/poolUpkeep.ts";
import type { RequestWatcher } from "../chain/requestWatcher.ts";
import type { AgreementProtocol } from "../core/agreement/types.ts";
import { DEFAULT_AGREEMENT } from "../dkg/lock.ts";
import { loadIdentity } from "../identity/identity.ts";
import { createLogger, type LogLevel } from "../logger/logger.ts";
import { installModuleFaultHandlers } from "../networks/isolation.ts";
import { connectBeaconNode } from "../node/beaconConnection.ts";
import { startOperatorRuntime } from "../node/runtime.ts";
import { startStatusServer } from "../node/statusServer.ts";
import { ValidatorSupervisor } from "../node/validatorSupervisor.ts";
import { startNetworks } from "./networks.ts";
import {
  addFollowOptions,
  dkgUpkeepText,
  type FollowFlags,
  followConfig,
  outcomeText,
  registryFollower,
} from "./operator.ts";
import { addCommonOptions, configFrom, identityPassword } from "./options.ts";
import { enablePerformanceStatements } from "./runPerformance.ts";

type RunFlags = FollowFlags & {
  beaconNode?: string;
  networks?: string;
  listen?: string;
  bootnodes?: string;
  metrics?: boolean;
  metricsHost?: string;
  metricsPort?: string;
  agreement?: string;
  agreementTimeoutMs?: number;
  builder?: boolean;
  builderBoostFactor?: number;
  oracleUpkeep?: boolean;
  oracleIntervalMs?: number;
  finalizeWithdrawals?: boolean;
  requestValidators?: boolean;
  demandExits?: boolean;
  poolFallbackSeconds?: number;
  performance?: boolean;
};

/** `--builder` / `--builder-boost-factor`: the factor block requests carry (0: local payloads only). */
export function builderBoostFactor(flags: { builder?: boolean; builderBoostFactor?: number }): bigint {
  if (flags.builderBoostFactor !== undefined) return BigInt(flags.builderBoostFactor);
  return flags.builder === true ? 100n : 0n;
}

/**
 * `stinger run`: the operator node. Performs the duties of every distributed validator this operator holds a share of
 * (ceremony outputs in the data dir, whatever their operator set), and with `--signer-key-file` also follows the
 * operator registry: it runs the DKG ceremony of each validator request it is drawn for, and the new validator's duties
 * start in the same process once the beacon node knows it. One libp2p identity and listen address serve both.
 */
export function runCommand(): Command {
  const cmd = addCommonOptions(
    new Command("run")
      .description(
        "Operator node: perform the duties of every distributed validator held in the data dir; with --signer-key-file also follow the registry and run the DKG for each request",
      )
      .option(
        "--beacon-node <urls>",
        "Beacon API URL(s) of this operator's own beacon node(s), comma-separated: calls go to the healthiest and fall back at once [env STINGER_BEACON_NODE]",
      )
      .option("--listen <multiaddrs>", "comma-separated libp2p listen addresses [env STINGER_LISTEN]")
      .option(
        "--bootnodes <multiaddrs>",
        "comma-separated operator addresses ending in /p2p/<peerId> [env STINGER_BOOTNODES]",
      )
      .option("--networks <file>", "networks.json: the Network modules to run beside the duties [env STINGER_NETWORKS]")
      .option("--no-metrics", "do not serve /metrics and /health")
      .option("--metrics-host <host>", "metrics/health HTTP host [env STINGER_METRICS_HOST]")
      .option("--metrics-port <port>", "metrics/health HTTP port, 0 = any [env STINGER_METRICS_PORT]")
      .option(
        "--agreement <protocol>",
        "one-round or qbft: bound into the locks of ceremonies this node runs (default one-round); a lock binding another is refused (default: follow the locks)",
      )
      .option(
        "--agreement-timeout-ms <ms>",
        "agreement round timeout (default: the lock's, else a sixth of a slot); bound into new locks",
        positiveInt,
      )
      .option(
        "--no-oracle-upkeep",
        "when following the registry, do not post, verify or apply accounting oracle reports (default: on)",
      )
      .option(
        "--oracle-interval-ms <ms>",
        "how often the oracle upkeep checks the frame (default: one slot, at least 4 s)",
        positiveInt,
      )
      .option(
        "--no-finalize-withdrawals",
        "when following the registry, do not finalize payable withdrawal requests (default: on, by rotation)",
      )
      .option(
        "--no-request-validators",
        "when following the registry, do not request a validator when 32 ETH are depositable (default: on, by rotation)",
      )
      .option(
        "--no-demand-exits",
        "when following the registry, do not ask a validator to exit when withdrawals owe more than the buffer and " +
          "inflows (default: on, by rotation)",
      )
      .option(
        "--builder",
        "propose builder (MEV-boost) blocks through the beacon node's builder flow: --builder-boost-factor 100 (default: local blocks only)",
      )
      .option(
        "--builder-boost-factor <percent>",
        "builder_boost_factor of block requests: a builder bid wins when its value × factor/100 beats the local payload (0 = local only; default 100 with --builder, else 0)",
        nonNegativeInt,
      )
      .option(
        "--pool-fallback-seconds <s>",
        "seconds each operator after the turn holder waits before finalizing or requesting itself (default: two slots)",
        positiveInt,
      )
      .option(
        "--no-performance",
        "when following the registry, do not record per-share performance nor sign the end-of-frame statements (default: on)",
      ),
  );
  addFollowOptions(cmd, false);
  cmd.action(async (flags: RunFlags) => {
    const beaconNode = flags.beaconNode ?? process.env.STINGER_BEACON_NODE;
    const beaconUrls = beaconNode?.split(",").filter((u) => u !== "") ?? [];
    if (beaconUrls.length === 0 || beaconUrls.some((u) => !/^https?:\/\//.test(u))) {
      throw new CliUsageError(
        "--beacon-node <url[,url…]> is required",
        "Give the http(s)://host:port of this operator's beacon node(s) (standard Beacon API; several, comma-separated, " +
          "for fallback), or set STINGER_BEACON_NODE.",
      );
    }
    if (flags.agreement !== undefined && flags.agreement !== "one-round" && flags.agreement !== "qbft") {
      throw new CliUsageError(`--agreement must be one-round or qbft, got ${flags.agreement}`);
    }
    const protocol = flags.agreement as AgreementProtocol | undefined;
    const lying = testOnlyLyingReporter(process.env);
    // A signer key file that cannot be used fails now, before anything starts.
    if (flags.signerKeyFile !== undefined) loadKeyFile(flags.signerKeyFile);
    const config = configFrom(flags, {
      listen: flags.listen,
      bootnodes: flags.bootnodes,
      metricsEnabled: flags.metrics === false ? false : undefined,
      metricsHost: flags.metricsHost,
      metricsPort: flags.metricsPort,
      ...followConfig(flags),
    });
    const logger = createLogger({ level: config.logLevel as LogLevel, context: { module: "stinger" } });
    const password = await identityPassword(flags);
    const identity = await loadIdentity(config.dataDir, password);
    const beacon = await connectBeaconNode(beaconUrls, { logger: logger.child({ module: "beacon" }) });
    beacon.pool.start();
    // The status server below replaces the runtime's metrics-only server (same host/port, plus /health).
    const runtime = await startOperatorRuntime(
      { ...config, metrics: { ...config.metrics, enabled: false } },
      identity,
      logger,
    );
    const cleanup: (() => Promise<void>)[] = [async () => beacon.pool.stop(), () => runtime.stop()];
    const unwind = async () => {
      for (const f of cleanup.reverse()) await f().catch((e) => logger.warn("Shutdown step failed", {}, e));
      cleanup.length = 0;
    };
    let supervisor: ValidatorSupervisor;
    let follower: RequestWatcher | undefined;
    let upkeep: OracleUpkeep | undefined;
    let poolUpkeep: PoolUpkeep | undefined;
    let status: { url: string; close(): Promise<void> } | undefined;
    try {
      supervisor = await ValidatorSupervisor.start({
        beacon,
        node: runtime.node,
        allowlist: runtime.allowlist,
        identity: { peerId: identity.peerId.toString(), privateKey: identity.privateKey },
        dataDir: config.dataDir,
        password,
        ...(protocol !== undefined ? { protocol } : {}),
        registry: runtime.registry,
        logger,
        ...(flags.agreementTimeoutMs !== undefined ? { roundTimeoutMs: flags.agreementTimeoutMs } : {}),
        builderBoostFactor: builderBoostFactor(flags),
      });
      const running = supervisor;
      cleanup.push(() => running.stop());
      if (flags.signerKeyFile !== undefined) {
        const following = await registryFollower({
          flags: { ...flags, signerKeyFile: flags.signerKeyFile },
          forkVersion: flags.forkVersion ?? beacon.genesisForkVersion,
          config,
          identity,
          password,
          runtime,
          logger,
          agreement: {
            ...DEFAULT_AGREEMENT,
            ...(protocol !== undefined ? { protocol } : {}),
            ...(flags.agreementTimeoutMs !== undefined ? { roundTimeoutMs: flags.agreementTimeoutMs } : {}),
          },
          deposits: { beacon, validators: () => running.knownValidators() },
          onDkgUpkeep: (e) => console.log(dkgUpkeepText(e)),
          onOutcome: (o) => {
            if (o.action === "skipped" && o.reason === "not-member") return;
            console.log(outcomeText(o));
            if (o.action !== "completed") return;
            running
              .addValidator(dirname(o.lockPath))
              .catch((e) => logger.error("Could not add the new validator", { lock: o.lockPath }, e));
          },
        });
        follower = following.follower;
        const admission = following.admission;
        void admission.start();
        cleanup.push(() => admission.stop());
        // Attest this node's DKG rounds before their timeout; expire timed-out requests, redraw, eject at the limit.
        const dkgUpkeep = following.dkgUpkeep;
        void dkgUpkeep.run();
        cleanup.push(async () => dkgUpkeep.stop());
        const completer = following.completer;
        if (completer) {
          void completer.run();
          cleanup.push(async () => completer.stop());
        }
        // Exits the exit manager asks for: a voluntary exit signed through the duty pipeline, then the EIP-7002 fallback.
        const exits = new ExitUpkeep({
          publicClient: following.publicClient,
          wallet: following.wallet,
          contracts: following.contracts,
          beacon: beacon.api,
          clock: beacon.clock,
          validators: () => running.knownValidators(),
          addDuty: (definition) => void running.addDuty(definition),
          turnSeconds: beacon.clock.secondsPerSlot * beacon.clock.slotsPerEpoch,
          pollIntervalMs: Math.max(beacon.clock.secondsPerSlot * 1000, 4_000),
          logger: logger.child({ module: "exits" }),
        });
        void exits.run();
        cleanup.push(async () => exits.stop());
        console.log(`Following registry ${following.registry} on chain ${following.chainId} as ${identity.peerId}`);
        if (flags.performance !== false) {
          const frameSlots = await enablePerformanceStatements({
            client: following.publicClient,
            contracts: following.contracts,
            chainId: following.chainId,
            beacon: beacon.clock,
            supervisor: running,
            logger: logger.child({ module: "performance" }),
          });
          if (frameSlots !== undefined) console.log(`Performance: statements per oracle frame of ${frameSlots} slots`);
        }
        if (flags.oracleUpkeep !== false) {
          upkeep = new OracleUpkeep({
            client: following.wallet,
            contracts: following.contracts,
            beaconUrls,
            beaconGenesisTime: BigInt(beacon.clock.genesisTime),
            nodeIdentity: identity.record.identityPubkey,
            // One slot, but no more often than every 4 s: many nodes share the execution RPC.
            pollIntervalMs: flags.oracleIntervalMs ?? Math.max(beacon.clock.secondsPerSlot * 1000, 4_000),
            logger: logger.child({ module: "oracle" }),
            metricsRegistry: runtime.registry,
            testOnlyLyingReporter: lying,
            onEvent: (e) => {
              if (e.action === "posted") {
                console.log(`Oracle: posted frame ${e.frame} (${e.count} validators, ${e.balanceSum} gwei) tx ${e.tx}`);
              } else if (e.action === "mismatch") {
                console.log(
                  `Oracle: WRONG report for frame ${e.frame} by operator ${e.reporterOperatorId}: ${e.reason}`,
                );
              } else if (e.action === "disputed") {
                console.log(`Oracle: disputed frame ${e.frame} by operator ${e.reporterOperatorId} tx ${e.tx}`);
              } else if (e.action === "status") {
                console.log(`Oracle: validator ${e.validatorId} proven ${e.status} tx ${e.tx}`);
              } else if (e.action !== "verified") {
                console.log(`Oracle: frame ${e.frame} ${e.action} tx ${e.tx}`);
              }
            },
          });
          const running = upkeep;
          void running.run();
          cleanup.push(async () => running.stop());
        }
        if (flags.finalizeWithdrawals !== false || flags.requestValidators !== false || flags.demandExits !== false) {
          const pool = new PoolUpkeep({
            client: following.wallet,
            contracts: following.contracts,
            nodeIdentity: identity.record.identityPubkey,
            finalizeWithdrawals: flags.finalizeWithdrawals !== false,
            requestValidators: flags.requestValidators !== false,
            demandExits: flags.demandExits !== false,
            fallbackSeconds: BigInt(flags.poolFallbackSeconds ?? 2 * beacon.clock.secondsPerSlot),
            pollIntervalMs: flags.oracleIntervalMs ?? Math.max(beacon.clock.secondsPerSlot * 1000, 4_000),
            logger: logger.child({ module: "pool" }),
            metricsRegistry: runtime.registry,
            onEvent: (e) =>
              console.log(
                e.action === "finalized"
                  ? `Pool: finalized ${e.requests} withdrawal requests (up to id ${e.lastFinalizedRequestId}) tx ${e.tx}`
                  : e.action === "exit-requested"
                    ? `Pool: asked validator ${e.validatorId} to exit for withdrawal demand tx ${e.tx}`
                    : `Pool: ${e.action} validator ${e.requestId} tx ${e.tx}`,
              ),
          });
          poolUpkeep = pool;
          void pool.run();
          cleanup.push(async () => pool.stop());
        }
      }
      const networksFile = flags.networks ?? process.env.STINGER_NETWORKS;
      if (networksFile !== undefined) {
        // Before any module starts: an error escaping a module disables it; any other still ends the process.
        installModuleFaultHandlers(logger);
        const networks = await startNetworks({
          file: networksFile,
          flags,
          config,
          password,
          runtime,
          beacon: { api: beacon.api, slotsPerEpoch: beacon.clock.slotsPerEpoch },
          logger,
        });
        cleanup.push(() => networks.stop());
        console.log(
          `Network modules: ${
            networks.host
              .status()
              .map((m) => m.name)
              .join(", ") || "none started"
          }`,
        );
      }
      status = config.metrics.enabled
        ? await startStatusServer(
            runtime.registry,
            async () => {
              const syncing = await beacon.api.node.getSyncingStatus().catch(() => undefined);
              const beaconOk = syncing?.ok === true && !syncing.value().isSyncing;
              const s = running.status();
              return {
                healthy: beaconOk && running.quorate(),
                beaconNode: beaconOk ? "synced" : "unreachable_or_syncing",
                beaconNodes: beacon.pool.status(),
                following: follower !== undefined,
                ...s,
              };
            },
            config.metrics.host,
            config.metrics.port,
            (limit) => running.recentDuties(limit),
            (frames) => ({
              frameSlots: running.performanceFrameSlots() ?? null,
              validators: running.performanceReport(frames),
            }),
          )
        : undefined;
      const server = status;
      if (server) cleanup.push(() => server.close());
    } catch (e) {
      await unwind();
      throw e;
    }
    const s = supervisor.status();
    if (s.validators === 0 && follower === undefined) {
      logger.warn("No distributed validator in the data dir and not following the registry: nothing to do", {
        validators: `${config.dataDir}/validators`,
        hint: "run `stinger dkg`, or pass --signer-key-file to take part in the registry's ceremonies",
      });
    }
    console.log(
      `Stinger running: ${identity.peerId}, ${s.validators} validators in ${s.clusters.length} clusters ` +
        `(${s.known} known to the beacon node), ${protocol ?? "lock-bound"} agreement, beacon ${beaconNode}` +
        `${status ? `, status ${status.url}` : ""}${follower ? ", following the registry" : ""}` +
        `${upkeep ? ", oracle upkeep on" : ""}${poolUpkeep ? ", pool upkeep on" : ""}` +
        `${lying ? ", TEST ONLY: LYING oracle reporter" : ""}`,
    );
    let stopping = false;
    const shutdown = async (signal: string, code: number) => {
      if (stopping) return;
      stopping = true;
      logger.info("Shutting down", { signal });
      follower?.stop();
      upkeep?.stop();
      poolUpkeep?.stop();
      // A ceremony in progress is not waited for long: it resumes from its outputs (or expires) after a restart.
      await Promise.race([following, new Promise((r) => setTimeout(r, 3_000))]);
      await unwind();
      process.exit(code);
    };
    const following = follower?.run().catch((e) => {
      logger.error("Following the registry failed; stopping", {}, e);
      void shutdown("follower-failed", 1);
    });
    process.once("SIGINT", () => void shutdown("SIGINT", 0));
    process.once("SIGTERM", () => void shutdown("SIGTERM", 0));
  });
  return cmd;
}

/** Environment variable that makes this node post wrong oracle reports: the lying-reporter e2e and demo only. */
export const LYING_REPORTER_ENV = "STINGER_TEST_ONLY_LYING_REPORTER";
/** The marker the variable needs beside it, or the node refuses to start. */
export const LYING_REPORTER_MARKER_ENV = "NEKTAR_TEST_MARKER";
export const LYING_REPORTER_MARKER = "this-node-lies-on-purpose";

/**
 * Whether this node is the test's lying reporter: `STINGER_TEST_ONLY_LYING_REPORTER=1` together with
 * `NEKTAR_TEST_MARKER=this-node-lies-on-purpose` (the devnet launcher's `--demo-lying-reporter` sets both). The
 * variable without the marker is refused, so a stray setting cannot make a production node lie.
 */
export function testOnlyLyingReporter(env: NodeJS.ProcessEnv): boolean {
  const v = env[LYING_REPORTER_ENV];
  if (v === undefined || v === "" || v === "0") return false;
  if (env[LYING_REPORTER_MARKER_ENV] !== LYING_REPORTER_MARKER) {
    throw new CliUsageError(
      `${LYING_REPORTER_ENV} is set but ${LYING_REPORTER_MARKER_ENV} is not ${LYING_REPORTER_MARKER}`,
      `${LYING_REPORTER_ENV} makes this node post wrong oracle reports (tests and demos only). Unset it.`,
    );
  }
  return true;
}
