import type { NetworkConnection } from "hardhat/types/network";
import {
  type Address,
  encodeAbiParameters,
  maxUint256,
  parseEther,
  parseEventLogs,
  type WalletClient,
  zeroAddress,
} from "viem";
import { deployDiva } from "./fixture.ts";

/** Epoch length and commission delay of the restaking vault in tests. */
export const EPOCH = 86_400n;
export const COMMISSION_DELAY = 2n * EPOCH;
export const SlashKind = { Objective: 0, Veto: 1 } as const;
export const BURN_ADDRESS = "0x000000000000000000000000000000000000dEaD";

type Viem = NetworkConnection["viem"];

/** Evidence understood by `SlashVerifierDouble`. */
export function evidence(valid: boolean, amount: bigint) {
  return encodeAbiParameters([{ type: "bool" }, { type: "uint256" }], [valid, amount]);
}

/** Signs an opt-in of `wallet`'s address to `networkId` (EIP-712 domain `Nektar Network Registry`/`1`). */
export async function signOptIn(
  wallet: WalletClient,
  p: { registry: Address; chainId: number; networkId: bigint; nonce: bigint; deadline: bigint },
) {
  const account = wallet.account;
  if (!account) throw new Error("wallet without account");
  return wallet.signTypedData({
    account,
    domain: { name: "Nektar Network Registry", version: "1", chainId: p.chainId, verifyingContract: p.registry },
    types: {
      OptIn: [
        { name: "operator", type: "address" },
        { name: "networkId", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "OptIn",
    message: { operator: account.address, networkId: p.networkId, nonce: p.nonce, deadline: p.deadline },
  });
}

/** Diva plus the restaking vault, the network registry and the test doubles a network needs. */
export async function deployRestaking(viem: Viem) {
  const diva = await deployDiva(viem);
  const wallets = await viem.getWalletClients();
  const [opA, opB, middleware, resolver, dave] = wallets.slice(6, 11);
  if (!opA || !opB || !middleware || !resolver || !dave) throw new Error("need 11 accounts");
  for (const w of [opA, opB, middleware, resolver, dave]) {
    await diva.testClient.setBalance({ address: w.account.address, value: parseEther("100000") });
  }
  const { pool, wrapper, publicClient, testClient } = diva;
  const vault = await viem.deployContract("RestakingVault", [pool.address, wrapper.address, EPOCH, COMMISSION_DELAY]);
  const registry = await viem.deployContract("NetworkRegistry", [vault.address]);
  await vault.write.wireNetworkRegistry([registry.address]);
  const verifier = await viem.deployContract("SlashVerifierDouble");
  const token = await viem.deployContract("RewardTokenDouble");

  const now = async () => (await publicClient.getBlock()).timestamp;

  const r = {
    ...diva,
    accounts: { ...diva.accounts, opA, opB, middleware, resolver, dave },
    vault,
    registry,
    verifier,
    token,
    now,
    /** Stakes `ether` for `wallet` and approves the vault for all its divETH. */
    async fund(wallet: WalletClient, ether = "100") {
      const account = wallet.account;
      if (!account) throw new Error("wallet without account");
      await pool.write.stake({ account, value: parseEther(ether) });
      await pool.write.approve([vault.address, maxUint256], { account });
      return pool.read.sharesOf([account.address]);
    },
    async registerOperator(wallet: WalletClient, commissionBps = 1_000n) {
      const account = wallet.account;
      if (!account) throw new Error("wallet without account");
      await vault.write.registerOperator([commissionBps], { account });
    },
    /** Registers a network as `middleware` and returns its id. */
    async registerNetwork(
      opts: {
        kind?: number;
        vetoWindow?: number;
        maxStakePerOperator?: bigint;
        slashReceiver?: Address;
        rewardTokens?: Address[];
        slasher?: Address;
      } = {},
    ) {
      const kind = opts.kind ?? SlashKind.Objective;
      const hash = await registry.write.registerNetwork(
        [
          {
            middleware: middleware.account.address,
            slasher: opts.slasher ?? (kind === SlashKind.Objective ? verifier.address : resolver.account.address),
            slashReceiver: opts.slashReceiver ?? zeroAddress,
            kind,
            vetoWindow: opts.vetoWindow ?? (kind === SlashKind.Veto ? 3_600 : 0),
            maxStakePerOperator: opts.maxStakePerOperator ?? parseEther("1000000"),
            maxTotalStake: parseEther("10000000"),
            rewardTokens: opts.rewardTokens ?? [zeroAddress, token.address, pool.address],
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
    /** Deposits `count` validators through the Diva registry double. */
    async depositValidators(count: number) {
      for (let i = 0; i < count; i++) await diva.depositValidator();
    },
    /** Moves time forward by `seconds` and mines a block. */
    async advance(seconds: bigint) {
      await testClient.increaseTime({ seconds: Number(seconds) });
      await testClient.mine({ blocks: 1 });
    },
    /** Moves to `offset` seconds after the start of the next epoch. */
    async nextEpoch(offset = 10n) {
      const t = await now();
      const genesis = await vault.read.GENESIS();
      const next = genesis + ((t - genesis) / EPOCH + 1n) * EPOCH + offset;
      await testClient.setNextBlockTimestamp({ timestamp: next });
      await testClient.mine({ blocks: 1 });
    },
    /** Deposits `shares` for `operator` and moves two epochs on, so the deposit is active. */
    async depositActive(wallet: WalletClient, operator: Address, shares: bigint) {
      const account = wallet.account;
      if (!account) throw new Error("wallet without account");
      await vault.write.deposit([operator, shares], { account });
      await r.nextEpoch();
      await r.nextEpoch();
    },
  };
  return r;
}

export type Restaking = Awaited<ReturnType<typeof deployRestaking>>;
