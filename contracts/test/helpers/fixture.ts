import type { NetworkConnection } from "hardhat/types/network";
import { getContractAddress, type Hex, parseEther } from "viem";
import { makeDepositData, PREDEPOSIT_GWEI } from "./depositData.ts";

export const BOOTSTRAP_DEPOSIT = parseEther("0.001");
export const DEPOSIT_SIZE = parseEther("32");
export const ONE_DAY = 86_400n;
/** The exit manager's voluntary exit window in tests (the cluster's time to publish a voluntary exit). */
export const VOLUNTARY_EXIT_WINDOW = 3_600n;

type Viem = NetworkConnection["viem"];

/** `OperatorRewards` as the pool's operator-rewards recipient instead of an account. */
export type OperatorRewardsOptions = { bond: bigint; challengeWindow: bigint; marginBps: bigint; forkVersion: Hex };

/** Deploys and wires the whole Diva system on a fresh in-process chain. */
export async function deployDiva(viem: Viem, options: { operatorRewards?: OperatorRewardsOptions } = {}) {
  const [deployer, reporter, operators, alice, bob, carol] = await viem.getWalletClients();
  if (!deployer || !reporter || !operators || !alice || !bob || !carol) throw new Error("need 6 accounts");
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  // Each test file shares one chain: top the users up so earlier tests cannot starve later ones.
  for (const user of [alice, bob, carol]) {
    await testClient.setBalance({ address: user.account.address, value: parseEther("100000") });
  }
  const depositContract = await viem.deployContract("DepositContract");
  // The rewards contract is deployed right after the pool, whose constructor takes its (predicted) address.
  const o = options.operatorRewards;
  const nonce = await publicClient.getTransactionCount({ address: deployer.account.address });
  const recipient = o ? getContractAddress({ from: deployer.account.address, nonce: BigInt(nonce + 1) }) : undefined;
  const pool = await viem.deployContract(
    "StakingPool",
    [depositContract.address, recipient ?? operators.account.address],
    {
      value: BOOTSTRAP_DEPOSIT,
    },
  );
  const operatorRewards = o
    ? await viem.deployContract("OperatorRewards", [
        pool.address,
        o.bond,
        o.challengeWindow,
        o.marginBps,
        o.forkVersion,
      ])
    : undefined;
  if (operatorRewards && operatorRewards.address.toLowerCase() !== recipient?.toLowerCase()) {
    throw new Error("OperatorRewards was not deployed at the predicted address");
  }
  const exitManager = await viem.deployContract("ExitManager", [pool.address, VOLUNTARY_EXIT_WINDOW]);
  const vault = await viem.deployContract("WithdrawalVault", [pool.address, exitManager.address]);
  const wrapper = await viem.deployContract("WrappedDivETH", [pool.address]);
  const queue = await viem.deployContract("WithdrawalQueue", [pool.address, wrapper.address]);
  // Pool-level tests feed numbers straight to the pool's report entry point; the disputable oracle is tested in
  // test/unit/oracle.
  const oracle = await viem.deployContract("OracleRelay", [pool.address]);
  await pool.write.wireComponents([vault.address, queue.address, oracle.address]);
  const registry = await viem.deployContract("ValidatorRegistryDouble", [pool.address]);
  await pool.write.setValidatorRegistry([registry.address]);

  let depositSeed = 0;
  const credentials = (await pool.read.withdrawalCredentials()) as Hex;

  return {
    viem,
    publicClient,
    testClient,
    accounts: { deployer, reporter, operators, alice, bob, carol },
    depositContract,
    pool,
    vault,
    exitManager,
    wrapper,
    queue,
    oracle,
    registry,
    operatorRewards,
    /**
     * Reserves, predeposits (1 ETH) and tops up (31 ETH) one validator through the registry double, as the registry
     * does once the credentials are proven; returns the predeposit's data.
     */
    async depositValidator() {
      await registry.write.reserve();
      const d = makeDepositData(++depositSeed, credentials, PREDEPOSIT_GWEI);
      await registry.write.deposit([d.pubkey, d.signature, d.depositDataRoot]);
      await registry.write.topUp([d.pubkey]);
      return d;
    },
    /**
     * Advances time by `seconds`, mines a block and submits a report as the reporter. The reference time defaults to
     * that block's time, so every request made before the call becomes finalizable.
     */
    async report(
      beaconValidators: bigint,
      beaconBalance: bigint,
      vaultBalance = 0n,
      seconds = ONE_DAY,
      refTimestamp?: bigint,
    ) {
      await testClient.increaseTime({ seconds: Number(seconds) });
      await testClient.mine({ blocks: 1 });
      const ref = refTimestamp ?? (await publicClient.getBlock()).timestamp;
      return oracle.write.submitReport(
        [{ beaconValidators, beaconBalance, withdrawalVaultBalance: vaultBalance, refTimestamp: ref }],
        { account: reporter.account },
      );
    },
  };
}

export type Diva = Awaited<ReturnType<typeof deployDiva>>;
