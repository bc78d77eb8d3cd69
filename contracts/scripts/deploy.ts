// Deploys and wires every Nektar contract on any JSON-RPC endpoint and writes the deployment manifest atomically.
//
//   node scripts/deploy.ts --rpc http://127.0.0.1:8545 --manifest ../.nektar/devnet/manifest.json [--private-key 0x…]
//
// Without --private-key (or DEPLOYER_PRIVATE_KEY) the node's first unlocked account deploys (Hardhat node).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BaseError, type NektarContracts, type NektarManifest, nektarChain, writeManifest } from "@nektar/sdk";
import { Command, InvalidArgumentError } from "commander";
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  getAddress,
  type Hex,
  http,
  isAddress,
  keccak256,
  type PublicClient,
  parseEther,
  type Transport,
  toHex,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

const ARTIFACTS = fileURLToPath(new URL("../artifacts/src/", import.meta.url));
const REPORTER_ROLE = keccak256(toHex("REPORTER_ROLE"));
const LIFECYCLE_REPORTER_ROLE = keccak256(toHex("LIFECYCLE_REPORTER_ROLE"));

export type DeployOptions = {
  /** Written to the manifest; also the transport unless `transport` is given. */
  rpcUrl: string;
  /** Talk to the chain through this transport instead (e.g. an in-process Hardhat network's provider). */
  transport?: Transport | undefined;
  /** Signs the deployment; default: the node's first unlocked account. */
  account?: Account | Address | undefined;
  network?: string;
  beaconUrl?: string | undefined;
  /** Use an existing beacon deposit contract (real networks); default: deploy the devnet one. */
  depositContract?: Address | undefined;
  /** Receives the 10% operator share of rewards (default: the deployer). */
  operatorRewardsRecipient?: Address | undefined;
  /** Holds the oracle's REPORTER_ROLE (default: the deployer). */
  reporter?: Address | undefined;
  /** Holds the registry's LIFECYCLE_REPORTER_ROLE (default: the deployer). */
  lifecycleReporter?: Address | undefined;
  bootstrapDeposit?: bigint;
  maxIncreaseBpPerDay?: bigint;
  maxDecreaseBpPerReport?: bigint;
  bondPerKeyShare?: bigint;
  bondUnitShares?: bigint;
  dkgTimeoutSeconds?: bigint;
};

/** The failure of one deployment step, with what to do next. */
export class DeploymentError extends BaseError<{ code: "ERR_DEPLOYMENT" }> {
  override name = "DeploymentError";
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super({ code: "ERR_DEPLOYMENT" }, message, { cause: opts.cause });
  }
}

function artifact(path: string): { abi: Abi; bytecode: Hex } {
  try {
    return JSON.parse(readFileSync(ARTIFACTS + path, "utf8")) as { abi: Abi; bytecode: Hex };
  } catch (e) {
    throw new DeploymentError(`missing artifact ${path}: run \`npm run build\` first`, { cause: e });
  }
}

/** Deploys, wires and grants roles; returns the manifest (not written). */
export async function deployNektar(opts: DeployOptions): Promise<NektarManifest> {
  const transport = opts.transport ?? http(opts.rpcUrl);
  const probe = createPublicClient({ transport });
  const chainId = await probe.getChainId().catch((e: unknown) => {
    throw new DeploymentError(`cannot reach ${opts.rpcUrl}`, { cause: e });
  });
  const chain = nektarChain(chainId, opts.rpcUrl);
  const publicClient = createPublicClient({ chain, transport }) as PublicClient;
  let account = opts.account;
  if (account === undefined) {
    const [first] = await createWalletClient({ chain, transport }).getAddresses();
    if (!first) throw new DeploymentError("the node has no unlocked account: pass --private-key");
    account = first;
  }
  const wallet = createWalletClient({ chain, account, transport });
  const deployer = getAddress(wallet.account.address);
  const startBlock = await publicClient.getBlockNumber();
  const step = stepper(wallet, publicClient, chain);

  const depositContract =
    opts.depositContract ?? (await step.deploy("devnet/DepositContract.sol/DepositContract.json", []));
  const stakingPool = await step.deploy(
    "diva/StakingPool.sol/StakingPool.json",
    [depositContract, opts.operatorRewardsRecipient ?? deployer],
    opts.bootstrapDeposit ?? parseEther("0.001"),
  );
  const withdrawalVault = await step.deploy("diva/WithdrawalVault.sol/WithdrawalVault.json", [stakingPool]);
  const wrappedDivETH = await step.deploy("diva/WrappedDivETH.sol/WrappedDivETH.json", [stakingPool]);
  const withdrawalQueue = await step.deploy("diva/WithdrawalQueue.sol/WithdrawalQueue.json", [
    stakingPool,
    wrappedDivETH,
  ]);
  const accountingOracle = await step.deploy("diva/AccountingOracle.sol/AccountingOracle.json", [
    stakingPool,
    deployer,
    opts.maxIncreaseBpPerDay ?? 10n,
    opts.maxDecreaseBpPerReport ?? 500n,
  ]);
  const pool = "diva/StakingPool.sol/StakingPool.json";
  await step.call(pool, stakingPool, "wireComponents", [withdrawalVault, withdrawalQueue, accountingOracle]);
  const reporter = opts.reporter ?? deployer;
  await step.call("diva/AccountingOracle.sol/AccountingOracle.json", accountingOracle, "grantRole", [
    REPORTER_ROLE,
    reporter,
  ]);
  const registryArtifact = "diva/OperatorRegistry.sol/OperatorRegistry.json";
  const operatorRegistry = await step.deploy(registryArtifact, [
    stakingPool,
    wrappedDivETH,
    opts.bondPerKeyShare ?? parseEther("1"),
    opts.bondUnitShares ?? 10n ** 16n,
    opts.dkgTimeoutSeconds ?? 3_600n,
    deployer,
  ]);
  await step.call(pool, stakingPool, "setValidatorRegistry", [operatorRegistry]);
  const lifecycleReporter = opts.lifecycleReporter ?? deployer;
  await step.call(registryArtifact, operatorRegistry, "grantRole", [LIFECYCLE_REPORTER_ROLE, lifecycleReporter]);

  const contracts: NektarContracts = {
    depositContract,
    stakingPool,
    wrappedDivETH,
    withdrawalVault,
    withdrawalQueue,
    accountingOracle,
    operatorRegistry,
  };
  return {
    version: 1,
    network: opts.network ?? "devnet",
    chainId,
    rpcUrl: opts.rpcUrl,
    beaconUrl: opts.beaconUrl,
    deploymentBlock: startBlock + 1n,
    deployer,
    roles: { reporter, lifecycleReporter },
    contracts,
  };
}

function stepper(wallet: WalletClient<Transport, Chain, Account>, publicClient: PublicClient, chain: Chain) {
  async function confirm(what: string, hash: Hex) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new DeploymentError(`${what} reverted (tx ${hash})`);
    return receipt;
  }
  return {
    async deploy(path: string, args: readonly unknown[], value?: bigint): Promise<Address> {
      const { abi, bytecode } = artifact(path);
      const name = path.split("/").at(-1)?.replace(".json", "") ?? path;
      const hash = await wallet.deployContract({ abi, bytecode, args, chain, ...(value ? { value } : {}) } as never);
      const receipt = await confirm(`deploying ${name}`, hash);
      if (!receipt.contractAddress) throw new DeploymentError(`deploying ${name}: no contract address in the receipt`);
      return getAddress(receipt.contractAddress);
    },
    async call(path: string, address: Address, functionName: string, args: readonly unknown[]): Promise<void> {
      const { abi } = artifact(path);
      const hash = await wallet.writeContract({ address, abi, functionName, args, chain } as never);
      await confirm(functionName, hash);
    },
  };
}

function address(value: string): Address {
  if (!isAddress(value, { strict: true })) throw new InvalidArgumentError("not an address");
  return getAddress(value);
}

function integer(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new InvalidArgumentError("not a non-negative integer");
  return Number(value);
}

async function main(argv: string[]): Promise<void> {
  const program = new Command("deploy")
    .description("Deploy and wire every Nektar contract, then write the manifest atomically")
    .requiredOption("--rpc <url>", "JSON-RPC URL")
    .requiredOption("--manifest <file>", "where to write the manifest")
    .option("--network <name>", "network name stored in the manifest", "devnet")
    .option("--beacon-url <url>", "Beacon API URL stored in the manifest")
    .option(
      "--deposit-contract <address>",
      "existing beacon deposit contract (default: deploy the devnet one)",
      address,
    )
    .option("--reporter <address>", "oracle REPORTER_ROLE holder (default: deployer)", address)
    .option("--lifecycle-reporter <address>", "registry LIFECYCLE_REPORTER_ROLE holder (default: deployer)", address)
    .option("--max-increase-bp-per-day <bp>", "oracle share-rate increase limit per day", integer, 10)
    .option("--dkg-timeout <seconds>", "seconds a request has to complete its DKG", integer, 3_600)
    .showHelpAfterError();
  program.parse(argv, { from: "user" });
  const o = program.opts<{
    rpc: string;
    manifest: string;
    network: string;
    beaconUrl?: string;
    depositContract?: Address;
    reporter?: Address;
    lifecycleReporter?: Address;
    maxIncreaseBpPerDay: number;
    dkgTimeout: number;
  }>();
  const key = process.env.DEPLOYER_PRIVATE_KEY;
  if (key !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(key))
    throw new DeploymentError("DEPLOYER_PRIVATE_KEY is not a 32-byte hex key");
  const manifest = await deployNektar({
    rpcUrl: o.rpc,
    account: key === undefined ? undefined : privateKeyToAccount(key as Hex),
    network: o.network,
    beaconUrl: o.beaconUrl,
    depositContract: o.depositContract,
    reporter: o.reporter,
    lifecycleReporter: o.lifecycleReporter,
    maxIncreaseBpPerDay: BigInt(o.maxIncreaseBpPerDay),
    dkgTimeoutSeconds: BigInt(o.dkgTimeout),
  });
  writeManifest(o.manifest, manifest);
  console.log(`deployed on chain ${manifest.chainId}; manifest written to ${o.manifest}`);
  for (const [name, addr] of Object.entries(manifest.contracts)) console.log(`  ${name.padEnd(18)} ${addr}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    const message = e instanceof BaseError ? e.shortMessage : e instanceof Error ? e.message.split("\n")[0] : String(e);
    console.error(`deploy: ${message}`);
    process.exit(1);
  });
}
