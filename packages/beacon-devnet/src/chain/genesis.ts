import { createHash } from "node:crypto";
import type { BeaconConfig, ChainForkConfig } from "@lodestar/config";
import { createBeaconConfig } from "@lodestar/config";
import {
  EFFECTIVE_BALANCE_INCREMENT,
  EPOCHS_PER_HISTORICAL_VECTOR,
  FAR_FUTURE_EPOCH,
  ForkSeq,
  MIN_ACTIVATION_BALANCE,
  MIN_SEED_LOOKAHEAD,
} from "@lodestar/params";
import {
  type CachedBeaconStateAllForks,
  computeProposerIndices,
  createCachedBeaconState,
  createPubkeyCache,
  getMaxEffectiveBalance,
  getNextSyncCommittee,
  interopSecretKey,
} from "@lodestar/state-transition";
import type { electra } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import { DevnetError } from "../errors.ts";

/** A validator in the genesis state whose key the devnet does not hold (e.g. a distributed validator). */
export type GenesisValidator = {
  /** 48-byte compressed BLS public key. */
  pubkey: Uint8Array;
  /** 32-byte withdrawal credentials (0x00, 0x01 or 0x02 prefix). */
  withdrawalCredentials: Uint8Array;
  /** Balance in gwei; default 32 ETH. */
  balance?: number;
};

export type GenesisOptions = {
  /** Interop validators (keys held by the built-in validator client), indices 0..n-1. */
  interopValidators: number;
  /** Validators appended after the interop ones, in this order. */
  extraValidators: GenesisValidator[];
  /** Unix seconds. */
  genesisTime: number;
  fulu: boolean;
};

export type Genesis = {
  config: BeaconConfig;
  state: CachedBeaconStateAllForks;
  /** The genesis block (slot 0, empty body) whose state root is the genesis state's root. */
  block: electra.SignedBeaconBlock;
};

/** Fixed execution block hash of the devnet's genesis execution payload. */
function digest(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

export const GENESIS_EXECUTION_BLOCK_HASH = digest(new TextEncoder().encode("nektar-beacon-devnet genesis"));

/**
 * Withdrawal credentials of interop validator i: 0x01 to an address derived from its public key, so that
 * rewards above 32 ETH are swept to an execution address as on mainnet.
 */
export function interopWithdrawalCredentials(pubkey: Uint8Array): Uint8Array {
  const wc = new Uint8Array(32);
  wc[0] = 0x01;
  wc.set(digest(pubkey).subarray(12, 32), 12);
  return wc;
}

/** Build the genesis state directly as an SSZ value (no eth1 deposit replay: all validators active at epoch 0). */
export function createGenesis(chainConfig: ChainForkConfig, opts: GenesisOptions): Genesis {
  if (!Number.isInteger(opts.interopValidators) || opts.interopValidators < 0) {
    throw new DevnetError({
      code: "ERR_DEVNET_INVALID_OPTION",
      option: "validators",
      reason: "must be an integer >= 0",
    });
  }
  const validators: GenesisValidator[] = [];
  for (let i = 0; i < opts.interopValidators; i++) {
    const pubkey = interopSecretKey(i).toPublicKey().toBytes();
    validators.push({ pubkey, withdrawalCredentials: interopWithdrawalCredentials(pubkey) });
  }
  for (const [i, v] of opts.extraValidators.entries()) {
    if (v.pubkey.length !== 48) {
      throw new DevnetError({
        code: "ERR_DEVNET_INVALID_OPTION",
        option: `extraValidators[${i}].pubkey`,
        reason: "must be 48 bytes",
      });
    }
    if (v.withdrawalCredentials.length !== 32) {
      throw new DevnetError({
        code: "ERR_DEVNET_INVALID_OPTION",
        option: `extraValidators[${i}].withdrawalCredentials`,
        reason: "must be 32 bytes",
      });
    }
    validators.push(v);
  }
  if (validators.length === 0) {
    throw new DevnetError({
      code: "ERR_DEVNET_INVALID_OPTION",
      option: "validators",
      reason: "the genesis needs at least one validator",
    });
  }
  const seen = new Set<string>();
  for (const v of validators) {
    const key = Buffer.from(v.pubkey).toString("hex");
    if (seen.has(key)) {
      throw new DevnetError({
        code: "ERR_DEVNET_INVALID_OPTION",
        option: "extraValidators",
        reason: `duplicate pubkey 0x${key}`,
      });
    }
    seen.add(key);
  }

  const fork = opts.fulu ? ForkSeq.fulu : ForkSeq.electra;
  const stateType = opts.fulu ? ssz.fulu.BeaconState : ssz.electra.BeaconState;
  const forkVersion = opts.fulu ? chainConfig.FULU_FORK_VERSION : chainConfig.ELECTRA_FORK_VERSION;
  const state = stateType.defaultValue();
  state.genesisTime = opts.genesisTime;
  state.fork = { previousVersion: forkVersion, currentVersion: forkVersion, epoch: 0 };
  state.latestBlockHeader = {
    slot: 0,
    proposerIndex: 0,
    parentRoot: new Uint8Array(32),
    stateRoot: new Uint8Array(32),
    bodyRoot: ssz.electra.BeaconBlockBody.hashTreeRoot(ssz.electra.BeaconBlockBody.defaultValue()),
  };
  state.randaoMixes = Array.from({ length: EPOCHS_PER_HISTORICAL_VECTOR }, () => GENESIS_EXECUTION_BLOCK_HASH);
  state.eth1Data = {
    depositRoot: new Uint8Array(32),
    depositCount: BigInt(validators.length),
    blockHash: GENESIS_EXECUTION_BLOCK_HASH,
  };
  state.eth1DepositIndex = validators.length;
  state.depositRequestsStartIndex = 2n ** 64n - 1n;
  for (const v of validators) {
    const balance = v.balance ?? MIN_ACTIVATION_BALANCE;
    const effectiveBalance = Math.min(
      balance - (balance % EFFECTIVE_BALANCE_INCREMENT),
      getMaxEffectiveBalance(v.withdrawalCredentials),
    );
    const active = effectiveBalance >= MIN_ACTIVATION_BALANCE;
    state.validators.push({
      pubkey: v.pubkey,
      withdrawalCredentials: v.withdrawalCredentials,
      effectiveBalance,
      slashed: false,
      activationEligibilityEpoch: active ? 0 : FAR_FUTURE_EPOCH,
      activationEpoch: active ? 0 : FAR_FUTURE_EPOCH,
      exitEpoch: FAR_FUTURE_EPOCH,
      withdrawableEpoch: FAR_FUTURE_EPOCH,
    });
    state.balances.push(balance);
    state.previousEpochParticipation.push(0);
    state.currentEpochParticipation.push(0);
    state.inactivityScores.push(0);
  }
  state.latestExecutionPayloadHeader = {
    ...ssz.electra.ExecutionPayloadHeader.defaultValue(),
    blockHash: GENESIS_EXECUTION_BLOCK_HASH,
    prevRandao: GENESIS_EXECUTION_BLOCK_HASH,
    timestamp: opts.genesisTime,
    gasLimit: 30_000_000,
    baseFeePerGas: 1_000_000_000n,
  };
  state.genesisValidatorsRoot = ssz.phase0.Validators.hashTreeRoot(state.validators);

  const view = stateType.toViewDU(state as never);
  const effectiveBalanceIncrements = new Uint16Array(
    state.validators.map((v) => v.effectiveBalance / EFFECTIVE_BALANCE_INCREMENT),
  );
  const activeIndices = new Uint32Array(state.validators.flatMap((v, i) => (v.activationEpoch === 0 ? [i] : [])));
  if (activeIndices.length === 0) {
    throw new DevnetError({
      code: "ERR_DEVNET_INVALID_OPTION",
      option: "validators",
      reason: "no validator is active at genesis",
    });
  }
  const { syncCommittee } = getNextSyncCommittee(fork, view, activeIndices, effectiveBalanceIncrements);
  view.currentSyncCommittee = ssz.altair.SyncCommittee.toViewDU(syncCommittee);
  view.nextSyncCommittee = ssz.altair.SyncCommittee.toViewDU(syncCommittee);
  view.commit();

  const config = createBeaconConfig(chainConfig, state.genesisValidatorsRoot);
  let cached = createCachedBeaconState(view, { config, pubkeyCache: createPubkeyCache() }) as CachedBeaconStateAllForks;
  if (opts.fulu) {
    // Lodestar does not export its lookahead initialiser; this is the spec's initialize_proposer_lookahead.
    const lookahead: number[] = [];
    for (let epoch = 0; epoch <= MIN_SEED_LOOKAHEAD; epoch++) {
      lookahead.push(...computeProposerIndices(ForkSeq.fulu, cached, { activeIndices }, epoch));
    }
    const fuluView = view as unknown as ReturnType<typeof ssz.fulu.BeaconState.toViewDU>;
    fuluView.proposerLookahead = ssz.fulu.ProposerLookahead.toViewDU(lookahead);
    fuluView.commit();
    cached = createCachedBeaconState(fuluView, {
      config,
      pubkeyCache: createPubkeyCache(),
    }) as CachedBeaconStateAllForks;
  }

  const block = ssz.electra.SignedBeaconBlock.defaultValue();
  block.message.stateRoot = cached.hashTreeRoot();
  return { config, state: cached, block };
}
