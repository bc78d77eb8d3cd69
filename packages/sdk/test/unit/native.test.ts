import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseEther } from "viem";
import {
  createDistributor,
  depositDistributor,
  depositNative,
  getDistributorInfo,
  getNativePosition,
  InsufficientBalanceError,
  NativeNotDeployedError,
  registerRestakingOperator,
  stake,
  UnknownRestakingOperatorError,
  withdrawDistributor,
  withdrawNative,
  wrap,
} from "../../src/index.ts";
import { startNetwork } from "../helpers/network.ts";

let net: Awaited<ReturnType<typeof startNetwork>>;
before(async () => {
  net = await startNetwork({ native: true });
});
after(() => net.close());

describe("native restaking actions", () => {
  it("deposits, delegates and withdraws native stake; bad input refused before any transaction", async () => {
    const { contracts } = net.manifest;
    const { nativeVault, nativeRestakingVault } = contracts;
    assert.ok(nativeVault && nativeRestakingVault, "deployNektar deploys native restaking when asked");
    const restaker = net.client(4);
    const operator = net.client(5);
    const op = operator.account.address;
    const nonce = await restaker.getTransactionCount({ address: restaker.account.address });
    await assert.rejects(
      depositNative(restaker, { contracts, amount: parseEther("1"), operator: op }),
      UnknownRestakingOperatorError,
    );
    await assert.rejects(
      depositNative(restaker, { contracts, amount: parseEther("10000000") }),
      InsufficientBalanceError,
    );
    await assert.rejects(
      depositNative(restaker, { contracts: { nativeRestakingVault }, amount: 1n }),
      NativeNotDeployedError,
    );
    await assert.rejects(withdrawNative(restaker, { contracts, shares: 1n }), InsufficientBalanceError);
    assert.equal(await restaker.getTransactionCount({ address: restaker.account.address }), nonce);

    const kept = await depositNative(restaker, { contracts, amount: parseEther("2") });
    assert.equal(kept.shares, parseEther("2"));
    assert.equal(kept.activationEpoch, undefined);
    await registerRestakingOperator(operator, {
      contracts: { restakingVault: nativeRestakingVault },
      commissionBps: 1_000n,
    });
    const delegated = await depositNative(restaker, { contracts, amount: parseEther("3"), operator: op });
    assert.equal(delegated.shares, parseEther("3"));
    assert.ok(delegated.activationEpoch !== undefined && delegated.activationEpoch > 0n);

    const position = await getNativePosition(restaker, {
      contracts,
      account: restaker.account.address,
      operators: [op],
    });
    assert.equal(position.shares, parseEther("2"));
    assert.equal(position.ether, parseEther("2"));
    assert.equal(position.delegations[0]?.pending, parseEther("3"));
    assert.equal(position.vault.totalPooledEther, parseEther("5"));

    const w = await withdrawNative(restaker, { contracts, shares: "all" });
    assert.equal(w.amount, parseEther("2"));
    assert.equal(w.payoutId, 0n);
    const after = await getNativePosition(restaker, { contracts, account: restaker.account.address });
    assert.equal(after.shares, 0n);
    assert.equal(after.vault.owedEther, parseEther("2"));
    await assert.rejects(withdrawNative(restaker, { contracts, shares: 1n, operator: op }), InsufficientBalanceError);
  });

  it("creates a Distributor, deposits wdivETH and redeems from idle assets", async () => {
    const { contracts } = net.manifest;
    const curator = net.client(6);
    const holder = net.client(7);
    const operator = net.client(8);
    await registerRestakingOperator(operator, { contracts, commissionBps: 500n });
    const { distributor } = await createDistributor(curator, {
      contracts,
      name: "Test Distributor",
      symbol: "tDIST",
      operators: [operator.account.address],
    });
    await stake(holder, { contracts, amount: parseEther("5") });
    await wrap(holder, { contracts, amount: parseEther("4") });
    await assert.rejects(
      depositDistributor(holder, { contracts, distributor, amount: parseEther("400") }),
      InsufficientBalanceError,
    );
    const { shares } = await depositDistributor(holder, { contracts, distributor, amount: parseEther("1") });
    assert.ok(shares > 0n);
    const info = await getDistributorInfo(holder, { distributor, account: holder.account.address });
    assert.equal(info.curator, curator.account.address);
    assert.equal(info.strategy, contracts.signalStrategy);
    assert.equal(info.totalAssets, parseEther("1"));
    assert.deepEqual(info.operators, [{ operator: operator.account.address, delegated: 0n }]);
    assert.equal(info.holder?.shares, shares);
    const out = await withdrawDistributor(holder, { distributor, shares: "all" });
    assert.equal(out.paidNow, parseEther("1"));
    assert.equal(out.claimEpoch, undefined);
    await assert.rejects(withdrawDistributor(holder, { distributor, shares: 1n }), InsufficientBalanceError);
  });
});
