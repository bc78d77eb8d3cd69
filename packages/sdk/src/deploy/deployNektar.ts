import {
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  getAddress,
  getContractAddress,
  type Hash,
  type Hex,
  http,
  parseEther,
  type Transport,
  type WalletClient,
} from "viem";
import { nektarChain } from "../chain.ts";
import {
  accountingOracleAbi,
  exitManagerAbi,
  networkRegistryAbi,
  operatorRegistryAbi,
  operatorRewardsAbi,
  restakingVaultAbi,
  stakingPoolAbi,
  withdrawalQueueAbi,
  withdrawalVaultAbi,
  wrappedDivETHAbi,
} from "../generated/abis.ts";
import {
  accountingOracleBytecode,
  clusterDrawBytecode,
  exitManagerBytecode,
  networkRegistryBytecode,
  operatorIdentitiesBytecode,
  operatorRegistryBytecode,
  operatorRegistryLinkReferences,
  operatorRewardsBytecode,
  restakingVaultBytecode,
  stakingPoolBytecode,
  withdrawalQueueBytecode,
  withdrawalVaultBytecode,
  wrappedDivETHBytecode,
} from "../generated/bytecode.ts";
import type { NektarContracts, NektarManifest } from "../manifest/types.ts";
import { assertLocalChain, deployDepositContract } from "./deployDepositContract.ts";
import { deployDistributors, deployNative } from "./deployNative.ts";
import { DeploymentError } from "./errors.ts";
import { linkBytecode } from "./linkBytecode.ts";

/** OpenZeppelin AccessControl's grant, the same on the oracle and the registry. */

export type DeployNektarParameters = {
  /** Written to the manifest; also the transport unless `transport` is given. */
  rpcUrl: string;
  /** Talk to the chain through this transport instead (e.g. an in-process Hardhat network's provider). */
  transport?: Transport | undefined;
  /** Signs the deployment; default: the node's first unlocked account (a Hardhat node). */
  account?: Account | Address | undefined;
  /** Network name stored in the manifest (default "devnet"). */
  network?: string | undefined;
  beaconUrl?: string | undefined;
  /**
   * The beacon chain's deposit contract (public networks). Without it the devnet one is deployed, which is refused
   * on a chain that is not a local one (`DepositContractChainError`).
   */
  depositContract?: Address | undefined;
  /**
   * Receives the 10% operator share of rewards instead of the per-share `OperatorRewards` contract that is deployed
   * by default (an account: nothing is distributed to the operators).
   */
  operatorRewardsRecipient?: Address | undefined;
  /** `OperatorRewards` parameters (defaults: 1 ETH bond, one-hour challenge window, 300 bps below the average). */
  operatorRewards?: { bond?: bigint; challengeWindow?: bigint; marginBps?: bigint } | undefined;
  /**
   * The accounting oracle's beacon timing and dispute game (defaults: genesis = the chain's latest block time,
   * 12-second slots, 32 slots per epoch, 225-epoch (one day) frames, one-hour challenge window, 100 bond units).
   */
  oracle?: Partial<OracleConfig> | undefined;
  bootstrapDeposit?: bigint | undefined;
  maxIncreaseBpPerDay?: bigint | undefined;
  maxDecreaseBpPerReport?: bigint | undefined;
  bondPerKeyShare?: bigint | undefined;
  bondUnitShares?: bigint | undefined;
  dkgTimeoutSeconds?: bigint | undefined;
  /** Seconds a cluster has to publish a voluntary exit before anyone may send the EIP-7002 request (default 1 day). */
  voluntaryExitWindowSeconds?: bigint | undefined;
  /** Restaking epoch length in seconds (default 1 hour: deposits activate and withdrawals wait 1–2 epochs). */
  restakingEpochSeconds?: bigint | undefined;
  /** Delay before an operator's restaking commission change applies (default two epochs). */
  commissionDelaySeconds?: bigint | undefined;
  /**
   * The beacon chain's genesis fork version (4 bytes): the registry verifies deposit signatures in its deposit domain.
   * Default `0x00000000` (mainnet); a devnet passes its beacon node's (`/eth/v1/config/spec` GENESIS_FORK_VERSION).
   */
  genesisForkVersion?: Hex | undefined;
  /**
   * Also deploy native restaking (default: off). Until the operator registry creates native validators and the
   * oracle reports them, `nativeOperator` plays both for the native vault: a trusted key, so never on a chain that holds
   * real value (tests only). The Distributor factory and its reference strategy need no trusted key and are always
   * deployed (`deployDistributors`).
   */
  withNative?: boolean | undefined;
  /**
   * Plays the Diva registry and the oracle for the native vault until those drive it (default: the deployer); see
   * `deployNative`.
   */
  nativeOperator?: Address | undefined;
};

/** `IAccountingOracle.Config` without the share-rate limits (given separately). */
export type OracleConfig = {
  genesisTime: bigint;
  secondsPerSlot: bigint;
  slotsPerEpoch: bigint;
  frameSlots: bigint;
  challengeWindow: bigint;
  reporterBondUnits: number;
};

/** The deployment's manifest; `writeManifest` stores it. */
export type DeployNektarReturnType = NektarManifest;

/**
 * Deploys every Nektar contract and wires them together (no roles: the accounting oracle is permissionless); returns
 * the manifest (not written). Bytecode and ABIs come from the SDK's generated build inputs (`scripts/generateAbis.ts`).
 */
export async function deployNektar(opts: DeployNektarParameters): Promise<DeployNektarReturnType> {
  const transport = opts.transport ?? http(opts.rpcUrl);
  const chainId = await createPublicClient({ transport })
    .getChainId()
    .catch((e: unknown) => {
      throw new DeploymentError("connect", `cannot reach ${opts.rpcUrl}`, {
        hint: "Check the JSON-RPC URL and that the node is running.",
        cause: e,
      });
    });
  // Refuse before anything is signed: the devnet deposit contract on a public chain would swallow real ether.
  if (opts.depositContract === undefined) assertLocalChain(chainId);
  const chain = nektarChain(chainId, opts.rpcUrl);
  const publicClient = createPublicClient({ chain, transport });
  const wallet = createWalletClient({
    chain,
    account: opts.account ?? (await firstUnlockedAccount(chain, transport)),
    transport,
  });
  const deployer = getAddress(wallet.account.address);
  const startBlock = await publicClient.getBlockNumber();

  const confirm = async (step: string, hash: Hash): Promise<Address | undefined> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new DeploymentError(step, `${step} reverted (tx ${hash})`);
    return receipt.contractAddress ?? undefined;
  };
  const deployed = async (name: string, hash: Hash): Promise<Address> => {
    const address = await confirm(`deploying ${name}`, hash);
    if (!address)
      throw new DeploymentError(`deploying ${name}`, `deploying ${name}: no contract address in the receipt`);
    return getAddress(address);
  };
  const depositContract = opts.depositContract ?? (await deployDepositContract(wallet));
  // The pool's constructor takes its operator-rewards recipient, and `OperatorRewards` takes the pool: the recipient
  // is deployed right after the pool, at the address its nonce predicts (checked below).
  const poolNonce = await publicClient.getTransactionCount({ address: deployer, blockTag: "pending" });
  const predictedRewards = getContractAddress({ from: deployer, nonce: BigInt(poolNonce + 1) });
  const stakingPool = await deployed(
    "StakingPool",
    await wallet.deployContract({
      abi: stakingPoolAbi,
      bytecode: stakingPoolBytecode,
      args: [depositContract, opts.operatorRewardsRecipient ?? predictedRewards],
      value: opts.bootstrapDeposit ?? parseEther("0.001"),
    }),
  );
  if (opts.operatorRewardsRecipient === undefined) {
    const operatorRewards = await deployed(
      "OperatorRewards",
      await wallet.deployContract({
        abi: operatorRewardsAbi,
        bytecode: operatorRewardsBytecode,
        args: [
          stakingPool,
          opts.operatorRewards?.bond ?? parseEther("1"),
          opts.operatorRewards?.challengeWindow ?? 3_600n,
          opts.operatorRewards?.marginBps ?? 300n,
          opts.genesisForkVersion ?? "0x00000000",
        ],
      }),
    );
    if (operatorRewards !== predictedRewards) {
      throw new DeploymentError(
        "deploying OperatorRewards",
        `OperatorRewards landed at ${operatorRewards}, not at ${predictedRewards} the pool was given`,
        { hint: "Another transaction of the deployer was mined in between: deploy from an account nothing else uses." },
      );
    }
  }
  // The exit manager reads the pool's components when called, so it exists before the vault that trusts it.
  const exitManager = await deployed(
    "ExitManager",
    await wallet.deployContract({
      abi: exitManagerAbi,
      bytecode: exitManagerBytecode,
      args: [stakingPool, opts.voluntaryExitWindowSeconds ?? 86_400n],
    }),
  );
  const withdrawalVault = await deployed(
    "WithdrawalVault",
    await wallet.deployContract({
      abi: withdrawalVaultAbi,
      bytecode: withdrawalVaultBytecode,
      args: [stakingPool, exitManager],
    }),
  );
  const wrappedDivETH = await deployed(
    "WrappedDivETH",
    await wallet.deployContract({ abi: wrappedDivETHAbi, bytecode: wrappedDivETHBytecode, args: [stakingPool] }),
  );
  const withdrawalQueue = await deployed(
    "WithdrawalQueue",
    await wallet.deployContract({
      abi: withdrawalQueueAbi,
      bytecode: withdrawalQueueBytecode,
      args: [stakingPool, wrappedDivETH],
    }),
  );
  const accountingOracle = await deployed(
    "AccountingOracle",
    await wallet.deployContract({
      abi: accountingOracleAbi,
      bytecode: accountingOracleBytecode,
      args: [
        stakingPool,
        {
          genesisTime: opts.oracle?.genesisTime ?? (await publicClient.getBlock()).timestamp,
          secondsPerSlot: opts.oracle?.secondsPerSlot ?? 12n,
          slotsPerEpoch: opts.oracle?.slotsPerEpoch ?? 32n,
          frameSlots: opts.oracle?.frameSlots ?? 225n * 32n,
          challengeWindow: opts.oracle?.challengeWindow ?? 3_600n,
          reporterBondUnits: opts.oracle?.reporterBondUnits ?? 100,
          maxIncreaseBpPerDay: Number(opts.maxIncreaseBpPerDay ?? 10n),
          maxDecreaseBpPerReport: Number(opts.maxDecreaseBpPerReport ?? 500n),
        },
      ],
    }),
  );
  await confirm(
    "wireComponents",
    await wallet.writeContract({
      address: stakingPool,
      abi: stakingPoolAbi,
      functionName: "wireComponents",
      args: [withdrawalVault, withdrawalQueue, accountingOracle],
    }),
  );
  // The registry's draws and identity records are external libraries (its code would not fit in 24,576 bytes):
  // deployed once, stateless, their addresses fixed in the registry's code.
  const clusterDraw = await deployed(
    "ClusterDraw",
    await wallet.deployContract({ abi: [], bytecode: clusterDrawBytecode }),
  );
  const operatorIdentities = await deployed(
    "OperatorIdentities",
    await wallet.deployContract({ abi: [], bytecode: operatorIdentitiesBytecode }),
  );
  const operatorRegistry = await deployed(
    "OperatorRegistry",
    await wallet.deployContract({
      abi: operatorRegistryAbi,
      bytecode: linkBytecode(operatorRegistryBytecode, operatorRegistryLinkReferences, {
        ClusterDraw: clusterDraw,
        OperatorIdentities: operatorIdentities,
      }),
      args: [
        stakingPool,
        wrappedDivETH,
        opts.bondPerKeyShare ?? parseEther("1"),
        opts.bondUnitShares ?? 10n ** 16n,
        opts.dkgTimeoutSeconds ?? 3_600n,
        opts.genesisForkVersion ?? "0x00000000",
      ],
    }),
  );
  await confirm(
    "setValidatorRegistry",
    await wallet.writeContract({
      address: stakingPool,
      abi: stakingPoolAbi,
      functionName: "setValidatorRegistry",
      args: [operatorRegistry],
    }),
  );

  const epochSeconds = opts.restakingEpochSeconds ?? 3_600n;
  const restakingVault = await deployed(
    "RestakingVault",
    await wallet.deployContract({
      abi: restakingVaultAbi,
      bytecode: restakingVaultBytecode,
      args: [stakingPool, wrappedDivETH, epochSeconds, opts.commissionDelaySeconds ?? 2n * epochSeconds],
    }),
  );
  const networkRegistry = await deployed(
    "NetworkRegistry",
    await wallet.deployContract({ abi: networkRegistryAbi, bytecode: networkRegistryBytecode, args: [restakingVault] }),
  );
  await confirm(
    "wireNetworkRegistry",
    await wallet.writeContract({
      address: restakingVault,
      abi: restakingVaultAbi,
      functionName: "wireNetworkRegistry",
      args: [networkRegistry],
    }),
  );

  const core = {
    depositContract,
    stakingPool,
    wrappedDivETH,
    withdrawalVault,
    withdrawalQueue,
    accountingOracle,
    operatorRegistry,
    restakingVault,
    networkRegistry,
  };
  const distributors = await deployDistributors({ wallet, deployed, confirm }, core);
  const native = !opts.withNative
    ? {}
    : await deployNative({ wallet, deployed, confirm }, core, {
        operatorRewardsRecipient: opts.operatorRewardsRecipient ?? deployer,
        epochSeconds,
        commissionDelaySeconds: opts.commissionDelaySeconds ?? 2n * epochSeconds,
        nativeOperator: opts.nativeOperator ?? deployer,
      });
  const contracts: NektarContracts = { ...core, ...distributors, ...native };
  return {
    version: 1,
    network: opts.network ?? "devnet",
    chainId,
    rpcUrl: opts.rpcUrl,
    beaconUrl: opts.beaconUrl,
    deploymentBlock: startBlock + 1n,
    deployer,
    contracts,
  };
}

async function firstUnlockedAccount(chain: Chain, transport: Transport): Promise<Address> {
  const wallet: WalletClient<Transport, Chain> = createWalletClient({ chain, transport });
  const [first] = await wallet.getAddresses();
  if (!first) {
    throw new DeploymentError("account", "the node has no unlocked account to deploy with", {
      hint: "Give the deployer's key (`--deployer-key-file <file>`, or the `account` option of deployNektar).",
    });
  }
  return first;
}
