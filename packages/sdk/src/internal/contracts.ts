import type { NektarReadClient } from "../client.ts";
import {
  accountingOracleAbi,
  exitManagerAbi,
  networkRegistryAbi,
  operatorRegistryAbi,
  operatorRewardsAbi,
  oracleProverAbi,
  reshareManagerAbi,
  restakingVaultAbi,
  stakingPoolAbi,
  withdrawalQueueAbi,
  withdrawalVaultAbi,
  wrappedDivETHAbi,
} from "../generated/abis.ts";
import type { NektarContracts } from "../manifest/types.ts";
import { read } from "./read.ts";

// Address and ABI of each contract, spread into `read`/`send` parameters; the names are the ones errors show.

export const OPERATOR_REGISTRY = "OperatorRegistry";
export const STAKING_POOL = "StakingPool";
export const WITHDRAWAL_QUEUE = "WithdrawalQueue";
export const WRAPPED_DIVETH = "WrappedDivETH";
export const ACCOUNTING_ORACLE = "AccountingOracle";
export const ORACLE_PROVER = "OracleProver";
export const RESTAKING_VAULT = "RestakingVault";
export const NETWORK_REGISTRY = "NetworkRegistry";
export const WITHDRAWAL_VAULT = "WithdrawalVault";
export const EXIT_MANAGER = "ExitManager";
export const RESHARE_MANAGER = "ReshareManager";
export const OPERATOR_REWARDS = "OperatorRewards";

export function restakingVault(c: Pick<NektarContracts, "restakingVault">) {
  return { address: c.restakingVault, abi: restakingVaultAbi } as const;
}

export function networkRegistry(c: Pick<NektarContracts, "networkRegistry">) {
  return { address: c.networkRegistry, abi: networkRegistryAbi } as const;
}

export function operatorRegistry(c: Pick<NektarContracts, "operatorRegistry">) {
  return { address: c.operatorRegistry, abi: operatorRegistryAbi } as const;
}

export function stakingPool(c: Pick<NektarContracts, "stakingPool">) {
  return { address: c.stakingPool, abi: stakingPoolAbi } as const;
}

export function withdrawalQueue(c: Pick<NektarContracts, "withdrawalQueue">) {
  return { address: c.withdrawalQueue, abi: withdrawalQueueAbi } as const;
}

export function wrappedDivETH(c: Pick<NektarContracts, "wrappedDivETH">) {
  return { address: c.wrappedDivETH, abi: wrappedDivETHAbi } as const;
}

export function accountingOracle(c: Pick<NektarContracts, "accountingOracle">) {
  return { address: c.accountingOracle, abi: accountingOracleAbi } as const;
}

export function withdrawalVault(c: Pick<NektarContracts, "withdrawalVault">) {
  return { address: c.withdrawalVault, abi: withdrawalVaultAbi } as const;
}

/** The exit manager, found through the withdrawal vault that trusts it (it is not a manifest entry of its own). */
export async function exitManager(client: NektarReadClient, c: Pick<NektarContracts, "withdrawalVault">) {
  const address = await read(client, WITHDRAWAL_VAULT, { ...withdrawalVault(c), functionName: "exitManager" });
  return { address, abi: exitManagerAbi } as const;
}

/** The accounting oracle's `OracleProver` (deployed by the oracle; snapshots, proof finalization, status proofs). */
export async function oracleProver(client: NektarReadClient, c: Pick<NektarContracts, "accountingOracle">) {
  const address = await read(client, ACCOUNTING_ORACLE, { ...accountingOracle(c), functionName: "prover" });
  return { address, abi: oracleProverAbi } as const;
}

/** The registry's `ReshareManager` (deployed by the registry's constructor; not a manifest entry of its own). */
export async function reshareManager(client: NektarReadClient, c: Pick<NektarContracts, "operatorRegistry">) {
  const address = await read(client, OPERATOR_REGISTRY, { ...operatorRegistry(c), functionName: "RESHARE_MANAGER" });
  return { address, abi: reshareManagerAbi } as const;
}

/** The operator-rewards contract: the pool's operator-rewards recipient (not a manifest entry of its own). */
export async function operatorRewards(client: NektarReadClient, c: Pick<NektarContracts, "stakingPool">) {
  const address = await read(client, STAKING_POOL, { ...stakingPool(c), functionName: "operatorRewardsRecipient" });
  return { address, abi: operatorRewardsAbi } as const;
}

/** The transaction fields every write action returns. */
export function transactionResult(sent: { hash: `0x${string}`; blockNumber: bigint; gasUsed: bigint }) {
  return { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed };
}
