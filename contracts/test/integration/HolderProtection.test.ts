import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { parseEther } from "viem";
import { DEPOSIT_SIZE, deployDiva } from "../helpers/fixture.ts";

/**
 * Holders are protected from late losses (issue 19, scope 3): a leaver cannot escape a loss the beacon chain already
 * shows by requesting a withdrawal before a report accounts for it, and ether owed to withdrawals is not re-reserved
 * for new validators.
 */
describe("integration: holders are protected from late losses", async () => {
  const { viem } = await network.create();

  it("a staker who sees a slashing and requests a withdrawal shares the loss with the holders who stay", async () => {
    const diva = await deployDiva(viem);
    const { pool, queue, accounts, publicClient, testClient } = diva;
    const { alice, bob } = accounts;
    await pool.write.stake({ account: alice.account, value: parseEther("32") });
    await pool.write.stake({ account: bob.account, value: parseEther("32") });
    await diva.depositValidator();
    await diva.report(1n, DEPOSIT_SIZE);

    // The oracle reads the beacon state at a reference slot; the report lands later.
    await testClient.increaseTime({ seconds: 12 * 32 });
    await testClient.mine({ blocks: 1 });
    const refTimestamp = (await publicClient.getBlock()).timestamp;
    // After that slot the validator is slashed (1 ETH gone); alice sees it on the beacon chain and leaves at once.
    await testClient.increaseTime({ seconds: 12 });
    const aliceShares = await pool.read.sharesOf([alice.account.address]);
    const aliceBalance = await pool.read.balanceOf([alice.account.address]);
    await pool.write.approve([queue.address, aliceBalance], { account: alice.account });
    await queue.write.requestWithdrawal([aliceBalance, alice.account.address], { account: alice.account });

    // The report for the pre-slashing slot arrives, and anyone finalizes right after it.
    await diva.report(1n, DEPOSIT_SIZE, 0n, 60n, refTimestamp);
    await pool.write.finalizeWithdrawals([10n]);
    const finalizedByStaleReport = await queue.read.lastFinalizedRequestId();

    // The next report covers the slashing; alice's request must be paid at the post-slashing rate.
    await diva.report(1n, DEPOSIT_SIZE - parseEther("1"));
    await pool.write.finalizeWithdrawals([10n]);
    assert.equal(await queue.read.lastFinalizedRequestId(), 1n);
    const paid = await queue.read.claimableEther([1n]);
    const fairValue = await pool.read.getPooledEthByShares([aliceShares]);
    assert.ok(paid <= fairValue, `alice is paid ${paid}, her shares are worth ${fairValue} after the slashing`);
    assert.ok(paid < aliceBalance - parseEther("0.4"), "alice bears her half of the 1 ETH loss");
    // Bob, who stayed, lost no more per share than alice did.
    const bobShares = await pool.read.sharesOf([bob.account.address]);
    const bobValue = await pool.read.balanceOf([bob.account.address]);
    assert.ok(bobValue * aliceShares >= paid * bobShares, "the holder who stays is not left with the leaver's loss");
    // How: the report for the pre-slashing slot could not finalize a request made after that slot.
    assert.equal(finalizedByStaleReport, 0n, "a request after the reference slot waits for a report covering it");
  });

  it("a validator request cannot re-reserve ether pulled in to pay a withdrawal", async () => {
    const diva = await deployDiva(viem);
    const { pool, queue, registry, vault, accounts } = diva;
    const { alice, bob, carol } = accounts;
    await pool.write.stake({ account: alice.account, value: parseEther("32") });
    await diva.depositValidator();
    await diva.report(1n, DEPOSIT_SIZE);
    // Alice leaves: her validator exits and its 32 ETH reach the vault; a report pulls them into the buffer.
    await pool.write.approve([queue.address, parseEther("30")], { account: alice.account });
    await queue.write.requestWithdrawal([parseEther("30"), alice.account.address], { account: alice.account });
    await carol.sendTransaction({ to: vault.address, value: DEPOSIT_SIZE });
    await diva.report(1n, 0n, DEPOSIT_SIZE);
    assert.ok((await pool.read.unreservedBufferedEther()) >= DEPOSIT_SIZE);
    const depositable = (await pool.read.unreservedBufferedEther()) - (await queue.read.unfinalizedEther());

    // A validator request before the finalization must not take the ether owed to alice.
    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.reserve(),
      pool,
      "InsufficientUnreservedBuffer",
      [depositable, DEPOSIT_SIZE],
    );
    assert.equal(await pool.read.depositableEther(), depositable);
    await pool.write.finalizeWithdrawals([10n]);
    assert.equal(await queue.read.lastFinalizedRequestId(), 1n, "alice's withdrawal is served");
    await queue.write.claimWithdrawal([1n], { account: alice.account });

    // New stake beyond the withdrawal demand is depositable again.
    await pool.write.stake({ account: bob.account, value: DEPOSIT_SIZE });
    await registry.write.reserve();
    assert.equal(await pool.read.reservedEther(), DEPOSIT_SIZE);
  });
});
