import type { NetworkConnection } from "hardhat/types/network";
import { type Hash, parseEther } from "viem";
import { makeDepositData } from "../test/helpers/depositData.ts";
import { deployDiva } from "../test/helpers/fixture.ts";
import { deployOperatorRegistry, Status } from "../test/unit/operators/fixture.ts";

/** The EIP-7002 withdrawal request contract's address. */
const WITHDRAWAL_REQUEST_PREDEPLOY = "0x00000961Ef480Eb55e80D19ad83579A64c007002";

export { parseGasSnapshot } from "./snapshot.ts";

/** Operations measured by `measureDivaGas` and listed in `snapshots/gas.txt`, with the targets (gas used). */
export const GAS_OPERATIONS = [
  { name: "first stake", target: undefined },
  { name: "repeat stake", target: 45_000n },
  { name: "transfer", target: undefined },
  { name: "wrap", target: undefined },
  { name: "unwrap", target: undefined },
  { name: "requestWithdrawal", target: 100_000n },
  { name: "requestWithdrawal (first receipt of owner)", target: undefined },
  { name: "finalize (per request, batch of 100)", target: undefined },
  { name: "claim", target: 45_000n },
  { name: "submitDkgResult (16 signatures, BLS check, 1 ETH)", target: 600_000n },
  { name: "completeDeposit (credentials proof, 31 ETH)", target: 150_000n },
  { name: "requestExitForDemand (oldest validator)", target: undefined },
  { name: "sendWithdrawalRequest (EIP-7002, fee + refund)", target: undefined },
  { name: "settleExit", target: undefined },
] as const;

export type GasOperationName = (typeof GAS_OPERATIONS)[number]["name"];

/** Requests finalized in one batch for the per-request finalization figure. */
const BATCH = 100n;

/**
 * Runs every operation of `GAS_OPERATIONS` on a fresh Diva deployment and returns the gas each used (21,000 intrinsic
 * included, refunds applied). Shared by the bench (which writes the snapshot) and the snapshot test (which compares
 * against it), so both always measure the same transactions.
 */
export async function measureDivaGas(viem: NetworkConnection["viem"]): Promise<Map<GasOperationName, bigint>> {
  const diva = await deployDiva(viem);
  const { pool, wrapper, queue, accounts, publicClient } = diva;
  const { alice, bob } = accounts;
  const gasOf = async (hash: Promise<Hash>) =>
    (await publicClient.waitForTransactionReceipt({ hash: await hash })).gasUsed;
  const measured = new Map<GasOperationName, bigint>();

  measured.set("first stake", await gasOf(pool.write.stake({ account: alice.account, value: parseEther("200") })));
  measured.set("repeat stake", await gasOf(pool.write.stake({ account: alice.account, value: parseEther("1") })));
  await pool.write.stake({ account: bob.account, value: parseEther("1") });
  measured.set(
    "transfer",
    await gasOf(pool.write.transfer([bob.account.address, parseEther("1")], { account: alice.account })),
  );

  await pool.write.approve([wrapper.address, parseEther("10")], { account: alice.account });
  await wrapper.write.wrap([parseEther("1")], { account: alice.account });
  measured.set("wrap", await gasOf(wrapper.write.wrap([parseEther("1")], { account: alice.account })));
  measured.set("unwrap", await gasOf(wrapper.write.unwrap([parseEther("0.5")], { account: alice.account })));

  await pool.write.approve([queue.address, parseEther("1000")], { account: alice.account });
  await queue.write.requestWithdrawal([parseEther("1"), alice.account.address], { account: alice.account });
  measured.set(
    "requestWithdrawal",
    await gasOf(queue.write.requestWithdrawal([parseEther("1"), alice.account.address], { account: alice.account })),
  );
  await pool.write.approve([queue.address, parseEther("1")], { account: bob.account });
  measured.set(
    "requestWithdrawal (first receipt of owner)",
    await gasOf(queue.write.requestWithdrawal([parseEther("1"), bob.account.address], { account: bob.account })),
  );
  for (let i = 3n; i < BATCH; i++) {
    await queue.write.requestWithdrawal([parseEther("1"), alice.account.address], { account: alice.account });
  }
  await diva.report(0n, 0n);
  const finalizeGas = await gasOf(pool.write.finalizeWithdrawals([BATCH]));
  if ((await queue.read.lastFinalizedRequestId()) !== BATCH) throw new Error("the batch was not fully finalized");
  measured.set("finalize (per request, batch of 100)", finalizeGas / BATCH);
  await queue.write.claimWithdrawal([1n], { account: alice.account });
  measured.set("claim", await gasOf(queue.write.claimWithdrawal([2n], { account: alice.account })));
  for (const [name, gas] of await measureDepositGuaranteeGas(viem)) measured.set(name, gas);
  return measured;
}

/**
 * The two steps of a validator deposit on the real registry: the DKG result (16 EIP-712 signatures, the on-chain BLS
 * check of the deposit signature, the 1 ETH predeposit) and the permissionless completion (a 53-hash credentials
 * proof against an EIP-4788 root, the 31 ETH top-up). Steady state: the request before was completed, as on a live
 * network, and the operators already have validators.
 */
export async function measureDepositGuaranteeGas(
  viem: NetworkConnection["viem"],
): Promise<Map<GasOperationName, bigint>> {
  const s = await deployOperatorRegistry(viem);
  // The deposit contract writes one branch slot per deposit, slot `ctz(count)`; on mainnet they are all non-zero.
  // Three earlier deposits make the measured ones (the 6th and 7th) write slots already set, as they would there.
  for (let i = 0; i < 3; i++) {
    const d = makeDepositData(9_000 + i, s.credentials, 1_000_000_000n);
    await s.depositContract.write.deposit([d.pubkey, d.withdrawalCredentials, d.signature, d.depositDataRoot], {
      value: parseEther("1"),
    });
  }
  // 3 ETH each: two validators lock 2 ETH per operator, and the buffer left is below the staker's withdrawal below.
  await s.addFleet(Array(16).fill(parseEther("3")));
  await s.fundBuffer(parseEther("64"));
  const first = await s.requestValidator();
  const { result } = await s.completeRequest(first.requestId, first.operatorIds);
  await s.completeDeposit(result.groupPubkey);
  const second = await s.requestValidator();
  const submitted = await s.completeRequest(second.requestId, second.operatorIds);
  const completed = await s.completeDeposit(submitted.result.groupPubkey);
  if (completed.status !== "success") throw new Error("completeDeposit reverted");
  return new Map<GasOperationName, bigint>([
    ["submitDkgResult (16 signatures, BLS check, 1 ETH)", submitted.receipt.gasUsed],
    ["completeDeposit (credentials proof, 31 ETH)", completed.gasUsed],
    ...(await measureExitGas(s, first.requestId)),
  ]);
}

/**
 * A validator exit on the real registry: the staker withdraws more than the buffer holds, the oldest validator is
 * asked to exit, its EIP-7002 request is sent after the voluntary exit window (the test double asks mainnet's minimum
 * fee, 1 wei; the caller overpays and is refunded) and the exit is settled once the validator is recorded withdrawn.
 */
async function measureExitGas(
  s: Awaited<ReturnType<typeof deployOperatorRegistry>>,
  validatorId: bigint,
): Promise<[GasOperationName, bigint][]> {
  const { alice, admin } = s.accounts;
  const gasOf = async (hash: Promise<Hash>) => {
    const receipt = await s.publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success") throw new Error("transaction reverted");
    return receipt.gasUsed;
  };
  const template = await s.viem.deployContract("WithdrawalRequestPredeployDouble");
  const code = await s.publicClient.getCode({ address: template.address });
  if (!code) throw new Error("no EIP-7002 double code");
  await s.testClient.setCode({ address: WITHDRAWAL_REQUEST_PREDEPLOY, bytecode: code });
  const predeploy = await s.viem.getContractAt("WithdrawalRequestPredeployDouble", WITHDRAWAL_REQUEST_PREDEPLOY);
  await predeploy.write.setFee([1n]);
  const stake = await s.pool.read.balanceOf([alice.account.address]);
  await s.pool.write.approve([s.queue.address, stake], { account: alice.account });
  await s.queue.write.requestWithdrawal([stake, alice.account.address], { account: alice.account });
  const exit = await gasOf(s.exitManager.write.requestExitForDemand([validatorId], { account: alice.account }));
  await s.testClient.increaseTime({ seconds: Number(await s.exitManager.read.voluntaryExitWindow()) });
  await s.testClient.mine({ blocks: 1 });
  const request = await gasOf(
    s.exitManager.write.sendWithdrawalRequest([validatorId], { account: alice.account, value: parseEther("0.001") }),
  );
  for (const status of [Status.Exited, Status.Withdrawn]) {
    await s.oracle.write.recordValidatorStatus([s.registry.address, validatorId, status], { account: admin.account });
  }
  const settle = await gasOf(s.exitManager.write.settleExit([validatorId], { account: alice.account }));
  return [
    ["requestExitForDemand (oldest validator)", exit],
    ["sendWithdrawalRequest (EIP-7002, fee + refund)", request],
    ["settleExit", settle],
  ];
}
