import type { Account, Address, Chain, Hash, Transport, WalletClient } from "viem";
import {
  distributorFactoryAbi,
  nativeVaultAbi,
  networkRegistryAbi,
  restakingVaultAbi,
  signalStrategyAbi,
} from "../generated/abis.ts";
import {
  distributorFactoryBytecode,
  nativeVaultBytecode,
  networkRegistryBytecode,
  restakingVaultBytecode,
  signalStrategyBytecode,
} from "../generated/bytecode.ts";
import type { NativeContracts, NektarContracts } from "../manifest/types.ts";

/** Deployment steps `deployNektar` shares with this module. */
export type DeploySteps = {
  wallet: WalletClient<Transport, Chain, Account>;
  deployed: (name: string, hash: Hash) => Promise<Address>;
  confirm: (step: string, hash: Hash) => Promise<Address | undefined>;
};

export type DeployNativeOptions = {
  /** Receives the operators' 10% of native rewards (as native shares). */
  operatorRewardsRecipient: Address;
  epochSeconds: bigint;
  commissionDelaySeconds: bigint;
  /**
   * May create validators with the native vault's credentials and report their balances. The Diva registry and the
   * accounting oracle do not drive the native vault yet (contracts/README.md, "Native restaking"): until they do, this
   * account (default: the deployer) plays both, calling the vault's real entry points.
   */
  nativeOperator: Address;
};

/**
 * Deploys native restaking (native vault, a restaking vault and network registry over it); the Distributor contracts
 * come from {@link deployDistributors}, with or without it.
 */
export async function deployNative(
  s: DeploySteps,
  c: Pick<NektarContracts, "depositContract">,
  o: DeployNativeOptions,
): Promise<Pick<NativeContracts, "nativeVault" | "nativeRestakingVault" | "nativeNetworkRegistry">> {
  const { wallet, deployed, confirm } = s;
  const nativeVault = await deployed(
    "NativeVault",
    await wallet.deployContract({
      abi: nativeVaultAbi,
      bytecode: nativeVaultBytecode,
      args: [c.depositContract, o.operatorRewardsRecipient, 1_000n],
    }),
  );
  const nativeRestakingVault = await deployed(
    "RestakingVault (native)",
    await wallet.deployContract({
      abi: restakingVaultAbi,
      bytecode: restakingVaultBytecode,
      // No wrapped token: native shares are not transferable, so there is nothing to unwrap.
      args: [nativeVault, "0x0000000000000000000000000000000000000000", o.epochSeconds, o.commissionDelaySeconds],
    }),
  );
  const nativeNetworkRegistry = await deployed(
    "NetworkRegistry (native)",
    await wallet.deployContract({
      abi: networkRegistryAbi,
      bytecode: networkRegistryBytecode,
      args: [nativeRestakingVault],
    }),
  );
  await confirm(
    "wireNetworkRegistry (native)",
    await wallet.writeContract({
      address: nativeRestakingVault,
      abi: restakingVaultAbi,
      functionName: "wireNetworkRegistry",
      args: [nativeNetworkRegistry],
    }),
  );
  await confirm(
    "wire NativeVault",
    await wallet.writeContract({
      address: nativeVault,
      abi: nativeVaultAbi,
      functionName: "wire",
      args: [nativeRestakingVault, o.nativeOperator, o.nativeOperator],
    }),
  );
  return { nativeVault, nativeRestakingVault, nativeNetworkRegistry };
}

/**
 * Deploys the Distributor factory and the reference SignalStrategy over the divETH restaking contracts. Neither holds
 * a privileged key (the factory only deploys Distributors for their curators; the strategy reads on-chain signals), so
 * every deployment has them, with or without native restaking.
 */
export async function deployDistributors(
  s: DeploySteps,
  c: Pick<NektarContracts, "wrappedDivETH" | "operatorRegistry" | "restakingVault" | "networkRegistry">,
  /** Concentration cap of the reference strategy, in basis points (default 2,500). */
  strategyCapBps = 2_500n,
): Promise<Pick<NativeContracts, "distributorFactory" | "signalStrategy">> {
  const { wallet, deployed } = s;
  const distributorFactory = await deployed(
    "DistributorFactory",
    await wallet.deployContract({
      abi: distributorFactoryAbi,
      bytecode: distributorFactoryBytecode,
      args: [c.restakingVault, c.wrappedDivETH],
    }),
  );
  const signalStrategy = await deployed(
    "SignalStrategy",
    await wallet.deployContract({
      abi: signalStrategyAbi,
      bytecode: signalStrategyBytecode,
      args: [
        c.operatorRegistry,
        c.restakingVault,
        c.networkRegistry,
        "0x0000000000000000000000000000000000000000",
        strategyCapBps,
        7n * 86_400n,
      ],
    }),
  );
  return { distributorFactory, signalStrategy };
}
