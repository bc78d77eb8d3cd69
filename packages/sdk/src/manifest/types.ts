import type { Address } from "viem";

/** Addresses of every deployed Nektar contract on one chain. */
export type NektarContracts = {
  depositContract: Address;
  stakingPool: Address;
  wrappedDivETH: Address;
  withdrawalVault: Address;
  withdrawalQueue: Address;
  accountingOracle: Address;
  operatorRegistry: Address;
  /** Nektar restaking: divETH vault (deposits, delegation, withdrawals, slashing, rewards). */
  restakingVault: Address;
  /** Nektar restaking: networks, opt-ins and slashing requests. */
  networkRegistry: Address;
};

export const CONTRACT_NAMES = [
  "depositContract",
  "stakingPool",
  "wrappedDivETH",
  "withdrawalVault",
  "withdrawalQueue",
  "accountingOracle",
  "operatorRegistry",
  "restakingVault",
  "networkRegistry",
] as const satisfies readonly (keyof NektarContracts)[];

/**
 * What a deployment writes (`deployNektar`) and every tool reads: the chain, where to reach it and the
 * contract addresses. Stored as JSON (`deploymentBlock` as a decimal string).
 */
export type NektarManifest = {
  version: 1;
  /** Free-form network name ("devnet", "holesky", …). */
  network: string;
  chainId: number;
  /** JSON-RPC URL the deployment used (tools may override it with --rpc). */
  rpcUrl: string;
  /** Beacon API URL of the consensus layer bridged to this chain, when known. */
  beaconUrl?: string | undefined;
  /** Block of the first deployment transaction: event scans start here. */
  deploymentBlock: bigint;
  deployer: Address;
  contracts: NektarContracts;
};
