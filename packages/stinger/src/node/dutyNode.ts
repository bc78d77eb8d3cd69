import type { ApiClient } from "@lodestar/api";
import type { Registry } from "prom-client";
import { AgreementRunner } from "../core/agreement/runner.ts";
import type { AgreementProtocol } from "../core/agreement/types.ts";
import { BeaconBroadcaster } from "../core/broadcast/broadcaster.ts";
import { CombinedSignatures } from "../core/dutydb/combinedSignatures.ts";
import { MemoryDutyDB } from "../core/dutydb/dutyDb.ts";
import { FetchedBlockContents } from "../core/fetcher/blockContents.ts";
import { BeaconFetcher } from "../core/fetcher/fetcher.ts";
import { type DutyDefinition, dutyKey } from "../core/interfaces.ts";
import { MemoryParSigDB } from "../core/parsigdb/parSigDb.ts";
import { BatchedParSigEx } from "../core/parsigex/parSigEx.ts";
import { BeaconScheduler } from "../core/scheduler/scheduler.ts";
import type { SlotClock } from "../core/scheduler/slotClock.ts";
import { ThresholdSigAgg } from "../core/sigagg/sigAgg.ts";
import { ShareSigner } from "../core/signer/signer.ts";
import type { ValidatorKeys } from "../core/signer/validatorKeys.ts";
import { InclusionChecker } from "../core/tracker/inclusion.ts";
import { createDutyMetrics, type DutyMetrics, DutyTracker } from "../core/tracker/tracker.ts";
import type { DutyTransport } from "../core/transport.ts";
import { BlockView } from "../core/validity/blockView.ts";
import { DutyValidity } from "../core/validity/validity.ts";
import { DutyPipeline } from "../core/wire.ts";
import type { Logger } from "../logger/logger.ts";
import { frameAtTime, type OracleFrames } from "../performance/counters.ts";
import { PerformanceExchange } from "../performance/exchange.ts";
import type { PerformanceMetrics } from "../performance/metrics.ts";
import { FrameRecorder } from "../performance/recorder.ts";
import { PerformanceStore } from "../performance/store.ts";
import { SlashingProtectionDB } from "../slashing/db.ts";
import type { BeaconConnection } from "./beaconConnection.ts";
import { BuilderRegistrations } from "./builderRegistrations.ts";
import { ProposerPreparation } from "./proposerPreparation.ts";

export type DutyNodeOptions = {
  /** The beacon node connection made once at start (genesis, spec, clock): restarts of a cluster's duties reuse it. */
  beacon: BeaconConnection;
  transport: DutyTransport;
  /** The key registry, or how to build it once the beacon node is reachable (e.g. to resolve validator indices). */
  keys: ValidatorKeys | ((api: ApiClient) => Promise<ValidatorKeys>);
  /** Cluster lock hash (32 bytes): binds agreement messages to this cluster. */
  clusterId: Uint8Array;
  operators: number;
  threshold: number;
  protocol: AgreementProtocol;
  /** Agreement rounds after which an instance gives up (the lock's setting; default 6). */
  maxRounds?: number;
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
  /**
   * Per-share performance recording (`src/performance/`): counters per oracle frame of `frameSlots` slots, saved under
   * `dataDir/performance/`. Off when absent.
   */
  performance?: PerformanceOptions;
  /**
   * Builder blocks: the `builder_boost_factor` of block requests (default 0 = local payloads only). With a positive
   * factor the beacon node may return a builder's blinded block; the cluster agrees on it by root, refuses one that
   * does not pay the lock's fee recipient (then proposes the local block) and publishes it with `publishBlindedBlockV2`.
   */
  builderBoostFactor?: bigint;
  /** Where the cluster's signed builder registrations are kept across restarts (`BuilderRegistrations`' `file`). */
  registrationsFile?: string;
};

/** Per-share performance: recording, and with `statements` the end-of-frame agreement and signature. */
export type PerformanceOptions = {
  dataDir: string;
  frameSlots: number;
  /** The oracle's frames in time when its genesis is not the beacon's (`AccountingOracle.frameAt`). */
  frames?: OracleFrames;
  /** Subdirectory of `dataDir/performance/` (a node serving several clusters keeps one per cluster). */
  cluster?: string;
  /** The chain and accounting oracle statements bind; without them only counters are recorded. */
  statements?: { chainId: bigint; oracle: `0x${string}`; metrics?: PerformanceMetrics };
};

/** The performance step of a running duty node (for `/performance` and status). */
export type DutyNodePerformance = {
  store: PerformanceStore;
  recorder: FrameRecorder;
  frameSlots: number;
  exchange?: PerformanceExchange;
};

export type DutyNode = {
  api: ApiClient;
  keys: ValidatorKeys;
  clock: SlotClock;
  pipeline: DutyPipeline;
  tracker: DutyTracker;
  slashingDb: SlashingProtectionDB;
  performance?: DutyNodePerformance;
  /** Adds a duty the beacon node does not assign (a voluntary exit): `Scheduler.addDuty`. */
  addDuty(definition: DutyDefinition): void;
  stop(): Promise<void>;
};

/**
 * Wires the duty pipeline of one cluster over an existing beacon node connection (standard Beacon API only) and opens
 * the slashing DB unless one is given. Cheap to call again when the cluster's validators change: genesis and spec are
 * not read again.
 */
export async function startDutyNode(opts: DutyNodeOptions): Promise<DutyNode> {
  const { api, config, clock } = opts.beacon;
  const keys = typeof opts.keys === "function" ? await opts.keys(api) : opts.keys;
  const slotsPerEpoch = clock.slotsPerEpoch;
  const ownsSlashingDb = opts.slashingDb === undefined;
  const slashingDb =
    opts.slashingDb ??
    (await SlashingProtectionDB.open({
      dir: opts.slashingDbDir,
      genesisValidatorsRoot: `0x${Buffer.from(opts.beacon.genesisValidatorsRoot).toString("hex")}`,
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
      maxRounds: opts.maxRounds ?? 6,
      relayProposals: false,
    },
    shareIndex: keys.shareIndex,
    sign: opts.sign,
    verify: opts.verify,
    logger,
    acceptSlot,
    onFault: (f, duty) => {
      if (f.shareIndex === undefined) return;
      tracker.fault(f.shareIndex, f.reason);
      logger.warn("Agreement fault", { shareIndex: f.shareIndex, reason: f.reason, slot: duty.slot, duty: duty.type });
    },
  });
  const scheduler = new BeaconScheduler({ api, clock, keys, logger });
  const aggSigDb = new CombinedSignatures();
  const blockContents = new FetchedBlockContents();
  // A proposed head this node's beacon node lacks may be a few ms ahead of it: wait up to half a round for it.
  const blocks = new BlockView({
    waitMs: Math.floor(roundMs / 2),
    lookup: async (root) => {
      const res = await api.beacon.getBlockHeader({ blockId: `0x${Buffer.from(root).toString("hex")}` });
      if (res.status === 404) return undefined;
      const h = res.value();
      return { slot: h.header.message.slot, canonical: h.canonical };
    },
  });
  const validity = new DutyValidity({ config, slotsPerEpoch, keys, slashingDb, aggSigDb, blocks });
  const preparation = new ProposerPreparation({ api, clock, keys, logger });
  // Registrations are the distributed validator's, not a node preference: every node signs its share whatever its own
  // builder_boost_factor, so a cluster whose operators set the factor differently still registers (11 partials) and
  // each leader's builder block finds the registration (packages/stinger/docs/blocks.md, "Mixed settings").
  const registrations = new BuilderRegistrations({
    clock,
    keys,
    addDuty: (definition) => scheduler.addDuty(definition),
    ...(opts.registrationsFile !== undefined ? { file: opts.registrationsFile } : {}),
    onPersistError: (e) => logger.warn("Could not save the builder registrations", { reason: e.message }),
    resend: async (signed) => {
      const res = await api.validator.registerValidator({ registrations: signed }).catch((e: Error) => e);
      if (res instanceof Error || !res.ok)
        logger.warn("Re-sending cached builder registrations failed", {
          count: signed.length,
          reason: res instanceof Error ? res.message : `HTTP ${res.status}`,
        });
    },
  });
  const perf = opts.performance === undefined ? undefined : startPerformance(opts, opts.performance, keys, logger);
  const performance = perf?.recorder;
  const pipeline = new DutyPipeline({
    clock,
    scheduler,
    fetcher: new BeaconFetcher({
      api,
      slotsPerEpoch,
      blockContents,
      randaoReveal: (slot, validator) => aggSigDb.get({ slot, type: "randao", validator }),
      selectionProof: (duty) => aggSigDb.get(duty),
      attestationData: (slot) => validity.attestationData(slot),
      syncBlockRoot: (slot) => validity.syncBlockRoot(slot),
      builderBoostFactor: opts.builderBoostFactor ?? 0n,
      registration: (d: DutyDefinition) => registrations.registration(d),
      feeRecipient: (validator) => (keys.has(validator) ? keys.get(validator).feeRecipient : undefined),
      onBuilderBlock: (duty, refused) => {
        tracker.builderBlock(refused === null ? "builder" : "refused");
        if (refused !== null)
          logger.warn("Builder block refused: proposing the local block", { slot: duty.slot, refused });
      },
    }),
    agreement,
    validity,
    dutyDb: new MemoryDutyDB(),
    signer: new ShareSigner({ config, slotsPerEpoch, keys, db: slashingDb }),
    parSigEx: new BatchedParSigEx({
      transport: opts.transport,
      logger,
      acceptSlot,
      onDrop: (i, reason) => tracker.fault(i, `partials_${reason}`),
    }),
    parSigDb: new MemoryParSigDB({
      threshold: opts.threshold,
      holds: (validator) => keys.has(validator),
      onEquivocation: (shareIndex, p) => {
        tracker.fault(shareIndex, "partial_equivocation");
        logger.warn("Operator sent two different partials for one duty", { shareIndex, duty: dutyKey(p.duty) });
      },
    }),
    sigAgg: new ThresholdSigAgg({
      keys,
      threshold: opts.threshold,
      onBadPartials: (duty, shareIndices) => {
        for (const i of shareIndices) tracker.fault(i, "bad_partial");
        logger.warn("Bad partial signatures", { duty: duty.type, slot: duty.slot, operators: shareIndices.join(",") });
      },
    }),
    aggSigDb,
    // The registrations it publishes are cached and re-sent in later epochs without signing them again.
    broadcaster: registrations.observe(new BeaconBroadcaster({ api, blockContents })),
    tracker,
    inclusion: new InclusionChecker({ api, clock, tracker, logger }),
    ...(performance === undefined ? {} : { performance }),
    logger,
  });
  pipeline.start();
  preparation.start();
  registrations.start();
  return {
    api,
    keys,
    clock,
    pipeline,
    tracker,
    slashingDb,
    ...(perf === undefined ? {} : { performance: perf }),
    addDuty: (definition) => scheduler.addDuty(definition),
    stop: async () => {
      preparation.stop();
      registrations.stop();
      pipeline.stop();
      performance?.flush();
      perf?.exchange?.stop();
      if (ownsSlashingDb) await slashingDb.close();
    },
  };
}

function startPerformance(
  opts: DutyNodeOptions,
  p: PerformanceOptions,
  keys: ValidatorKeys,
  logger: Logger,
): DutyNodePerformance {
  const store = new PerformanceStore(p.dataDir, p.cluster);
  const clock = opts.beacon.clock;
  const exchange =
    p.statements === undefined
      ? undefined
      : new PerformanceExchange({
          transport: opts.transport,
          store,
          keys,
          operators: opts.operators,
          threshold: opts.threshold,
          chainId: p.statements.chainId,
          oracle: p.statements.oracle,
          genesisForkVersion: Buffer.from(opts.beacon.genesisForkVersion.slice(2), "hex"),
          frameSlots: p.frameSlots,
          ...(p.frames !== undefined ? { frames: p.frames } : {}),
          clock,
          logger: logger.child({ module: "performance" }),
          ...(p.statements.metrics !== undefined ? { metrics: p.statements.metrics } : {}),
        });
  const recorder = new FrameRecorder({
    store,
    frameSlots: p.frameSlots,
    shares: opts.operators,
    flushEverySlots: clock.slotsPerEpoch,
    ...(p.frames !== undefined
      ? {
          frameOf: (slot: number) =>
            frameAtTime(clock.genesisTime + slot * clock.secondsPerSlot, p.frames as OracleFrames),
        }
      : {}),
    ...(exchange !== undefined ? { onFrameClosed: (counters) => exchange.closeFrame(counters) } : {}),
  });
  exchange?.start();
  return { store, recorder, frameSlots: p.frameSlots, ...(exchange !== undefined ? { exchange } : {}) };
}
