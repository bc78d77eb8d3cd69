import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, maxUint256, parseEther, parseEventLogs, zeroAddress } from "viem";
import { deployRestaking, evidence } from "../../helpers/restaking.ts";

describe("Distributor", async () => {
  const { viem } = await network.create();

  async function setup() {
    const r = await deployRestaking(viem);
    const { pool, wrapper, vault } = r;
    const { alice, bob, opA, opB, dave } = r.accounts;
    const strategy = await viem.deployContract("StrategyDouble");
    const factory = await viem.deployContract("DistributorFactory", [vault.address, wrapper.address]);
    const hash = await factory.write.create([strategy.address, "Nektar Distributor", "nDIST"], {
      account: dave.account,
    });
    const receipt = await r.publicClient.waitForTransactionReceipt({ hash });
    const [created] = parseEventLogs({ abi: factory.abi, logs: receipt.logs, eventName: "DistributorCreated" });
    if (!created) throw new Error("no DistributorCreated");
    const distributor = await viem.getContractAt("Distributor", created.args.distributor);
    await r.registerOperator(opA);
    await r.registerOperator(opB);
    await distributor.write.addOperator([opA.account.address], { account: dave.account });
    await distributor.write.addOperator([opB.account.address], { account: dave.account });
    // Alice and Bob hold wdivETH.
    for (const w of [alice, bob]) {
      await pool.write.stake({ account: w.account, value: parseEther("100") });
      await pool.write.approve([wrapper.address, maxUint256], { account: w.account });
      await wrapper.write.wrap([parseEther("50")], { account: w.account });
      await wrapper.write.approve([distributor.address, maxUint256], { account: w.account });
    }
    return { ...r, strategy, factory, distributor };
  }

  it("is listed by the factory with its curator and strategy; only the curator adds valid operators", async () => {
    const d = await setup();
    const { distributor, factory, strategy } = d;
    const { dave, alice, opA, middleware } = d.accounts;
    assert.equal(await factory.read.distributorCount(), 1n);
    assert.deepEqual(await factory.read.distributors([0n, 10n]), [distributor.address]);
    assert.deepEqual(await factory.read.distributors([5n, 10n]), []);
    assert.equal(await distributor.read.curator(), getAddress(dave.account.address));
    assert.equal(await distributor.read.strategy(), getAddress(strategy.address));
    await assert.rejects(factory.write.create([zeroAddress, "x", "x"]), /ZeroStrategy/);
    await assert.rejects(
      distributor.write.addOperator([opA.account.address], { account: alice.account }),
      /NotCurator/,
    );
    await assert.rejects(
      distributor.write.addOperator([opA.account.address], { account: dave.account }),
      /InvalidOperator/,
    );
    await assert.rejects(
      distributor.write.addOperator([middleware.account.address], { account: dave.account }),
      /InvalidOperator/,
    );
    await assert.rejects(distributor.write.addOperator([zeroAddress], { account: dave.account }), /InvalidOperator/);
  });

  it("makes first-depositor inflation unprofitable and rounds against the depositor", async () => {
    const d = await setup();
    const { distributor, wrapper } = d;
    const { alice, bob } = d.accounts;
    // The attacker deposits 1 wei, then donates 10 wdivETH to inflate the price.
    await distributor.write.deposit([1n, alice.account.address], { account: alice.account });
    await wrapper.write.transfer([distributor.address, parseEther("10")], { account: alice.account });
    await distributor.write.deposit([parseEther("1"), bob.account.address], { account: bob.account });
    const bobShares = await distributor.read.balanceOf([bob.account.address]);
    assert.ok(bobShares > 0n, "the victim gets shares");
    const bobAssets = await distributor.read.convertToAssets([bobShares]);
    // The victim loses at most a 10⁻⁵ sliver; the attacker loses about half of its donation.
    assert.ok(parseEther("1") - bobAssets < parseEther("0.00001"), `victim kept ${bobAssets}`);
    const aliceAssets = await distributor.read.convertToAssets([
      await distributor.read.balanceOf([alice.account.address]),
    ]);
    // The attack is a loss: the attacker gets back about half of what it donated (the virtual shares keep the rest).
    assert.ok(aliceAssets < parseEther("5.01"), `attacker recovers ${aliceAssets}`);
    // No free shares: previewDeposit(1 wei) then redeem never returns more than paid.
    for (const amount of [1n, 7n, 12_345n, parseEther("0.3")]) {
      const shares = await distributor.read.previewDeposit([amount]);
      assert.ok((await distributor.read.convertToAssets([shares])) <= amount);
      const needed = await distributor.read.previewMint([shares === 0n ? 1n : shares]);
      assert.ok(needed >= (await distributor.read.convertToAssets([shares === 0n ? 1n : shares])));
    }
  });

  it("rebalances to the strategy's weights, bounded per call, and refuses bad weights", async () => {
    const d = await setup();
    const { distributor, strategy, vault } = d;
    const { alice, opA } = d.accounts;
    await distributor.write.deposit([parseEther("10"), alice.account.address], { account: alice.account });
    await strategy.write.setWeights([[6_000n, 3_000n]]);
    // One operator per call: the cursor rotates.
    await distributor.write.rebalance([1n]);
    assert.deepEqual(await distributor.read.delegations(), [parseEther("6"), 0n]);
    await distributor.write.rebalance([1n]);
    assert.deepEqual(await distributor.read.delegations(), [parseEther("6"), parseEther("3")]);
    assert.equal(await distributor.read.totalAssets(), parseEther("10"));
    const [, pending] = await vault.read.positionOf([distributor.address, opA.account.address]);
    assert.equal(pending, parseEther("6"));
    await strategy.write.setWeights([[6_000n]]);
    await assert.rejects(distributor.write.rebalance([2n]), /InvalidWeights/);
    await strategy.write.setWeights([[6_000n, 5_000n]]);
    await assert.rejects(distributor.write.rebalance([2n]), /InvalidWeights/);
    await strategy.write.setWeights([[10_001n, 0n]]);
    await assert.rejects(distributor.write.rebalance([2n]), /InvalidWeights/);
    await strategy.write.setFailure([true, false]);
    await assert.rejects(distributor.write.rebalance([2n]), /StrategyFailed/);
    await strategy.write.setFailure([false, true]);
    await assert.rejects(distributor.write.rebalance([2n]), /StrategyFailed/);
    // Moving weight away undelegates into the restaking queue; in flight still counts.
    await strategy.write.setFailure([false, false]);
    await strategy.write.setWeights([[0n, 9_000n]]);
    await d.nextEpoch();
    await d.nextEpoch();
    await distributor.write.rebalance([2n]);
    assert.equal(await distributor.read.rebalancingInFlight(), parseEther("6"));
    assert.equal(await distributor.read.totalAssets(), parseEther("10"));
  });

  it("withdrawals follow the restaking queue, bear slashes, and work while the strategy reverts", async () => {
    const d = await setup();
    const { distributor, strategy, registry, pool } = d;
    const { alice, bob, opA } = d.accounts;
    await distributor.write.deposit([parseEther("10"), alice.account.address], { account: alice.account });
    await distributor.write.deposit([parseEther("10"), bob.account.address], { account: bob.account });
    await strategy.write.setWeights([[5_000n, 5_000n]]);
    await distributor.write.rebalance([2n]);
    const net = await d.registerNetwork();
    await registry.write.optIn([net], { account: opA.account });
    await d.nextEpoch();
    await d.nextEpoch();
    // The strategy breaks: withdrawals never ask it.
    await strategy.write.setFailure([true, false]);
    assert.equal(await distributor.read.maxWithdraw([alice.account.address]), 0n);
    const shares = await distributor.read.balanceOf([alice.account.address]);
    await assert.rejects(
      distributor.write.requestRedeem([0n, alice.account.address, alice.account.address]),
      /ZeroAmount/,
    );
    await assert.rejects(
      distributor.write.requestRedeem([shares, alice.account.address, alice.account.address], { account: bob.account }),
      /ERC20InsufficientAllowance/,
    );
    await assert.rejects(
      distributor.write.requestRedeem([shares, zeroAddress, alice.account.address], { account: alice.account }),
      /ZeroAddress/,
    );
    const hash = await distributor.write.requestRedeem([shares, alice.account.address, alice.account.address], {
      account: alice.account,
    });
    const receipt = await d.publicClient.waitForTransactionReceipt({ hash });
    const [req] = parseEventLogs({ abi: distributor.abi, logs: receipt.logs, eventName: "RedeemRequested" });
    const claimEpoch = req?.args.claimEpoch ?? 0n;
    assert.ok(claimEpoch > 0n);
    assert.ok(parseEther("10") - (req?.args.assets ?? 0n) <= 1n);
    await assert.rejects(
      distributor.write.claim([claimEpoch, alice.account.address], { account: alice.account }),
      /NothingToClaim/,
    );
    // Alice's 10 left opA (the cursor's first operator), whose only other stake is nothing: a slash of 2 while she
    // waits in the queue is hers alone.
    const capture = (await d.now()) - 1n;
    await registry.write.slashWithEvidence([
      net,
      opA.account.address,
      Number(capture),
      evidence(true, parseEther("2")),
    ]);
    await d.nextEpoch();
    await d.nextEpoch();
    const before = await pool.read.sharesOf([alice.account.address]);
    await distributor.write.claim([claimEpoch, alice.account.address], { account: alice.account });
    const got = (await pool.read.sharesOf([alice.account.address])) - before;
    assert.equal(got, parseEther("8"));
    await assert.rejects(
      distributor.write.claim([claimEpoch, alice.account.address], { account: alice.account }),
      /NothingToClaim/,
    );
    // Bob, who stayed, kept his share of what remains.
    const bobAssets = await distributor.read.convertToAssets([await distributor.read.balanceOf([bob.account.address])]);
    assert.ok(bobAssets <= parseEther("10") && parseEther("10") - bobAssets < 10n, `bob holds ${bobAssets}`);
    // Idle assets pay synchronously.
    await distributor.write.deposit([parseEther("1"), alice.account.address], { account: alice.account });
    const max = await distributor.read.maxWithdraw([alice.account.address]);
    assert.ok(max > 0n && max <= parseEther("1"));
    await distributor.write.withdraw([max, alice.account.address, alice.account.address], { account: alice.account });
  });
});
