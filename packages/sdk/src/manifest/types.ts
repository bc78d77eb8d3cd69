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
} & Partial<NativeContracts>;

/**
 * Native restaking and Distributors (issue 16). Optional in a manifest (deployments before them lack them). The
 * native restaking contracts come all or none (`withNative`), the Distributor contracts
 * ({@link DISTRIBUTOR_CONTRACT_NAMES}) both or neither.
 */
export type NativeContracts = {
  /** Native restaking: ether in, 0x02 validators, native shares, ether payouts (slashes and withdrawals). */
  nativeVault: Address;
  /** The restaking vault over native shares (same contract as for divETH). */
  nativeRestakingVault: Address;
  /** The network registry of the native restaking vault. */
  nativeNetworkRegistry: Address;
  /** Deploys and lists Distributors. */
  distributorFactory: Address;
  /** The reference Distributor strategy (on-chain signals). */
  signalStrategy: Address;
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

export const NATIVE_CONTRACT_NAMES = [
  "nativeVault",
  "nativeRestakingVault",
  "nativeNetworkRegistry",
  "distributorFactory",
  "signalStrategy",
] as const satisfies readonly (keyof NativeContracts)[];

/**
 * The Distributor contracts of {@link NativeContracts}: they need no trusted key, so every deployment since they exist
 * has them, with or without native restaking. A manifest has both or neither.
 */
export const DISTRIBUTOR_CONTRACT_NAMES = [
  "distributorFactory",
  "signalStrategy",
] as const satisfies readonly (keyof NativeContracts)[];

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
