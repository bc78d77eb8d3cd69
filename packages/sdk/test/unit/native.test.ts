import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { keccak256, parseEther, toHex } from "viem";
import {
  addDistributorOperator,
  bondOperator,
  ContractRevertedError,
  collectDistributorRebalance,
  createDistributor,
  depositDistributor,
  depositNative,
  getDistributorInfo,
  getNativePosition,
  getOperatorIdByOwner,
  InsufficientBalanceError,
  NativeNotDeployedError,
  rebalanceDistributor,
  registerOperator,
  registerRestakingOperator,
  setOperatorPaused,
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
  it("the curator adds operators; anyone rebalances towards the strategy's weights, bounded per call", async () => {
    const { contracts } = net.manifest;
    const curator = net.client(9);
    const stranger = net.client(12);
    const holder = net.client(13);
    const [a, b] = [net.client(10), net.client(11)];
    for (const [i, op] of [a, b].entries()) {
      const { operatorId } = await registerOperator(op, {
        contracts,
        signer: op.account.address,
        nodeIdentity: keccak256(toHex(`distributor-operator-${i}`)),
        metadataURI: "",
      });
      await bondOperator(op, { contracts, operatorId, amount: parseEther("1") });
      await registerRestakingOperator(op, { contracts, commissionBps: 500n });
    }
    const { distributor } = await createDistributor(curator, {
      contracts,
      name: "Rebalanced",
      symbol: "rDIST",
      operators: [a.account.address],
    });
    const reverted = (name: string) => (e: unknown) => e instanceof ContractRevertedError && e.errorName === name;
    await assert.rejects(
      addDistributorOperator(stranger, { distributor, operator: b.account.address }),
      reverted("NotCurator"),
    );
    await assert.rejects(
      addDistributorOperator(curator, { distributor, operator: stranger.account.address }),
      reverted("InvalidOperator"),
    );
    await addDistributorOperator(curator, { distributor, operator: b.account.address });
    await assert.rejects(
      addDistributorOperator(curator, { distributor, operator: b.account.address }),
      reverted("InvalidOperator"),
    );

    await stake(holder, { contracts, amount: parseEther("3") });
    await wrap(holder, { contracts, amount: parseEther("2") });
    await depositDistributor(holder, { contracts, distributor, amount: parseEther("2") });
    await assert.rejects(rebalanceDistributor(stranger, { distributor, maxOperators: 0n }), RangeError);

    // Two equal Diva bonds: 5,000 bps each, capped at the reference strategy's 2,500 (the rest stays idle).
    const first = await rebalanceDistributor(stranger, { distributor, maxOperators: 1n });
    assert.equal(first.touched, 1n);
    assert.deepEqual(first.moves, [
      { operator: a.account.address, delegated: parseEther("0.5"), undelegated: 0n, claimEpoch: 0n },
    ]);
    const second = await rebalanceDistributor(stranger, { distributor });
    assert.equal(second.touched, 2n);
    assert.deepEqual(second.moves, [
      { operator: b.account.address, delegated: parseEther("0.5"), undelegated: 0n, claimEpoch: 0n },
    ]);
    const info = await getDistributorInfo(stranger, { distributor });
    assert.deepEqual(
      info.operators.map((o) => o.delegated),
      [parseEther("0.5"), parseEther("0.5")],
    );
    assert.equal(info.totalAssets, parseEther("2"));

    await assert.rejects(collectDistributorRebalance(stranger, { distributor, claimEpoch: 0n }), RangeError);

    // Once the delegations are active (deposits activate at a later epoch boundary), B pauses its Diva operator:
    // its score drops to zero and a rebalance moves its stake out through the queue.
    await net.increaseTime(2 * 3_600);
    const bId = await getOperatorIdByOwner(b, { contracts, owner: b.account.address });
    await setOperatorPaused(b, { contracts, operatorId: bId, paused: true });
    const out = await rebalanceDistributor(stranger, { distributor });
    assert.equal(out.moves.length, 1);
    const [move] = out.moves;
    assert.equal(move?.operator, b.account.address);
    assert.equal(move?.undelegated, parseEther("0.5"));
    const claimEpoch = move?.claimEpoch ?? 0n;
    assert.ok(claimEpoch > 0n);
    const inFlight = await getDistributorInfo(stranger, { distributor });
    assert.equal(inFlight.rebalancingInFlight, parseEther("0.5"));
    assert.equal(inFlight.totalAssets, parseEther("2"), "stake in flight still backs the shares");
    await assert.rejects(
      collectDistributorRebalance(stranger, { distributor, claimEpoch }),
      reverted("NothingToClaim"),
    );
    await net.increaseTime(2 * 3_600 + 1);
    const collected = await collectDistributorRebalance(stranger, { distributor, claimEpoch });
    assert.equal(collected.assets, parseEther("0.5"));
    const back = await getDistributorInfo(stranger, { distributor });
    assert.equal(back.rebalancingInFlight, 0n);
    assert.equal(back.totalAssets, parseEther("2"));
    await assert.rejects(
      collectDistributorRebalance(stranger, { distributor, claimEpoch }),
      reverted("NothingToClaim"),
    );
  });
});
