import type { NetworkConnection } from "hardhat/types/network";
import { type Address, type Hex, parseEther, parseEventLogs, zeroAddress } from "viem";
import { makeDepositData, PREDEPOSIT_GWEI } from "./depositData.ts";
import { COMMISSION_DELAY, EPOCH } from "./restaking.ts";

type Viem = NetworkConnection["viem"];

export const WITHDRAWAL_REQUEST_PREDEPLOY: Address = "0x00000961Ef480Eb55e80D19ad83579A64c007002";
export const FEE_BPS = 1_000n;

/**
 * The native vault with a restaking vault and network registry over it (the same contracts as for divETH), the beacon
 * deposit contract, the EIP-7002 stand-in and the doubles a network needs. The validator registry and the oracle are
 * played by two test accounts calling the vault's real entry points (see contracts/README.md: the Diva registry's
 * per-request credentials and the oracle's native report are not wired yet).
 */
export async function deployNative(viem: Viem) {
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  const wallets = await viem.getWalletClients();
  const [deployer, alice, bob, validatorRegistry, oracle, operator, middleware, feeRecipient, receiver] = wallets;
  if (
    !deployer ||
    !alice ||
    !bob ||
    !validatorRegistry ||
    !oracle ||
    !operator ||
    !middleware ||
    !feeRecipient ||
    !receiver
  ) {
    throw new Error("need 9 accounts");
  }
  const depositContract = await viem.deployContract("DepositContract");
  const native = await viem.deployContract("NativeVault", [
    depositContract.address,
    feeRecipient.account.address,
    FEE_BPS,
  ]);
  const vault = await viem.deployContract("RestakingVault", [native.address, zeroAddress, EPOCH, COMMISSION_DELAY]);
  const registry = await viem.deployContract("NetworkRegistry", [vault.address]);
  await vault.write.wireNetworkRegistry([registry.address]);
  await native.write.wire([vault.address, validatorRegistry.account.address, oracle.account.address]);
  const verifier = await viem.deployContract("SlashVerifierDouble");
  const template = await viem.deployContract("WithdrawalRequestPredeployDouble");
  const code = await publicClient.getCode({ address: template.address });
  if (!code) throw new Error("no code");
  await testClient.setCode({ address: WITHDRAWAL_REQUEST_PREDEPLOY, bytecode: code });
  const predeploy = await viem.getContractAt("WithdrawalRequestPredeployDouble", WITHDRAWAL_REQUEST_PREDEPLOY);
  await predeploy.write.setFee([7n]);
  await predeploy.write.setRefuse([false]);
  const now = async () => (await publicClient.getBlock()).timestamp;
  let seed = 1;

  const n = {
    publicClient,
    testClient,
    accounts: { deployer, alice, bob, validatorRegistry, oracle, operator, middleware, feeRecipient, receiver },
    depositContract,
    native,
    vault,
    registry,
    verifier,
    predeploy,
    now,
    /** Predeposits and tops up one validator with the vault's credentials, as the validator registry would. */
    async createValidator(): Promise<Hex> {
      const credentials = await native.read.withdrawalCredentials();
      const d = makeDepositData(seed++, credentials, PREDEPOSIT_GWEI);
      await native.write.depositValidator([d.pubkey, d.signature, d.depositDataRoot], {
        account: validatorRegistry.account,
      });
      await native.write.topUpValidator([d.pubkey], { account: validatorRegistry.account });
      return d.pubkey;
    },
    /** Reports the vault's validators as the oracle. */
    async report(validators: bigint, balance: bigint, withdrawnCumulative: bigint) {
      const t = await now();
      await testClient.mine({ blocks: 1 });
      await native.write.handleReport([t, validators, balance, withdrawnCumulative], { account: oracle.account });
    },
    /** Registers an objective network paying slashes to `slashReceiver` (zero: burn). */
    async registerNetwork(slashReceiver: Address = zeroAddress) {
      const hash = await registry.write.registerNetwork(
        [
          {
            middleware: middleware.account.address,
            slasher: verifier.address,
            slashReceiver,
            kind: 0,
            vetoWindow: 0,
            maxStakePerOperator: parseEther("1000000"),
            maxTotalStake: parseEther("10000000"),
            rewardTokens: [zeroAddress],
            metadataURI: "ipfs://network",
          },
        ],
        { account: middleware.account },
      );
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const [log] = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "NetworkRegistered" });
      if (!log) throw new Error("no NetworkRegistered event");
      return log.args.networkId;
    },
    /** Moves to `offset` seconds after the start of the next restaking epoch. */
    async nextEpoch(offset = 10n) {
      const t = await now();
      const genesis = await vault.read.GENESIS();
      const next = genesis + ((t - genesis) / EPOCH + 1n) * EPOCH + offset;
      await testClient.setNextBlockTimestamp({ timestamp: next });
      await testClient.mine({ blocks: 1 });
    },
  };
  return n;
}

export type Native = Awaited<ReturnType<typeof deployNative>>;
