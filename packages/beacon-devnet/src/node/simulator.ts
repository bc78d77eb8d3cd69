import type { AddressInfo } from "node:net";
import { computeEpochAtSlot, interopSecretKey } from "@lodestar/state-transition";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import { createApiServer } from "../api/server.ts";
import { BlobStore } from "../blobs/blobs.ts";
import { BeaconChain } from "../chain/chain.ts";
import { SlotClock } from "../chain/clock.ts";
import { createDevnetChainConfig, defaultChainConfigOptions } from "../chain/config.ts";
import { createGenesis, type GenesisValidator, interopWithdrawalCredentials } from "../chain/genesis.ts";
import { AttestationPool } from "../pool/attestationPool.ts";
import { SyncCommitteePool } from "../pool/syncCommitteePool.ts";
import { VoluntaryExitPool } from "../pool/voluntaryExitPool.ts";
import { InteropValidatorClient } from "../validator/interopValidatorClient.ts";
import { PoolOperations } from "./operations.ts";

export type ChainSimulatorOptions = {
  validators: number;
  extraValidators?: GenesisValidator[];
  fulu?: boolean;
  /** Post-states kept in memory (default 64). */
  stateCacheSize?: number;
  /** Unix seconds (default: now). A fixed value makes every root reproducible (e.g. committed proof fixtures). */
  genesisTime?: number;
};

/**
 * The devnet's chain, pools and built-in validator client driven by explicit slot steps instead of the wall
 * clock: for unit tests and benchmarks (a slot takes as long as its work, not `secondsPerSlot`).
 */
export class ChainSimulator {
  readonly chain: BeaconChain;
  readonly attestationPool: AttestationPool;
  readonly syncCommitteePool: SyncCommitteePool;
  readonly voluntaryExitPool: VoluntaryExitPool;
  readonly operations: PoolOperations;
  readonly validatorClient: InteropValidatorClient;
  /** The simulated current slot. */
  slot = 0;

  constructor(opts: ChainSimulatorOptions) {
    const config = createDevnetChainConfig({ ...defaultChainConfigOptions, fulu: opts.fulu ?? false });
    const genesis = createGenesis(config, {
      interopValidators: opts.validators,
      extraValidators: opts.extraValidators ?? [],
      genesisTime: opts.genesisTime ?? Math.floor(Date.now() / 1000),
      fulu: opts.fulu ?? false,
    });
    this.chain = new BeaconChain(genesis, { stateCacheSize: opts.stateCacheSize ?? 64 });
    const stateForSlot = (slot: number) => this.chain.getHeadStateAtEpoch(computeEpochAtSlot(slot));
    this.attestationPool = new AttestationPool({
      stateForSlot,
      currentSlot: () => this.slot,
      isKnownBlock: (root) => this.chain.getBlockByRoot(root) !== undefined,
    });
    this.syncCommitteePool = new SyncCommitteePool({ stateForSlot, currentSlot: () => this.slot });
    this.voluntaryExitPool = new VoluntaryExitPool();
    this.operations = new PoolOperations(this.attestationPool, this.syncCommitteePool, this.voluntaryExitPool);
    this.chain.operations = this.operations;
    this.chain.on("block", (block) => {
      this.attestationPool.onBlockIncluded(
        block.signedBlock.message.body.attestations,
        this.chain.getStateByBlockRoot(block.rootHex),
      );
    });
    this.validatorClient = new InteropValidatorClient(
      this.chain,
      this.attestationPool,
      this.syncCommitteePool,
      opts.validators,
    );
  }

  /**
   * The Beacon API over the simulated chain (not yet listening; `inject` or `listen` on 127.0.0.1). Its wall clock
   * only bounds pool message slots; what the endpoints answer comes from the simulated chain.
   */
  apiServer(): FastifyInstance {
    return createApiServer(
      {
        chain: this.chain,
        clock: new SlotClock(this.chain.genesisTime, 1),
        attestationPool: this.attestationPool,
        syncCommitteePool: this.syncCommitteePool,
        voluntaryExitPool: this.voluntaryExitPool,
        blobsPerBlock: 0,
        blobs: new BlobStore(),
        logger: pino({ level: "silent" }),
        version: "simulator",
      },
      new Uint8Array(20),
    );
  }

  /** Serves `apiServer()` on 127.0.0.1 (a free port): its URL and how to close it. */
  async listen(): Promise<{ url: string; close: () => Promise<void> }> {
    const server = this.apiServer();
    await server.listen({ host: "127.0.0.1", port: 0 });
    return {
      url: `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
      close: () => server.close(),
    };
  }

  /** Advance to the next slot: the held proposer proposes (if any), then held validators attest. */
  step(opts: { propose?: boolean; attest?: boolean } = {}): number {
    this.slot++;
    if (opts.propose !== false) this.validatorClient.propose(this.slot);
    if (opts.attest !== false) this.validatorClient.attest(this.slot);
    this.attestationPool.prune(this.slot);
    this.syncCommitteePool.prune(this.slot);
    return this.slot;
  }
}

/**
 * Genesis validators with interop keys `from .. from + count - 1` that the simulator's client does not hold (pass as
 * `extraValidators` after `validators: from`): validators that never act, e.g. to be penalised.
 */
export function unheldInteropValidators(from: number, count: number): GenesisValidator[] {
  return Array.from({ length: count }, (_, i) => {
    const pubkey = interopSecretKey(from + i)
      .toPublicKey()
      .toBytes();
    return { pubkey, withdrawalCredentials: interopWithdrawalCredentials(pubkey) };
  });
}

/**
 * A simulated chain of `held` validators the client runs and `unheld` that never act, stepped `slots` slots and
 * served on 127.0.0.1: for tests of what a Beacon API client reads (rewards, duties) without the wall clock.
 */
export async function serveSimulatedChain(opts: {
  held: number;
  unheld: number;
  slots: number;
}): Promise<{ sim: ChainSimulator; url: string; close: () => Promise<void> }> {
  const sim = new ChainSimulator({
    validators: opts.held,
    extraValidators: unheldInteropValidators(opts.held, opts.unheld),
  });
  for (let i = 0; i < opts.slots; i++) sim.step();
  return { sim, ...(await sim.listen()) };
}
