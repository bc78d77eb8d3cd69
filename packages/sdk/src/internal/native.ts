import type { Address } from "viem";
import { NativeNotDeployedError } from "../errors/native.ts";
import {
  distributorAbi,
  distributorFactoryAbi,
  nativeVaultAbi,
  restakingVaultAbi,
  wrappedDivETHAbi,
} from "../generated/abis.ts";
import type { NativeContracts, NektarContracts } from "../manifest/types.ts";

// Native restaking and Distributor contracts, spread into `read`/`send` parameters; the names are the ones errors show.

export const NATIVE_VAULT = "NativeVault";
export const NATIVE_RESTAKING_VAULT = "RestakingVault (native)";
export const DISTRIBUTOR = "Distributor";
export const DISTRIBUTOR_FACTORY = "DistributorFactory";

/** Contracts of a manifest that may predate native restaking. */
export type MaybeNativeContracts<name extends keyof NativeContracts> = Pick<NektarContracts, name>;

/** The named native contract addresses; throws NativeNotDeployedError when the manifest lacks one. */
export function requireNative<name extends keyof NativeContracts>(
  contracts: MaybeNativeContracts<name>,
  names: readonly name[],
): Pick<NativeContracts, name> {
  const out = {} as Pick<NativeContracts, name>;
  for (const n of names) {
    const address = (contracts as Partial<NativeContracts>)[n];
    if (address === undefined) throw new NativeNotDeployedError(n);
    (out as Record<string, Address>)[n] = address;
  }
  return out;
}

export function nativeVault(address: Address) {
  return { address, abi: nativeVaultAbi } as const;
}

export function nativeRestakingVault(address: Address) {
  return { address, abi: restakingVaultAbi } as const;
}

export function distributor(address: Address) {
  return { address, abi: distributorAbi } as const;
}

export function distributorFactory(address: Address) {
  return { address, abi: distributorFactoryAbi } as const;
}

export function wdivETH(address: Address) {
  return { address, abi: wrappedDivETHAbi } as const;
}
