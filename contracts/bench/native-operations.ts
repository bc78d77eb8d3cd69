import type { NetworkConnection } from "hardhat/types/network";
import { type Hash, maxUint256, parseEther, parseEventLogs } from "viem";
import { deployNative } from "../test/helpers/native.ts";
import { deployRestaking, evidence } from "../test/helpers/restaking.ts";

/**
 * Operations measured by `measureNativeGas` and listed in `snapshots/gas-native.txt`. `eigenlayer`: an EigenPod
 * checkpoint costs ~56,000 gas per validator (one EIP-4788 balance proof each); the native vault's report is one call
 * whatever the number of validators.
 */
export const NATIVE_GAS_OPERATIONS = [
  { name: "native deposit (first)", target: undefined, eigenlayer: undefined },
  { name: "native deposit", target: undefined, eigenlayer: undefined },
  { name: "native delegate (restaking deposit)", target: undefined, eigenlayer: undefined },
  { name: "native report (1 validator)", target: undefined, eigenlayer: 56_000n },
  { name: "native report (8 validators)", target: undefined, eigenlayer: 448_000n },
  { name: "native slash (payout queued)", target: undefined, eigenlayer: undefined },
  { name: "native EIP-7002 partial withdrawal request", target: undefined, eigenlayer: undefined },
  { name: "native slash settlement (1 payout)", target: undefined, eigenlayer: undefined },
  { name: "distributor deposit", target: undefined, eigenlayer: undefined },
  { name: "distributor rebalance (1 operator)", target: undefined, eigenlayer: undefined },
  { name: "distributor rebalance (4 operators)", target: undefined, eigenlayer: undefined },
  { name: "distributor requestRedeem (1 operator)", target: undefined, eigenlayer: undefined },
  { name: "distributor claim", target: undefined, eigenlayer: undefined },
] as const;

export type NativeGasOperationName = (typeof NATIVE_GAS_OPERATIONS)[number]["name"];

/** Runs every operation of `NATIVE_GAS_OPERATIONS` on fresh deployments and returns the gas each used. */
export async function measureNativeGas(viem: NetworkConnection["viem"]): Promise<Map<NativeGasOperationName, bigint>> {
  const measured = new Map<NativeGasOperationName, bigint>();
  {
    const n = await deployNative(viem);
    const { native, vault, registry, publicClient } = n;
    const { alice, bob, operator, receiver } = n.accounts;
    const gasOf = async (hash: Promise<Hash>) =>
      (await publicClient.waitForTransactionReceipt({ hash: await hash })).gasUsed;
    measured.set(
      "native deposit (first)",
      await gasOf(native.write.deposit({ account: alice.account, value: parseEther("300") })),
    );
    measured.set("native deposit", await gasOf(native.write.deposit({ account: bob.account, value: parseEther("1") })));
    for (let i = 0; i < 8; i++) await n.createValidator();
    const t = await n.now();
    await n.testClient.mine({ blocks: 1 });
    measured.set(
      "native report (1 validator)",
      await gasOf(native.write.handleReport([t, 1n, parseEther("32"), 0n], { account: n.accounts.oracle.account })),
    );
    await n.testClient.mine({ blocks: 1 });
    measured.set(
      "native report (8 validators)",
      await gasOf(
        native.write.handleReport([t + 1n, 8n, parseEther("256.1"), 0n], { account: n.accounts.oracle.account }),
      ),
    );
    await vault.write.registerOperator([1_000n], { account: operator.account });
    const net = await n.registerNetwork(receiver.account.address);
    await registry.write.optIn([net], { account: operator.account });
    measured.set(
      "native delegate (restaking deposit)",
      await gasOf(vault.write.deposit([operator.account.address, parseEther("256")], { account: alice.account })),
    );
    await n.nextEpoch();
    await n.nextEpoch();
    const capture = (await n.now()) - 1n;
    measured.set(
      "native slash (payout queued)",
      await gasOf(
        registry.write.slashWithEvidence([
          net,
          operator.account.address,
          Number(capture),
          evidence(true, parseEther("60")),
        ]),
      ),
    );
    const shortfall = await native.read.shortfall();
    measured.set(
      "native EIP-7002 partial withdrawal request",
      await gasOf(native.write.requestWithdrawal([0n, shortfall / 1_000_000_000n + 1n], { value: 7n })),
    );
    await n.testClient.setBalance({
      address: native.address,
      value: (await publicClient.getBalance({ address: native.address })) + shortfall + 1n,
    });
    measured.set("native slash settlement (1 payout)", await gasOf(native.write.settlePayouts([1n])));
  }
  {
    const r = await deployRestaking(viem);
    const { pool, wrapper, vault, publicClient } = r;
    const { alice, dave } = r.accounts;
    const gasOf = async (hash: Promise<Hash>) =>
      (await publicClient.waitForTransactionReceipt({ hash: await hash })).gasUsed;
    const strategy = await viem.deployContract("StrategyDouble");
    const factory = await viem.deployContract("DistributorFactory", [vault.address, wrapper.address]);
    const receipt = await publicClient.waitForTransactionReceipt({
      hash: await factory.write.create([strategy.address, "Bench", "BENCH"], { account: dave.account }),
    });
    const [created] = parseEventLogs({ abi: factory.abi, logs: receipt.logs, eventName: "DistributorCreated" });
    if (!created) throw new Error("no DistributorCreated");
    const distributor = await viem.getContractAt("Distributor", created.args.distributor);
    const ops = (await viem.getWalletClients()).slice(11, 16);
    for (const w of ops) {
      await r.registerOperator(w);
      await distributor.write.addOperator([w.account.address], { account: dave.account });
    }
    await pool.write.stake({ account: alice.account, value: parseEther("200") });
    await pool.write.approve([wrapper.address, maxUint256], { account: alice.account });
    await wrapper.write.wrap([parseEther("150")], { account: alice.account });
    await wrapper.write.approve([distributor.address, maxUint256], { account: alice.account });
    await distributor.write.deposit([parseEther("1"), alice.account.address], { account: alice.account });
    measured.set(
      "distributor deposit",
      await gasOf(distributor.write.deposit([parseEther("100"), alice.account.address], { account: alice.account })),
    );
    await strategy.write.setWeights([[2_000n, 2_000n, 2_000n, 2_000n, 2_000n]]);
    measured.set("distributor rebalance (1 operator)", await gasOf(distributor.write.rebalance([1n])));
    measured.set("distributor rebalance (4 operators)", await gasOf(distributor.write.rebalance([4n])));
    await r.nextEpoch();
    await r.nextEpoch();
    const shares = await distributor.read.convertToShares([parseEther("10")]);
    const hash = distributor.write.requestRedeem([shares, alice.account.address, alice.account.address], {
      account: alice.account,
    });
    const redeemReceipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    measured.set("distributor requestRedeem (1 operator)", redeemReceipt.gasUsed);
    const [req] = parseEventLogs({ abi: distributor.abi, logs: redeemReceipt.logs, eventName: "RedeemRequested" });
    await r.nextEpoch();
    await r.nextEpoch();
    measured.set(
      "distributor claim",
      await gasOf(
        distributor.write.claim([req?.args.claimEpoch ?? 0n, alice.account.address], { account: alice.account }),
      ),
    );
  }
  return measured;
}
