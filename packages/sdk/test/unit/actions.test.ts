import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { keccak256, parseEther, toHex } from "viem";

import {
  assertDeployment,
  bondOperator,
  ContractNotDeployedError,
  ContractRevertedError,
  claimWithdrawal,
  finalizeWithdrawals,
  getBalances,
  getOperator,
  getOperatorIdByOwner,
  getPoolState,
  getValidator,
  getWithdrawalStatus,
  InsufficientBalanceError,
  listValidators,
  postOracleReport,
  registerOperator,
  requestValidator,
  requestWithdrawal,
  stake,
  unbondOperator,
  unwrap,
  WrongNetworkError,
  wrap,
} from "../../src/index.ts";
import { startNetwork } from "../helpers/network.ts";

let net: Awaited<ReturnType<typeof startNetwork>>;
before(async () => {
  net = await startNetwork();
});
after(() => net.close());

describe("deployment", () => {
  it("deploys every contract on the manifest's chain", async () => {
    const deployer = net.client(0);
    assert.equal(deployer.account.address.toLowerCase(), net.accounts[0]);
    assert.deepEqual(await assertDeployment(deployer, { contracts: net.contracts, chainId: 31337 }), {
      chainId: 31337,
    });
    assert.equal(net.manifest.deployer, deployer.account.address);
  });

  it("reports a wrong network", async () => {
    await assert.rejects(
      assertDeployment(net.client(0), { contracts: net.contracts, chainId: 1 }),
      (e: unknown) => e instanceof WrongNetworkError && e.type.expected === 1 && e.type.actual === 31337,
    );
  });

  it("reports an address without code", async () => {
    await assert.rejects(
      assertDeployment(net.client(0), { contracts: { ...net.contracts, stakingPool: net.accounts[5] ?? "0x" } }),
      (e: unknown) => e instanceof ContractNotDeployedError && e.type.contract === "stakingPool",
    );
  });
});

describe("staker actions", () => {
  it("stake, wrap, unwrap move balances as the contracts say", async () => {
    const alice = net.client(1);
    const { contracts } = net;
    const staked = await stake(alice, { contracts, amount: parseEther("2") });
    assert.equal(staked.amount, parseEther("2"));
    const afterStake = await getBalances(alice, { contracts, account: alice.account.address });
    assert.equal(afterStake.shares, staked.shares);
    assert.ok(afterStake.divETH >= parseEther("2") - 1n);

    const wrapped = await wrap(alice, { contracts, amount: parseEther("1") });
    const afterWrap = await getBalances(alice, { contracts, account: alice.account.address });
    assert.equal(afterWrap.wdivETH, wrapped.wdivETH);
    assert.ok(wrapped.wdivETH > 0n);

    const unwrapped = await unwrap(alice, { contracts, amount: wrapped.wdivETH });
    const afterUnwrap = await getBalances(alice, { contracts, account: alice.account.address });
    assert.equal(afterUnwrap.wdivETH, 0n);
    assert.ok(unwrapped.divETH > 0n);
  });

  it("refuses to stake more ether than the account has, before sending anything", async () => {
    const poor = net.localClient("poor staker");
    await assert.rejects(
      stake(poor, { contracts: net.contracts, amount: parseEther("1") }),
      (e: unknown) => e instanceof InsufficientBalanceError && e.type.asset === "ETH" && e.type.balance === "0",
    );
  });

  it("refuses to wrap, unwrap or withdraw more than the balance", async () => {
    const bob = net.client(2);
    const { contracts } = net;
    await assert.rejects(wrap(bob, { contracts, amount: 1n }), InsufficientBalanceError);
    await assert.rejects(unwrap(bob, { contracts, amount: 1n }), InsufficientBalanceError);
    await assert.rejects(requestWithdrawal(bob, { contracts, amount: 1n, token: "wdivETH" }), InsufficientBalanceError);
  });
});

describe("operators, validators, reports and withdrawals", () => {
  it("register, bond, unbond and read an operator", async () => {
    const owner = net.client(3);
    const { contracts } = net;
    const registered = await registerOperator(owner, {
      contracts,
      signer: owner.account.address,
      nodeIdentity: keccak256(toHex("node-3")),
      metadataURI: "https://example.org/op",
    });
    assert.equal(await getOperatorIdByOwner(owner, { contracts, owner: owner.account.address }), registered.operatorId);
    const bonded = await bondOperator(owner, { contracts, operatorId: registered.operatorId, amount: parseEther("3") });
    assert.ok(bonded.units > 0n);
    const op = await getOperator(owner, { contracts, operatorId: registered.operatorId });
    assert.equal(op.bondUnits, bonded.units);
    assert.equal(op.freeUnits, bonded.units);
    assert.equal(op.metadataURI, "https://example.org/op");
    await unbondOperator(owner, { contracts, operatorId: registered.operatorId, units: 1n });
    assert.equal(
      (await getOperator(owner, { contracts, operatorId: registered.operatorId })).bondUnits,
      bonded.units - 1n,
    );
  });

  it("decodes custom errors of reverted calls", async () => {
    const { contracts } = net;
    await assert.rejects(
      getOperator(net.client(0), { contracts, operatorId: 999n }),
      (e: unknown) => e instanceof ContractRevertedError && e.errorName === "UnknownOperator" && e.args[0] === 999n,
    );
    await assert.rejects(
      unbondOperator(net.client(4), { contracts, operatorId: 1n, units: 1n }),
      (e: unknown) => e instanceof ContractRevertedError && e.errorName === "NotOperatorOwner",
    );
    await assert.rejects(
      postOracleReport(net.client(4), {
        contracts,
        frame: 0n,
        anchorTimestamp: 1n,
        root: { hash: `0x${"00".repeat(32)}`, count: 0n, sum: 0n },
      }),
      (e: unknown) => e instanceof ContractRevertedError && e.errorName === "NotCurrentFrame",
    );
  });

  it("requests a validator from 16 bonded operators once 32 ETH are buffered", async () => {
    const { contracts } = net;
    for (let i = 4; i < 19; i++) {
      const owner = net.client(i);
      const { operatorId } = await registerOperator(owner, {
        contracts,
        signer: owner.account.address,
        nodeIdentity: keccak256(toHex(`node-${i}`)),
      });
      await bondOperator(owner, { contracts, operatorId, amount: parseEther("1.5") });
    }
    // The draw refuses to run in the block that last changed the bond weights.
    await net.increaseTime(1);
    await assert.rejects(
      requestValidator(net.client(0), { contracts }),
      (e: unknown) => e instanceof ContractRevertedError && e.errorName === "InsufficientUnreservedBuffer",
    );
    await stake(net.client(1), { contracts, amount: parseEther("40") });
    const { requestId } = await net.requestAndDrawValidator(net.client(0));
    const validator = await getValidator(net.client(0), { contracts, validatorId: requestId });
    assert.equal(validator.status, "requested");
    assert.equal(new Set(validator.operatorIds).size, 16);
    assert.equal(validator.pubkey, undefined);
    const list = await listValidators(net.client(0), { contracts });
    assert.equal(list.total, 1n);
    assert.equal(list.validators[0]?.validatorId, requestId);
    const pool = await getPoolState(net.client(0), { contracts });
    assert.equal(pool.reservedEther, parseEther("32"));
  });

  it("a report rebases divETH; a withdrawal is finalized and claimed", async () => {
    const { contracts } = net;
    const alice = net.client(1);
    const request = await requestWithdrawal(alice, { contracts, amount: parseEther("1") });
    let [status] = await getWithdrawalStatus(alice, { contracts, requestIds: [request.requestId] });
    assert.equal(status?.isFinalized, false);
    // Withdrawal demand comes first: it is not depositable for new validators.
    const pool = await getPoolState(alice, { contracts });
    assert.ok(pool.unfinalizedEther >= parseEther("1"));
    const free = pool.unreservedBufferedEther - pool.unfinalizedEther;
    assert.equal(pool.depositableEther, free > 0n ? free : 0n);
    const before = await getBalances(alice, { contracts, account: alice.account.address });
    await net.increaseTime(86_400);
    // Rewards: the withdrawal vault received 0.1 ETH (as a beacon withdrawal would).
    await net.client(0).sendTransaction({ to: contracts.withdrawalVault, value: parseEther("0.1") });
    // The next frame, finalized by proofs, starts after the request: the request becomes finalizable.
    // The reporter stakes 100 bond units (1 ETH) of its operator's free bond.
    const reporter = net.client(4);
    const reporterId = await getOperatorIdByOwner(reporter, { contracts, owner: reporter.account.address });
    await bondOperator(reporter, { contracts, operatorId: reporterId, amount: parseEther("2") });
    const applied = await net.reportNextFrame(reporter);
    assert.equal(applied.outcome, "applied");
    const afterReport = await getBalances(alice, { contracts, account: alice.account.address });
    assert.ok(afterReport.divETH > before.divETH, "divETH balance grew after the report");
    await finalizeWithdrawals(net.client(0), { contracts });
    [status] = await getWithdrawalStatus(alice, { contracts, requestIds: [request.requestId] });
    assert.equal(status?.isFinalized, true);
    assert.ok((status?.claimableEther ?? 0n) > 0n);
    const claimed = await claimWithdrawal(alice, { contracts, requestId: request.requestId });
    assert.equal(claimed.amountOfEther, status?.claimableEther);
    await assert.rejects(
      claimWithdrawal(alice, { contracts, requestId: request.requestId }),
      (e: unknown) => e instanceof ContractRevertedError,
    );
  });
});
