import type { ChainConfig, ChainForkConfig } from "@lodestar/config";
import { createChainForkConfig } from "@lodestar/config";
import { minimalChainConfig } from "@lodestar/config/configs";
import { DevnetError } from "../errors.ts";

export type DevnetChainConfigOptions = {
  /** Whole seconds per slot (the execution payload timestamp is an integer number of seconds). */
  secondsPerSlot: number;
  /** Activate Fulu at genesis instead of Electra. */
  fulu: boolean;
  /** Epochs a validator must be active before it may exit (mainnet 256, minimal 64). */
  shardCommitteePeriod: number;
  /** Epochs from exit to withdrawability (mainnet 256). */
  minValidatorWithdrawabilityDelay: number;
};

export const defaultChainConfigOptions: DevnetChainConfigOptions = {
  secondsPerSlot: 2,
  fulu: false,
  shardCommitteePeriod: 4,
  minValidatorWithdrawabilityDelay: 4,
};

/**
 * The minimal-preset chain config with every fork up to Electra (or Fulu) active at genesis. Exit delays are
 * shortened so that an exit reaches withdrawal within minutes on the devnet; they are options, not constants.
 */
export function createDevnetChainConfig(opts: DevnetChainConfigOptions): ChainForkConfig {
  if (!Number.isInteger(opts.secondsPerSlot) || opts.secondsPerSlot < 1 || opts.secondsPerSlot > 60) {
    throw new DevnetError({
      code: "ERR_DEVNET_INVALID_OPTION",
      option: "secondsPerSlot",
      reason: "must be a whole number of seconds between 1 and 60 (execution timestamps are whole seconds)",
    });
  }
  const config: Partial<ChainConfig> = {
    ...minimalChainConfig,
    ALTAIR_FORK_EPOCH: 0,
    BELLATRIX_FORK_EPOCH: 0,
    CAPELLA_FORK_EPOCH: 0,
    DENEB_FORK_EPOCH: 0,
    ELECTRA_FORK_EPOCH: 0,
    FULU_FORK_EPOCH: opts.fulu ? 0 : Number.POSITIVE_INFINITY,
    GLOAS_FORK_EPOCH: Number.POSITIVE_INFINITY,
    TERMINAL_TOTAL_DIFFICULTY: 0n,
    SECONDS_PER_SLOT: opts.secondsPerSlot,
    SLOT_DURATION_MS: opts.secondsPerSlot * 1000,
    SHARD_COMMITTEE_PERIOD: opts.shardCommitteePeriod,
    MIN_VALIDATOR_WITHDRAWABILITY_DELAY: opts.minValidatorWithdrawabilityDelay,
    MIN_GENESIS_ACTIVE_VALIDATOR_COUNT: 1,
  };
  return createChainForkConfig(config);
}
