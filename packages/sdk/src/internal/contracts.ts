import {
  accountingOracleAbi,
  networkRegistryAbi,
  operatorRegistryAbi,
  restakingVaultAbi,
  stakingPoolAbi,
  withdrawalQueueAbi,
  wrappedDivETHAbi,
} from "../generated/abis.ts";
import type { NektarContracts } from "../manifest/types.ts";

// Address and ABI of each contract, spread into `read`/`send` parameters; the names are the ones errors show.

export const OPERATOR_REGISTRY = "OperatorRegistry";
export const STAKING_POOL = "StakingPool";
export const WITHDRAWAL_QUEUE = "WithdrawalQueue";
export const WRAPPED_DIVETH = "WrappedDivETH";
export const ACCOUNTING_ORACLE = "AccountingOracle";
export const RESTAKING_VAULT = "RestakingVault";
export const NETWORK_REGISTRY = "NetworkRegistry";

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

/** The transaction fields every write action returns. */
export function transactionResult(sent: { hash: `0x${string}`; blockNumber: bigint; gasUsed: bigint }) {
  return { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed };
}
