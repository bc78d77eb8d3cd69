import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { parseEther } from "viem";
import { BURN_ADDRESS, deployRestaking, evidence } from "../helpers/restaking.ts";

describe("integration: restaked divETH with the real Diva pool", async () => {
  const { viem } = await network.create();

  it("keeps rebasing while restaked, then takes a Diva penalty and a restaking slash on one account", async () => {
    const r = await deployRestaking(viem);
    const { pool, vault, registry } = r;
    const { alice, opA } = r.accounts;
    const op = opA.account.address;
    await pool.write.stake({ account: alice.account, value: parseEther("64") });
    await r.depositValidators(2);
    await r.registerOperator(opA, 500n);
    await r.fund(opA, "10");
    await pool.write.approve([vault.address, 2n ** 255n], { account: alice.account });
    const net = await r.registerNetwork();
    await registry.write.optIn([net], { account: opA.account });

    const aliceShares = await pool.read.getSharesByPooledEth([parseEther("32")]);
    await vault.write.deposit([op, parseEther("5")], { account: opA.account });
    await r.depositActive(alice, op, aliceShares);
    const [active] = await vault.read.positionOf([alice.account.address, op]);
    assert.equal(active, aliceShares);

    // A positive oracle report: the same restaked shares are worth more ether, nothing moved in the vault.
    const before = await pool.read.getPooledEthByShares([active]);
    await r.report(2n, parseEther("64.05"));
    const afterReward = await pool.read.getPooledEthByShares([active]);
    assert.ok(afterReward > before, "restaked divETH earns the staking rewards");
    assert.deepEqual(await vault.read.positionOf([alice.account.address, op]), [aliceShares, 0n, 0n]);
    assert.equal(
      await pool.read.balanceOf([vault.address]),
      await pool.read.getPooledEthByShares([await vault.read.totalStakeShares()]),
    );

    // A Diva penalty (beacon balance down 1 ETH) lowers every divETH holder's rate, restaked or not ...
    await r.report(2n, parseEther("63.05"));
    const afterPenalty = await pool.read.getPooledEthByShares([active]);
    assert.ok(afterPenalty < afterReward);
    // ... and a restaking slash of the same operator then takes shares: its own 5 first, then alice pro-rata.
    const capture = (await r.now()) - 1n;
    const slash = parseEther("10");
    await registry.write.slashWithEvidence([net, op, Number(capture), evidence(true, slash)]);
    const [aliceAfter] = await vault.read.positionOf([alice.account.address, op]);
    assert.equal(aliceAfter, aliceShares - (slash - parseEther("5")));
    assert.deepEqual(await vault.read.positionOf([op, op]), [0n, 0n, 0n]);
    // One consistent account: the vault's divETH balance is its shares at the pool's current (penalised) rate.
    const stakeShares = await vault.read.totalStakeShares();
    assert.equal(stakeShares, aliceAfter);
    assert.equal(await pool.read.sharesOf([vault.address]), stakeShares);
    assert.equal(await pool.read.balanceOf([vault.address]), await pool.read.getPooledEthByShares([stakeShares]));
    assert.ok((await pool.read.sharesOf([BURN_ADDRESS])) >= slash);

    // Withdraw everything: the shares come back and are worth the current rate.
    const claimEpoch = (await vault.read.currentEpoch()) + 2n;
    await vault.write.undelegate([op, aliceAfter], { account: alice.account });
    await r.nextEpoch();
    await r.nextEpoch();
    const held = await pool.read.sharesOf([alice.account.address]);
    await vault.write.claimWithdrawal([op, claimEpoch, alice.account.address], { account: alice.account });
    assert.equal((await pool.read.sharesOf([alice.account.address])) - held, aliceAfter);
    assert.equal(await pool.read.sharesOf([vault.address]), 0n);
  });
});
