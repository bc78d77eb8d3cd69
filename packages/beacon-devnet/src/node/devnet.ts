import type { AddressInfo } from "node:net";
import { computeEpochAtSlot } from "@lodestar/state-transition";
import type { FastifyInstance } from "fastify";
import { type Logger, pino } from "pino";
import type { ApiContext } from "../api/context.ts";
import { createApiServer } from "../api/server.ts";
import { BlobStore, blobsOncePerSlot, devnetBlobs } from "../blobs/blobs.ts";
import { BuilderConnection } from "../builder/builderConnection.ts";
import { chainPayloadSource } from "../builder/chainPayloadSource.ts";
import { type RunningBuilder, startLocalBuilder } from "../builder/localBuilder.ts";
import { RegistrationBook } from "../builder/registrations.ts";
import { BeaconChain } from "../chain/chain.ts";
import { SlotClock } from "../chain/clock.ts";
import { createDevnetChainConfig, defaultChainConfigOptions } from "../chain/config.ts";
import { createGenesis, type GenesisValidator } from "../chain/genesis.ts";
import type { StoredBlock } from "../chain/types.ts";
import { DevnetError } from "../errors.ts";
import { AttestationPool } from "../pool/attestationPool.ts";
import { SyncCommitteePool } from "../pool/syncCommitteePool.ts";
import { VoluntaryExitPool } from "../pool/voluntaryExitPool.ts";
import { InteropValidatorClient } from "../validator/interopValidatorClient.ts";
import { type ExecutionRequestProvider, PoolOperations } from "./operations.ts";
import { computeProgress, formatProgress, type Progress } from "./progress.ts";

export const DEVNET_VERSION = "0.1.0";

/** The execution side of the devnet (see src/bridge/): fed before each slot and after each imported block. */
export interface DevnetBridge extends ExecutionRequestProvider {
  /** Pull new EL requests (deposits, withdrawal requests) before the slot's block is produced. */
  beforeSlot(slot: number): Promise<void>;
  /**
   * Record, at import (synchronously, before the next block is produced), which deposit requests the block's chain
   * has included, so a block produced before `afterBlock` caught up never includes one again.
   */
  noteBlock(block: StoredBlock): void;
  /** Reflect an imported block on the EL: withdrawals, EIP-4788 root, timestamp; drop included requests. */
  afterBlock(block: StoredBlock): Promise<void>;
  stop(): Promise<void>;
}

export type DevnetOptions = {
  /** Interop validators whose keys the built-in validator client holds (default 64). */
  validators?: number;
  /** Genesis validators the devnet does not hold keys for (e.g. distributed validators). */
  extraValidators?: GenesisValidator[];
  /** Whole seconds per slot (default 2). */
  secondsPerSlot?: number;
  /** Beacon API port; 0 picks a free one (default 0). */
  port?: number;
  /** Beacon API host (default 127.0.0.1). */
  host?: string;
  /** Fulu at genesis instead of Electra. */
  fulu?: boolean;
  /**
   * Blobs every block produced through `produceBlockV3` carries, with real KZG commitments and proofs (default 0;
   * at most the fork's `MAX_BLOBS_PER_BLOCK`; Electra only). Published blocks must come with their blobs.
   */
  blobsPerBlock?: number;
  /** Genesis time in unix seconds (default: now). */
  genesisTime?: number;
  /**
   * Post-states kept in memory (default 64). An evicted block's state is recomputed by replay from a pinned one,
   * which the rewards endpoints need for every block they price: a measurement over many epochs on a loaded host
   * should keep its whole window (about one state per slot).
   */
  stateCacheSize?: number;
  /** Epochs a validator must be active before exiting (default 4; mainnet 256). */
  shardCommitteePeriod?: number;
  /** Epochs from exit to withdrawability (default 4; mainnet 256). */
  minValidatorWithdrawabilityDelay?: number;
  /** Build the EVM bridge once the chain exists (see `createEvmBridge`). */
  bridge?: (chain: BeaconChain, logger: Logger) => Promise<DevnetBridge>;
  /** Deposit contract address reported by /eth/v1/config/deposit_contract. */
  depositContract?: `0x${string}`;
  logger?: Logger;
  /** Called once per slot with the progress line's data. */
  onProgress?: (p: Progress) => void;
  /**
   * Builder flow: `true` (or options) starts the local builder (`src/builder/`) on its own port and connects the
   * beacon node to it; `url` connects to a builder API elsewhere instead. Default: no builder, local payloads only.
   */
  builder?: boolean | DevnetBuilderOptions;
  /** What a local payload is worth in wei, compared with builder bids (default 0: any bid wins at factor > 0). */
  localBlockValueWei?: bigint;
};

export type DevnetBuilderOptions = {
  /** An external builder API URL (no local builder is started). */
  url?: string;
  /** Local builder port (default 0: a free one). */
  port?: number;
  /** Value of the local builder's bids in wei (default 0.01 ETH). */
  bidValueWei?: bigint;
  /** Longest wait for a bid before the local payload is proposed (default: a quarter of the slot, ≤ 1 s). */
  headerTimeoutMs?: number;
};

export type Devnet = {
  /** Beacon API base URL, e.g. http://127.0.0.1:5052 */
  url: string;
  chain: BeaconChain;
  clock: SlotClock;
  attestationPool: AttestationPool;
  syncCommitteePool: SyncCommitteePool;
  voluntaryExitPool: VoluntaryExitPool;
  /** Blobs published with imported blocks, by block root. */
  blobs: BlobStore;
  validatorClient: InteropValidatorClient;
  bridge: DevnetBridge | null;
  server: FastifyInstance;
  /** The local builder, when started (`builder: true`). */
  localBuilder: RunningBuilder | null;
  /** The beacon node's connection to the builder (bids, fallbacks), when the builder flow is on. */
  builder: BuilderConnection | null;
  /** Latest verified validator registrations. */
  registrations: RegistrationBook;
  /** Stop the slot clock, the bridge and the API server. */
  stop(): Promise<void>;
};

/** Start a single-node devnet: genesis now, blocks every slot, Beacon API on `host:port`. */
export async function startDevnet(opts: DevnetOptions = {}): Promise<Devnet> {
  const logger = opts.logger ?? pino({ level: "warn" });
  const secondsPerSlot = opts.secondsPerSlot ?? defaultChainConfigOptions.secondsPerSlot;
  const chainConfig = createDevnetChainConfig({
    secondsPerSlot,
    fulu: opts.fulu ?? false,
    shardCommitteePeriod: opts.shardCommitteePeriod ?? defaultChainConfigOptions.shardCommitteePeriod,
    minValidatorWithdrawabilityDelay:
      opts.minValidatorWithdrawabilityDelay ?? defaultChainConfigOptions.minValidatorWithdrawabilityDelay,
  });
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new DevnetError({
      code: "ERR_DEVNET_INVALID_OPTION",
      option: "port",
      reason: "must be an integer in 0..65535",
    });
  }
  const blobsPerBlock = opts.blobsPerBlock ?? 0;
  if (
    !Number.isInteger(blobsPerBlock) ||
    blobsPerBlock < 0 ||
    blobsPerBlock > chainConfig.MAX_BLOBS_PER_BLOCK_ELECTRA ||
    (blobsPerBlock > 0 && opts.fulu === true)
  ) {
    throw new DevnetError({
      code: "ERR_DEVNET_INVALID_OPTION",
      option: "blobsPerBlock",
      reason: `must be an integer in 0..${chainConfig.MAX_BLOBS_PER_BLOCK_ELECTRA} (Electra only)`,
    });
  }
  // The KZG trusted setup takes seconds to load: load it now, not inside the first slot's block production.
  if (blobsPerBlock > 0) devnetBlobs(0, 1);
  const interop = opts.validators ?? 64;
  const genesis = createGenesis(chainConfig, {
    interopValidators: interop,
    extraValidators: opts.extraValidators ?? [],
    genesisTime: opts.genesisTime ?? Math.floor(Date.now() / 1000),
    fulu: opts.fulu ?? false,
  });
  const chain = new BeaconChain(
    genesis,
    opts.stateCacheSize === undefined ? {} : { stateCacheSize: opts.stateCacheSize },
  );
  const clock = new SlotClock(chain.genesisTime, secondsPerSlot);
  const stateForSlot = (slot: number) => chain.getHeadStateAtEpoch(computeEpochAtSlot(slot));
  const attestationPool = new AttestationPool({
    stateForSlot,
    currentSlot: () => clock.currentSlot(),
    isKnownBlock: (root) => chain.getBlockByRoot(root) !== undefined,
  });
  const syncCommitteePool = new SyncCommitteePool({ stateForSlot, currentSlot: () => clock.currentSlot() });
  const voluntaryExitPool = new VoluntaryExitPool();
  const operations = new PoolOperations(attestationPool, syncCommitteePool, voluntaryExitPool);
  chain.operations = operations;
  const validatorClient = new InteropValidatorClient(chain, attestationPool, syncCommitteePool, interop);

  const bridge = opts.bridge !== undefined ? await opts.bridge(chain, logger) : null;
  operations.requests = bridge;
  let bridgeQueue: Promise<void> = Promise.resolve();
  chain.on("block", (block) => {
    const state = chain.getStateByBlockRoot(block.rootHex);
    attestationPool.onBlockIncluded(block.signedBlock.message.body.attestations, state);
    if (bridge !== null) {
      bridge.noteBlock(block);
      bridgeQueue = bridgeQueue
        .then(() => bridge.afterBlock(block))
        .catch((err) => logger.warn({ err, slot: block.slot }, "EVM bridge could not reflect block"));
    }
  });

  const builderOpts: DevnetBuilderOptions | null =
    opts.builder === true ? {} : opts.builder === false || opts.builder === undefined ? null : opts.builder;
  const localBuilder =
    builderOpts !== null && builderOpts.url === undefined
      ? await startLocalBuilder({
          config: chain.config,
          payloadSource: chainPayloadSource(chain),
          // The builder's payloads carry as many blobs as the devnet's own blocks (computed once per slot: KZG).
          ...(blobsPerBlock > 0 ? { blobs: blobsOncePerSlot(blobsPerBlock) } : {}),
          host: opts.host ?? "127.0.0.1",
          port: builderOpts.port ?? 0,
          ...(builderOpts.bidValueWei !== undefined ? { bidValueWei: builderOpts.bidValueWei } : {}),
        })
      : null;
  const builderUrl = builderOpts?.url ?? localBuilder?.url;
  const builder =
    builderUrl !== undefined
      ? new BuilderConnection({
          url: builderUrl,
          config: chain.config,
          logger,
          headerTimeoutMs: builderOpts?.headerTimeoutMs ?? Math.min(1000, (secondsPerSlot * 1000) / 4),
          revealTimeoutMs: Math.min(2000, (secondsPerSlot * 1000) / 2),
        })
      : null;
  const registrations = new RegistrationBook();

  const ctx: ApiContext = {
    chain,
    clock,
    attestationPool,
    syncCommitteePool,
    voluntaryExitPool,
    logger,
    version: DEVNET_VERSION,
    blobsPerBlock,
    blobs: new BlobStore(),
    builder,
    registrations,
    localBlockValueWei: opts.localBlockValueWei ?? 0n,
  };
  const depositContract = Buffer.from((opts.depositContract ?? `0x${"00".repeat(20)}`).slice(2), "hex");
  const server = createApiServer(ctx, depositContract);
  await server.listen({ host: opts.host ?? "127.0.0.1", port });
  const address = server.server.address() as AddressInfo;
  const url = `http://${opts.host ?? "127.0.0.1"}:${address.port}`;

  clock.start({
    onSlot: (slot) => {
      void (async () => {
        if (bridge !== null) {
          try {
            await bridge.beforeSlot(slot);
          } catch (err) {
            logger.warn({ err, slot }, "EVM bridge poll failed");
          }
        }
        if (clock.currentSlot() !== slot) return;
        try {
          validatorClient.propose(slot);
        } catch (err) {
          logger.error({ err, slot }, "built-in validator client failed to propose");
        }
      })();
    },
    atFraction: [
      {
        fraction: 1 / 3,
        run: (slot) => {
          try {
            validatorClient.attest(slot);
          } catch (err) {
            logger.error({ err, slot }, "built-in validator client failed to attest");
          }
          attestationPool.prune(slot);
          syncCommitteePool.prune(slot);
        },
      },
      {
        fraction: 2 / 3,
        run: (slot) => {
          const progress = computeProgress(slot, chain.head.root, chain.headState);
          logger.debug(progress, formatProgress(progress));
          opts.onProgress?.(progress);
        },
      },
    ],
  });
  logger.info(
    { url, builder: builderUrl ?? null, genesisTime: chain.genesisTime, validators: chain.headState.validators.length },
    "beacon devnet started",
  );

  let stopped = false;
  return {
    url,
    chain,
    clock,
    attestationPool,
    syncCommitteePool,
    voluntaryExitPool,
    blobs: ctx.blobs,
    validatorClient,
    bridge,
    server,
    localBuilder,
    builder,
    registrations,
    async stop() {
      if (stopped) return;
      stopped = true;
      clock.stop();
      await server.close();
      await localBuilder?.stop();
      await bridgeQueue;
      await bridge?.stop();
    },
  };
}
