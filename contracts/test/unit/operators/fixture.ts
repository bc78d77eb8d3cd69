import type { NetworkConnection } from "hardhat/types/network";
import {
  type Address,
  bytesToHex,
  type Hex,
  keccak256,
  type LocalAccount,
  parseEther,
  parseEventLogs,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { buildBeaconState, setBeaconRoot } from "../../helpers/beaconState.ts";
import { blockHeaderRlp } from "../../helpers/blockHeader.ts";
import { makeSignedDeposit, PREDEPOSIT_GWEI } from "../../helpers/depositData.ts";

export const BOOTSTRAP_DEPOSIT = parseEther("0.001");
export const BOND_PER_KEY_SHARE = parseEther("1");
export const BOND_UNIT_SHARES = 10n ** 16n;
export const DKG_TIMEOUT = 3_600n;
/** The exit manager's voluntary exit window in tests (the cluster's time to publish a voluntary exit). */
export const VOLUNTARY_EXIT_WINDOW = 3_600n;
/** Genesis fork version of the test network (non-zero, so a signature for another network's domain fails). */
export const GENESIS_FORK_VERSION = "0x10000038" as const;
export const CLUSTER_SIZE = 16;

/** Validator statuses as the contract's `ValidatorStatus` enum numbers them. */
export const Status = {
  None: 0,
  Requested: 1,
  Predeposited: 2,
  Deposited: 3,
  Active: 4,
  Exiting: 5,
  Exited: 6,
  Withdrawn: 7,
  Expired: 8,
  Unusable: 9,
} as const;

type Viem = NetworkConnection["viem"];

export type DeployOptions = {
  bondPerKeyShare?: bigint;
  bondUnitShares?: bigint;
  dkgTimeout?: bigint;
  /** Deploy the statistics harness (the registry plus `drawMany`) instead of the plain registry. */
  harness?: boolean;
  /** Wire the real `AccountingOracle` with this configuration instead of the test relay. */
  oracleConfig?: OracleConfig;
};

/** `IAccountingOracle.Config`. */
export type OracleConfig = {
  genesisTime: bigint;
  secondsPerSlot: bigint;
  slotsPerEpoch: bigint;
  frameSlots: bigint;
  challengeWindow: bigint;
  reporterBondUnits: number;
  maxIncreaseBpPerDay: number;
  maxDecreaseBpPerReport: number;
};

/** A deterministic signer account for fleet operator `index` (signs DKG results off-chain, never sends transactions). */
export function signerAccount(index: number, salt = "operator-signer"): LocalAccount {
  return privateKeyToAccount(keccak256(toHex(`${salt}-${index}`)));
}

/** A deterministic node identity (stands for a Stinger Ed25519 public key). */
export function nodeIdentity(index: number, salt = "node"): Hex {
  return keccak256(toHex(`${salt}-${index}`));
}

/** Deploys the external libraries the operator registry links; returns their addresses by library name. */
export async function deployRegistryLibraries(viem: Viem) {
  const clusterDraw = await viem.deployContract("ClusterDraw");
  const operatorIdentities = await viem.deployContract("OperatorIdentities");
  return { ClusterDraw: clusterDraw.address, OperatorIdentities: operatorIdentities.address };
}

/** Deploys the Diva pool with every component and the operator registry wired to it, on a fresh chain. */
export async function deployOperatorRegistry(viem: Viem, opts: DeployOptions = {}) {
  const [deployer, admin, reporter, alice, bob, carol] = await viem.getWalletClients();
  if (!deployer || !admin || !reporter || !alice || !bob || !carol) throw new Error("need 6 accounts");
  // Ejection needs no role: tests send it from an account with no part in the registry.
  const ejector = carol.account;
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  const depositContract = await viem.deployContract("DepositContract");
  const pool = await viem.deployContract("StakingPool", [depositContract.address, deployer.account.address], {
    value: BOOTSTRAP_DEPOSIT,
  });
  const exitManager = await viem.deployContract("ExitManager", [pool.address, VOLUNTARY_EXIT_WINDOW]);
  const vault = await viem.deployContract("WithdrawalVault", [pool.address, exitManager.address]);
  const wrapper = await viem.deployContract("WrappedDivETH", [pool.address]);
  const queue = await viem.deployContract("WithdrawalQueue", [pool.address, wrapper.address]);
  // Registry-level tests feed reports and lifecycle statuses through a relay; the real oracle proves them.
  const oracle = await viem.deployContract("OracleRelay", [pool.address]);
  const accountingOracle = opts.oracleConfig
    ? await viem.deployContract("AccountingOracle", [pool.address, opts.oracleConfig])
    : undefined;
  await pool.write.wireComponents([vault.address, queue.address, accountingOracle?.address ?? oracle.address]);
  const args = [
    pool.address,
    wrapper.address,
    opts.bondPerKeyShare ?? BOND_PER_KEY_SHARE,
    opts.bondUnitShares ?? BOND_UNIT_SHARES,
    opts.dkgTimeout ?? DKG_TIMEOUT,
    GENESIS_FORK_VERSION,
  ] as const;
  const libraries = await deployRegistryLibraries(viem);
  const harness = opts.harness
    ? await viem.deployContract("OperatorRegistryDrawHarness", [...args], { libraries })
    : undefined;
  const registry = harness
    ? await viem.getContractAt("OperatorRegistry", harness.address)
    : await viem.deployContract("OperatorRegistry", [...args], { libraries });
  await pool.write.setValidatorRegistry([registry.address]);
  const fleet = await viem.deployContract("OperatorFleet");
  const credentials = (await pool.read.withdrawalCredentials()) as Hex;
  const staker = alice.account;
  let fleetSize = 0;
  let resultSeed = 0;
  const signerById = new Map<bigint, LocalAccount>();

  /** Registers `bonds.length` contract-owned operators (bonds in wei of ether); returns their ids and signers. */
  async function addFleet(bonds: readonly bigint[], salt = "operator-signer", batch = 25) {
    const firstId = Number(await registry.read.operatorCount()) + 1;
    const signers: LocalAccount[] = [];
    for (let start = 0; start < bonds.length; start += batch) {
      const chunk = bonds.slice(start, start + batch);
      const accounts = chunk.map((_, i) => signerAccount(fleetSize + start + i, salt));
      signers.push(...accounts);
      await fleet.write.register(
        [
          registry.address,
          accounts.map((a) => a.address),
          chunk.map((_, i) => nodeIdentity(fleetSize + start + i, salt)),
          [...chunk],
        ],
        { value: chunk.reduce((a, b) => a + b, 0n) },
      );
    }
    fleetSize += bonds.length;
    const ids = bonds.map((_, i) => BigInt(firstId + i));
    ids.forEach((id, i) => {
      const signer = signers[i];
      if (signer) signerById.set(id, signer);
    });
    const identities = bonds.map((_, i) => nodeIdentity(fleetSize - bonds.length + i, salt));
    return { ids, signers, identities };
  }

  /** The signer accounts of fleet operators, in the given order. */
  function signersOf(operatorIds: readonly (bigint | number)[]): LocalAccount[] {
    return operatorIds.map((id) => {
      const signer = signerById.get(BigInt(id));
      if (!signer) throw new Error(`operator ${id} is not a fleet operator`);
      return signer;
    });
  }

  /** Calls `requestValidator` (step 1) and returns the scheduled draw from the `ValidatorDrawScheduled` event. */
  async function scheduleDraw(account = staker) {
    const hash = await registry.write.requestValidator({ account });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const [event] = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "ValidatorDrawScheduled" });
    if (!event) throw new Error("no ValidatorDrawScheduled event");
    return { ...event.args, receipt };
  }

  /**
   * Mines up to the draw block of the pending request, calls `drawCluster` (step 2) with that block's header and
   * returns the request id and its operators from the `ValidatorRequested` event.
   */
  async function drawCluster(account = staker) {
    const [requestId, drawBlock] = await registry.read.pendingDraw();
    const current = await publicClient.getBlockNumber();
    if (current <= drawBlock) await testClient.mine({ blocks: Number(drawBlock - current) });
    const header = await blockHeaderRlp(publicClient, drawBlock);
    const hash = await registry.write.drawCluster([requestId, header], { account });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const [event] = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "ValidatorRequested" });
    if (!event) throw new Error("no ValidatorRequested event");
    return { ...event.args, operatorIds: unpackCluster(event.args.cluster), receipt };
  }

  /** Both steps: `requestValidator`, then `drawCluster` once its block exists. */
  async function requestValidator(account = staker) {
    await scheduleDraw(account);
    return drawCluster(account);
  }

  /**
   * A fresh DKG result: a real BLS group key and its signature of the 1 ETH deposit message for the pool's
   * credentials on the test network (filler share keys: the contract only commits to them).
   */
  function makeResult(): DkgResult {
    const d = makeSignedDeposit(++resultSeed, credentials, GENESIS_FORK_VERSION, PREDEPOSIT_GWEI);
    return {
      groupPubkey: d.pubkey,
      sharePubkeys: filler(48 * CLUSTER_SIZE, resultSeed),
      depositSignature: d.signature,
      depositDataRoot: d.depositDataRoot,
      points: d.points,
    };
  }

  /** Signs `result` for `requestId` with the request's operators and submits it. */
  async function completeRequest(requestId: bigint, operatorIds: readonly number[], result = makeResult()) {
    const chainId = await publicClient.getChainId();
    const signatures = await signDkgResult(signersOf(operatorIds), chainId, registry.address, requestId, result);
    const hash = await registry.write.submitDkgResult([
      requestId,
      result.groupPubkey,
      result.sharePubkeys,
      result.depositSignature,
      result.depositDataRoot as Hex,
      result.points,
      signatures,
    ]);
    return { result, signatures, receipt: await publicClient.waitForTransactionReceipt({ hash }) };
  }

  let beaconTimestamp = 1_000_000n;
  /**
   * Puts `validators` (index 0 upwards) in a fresh beacon state, makes its block root readable from the EIP-4788
   * contract at a fresh timestamp and returns that timestamp and the state (for proofs).
   */
  async function publishBeaconState(validators: { pubkey: Hex; withdrawalCredentials: Hex }[]) {
    const state = buildBeaconState(validators);
    beaconTimestamp += 12n;
    await setBeaconRoot(testClient, beaconTimestamp, state.blockRoot);
    return { timestamp: beaconTimestamp, state };
  }

  /** Proves `pubkey` with `withdrawalCredentials` (default: the pool's) at beacon index 0 and calls `completeDeposit`. */
  async function completeDeposit(pubkey: Hex, withdrawalCredentials: Hex = credentials, account = staker) {
    const { timestamp, state } = await publishBeaconState([{ pubkey, withdrawalCredentials }]);
    const { proof } = state.credentialsProof(0);
    const hash = await registry.write.completeDeposit([pubkey, timestamp, 0n, withdrawalCredentials, proof], {
      account,
    });
    return publicClient.waitForTransactionReceipt({ hash });
  }

  /** Stakes `amount` from `alice` so the pool's buffer can fund validators. */
  async function fundBuffer(amount: bigint) {
    await pool.write.stake({ account: staker, value: amount });
  }

  /** Ejects operator `id` the permissionless way: `STRIKES_TO_EJECT` strikes (the harness's test entry), then
   * `ejectOperator` from an unprivileged account. Needs `harness: true`. */
  async function ejectByStrikes(id: bigint) {
    if (!harness)
      throw new Error("ejectByStrikes needs the harness registry (deployOperatorRegistry(viem, { harness: true }))");
    const needed = await registry.read.STRIKES_TO_EJECT();
    for (let i = 0n; i < needed; i++) await harness.write.strike([id]);
    await registry.write.ejectOperator([id], { account: ejector });
  }

  return {
    viem,
    publicClient,
    testClient,
    accounts: { deployer, admin, reporter, alice, bob, carol },
    depositContract,
    pool,
    vault,
    exitManager,
    wrapper,
    queue,
    oracle,
    accountingOracle,
    registry,
    harness,
    fleet,
    credentials,
    addFleet,
    fundBuffer,
    ejectByStrikes,
    signersOf,
    requestValidator,
    scheduleDraw,
    drawCluster,
    makeResult,
    completeRequest,
    publishBeaconState,
    completeDeposit,
  };
}

export type OperatorSystem = Awaited<ReturnType<typeof deployOperatorRegistry>>;

/** The 16 operator ids of a `ValidatorRequested` cluster word (15 bits each, in cluster order). */
export function unpackCluster(cluster: bigint): number[] {
  return Array.from({ length: CLUSTER_SIZE }, (_, i) => Number((cluster >> BigInt(15 * i)) & 0x7fffn));
}

/** A DKG result as `submitDkgResult` takes it; `points` are not part of what operators sign. */
export type DkgResult = {
  groupPubkey: Hex;
  sharePubkeys: Hex;
  depositSignature: Hex;
  depositDataRoot: Hex;
  points: { groupPubkey: Hex; depositSignature: Hex };
};

/** EIP-712 domain and types of the registry's `DkgResult`. */
export function dkgResultTypedData(
  chainId: number,
  registry: Address,
  requestId: bigint,
  result: Omit<DkgResult, "points">,
) {
  return {
    domain: { name: "Nektar Operator Registry", version: "1", chainId, verifyingContract: registry },
    types: {
      DkgResult: [
        { name: "requestId", type: "uint256" },
        { name: "groupPubkey", type: "bytes" },
        { name: "sharePubkeys", type: "bytes" },
        { name: "depositSignature", type: "bytes" },
        { name: "depositDataRoot", type: "bytes32" },
      ],
    },
    primaryType: "DkgResult",
    message: {
      requestId,
      groupPubkey: result.groupPubkey,
      sharePubkeys: result.sharePubkeys,
      depositSignature: result.depositSignature,
      depositDataRoot: result.depositDataRoot,
    },
  } as const;
}

/** Signs a DKG result with each account in cluster order. */
export async function signDkgResult(
  accounts: readonly LocalAccount[],
  chainId: number,
  registry: Address,
  requestId: bigint,
  result: DkgResult,
): Promise<Hex[]> {
  const typed = dkgResultTypedData(chainId, registry, requestId, result);
  return Promise.all(accounts.map((a) => a.signTypedData(typed)));
}

/** Filler bytes of a given length derived from a seed. */
export function filler(length: number, seed: number): Hex {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (seed * 131 + i * 7 + 3) & 0xff;
  return bytesToHex(out);
}
