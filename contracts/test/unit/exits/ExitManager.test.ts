import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { type Address, concat, getAddress, type Hex, parseEther, parseEventLogs, zeroAddress } from "viem";
import { deployOperatorRegistry, type OperatorSystem, Status, VOLUNTARY_EXIT_WINDOW } from "../operators/fixture.ts";

// The harness (registry + a test entry that records strikes, to eject operators) exceeds the code size limit.
const { viem } = await network.create({ override: { allowUnlimitedContractSize: true } });
const publicClient = await viem.getPublicClient();
const testClient = await viem.getTestClient();

const WITHDRAWAL_REQUEST_PREDEPLOY: Address = "0x00000961Ef480Eb55e80D19ad83579A64c007002";
const Reason = { None: 0, WithdrawalDemand: 1, LostBond: 2 } as const;
const FEE = 7n;

/** Installs the EIP-7002 double at the predeploy address with `fee`, accepting requests; returns it. */
async function installWithdrawalRequestContract(fee = FEE) {
  const template = await viem.deployContract("WithdrawalRequestPredeployDouble");
  const code = await publicClient.getCode({ address: template.address });
  if (!code) throw new Error("no code");
  await testClient.setCode({ address: WITHDRAWAL_REQUEST_PREDEPLOY, bytecode: code });
  const predeploy = await viem.getContractAt("WithdrawalRequestPredeployDouble", WITHDRAWAL_REQUEST_PREDEPLOY);
  await predeploy.write.setFee([fee]);
  await predeploy.write.setRefuse([false]);
  return predeploy;
}

/**
 * Three deposited validators (ids 1..3) on the real registry with 18 operators, a fourth request left `Requested`
 * (id 4), and the EIP-7002 double installed.
 */
async function withValidators() {
  const s = await deployOperatorRegistry(viem, { harness: true });
  await s.addFleet(Array(18).fill(parseEther("5")));
  await s.fundBuffer(parseEther("128"));
  const pubkeys: Hex[] = [];
  const clusters: number[][] = [];
  for (let i = 0; i < 3; i++) {
    const req = await s.requestValidator();
    const { result } = await s.completeRequest(req.requestId, req.operatorIds);
    await s.completeDeposit(result.groupPubkey);
    pubkeys.push(result.groupPubkey);
    clusters.push(req.operatorIds);
  }
  const pending = await s.requestValidator();
  const predeploy = await installWithdrawalRequestContract();
  return { s, pubkeys, clusters, pending, predeploy };
}

/** Alice asks to withdraw `amount` of divETH through the queue. */
async function demand(s: OperatorSystem, amount: bigint) {
  const { alice } = s.accounts;
  await s.pool.write.approve([s.queue.address, amount], { account: alice.account });
  await s.queue.write.requestWithdrawal([amount, alice.account.address], { account: alice.account });
}

/** Withdrawal demand exceeding what the buffer, vault and exits in flight cover by `excess` wei. */
async function demandBeyondCover(s: OperatorSystem, excess: bigint) {
  const [owed, available] = await s.exitManager.read.withdrawalShortfall();
  await demand(s, available - owed + excess);
}

async function advance(seconds: bigint) {
  await testClient.increaseTime({ seconds: Number(seconds) });
  await testClient.mine({ blocks: 1 });
}

function recordStatus(s: OperatorSystem, validatorId: bigint, status: number) {
  return s.oracle.write.recordValidatorStatus([s.registry.address, validatorId, status], {
    account: s.accounts.admin.account,
  });
}

describe("ExitManager: withdrawal demand trigger", () => {
  it("refuses while the buffer, the vault and exits in flight cover the demand", async () => {
    const { s } = await withValidators();
    const [owed, available] = await s.exitManager.read.withdrawalShortfall();
    assert.equal(owed, 0n);
    assert.equal(available, await s.pool.read.unreservedBufferedEther());
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.requestExitForDemand([1n]),
      s.exitManager,
      "DemandCovered",
      [owed, available],
    );
    // Ether waiting in the vault counts as cover too.
    await demandBeyondCover(s, parseEther("1"));
    await s.accounts.carol.sendTransaction({ to: s.vault.address, value: parseEther("1") });
    const [owedNow, availableNow] = await s.exitManager.read.withdrawalShortfall();
    assert.equal(owedNow, availableNow);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.requestExitForDemand([1n]),
      s.exitManager,
      "DemandCovered",
      [owedNow, availableNow],
    );
  });

  it("exits the oldest eligible validator, once, and no more than the shortfall needs", async () => {
    const { s, pubkeys } = await withValidators();
    await demandBeyondCover(s, parseEther("10"));
    assert.equal(await s.exitManager.read.nextDemandExit([10n]), 1n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.requestExitForDemand([2n]),
      s.exitManager,
      "NotNextInLine",
      [2n, 1n],
    );
    const hash = await s.exitManager.write.requestExitForDemand([1n], { account: s.accounts.bob.account });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const { timestamp } = await publicClient.getBlock({ blockNumber: receipt.blockNumber });
    const [event] = parseEventLogs({ abi: s.exitManager.abi, logs: receipt.logs, eventName: "ValidatorExitRequested" });
    assert.deepEqual(event?.args, {
      validatorId: 1n,
      pubkey: pubkeys[0],
      reason: Reason.WithdrawalDemand,
      withdrawalRequestAfter: timestamp + VOLUNTARY_EXIT_WINDOW,
    });
    assert.deepEqual(await s.exitManager.read.exitOf([1n]), {
      reason: Reason.WithdrawalDemand,
      requestedAt: timestamp,
      lastWithdrawalRequestAt: 0n,
      settled: false,
    });
    assert.equal(await s.exitManager.read.pendingExits(), 1n);
    assert.equal(await s.exitManager.read.demandCursor(), 2n);
    // A 10 ETH shortfall is covered by the 32 ETH now in flight: validator 2 stays.
    const [owed, available] = await s.exitManager.read.withdrawalShortfall();
    assert.ok(available >= owed);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.requestExitForDemand([2n]),
      s.exitManager,
      "DemandCovered",
      [owed, available],
    );
    // More demand than the exit in flight brings: the next oldest goes, and no validator twice.
    await demandBeyondCover(s, 1n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.requestExitForDemand([1n]),
      s.exitManager,
      "ExitAlreadyRequested",
      [1n, timestamp],
    );
    assert.equal(await s.exitManager.read.nextDemandExit([10n]), 2n);
    await s.exitManager.write.requestExitForDemand([2n]);
    assert.equal(await s.exitManager.read.pendingExits(), 2n);
    assert.equal(await s.exitManager.read.demandCursor(), 3n);
  });

  it("skips validators that cannot exit and refuses those that are not deposited", async () => {
    const { s, pending, clusters } = await withValidators();
    // Validator 1 is already exiting on the beacon chain (its own voluntary exit) and validator 2 was asked to exit
    // for its bond: the demand trigger passes over both.
    await recordStatus(s, 1n, Status.Exiting);
    await s.ejectByStrikes(BigInt(clusters[1]?.[3] ?? 0));
    await s.exitManager.write.requestExitForLostBond([2n, 3n]);
    // Alice withdraws everything: more than the buffer and the exit in flight cover.
    await demand(s, await s.pool.read.balanceOf([s.accounts.alice.account.address]));
    const [owed, available] = await s.exitManager.read.withdrawalShortfall();
    assert.ok(owed > available, `demand ${owed} covered by ${available}`);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.requestExitForDemand([pending.requestId]),
      s.exitManager,
      "NotExitable",
      [pending.requestId, Status.Requested],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.requestExitForDemand([99n]),
      s.registry,
      "UnknownRequest",
      [99n],
    );
    assert.equal(await s.exitManager.read.nextDemandExit([1n]), 0n, "a scan of one id sees only validator 1");
    assert.equal(await s.exitManager.read.nextDemandExit([10n]), 3n);
    await s.exitManager.write.requestExitForDemand([3n]);
    // Ids 1..3 can never become eligible again: the cursor passed them; the pending request 4 holds it there.
    assert.equal(await s.exitManager.read.demandCursor(), 4n);
    assert.equal(await s.exitManager.read.nextDemandExit([10n]), 0n);
  });
});

describe("ExitManager: lost bond trigger", () => {
  it("exits a validator one of whose 16 operators was ejected, and only then", async () => {
    const { s, clusters, pubkeys, pending } = await withValidators();
    const cluster = clusters[0] ?? [];
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.requestExitForLostBond([1n, 16n]),
      s.exitManager,
      "InvalidClusterPosition",
      [16n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.requestExitForLostBond([1n, 5n]),
      s.exitManager,
      "OperatorNotEjected",
      [1n, 5n, BigInt(cluster[5] ?? 0)],
    );
    await s.ejectByStrikes(BigInt(cluster[5] ?? 0));
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.requestExitForLostBond([pending.requestId, 0n]),
      s.exitManager,
      "NotExitable",
      [pending.requestId, Status.Requested],
    );
    const hash = await s.exitManager.write.requestExitForLostBond([1n, 5n], { account: s.accounts.carol.account });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const [event] = parseEventLogs({ abi: s.exitManager.abi, logs: receipt.logs, eventName: "ValidatorExitRequested" });
    const { requestedAt } = await s.exitManager.read.exitOf([1n]);
    assert.deepEqual(event?.args, {
      validatorId: 1n,
      pubkey: pubkeys[0],
      reason: Reason.LostBond,
      withdrawalRequestAfter: requestedAt + VOLUNTARY_EXIT_WINDOW,
    });
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.requestExitForLostBond([1n, 5n]),
      s.exitManager,
      "ExitAlreadyRequested",
      [1n, requestedAt],
    );
    assert.equal(await s.exitManager.read.pendingExits(), 1n);
  });
});

describe("ExitManager: EIP-7002 fallback through the vault", () => {
  async function withExit() {
    const w = await withValidators();
    await demandBeyondCover(w.s, 1n);
    await w.s.exitManager.write.requestExitForDemand([1n]);
    return w;
  }

  it("waits the voluntary exit window, pays the reported fee, refunds the excess and sends pubkey ‖ amount 0", async () => {
    const { s, pubkeys, predeploy } = await withExit();
    const { bob } = s.accounts;
    const { requestedAt } = await s.exitManager.read.exitOf([1n]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.sendWithdrawalRequest([1n], { account: bob.account, value: FEE }),
      s.exitManager,
      "WithdrawalRequestTooEarly",
      [1n, requestedAt + VOLUNTARY_EXIT_WINDOW],
    );
    await advance(VOLUNTARY_EXIT_WINDOW);
    const vaultBefore = await publicClient.getBalance({ address: s.vault.address });
    const bobBefore = await publicClient.getBalance({ address: bob.account.address });
    const hash = await s.exitManager.write.sendWithdrawalRequest([1n], {
      account: bob.account,
      value: parseEther("1"),
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const bobAfter = await publicClient.getBalance({ address: bob.account.address });
    assert.equal(bobBefore - bobAfter, receipt.gasUsed * receipt.effectiveGasPrice + FEE, "bob pays the fee only");
    assert.equal(await publicClient.getBalance({ address: s.vault.address }), vaultBefore, "the vault pays nothing");
    assert.equal(await publicClient.getBalance({ address: WITHDRAWAL_REQUEST_PREDEPLOY }), FEE);
    const request = receipt.logs.find((l) => getAddress(l.address) === WITHDRAWAL_REQUEST_PREDEPLOY);
    const pubkey = pubkeys[0] as Hex;
    assert.equal(request?.data, concat([s.vault.address.toLowerCase() as Hex, pubkey, "0x0000000000000000"]));
    const [sent] = parseEventLogs({ abi: s.exitManager.abi, logs: receipt.logs, eventName: "WithdrawalRequestSent" });
    assert.deepEqual(sent?.args, { validatorId: 1n, caller: getAddress(bob.account.address), fee: FEE });
    const [vaultEvent] = parseEventLogs({ abi: s.vault.abi, logs: receipt.logs, eventName: "FullWithdrawalRequested" });
    assert.deepEqual(vaultEvent?.args, { pubkey, fee: FEE });

    // No second request inside the window; after it (the beacon chain ignored the first) one more is allowed.
    const { timestamp } = await publicClient.getBlock({ blockNumber: receipt.blockNumber });
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.sendWithdrawalRequest([1n], { value: FEE }),
      s.exitManager,
      "WithdrawalRequestTooEarly",
      [1n, timestamp + VOLUNTARY_EXIT_WINDOW],
    );
    await advance(VOLUNTARY_EXIT_WINDOW);
    await s.exitManager.write.sendWithdrawalRequest([1n], { value: FEE });
    assert.equal(await predeploy.read.requests(), 2n);
    // Once the beacon chain shows the validator exiting, no request is sent any more.
    await recordStatus(s, 1n, Status.Exiting);
    await advance(VOLUNTARY_EXIT_WINDOW);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.sendWithdrawalRequest([1n], { value: FEE }),
      s.exitManager,
      "AlreadyExiting",
      [1n, Status.Exiting],
    );
  });

  it("refuses an underpaid fee, a missing or refusing EIP-7002 contract and validators never asked to exit", async () => {
    const { s, predeploy } = await withExit();
    await advance(VOLUNTARY_EXIT_WINDOW);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.sendWithdrawalRequest([2n], { value: FEE }),
      s.exitManager,
      "ExitNotRequested",
      [2n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.sendWithdrawalRequest([1n], { value: FEE - 1n }),
      s.vault,
      "InsufficientWithdrawalRequestFee",
      [FEE - 1n, FEE],
    );
    await predeploy.write.setRefuse([true]);
    await viem.assertions.revertWithCustomError(
      s.exitManager.write.sendWithdrawalRequest([1n], { value: FEE }),
      s.vault,
      "WithdrawalRequestFailed",
    );
    await testClient.setCode({ address: WITHDRAWAL_REQUEST_PREDEPLOY, bytecode: "0x" });
    await viem.assertions.revertWithCustomError(
      s.vault.read.withdrawalRequestFee(),
      s.vault,
      "WithdrawalRequestFeeUnavailable",
    );
    await viem.assertions.revertWithCustomError(
      s.exitManager.write.sendWithdrawalRequest([1n], { value: FEE }),
      s.vault,
      "WithdrawalRequestFeeUnavailable",
    );
    await installWithdrawalRequestContract(FEE);
    assert.equal(await s.vault.read.withdrawalRequestFee(), FEE);
    // A caller that cannot take the refund cannot make the vault keep it.
    const rejecter = await viem.deployContract("EtherRejecter");
    await testClient.impersonateAccount({ address: rejecter.address });
    await testClient.setBalance({ address: rejecter.address, value: parseEther("1") });
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.sendWithdrawalRequest([1n], { value: FEE + 1n, account: rejecter.address }),
      s.vault,
      "RefundFailed",
      [getAddress(rejecter.address), 1n],
    );
    await testClient.stopImpersonatingAccount({ address: rejecter.address });
  });

  it("lets only the exit manager send requests through the vault, for 48-byte keys", async () => {
    const { s, pubkeys } = await withValidators();
    const { carol } = s.accounts;
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.vault.write.requestFullWithdrawal([pubkeys[0] as Hex, carol.account.address], {
        account: carol.account,
        value: FEE,
      }),
      s.vault,
      "NotExitManager",
      [getAddress(carol.account.address)],
    );
    const manager = s.exitManager.address;
    await testClient.impersonateAccount({ address: manager });
    await testClient.setBalance({ address: manager, value: parseEther("1") });
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.vault.write.requestFullWithdrawal(["0x1234", carol.account.address], { account: manager, value: FEE }),
      s.vault,
      "InvalidPubkeyLength",
      [2n],
    );
    await testClient.stopImpersonatingAccount({ address: manager });
  });
});

describe("ExitManager: settlement and accounting when the beacon chain pays out", () => {
  it("counts the exit as inflow until proven withdrawn; the paid-out ether reaches the queue", async () => {
    const { s } = await withValidators();
    const { alice } = s.accounts;
    await demandBeyondCover(s, parseEther("5"));
    const requestId = await s.queue.read.lastRequestId();
    await s.exitManager.write.requestExitForDemand([1n]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.settleExit([1n]),
      s.exitManager,
      "NotWithdrawn",
      [1n, Status.Deposited],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.settleExit([2n]),
      s.exitManager,
      "ExitNotRequested",
      [2n],
    );
    // The buffer cannot finalize the request yet.
    await s.oracle.write.submitReport([
      { beaconValidators: 3n, beaconBalance: parseEther("96"), withdrawalVaultBalance: 0n, refTimestamp: await now() },
    ]);
    await s.pool.write.finalizeWithdrawals([10n]);
    assert.equal(await s.queue.read.lastFinalizedRequestId(), requestId - 1n);

    // The beacon chain exits the validator and sweeps its 32 ETH to the vault.
    await recordStatus(s, 1n, Status.Exited);
    await recordStatus(s, 1n, Status.Withdrawn);
    await testClient.setBalance({ address: s.vault.address, value: parseEther("32") });
    await viem.assertions.emitWithArgs(s.exitManager.write.settleExit([1n]), s.exitManager, "ExitSettled", [1n, 0n]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.settleExit([1n]),
      s.exitManager,
      "ExitAlreadySettled",
      [1n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.exitManager.write.sendWithdrawalRequest([1n], { value: FEE }),
      s.exitManager,
      "ExitAlreadySettled",
      [1n],
    );
    // The vault's ether now covers the demand: no further exit.
    const [owed, available] = await s.exitManager.read.withdrawalShortfall();
    assert.ok(available > owed);
    // The oracle applies the payout (two validators left on the beacon chain) and the queue finalizes.
    await advance(60n);
    await s.oracle.write.submitReport([
      {
        beaconValidators: 3n,
        beaconBalance: parseEther("64"),
        withdrawalVaultBalance: parseEther("32"),
        refTimestamp: await now(),
      },
    ]);
    assert.equal(await publicClient.getBalance({ address: s.vault.address }), 0n);
    await s.pool.write.finalizeWithdrawals([10n]);
    assert.equal(await s.queue.read.lastFinalizedRequestId(), requestId);
    const before = await publicClient.getBalance({ address: alice.account.address });
    const claimable = await s.queue.read.claimableEther([requestId]);
    assert.ok(claimable > 0n);
    const hash = await s.queue.write.claimWithdrawal([requestId], { account: alice.account });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(
      (await publicClient.getBalance({ address: alice.account.address })) - before,
      claimable - receipt.gasUsed * receipt.effectiveGasPrice,
    );
  });
});

describe("ExitManager and WithdrawalVault: construction", () => {
  it("refuses a zero pool, a zero or too long window, and a vault bound to another pool's manager", async () => {
    const { s } = await withValidators();
    await viem.assertions.revertWithCustomError(
      viem.deployContract("ExitManager", [zeroAddress, 1n]),
      s.exitManager,
      "ZeroStakingPool",
    );
    for (const window of [0n, 30n * 86_400n + 1n]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        viem.deployContract("ExitManager", [s.pool.address, window]),
        s.exitManager,
        "InvalidVoluntaryExitWindow",
        [window, 30n * 86_400n],
      );
    }
    const other = await viem.deployContract("ExitManager", [s.accounts.carol.account.address, 1n]);
    for (const manager of [other.address, s.accounts.carol.account.address]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        viem.deployContract("WithdrawalVault", [s.pool.address, manager]),
        s.vault,
        "ExitManagerNotBoundToPool",
        [getAddress(manager)],
      );
    }
    assert.equal(await s.vault.read.exitManager(), getAddress(s.exitManager.address));
    assert.equal(await s.exitManager.read.stakingPool(), getAddress(s.pool.address));
    assert.equal(await s.exitManager.read.voluntaryExitWindow(), VOLUNTARY_EXIT_WINDOW);
  });

  it("refuses triggers before the pool is wired", async () => {
    const dc = await viem.deployContract("DepositContract");
    const pool = await viem.deployContract("StakingPool", [dc.address, dc.address], { value: parseEther("0.001") });
    const manager = await viem.deployContract("ExitManager", [pool.address, 1n]);
    await viem.assertions.revertWithCustomError(manager.write.requestExitForDemand([1n]), manager, "NotWired");
    await viem.assertions.revertWithCustomError(manager.read.withdrawalShortfall(), manager, "NotWired");
  });
});

async function now() {
  return (await publicClient.getBlock()).timestamp;
}
