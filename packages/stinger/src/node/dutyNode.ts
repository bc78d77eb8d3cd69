import { type ApiClient, getClient } from "@lodestar/api";
import { chainConfigFromJson, createBeaconConfig } from "@lodestar/config";
import { ACTIVE_PRESET } from "@lodestar/params";
import type { Registry } from "prom-client";
import { AgreementRunner } from "../core/agreement/runner.ts";
import type { AgreementProtocol } from "../core/agreement/types.ts";
import { BeaconBroadcaster } from "../core/broadcast/broadcaster.ts";
import { MemoryDutyDB } from "../core/dutydb/dutyDb.ts";
import { BeaconFetcher } from "../core/fetcher/fetcher.ts";
import { BatchedParSigEx } from "../core/parsigex/parSigEx.ts";
import { PipelineError } from "../core/pipelineError.ts";
import { BeaconScheduler } from "../core/scheduler/scheduler.ts";
import { SlotClock } from "../core/scheduler/slotClock.ts";
import { ThresholdSigAgg } from "../core/sigagg/sigAgg.ts";
import { ShareSigner } from "../core/signer/signer.ts";
import type { ValidatorKeys } from "../core/signer/validatorKeys.ts";
import { InclusionChecker } from "../core/tracker/inclusion.ts";
import { createDutyMetrics, type DutyMetrics, DutyTracker } from "../core/tracker/tracker.ts";
import type { DutyTransport } from "../core/transport.ts";
import { DutyPipeline } from "../core/wire.ts";
import type { Logger } from "../logger/logger.ts";
import { SlashingProtectionDB } from "../slashing/db.ts";

export type DutyNodeOptions = {
  beaconNodeUrl: string;
  transport: DutyTransport;
  /** The key registry, or how to build it once the beacon node is reachable (e.g. to resolve validator indices). */
  keys: ValidatorKeys | ((api: ApiClient) => Promise<ValidatorKeys>);
  /** Cluster lock hash (32 bytes): binds agreement messages to this cluster. */
  clusterId: Uint8Array;
  operators: number;
  threshold: number;
  protocol: AgreementProtocol;
  /** Ed25519 signing of agreement bodies with the operator identity, and verification by operator index. */
  sign: (body: Uint8Array) => Uint8Array;
  verify: (from: number, body: Uint8Array, signature: Uint8Array) => boolean;
  slashingDbDir: string;
  /**
   * An open slashing-protection DB to use instead of opening one in `slashingDbDir` (one instance per data dir: a node
   * serving several clusters shares it). The caller keeps ownership: `stop()` does not close it.
   */
  slashingDb?: SlashingProtectionDB;
  registry: Registry;
  /** Duty metrics already registered in `registry` (several duty nodes in one process share them). */
  metrics?: DutyMetrics;
  logger: Logger;
  /** Agreement round timeout; default a sixth of a slot. */
  roundTimeoutMs?: number;
};

export type DutyNode = {
  api: ApiClient;
  keys: ValidatorKeys;
  clock: SlotClock;
  pipeline: DutyPipeline;
  tracker: DutyTracker;
  slashingDb: SlashingProtectionDB;
  stop(): Promise<void>;
};

/**
 * Connects to the beacon node (standard Beacon API only), reads genesis and spec, opens the slashing DB and wires the
 * duty pipeline. Refuses a beacon node whose preset differs from this process's (SSZ types would not match).
 */
export async function startDutyNode(opts: DutyNodeOptions): Promise<DutyNode> {
  const bootstrap = getClient(
    { baseUrl: opts.beaconNodeUrl },
    { config: createBeaconConfig(chainConfigFromJson({}), new Uint8Array(32)) },
  );
  const beaconError = (call: string, e: unknown) =>
    new PipelineError({
      code: "ERR_BEACON_NODE",
      call,
      reason: `${(e as Error).message}; is ${opts.beaconNodeUrl} a synced beacon node?`,
    });
  let genesis: { genesisTime: number; genesisValidatorsRoot: Uint8Array };
  let spec: Record<string, string>;
  try {
    genesis = (await bootstrap.beacon.getGenesis()).value();
    spec = (await bootstrap.config.getSpec()).value() as Record<string, string>;
  } catch (e) {
    throw beaconError("getGenesis/getSpec", e);
  }
  if (spec.PRESET_BASE !== undefined && spec.PRESET_BASE !== ACTIVE_PRESET) {
    throw beaconError(
      "getSpec",
      new Error(`beacon node runs preset ${spec.PRESET_BASE}, this process ${ACTIVE_PRESET} (set LODESTAR_PRESET)`),
    );
  }
  const config = createBeaconConfig(chainConfigFromJson(spec), genesis.genesisValidatorsRoot);
  const api = getClient({ baseUrl: opts.beaconNodeUrl, globalInit: { timeoutMs: 4000 } }, { config });
  const keys = typeof opts.keys === "function" ? await opts.keys(api) : opts.keys;
  const slotsPerEpoch = Number(spec.SLOTS_PER_EPOCH);
  const clock = new SlotClock({
    genesisTime: Number(genesis.genesisTime),
    secondsPerSlot: config.SECONDS_PER_SLOT,
    slotsPerEpoch,
  });
  const ownsSlashingDb = opts.slashingDb === undefined;
  const slashingDb =
    opts.slashingDb ??
    (await SlashingProtectionDB.open({
      dir: opts.slashingDbDir,
      genesisValidatorsRoot: `0x${Buffer.from(genesis.genesisValidatorsRoot).toString("hex")}`,
    }));
  const tracker = new DutyTracker(opts.metrics ?? createDutyMetrics(opts.registry));
  const acceptSlot = (slot: number) => Math.abs(slot - clock.currentSlot()) <= 2;
  const logger = opts.logger.child({ module: "duties" });
  const roundMs = opts.roundTimeoutMs ?? Math.floor((config.SECONDS_PER_SLOT * 1000) / 6);
  const agreement = new AgreementRunner({
    transport: opts.transport,
    config: {
      protocol: opts.protocol,
      clusterId: opts.clusterId,
      operators: opts.operators,
      quorum: opts.threshold,
      roundTimeoutMs: () => roundMs,
      maxRounds: 6,
      relayProposals: false,
    },
    self: keys.shareIndex - 1,
    sign: opts.sign,
    verify: opts.verify,
    logger,
    acceptSlot,
    onFault: (f, duty) => {
      if (f.operator === undefined) return;
      tracker.fault(f.operator + 1, f.reason);
      logger.warn("Agreement fault", { operator: f.operator + 1, reason: f.reason, slot: duty.slot, duty: duty.type });
    },
  });
  let pipeline: DutyPipeline | undefined;
  const scheduler = new BeaconScheduler({ api, clock, keys, logger });
  pipeline = new DutyPipeline({
    clock,
    scheduler,
    fetcher: new BeaconFetcher({
      api,
      slotsPerEpoch,
      randaoReveal: (s, v) => pipeline?.fetcherInputs().randaoReveal(s, v),
      selectionProof: (duty) => pipeline?.fetcherInputs().selectionProof(duty),
      attestationData: (s) => pipeline?.fetcherInputs().attestationData(s),
      syncBlockRoot: (s) => pipeline?.fetcherInputs().syncBlockRoot(s),
    }),
    agreement,
    dutyDb: new MemoryDutyDB(),
    signer: new ShareSigner({ config, slotsPerEpoch, keys, db: slashingDb }),
    parSigEx: new BatchedParSigEx({
      transport: opts.transport,
      logger,
      acceptSlot,
      onDrop: (i, reason) => tracker.fault(i, `partials_${reason}`),
    }),
    sigAgg: new ThresholdSigAgg({
      keys,
      threshold: opts.threshold,
      onBadPartials: (duty, ids) => {
        for (const id of ids) tracker.fault(id, "bad_partial");
        logger.warn("Bad partial signatures", { duty: duty.type, slot: duty.slot, operators: ids.join(",") });
      },
    }),
    broadcaster: new BeaconBroadcaster({
      api,
      definitionOf: (duty) =>
        scheduler
          .getDutyDefinitions(duty.slot)
          .find((d) => d.duty.type === duty.type && d.duty.validator === duty.validator),
    }),
    tracker,
    inclusion: new InclusionChecker({ api, clock, tracker, logger }),
    keys,
    slashingDb,
    config,
    threshold: opts.threshold,
    logger,
  });
  pipeline.start();
  const running = pipeline;
  return {
    api,
    keys,
    clock,
    pipeline: running,
    tracker,
    slashingDb,
    stop: async () => {
      running.stop();
      if (ownsSlashingDb) await slashingDb.close();
    },
  };
}
