import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { MarketplaceServer } from "@nektar/marketplace/serve";
import {
  BaseError,
  deployDepositContract,
  deployNektar,
  listValidators,
  type NektarContracts,
  type NektarManifest,
  type NektarReadClient,
  nektarChain,
  writeManifest,
} from "@nektar/sdk";
import { createPublicClient, http } from "viem";
import { DEPLOYER_ACCOUNT, DISTRIBUTOR_HOLDER_ACCOUNT, devnetClient, FIRST_STAKER_ACCOUNT, fund } from "./accounts.ts";
import { BeaconApiError, beaconGenesisForkVersion, beaconGenesisTime, beaconHead, beaconValidators } from "./beacon.ts";
import { createBlockFeeTracker } from "./blockFees.ts";

/**
 * The beacon devnet's genesis fork version (Lodestar's minimal preset, which packages/beacon-devnet runs): the registry
 * is deployed with it, in parallel with the beacon node's start, and `up` checks it against the node's spec.
 */
const DEVNET_GENESIS_FORK_VERSION = "0x00000001";

import { createDevnetDistributor, type DistributorStatus, readDistributorStatus } from "./distributor.ts";
import { createEffectivenessTracker } from "./effectiveness.ts";
import { createInclusionTracker } from "./inclusion.ts";
import { startMarketplace } from "./marketplace.ts";
import {
  type DevnetFinalityNetwork,
  deployFinalityNetwork,
  devnetVaultEpochSeconds,
  type FinalityStatus,
  finalityEvents,
  joinFinalityNetwork,
  readFinalityStatus,
} from "./network.ts";
import { createIdentities, type DevnetOperator, registerOperators } from "./operators.ts";
import { BEACON_DEVNET_CLI, CONTRACTS_DIR, HARDHAT_CLI, REPO_ROOT, STINGER_CLI } from "./paths.ts";
import { readOperatorPerformance } from "./performance.ts";
import { poolUpkeepEvents } from "./poolUpkeepEvents.ts";
import {
  answersHttp,
  answersJsonRpc,
  type ManagedProcess,
  portOrFree,
  startProcess,
  stopProcess,
} from "./processes.ts";
import { devnetOracleConfig, oracleEvents } from "./reporter.ts";
import { createStakers } from "./stakers.ts";
import { type DevnetState, isAlive, readState, writeState } from "./state.ts";
import { type DevnetStatus, readStatus } from "./status.ts";
import { type DevnetStinger, startStingers, stingerHealth } from "./stingers.ts";

/** `npm start`'s slot length: short enough to finalize within a minute of the start, long enough for the DVs' duties. */
export const DEFAULT_SLOT_SECONDS = 1;

export type DevnetOptions = {
  /** Devnet directory (manifest, state, logs, operator identities). */
  dir: string;
  operators: number;
  stakers: number;
  slotSeconds: number;
  /** Distributed validators to create. */
  validators: number;
  /** Keep the operators' identities of the previous run (the chains always restart from genesis). */
  resume: boolean;
  /** EVM JSON-RPC port (0: any free port). */
  rpcPort: number;
  /** Beacon API port (0: any free port). */
  beaconPort: number;
  /** Marketplace web app port (0: any free port). */
  marketplacePort: number;
  /** Interop validators of the beacon devnet's own validator client (they carry the chain to finality). */
  interopValidators: number;
  /**
   * Demonstration only: one finality-relay operator's node equivocates once a certificate it signed landed, and the
   * other operators' modules slash it on-chain (`npm start -- --demo-slash`).
   */
  demoSlash?: boolean;
  /**
   * Demo/test only: operator `n` (1-based) runs its Stinger as a lying reporter (wrong oracle reports, see
   * `stinger run`'s `STINGER_TEST_ONLY_LYING_REPORTER`); the others dispute its reports.
   */
  demoLyingReporter?: number;
  /**
   * Builder blocks (`npm start -- --builder`): the beacon devnet starts its local builder (builder API on a free
   * port) and every Stinger runs with `--builder`; the status screen counts the DVs' builder vs local blocks. Off by
   * default: the default devnet already loads a 2-core host, and local blocks are what most operators start with.
   */
  builder?: boolean;
  /** Called with each phase, event and slot status. */
  onPhase?(message: string): void;
  onEvent?(message: string): void;
  onStatus?(status: DevnetStatus): void;
};

/** A devnet is already running from this directory. */
export class DevnetRunningError extends BaseError<{ code: "ERR_DEVNET_RUNNING"; pid: number }> {
  override name = "DevnetRunningError";
  constructor(pid: number, dir: string) {
    super({ code: "ERR_DEVNET_RUNNING", pid }, `a devnet is already running from ${dir} (pid ${pid})`, {
      hint: "Stop it with `nektar devnet down` (or Ctrl-C in its terminal).",
    });
  }
}

export type RunningDevnet = {
  manifest: NektarManifest;
  manifestPath: string;
  rpcUrl: string;
  beaconUrl: string;
  /** The marketplace web app, or undefined when its static build is missing (`npm run build -w apps/marketplace`). */
  marketplaceUrl: string | undefined;
  operators: DevnetOperator[];
  /** The operators' Stinger nodes (one `stinger run` each). */
  stingers: DevnetStinger[];
  /** The example finality-relay Network: relay, Network id, the operators running its module. */
  finality: DevnetFinalityNetwork;
  /** Milliseconds from the start of `devnetUp` to each milestone (benchmarks). */
  milestones: Map<string, number>;
  /** Stops every process this devnet started (by PID) and its loops; idempotent. */
  stop(): Promise<void>;
  /** Resolves when the devnet stopped. */
  stopped: Promise<void>;
};

/**
 * Starts the whole system on 127.0.0.1: Hardhat node → deployment (manifest) → beacon devnet bridged to it → operators
 * (Stinger identities, registered, bonded) → stakers and the status loop. The operators' Stinger nodes run the upkeep:
 * oracle reports, validator requests and withdrawal finalization.
 */
export async function devnetUp(opts: DevnetOptions): Promise<RunningDevnet> {
  const t0 = performance.now();
  const wallT0 = Date.now();
  const milestones = new Map<string, number>();
  const mark = (name: string) => milestones.has(name) || milestones.set(name, Math.round(performance.now() - t0));
  const phase = (m: string) => opts.onPhase?.(m);
  const previous = readState(opts.dir);
  if (previous && isAlive(previous.orchestratorPid) && previous.orchestratorPid !== process.pid) {
    throw new DevnetRunningError(previous.orchestratorPid, opts.dir);
  }
  if (!opts.resume) rmSync(opts.dir, { recursive: true, force: true });
  else
    for (const f of ["manifest.json", "devnet.json", "logs"])
      rmSync(join(opts.dir, f), { recursive: true, force: true });
  mkdirSync(opts.dir, { recursive: true });
  const logsDir = join(opts.dir, "logs");
  const manifestPath = join(opts.dir, "manifest.json");
  const children: ManagedProcess[] = [];
  const timers: NodeJS.Timeout[] = [];
  let stopping: Promise<void> | undefined;
  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((r) => {
    resolveStopped = r;
  });
  const state: DevnetState = {
    version: 1,
    startedAt: new Date().toISOString(),
    orchestratorPid: process.pid,
    rpcUrl: "",
    beaconUrl: undefined,
    manifest: manifestPath,
    processes: [],
  };
  /** Infrastructure whose exit ends the devnet; an operator node that dies is reported (its DVs tolerate it). */
  const essential = (role: string) => role === "hardhat-node" || role === "beacon-devnet";
  const track = (p: ManagedProcess) => {
    children.push(p);
    state.processes.push({ role: p.role, pid: p.pid });
    writeState(opts.dir, state);
    p.child.once("exit", (code, signal) => {
      if (stopping) return;
      opts.onEvent?.(`${p.role} exited unexpectedly (${signal ?? `code ${code}`}) — see ${p.log}`);
      if (essential(p.role)) {
        opts.onEvent?.("stopping the devnet");
        void stop();
      }
    });
  };
  let marketplace: MarketplaceServer | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const t of timers) clearInterval(t);
      await marketplace?.close();
      // Operator nodes first, all at once; then the infrastructure in reverse start order.
      await Promise.all(children.filter((c) => c.role.startsWith("stinger-")).map((c) => stopProcess(c.child)));
      for (const child of [...children].reverse()) await stopProcess(child.child);
      state.processes = [];
      writeState(opts.dir, state);
      resolveStopped();
    })();
    return stopping;
  };

  // Identities need no chain: create them while the EVM node starts. Awaited (and its failure reported) below.
  const identitiesCreated = createIdentities({
    count: opts.operators,
    dir: opts.dir,
    stingerCli: STINGER_CLI,
    cwd: REPO_ROOT,
    onProgress: (n) => opts.onEvent?.(`operator identities: ${n}/${opts.operators}`),
  });
  identitiesCreated.catch(() => {});
  try {
    phase("starting the Hardhat node");
    const rpcPort = await portOrFree(opts.rpcPort);
    const rpcUrl = `http://127.0.0.1:${rpcPort}`;
    await startProcess({
      role: "hardhat-node",
      args: [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(rpcPort)],
      cwd: CONTRACTS_DIR,
      logsDir,
      ready: answersJsonRpc(rpcUrl),
      onSpawn: track,
    });
    state.rpcUrl = rpcUrl;
    writeState(opts.dir, state);
    mark("evm");

    // The beacon chain's clock gates finality: start it as soon as the deposit contract it bridges exists, while the
    // rest of the system deploys.
    phase("deploying the deposit contract; then the beacon devnet and the Nektar contracts in parallel");
    const chainId = await createPublicClient({ transport: http(rpcUrl) }).getChainId();
    const chain = nektarChain(chainId, rpcUrl, "nektar devnet");
    const deployer = devnetClient(chain, rpcUrl, DEPLOYER_ACCOUNT);
    const depositContract = await deployDepositContract(deployer);
    const beaconPort = await portOrFree(opts.beaconPort);
    const beaconUrl = `http://127.0.0.1:${beaconPort}`;
    // One slot grid for the beacon chain and the oracle: a frame's anchor is a slot time counted from the oracle's
    // genesis (OracleProver.snapshotFrame), so both start at the same second.
    const sharedGenesis = Math.floor(Date.now() / 1000);
    const [, deployed] = await Promise.all([
      startProcess({
        role: "beacon-devnet",
        args: [
          BEACON_DEVNET_CLI,
          "--validators",
          String(opts.interopValidators),
          "--seconds-per-slot",
          String(opts.slotSeconds),
          "--genesis-time",
          String(sharedGenesis),
          "--port",
          String(beaconPort),
          "--el-rpc",
          rpcUrl,
          "--deposit-contract",
          depositContract,
          "--log-level",
          "warn",
          ...(opts.builder === true ? ["--builder", "--builder-port", "0"] : []),
        ],
        cwd: REPO_ROOT,
        logsDir,
        ready: answersHttp(`${beaconUrl}/eth/v1/node/health`),
        onSpawn: track,
      }).then(() => mark("beacon")),
      deployNektar({
        rpcUrl,
        account: deployer.account,
        depositContract,
        maxIncreaseBpPerDay: 10_000n,
        dkgTimeoutSeconds: 600n,
        // Frames of ORACLE_FRAME_EPOCHS epochs at the devnet's slot time, so the operators' reports come every few
        // epochs (the anchor window opens a slot into each frame; the challenge window is two epochs).
        oracle: { ...devnetOracleConfig(opts.slotSeconds), genesisTime: BigInt(sharedGenesis) },
        genesisForkVersion: DEVNET_GENESIS_FORK_VERSION,
        // Restaking epochs of a few beacon epochs: stake activates and Network rewards pay within minutes.
        restakingEpochSeconds: devnetVaultEpochSeconds(opts.slotSeconds),
      }).then((deployed) => {
        mark("deployed");
        return deployed;
      }),
    ]);
    // The registry verifies deposit signatures in this fork version's domain: it must be the beacon chain's.
    const forkVersion = await beaconGenesisForkVersion(beaconUrl);
    if (forkVersion !== DEVNET_GENESIS_FORK_VERSION) {
      throw new BeaconApiError(
        "/eth/v1/config/spec",
        `GENESIS_FORK_VERSION ${forkVersion}, the registry expects ${DEVNET_GENESIS_FORK_VERSION}`,
      );
    }
    const manifest: NektarManifest = { ...deployed, beaconUrl };
    writeManifest(manifestPath, manifest);
    state.beaconUrl = beaconUrl;
    writeState(opts.dir, state);
    const contracts = manifest.contracts;
    // The example Network's relay, before the operators' nodes start (half of them run its module).
    const finality = await deployFinalityNetwork({
      deployer,
      contracts,
      manifestPath,
      dir: opts.dir,
      beaconGenesis: await beaconGenesisTime(beaconUrl),
      slotSeconds: opts.slotSeconds,
      operators: opts.operators,
      demoSlash: opts.demoSlash === true,
    });
    opts.onEvent?.(
      `finality relay ${finality.relay} deployed (Network #${finality.networkId})${finality.equivocator === undefined ? "" : `; --demo-slash: operator ${finality.equivocator + 1} will equivocate`}`,
    );

    marketplace = await startMarketplace(manifest, {
      port: opts.marketplacePort,
      stakers: opts.stakers,
      operators: opts.operators,
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    });

    const identities = await identitiesCreated;
    mark("identities");
    phase(`registering and bonding ${opts.operators} operators; starting their Stinger nodes`);
    const bondEther = String(Math.max(2, Math.ceil((opts.validators * 16) / opts.operators) + 1));
    const [operators, stingers] = await Promise.all([
      registerOperators({ identities, bondEther, chain, rpcUrl, contracts }).then((r) => {
        mark("operators");
        return r;
      }),
      startStingers({
        identities,
        dir: opts.dir,
        manifestPath,
        beaconUrl,
        slotSeconds: opts.slotSeconds,
        stingerCli: STINGER_CLI,
        cwd: REPO_ROOT,
        logsDir,
        track,
        networksFile: finality.networksFile,
        ...(opts.demoLyingReporter !== undefined ? { lyingReporter: opts.demoLyingReporter } : {}),
        builder: opts.builder === true,
      }),
    ]);
    mark("stingers");
    if (opts.builder === true)
      opts.onEvent?.("builder flow on: the beacon devnet's local builder bids, every Stinger runs with --builder");
    if (opts.demoLyingReporter !== undefined) {
      opts.onEvent?.(`operator ${opts.demoLyingReporter}'s node is a LYING reporter (demo): watch its reports voided`);
    }

    const stakerClients = Array.from({ length: opts.stakers }, (_, i) =>
      devnetClient(chain, rpcUrl, FIRST_STAKER_ACCOUNT + i),
    );
    for (const s of stakerClients) await fund(s, "10000");
    const delegator = stakerClients.at(-1);
    // The example Network is not essential: a failure to join is reported and the rest of the devnet runs on.
    await joinFinalityNetwork({ network: finality, operators, delegator, contracts }).then(
      (lines) => {
        for (const e of lines) opts.onEvent?.(e);
      },
      (e: unknown) =>
        opts.onEvent?.(
          `finality relay: opt-ins failed: ${e instanceof BaseError ? e.shortMessage : (e as Error).message}`,
        ),
    );
    // The devnet's Distributor over the relay's restaking operators (also Diva operators: the strategy weighs bonds).
    const relayOperators = operators
      .filter((o) => finality.members.includes(o.index))
      .map((o) => o.client.account.address);
    const distributorHolder = devnetClient(chain, rpcUrl, DISTRIBUTOR_HOLDER_ACCOUNT);
    await fund(distributorHolder, "100");
    const distributor = await createDevnetDistributor({
      curator: deployer,
      holder: distributorHolder,
      operators: relayOperators,
      contracts,
    }).then(
      ({ address, events }) => {
        for (const e of events) opts.onEvent?.(e);
        return address;
      },
      (e: unknown) => {
        opts.onEvent?.(`Distributor: not created: ${e instanceof BaseError ? e.shortMessage : (e as Error).message}`);
        return undefined;
      },
    );
    let distributorStatus: DistributorStatus | undefined;
    let distributorReadAt = 0;
    let finalityStatus: FinalityStatus | undefined;
    let finalityReadAt = 0;
    const stakers = createStakers({
      stakers: stakerClients,
      requester: deployer,
      contracts,
      targetValidators: opts.validators,
    });
    // The operators' Stinger nodes request the validators and finalize withdrawals: the status shows who sent what.
    const poolUpkeep = poolUpkeepEvents({
      client: deployer,
      contracts,
      operators: new Map(operators.map((o) => [o.client.account.address, o.index + 1])),
      fromBlock: manifest.deploymentBlock,
    });

    const inclusion = createInclusionTracker(beaconUrl);
    const rewards = createEffectivenessTracker(beaconUrl);
    const blockFees = createBlockFeeTracker(beaconUrl, contracts.withdrawalVault);
    let reportedForeign = 0;
    const genesisTime = await beaconGenesisTime(beaconUrl);
    let busy = false;
    const reports = oracleEvents({ client: deployer, contracts });
    const tick = async () => {
      if (busy || stopping) return;
      busy = true;
      const guard = async (what: string, fn: () => Promise<void>) => {
        try {
          await fn();
        } catch (e) {
          opts.onEvent?.(`${what}: ${e instanceof BaseError ? e.shortMessage : (e as Error).message}`);
        }
      };
      await guard("stakers", async () => {
        for (const e of await stakers.step()) opts.onEvent?.(e);
      });
      await guard("status", async () => {
        const head = await beaconHead(beaconUrl);
        const [dvIndices, health, sharePerformance] = await Promise.all([
          activeDistributedValidators(deployer, contracts, beaconUrl),
          stingerHealth(stingers),
          readOperatorPerformance(stingers),
        ]);
        await inclusion.update(head.slot, dvIndices);
        await rewards.update(head.slot, dvIndices);
        await blockFees.update(head.slot, dvIndices);
        if (blockFees.fees.foreign.length > reportedForeign) {
          reportedForeign = blockFees.fees.foreign.length;
          opts.onEvent?.(
            `distributed validator blocks paying another fee recipient at slots ${blockFees.fees.foreign.join(",")}`,
          );
        }
        const firstIncluded = inclusion.results.find((r) => r.firstInclusionSlot !== undefined)?.firstInclusionSlot;
        if (firstIncluded !== undefined && !milestones.has("dvAttestation")) {
          // When the including block's slot started, on this process's clock.
          milestones.set("dvAttestation", Math.round((genesisTime + firstIncluded * opts.slotSeconds) * 1000 - wallT0));
        }
        await guard("finality relay", async () => {
          // Every few seconds: it reads every keyed operator's rewards.
          if (Date.now() - finalityReadAt < Math.max(4, 2 * opts.slotSeconds) * 1000) return;
          finalityReadAt = Date.now();
          const now = await readFinalityStatus(deployer, {
            network: finality,
            delegator: delegator?.account.address,
            contracts,
          });
          for (const e of finalityEvents(finalityStatus, now)) opts.onEvent?.(e);
          finalityStatus = now;
        });
        await guard("Distributor", async () => {
          // As often as the relay: a dozen reads.
          if (distributor === undefined || Date.now() - distributorReadAt < Math.max(4, 2 * opts.slotSeconds) * 1000)
            return;
          distributorReadAt = Date.now();
          distributorStatus = await readDistributorStatus(deployer, distributor);
        });
        const status = await readStatus({
          client: deployer,
          contracts,
          beaconUrl,
          operatorsRegistered: operators.length,
          operatorsOnline: health.online,
          operatorsHealthy: health.healthy,
          dvInclusionRate: dvIndices.length === 0 ? undefined : inclusion.rate(),
          dvBlocks: blockFees.fees,
          builderFlow: opts.builder === true,
          effectiveness: rewards.effectiveness(),
          notes: [],
          fromBlock: manifest.deploymentBlock,
          finality: finalityStatus,
          distributor: distributorStatus,
          performance: sharePerformance,
        });
        if (status.finalizedEpoch > 0) mark("finalized");
        if (status.validators.requested + status.validators.deposited + status.validators.active > 0) mark("requested");
        if (status.validators.deposited + status.validators.active > 0) mark("deposited");
        if (dvIndices.length > 0) mark("dvActive");
        await guard("oracle", async () => {
          for (const line of await reports.poll()) opts.onEvent?.(line);
        });
        await guard("pool upkeep", async () => {
          for (const line of await poolUpkeep.poll()) opts.onEvent?.(line);
        });
        opts.onStatus?.(status);
      });
      busy = false;
    };
    timers.push(setInterval(() => void tick(), opts.slotSeconds * 1000));
    void tick();
    return {
      manifest,
      manifestPath,
      rpcUrl,
      beaconUrl,
      marketplaceUrl: marketplace?.url,
      operators,
      stingers,
      finality,
      milestones,
      stop,
      stopped,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Beacon indices of the registry's validators that are active on the beacon chain. */
async function activeDistributedValidators(
  client: NektarReadClient,
  contracts: NektarContracts,
  beaconUrl: string,
): Promise<number[]> {
  const { validators } = await listValidators(client, { contracts, limit: 1000n });
  const pubkeys = validators.flatMap((v) => (v.pubkey === undefined ? [] : [v.pubkey]));
  const onBeacon = await beaconValidators(beaconUrl, pubkeys);
  return onBeacon.filter((v) => v.status.startsWith("active")).map((v) => v.index);
}

/** Whether the devnet directory holds a manifest (for messages). */
export function hasManifest(dir: string): boolean {
  return existsSync(join(dir, "manifest.json"));
}
