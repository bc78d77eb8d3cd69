import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { parseEther } from "viem";
import { BOOTSTRAP_DEPOSIT, deployDiva } from "../helpers/fixture.ts";

describe("integration: stake → deposit → report → rebase → wrap → withdraw → claim", async () => {
  const { viem } = await network.create();

  it("runs the whole flow with a penalty between request and finalization", async () => {
    const diva = await deployDiva(viem);
    const { pool, wrapper, queue, accounts, depositContract, publicClient, vault } = diva;
    const { alice, bob, carol, operators } = accounts;

    // Stake: alice through stake(), bob with a plain transfer (also a stake).
    await pool.write.stake({ account: alice.account, value: parseEther("64") });
    await bob.sendTransaction({ to: pool.address, value: parseEther("40") });
    assert.equal(await pool.read.balanceOf([alice.account.address]), parseEther("64"));
    assert.equal(await pool.read.balanceOf([bob.account.address]), parseEther("40"));
    const staked = BOOTSTRAP_DEPOSIT + parseEther("104");
    assert.equal(await pool.read.getTotalPooledEther(), staked);

    // Two validators through the registry double: 64 ETH leave the buffer, total pooled ether is unchanged.
    await diva.depositValidator();
    await diva.depositValidator();
    assert.equal(await publicClient.getBalance({ address: depositContract.address }), parseEther("64"));
    assert.equal(await pool.read.bufferedEther(), staked - parseEther("64"));
    assert.equal(await pool.read.getTotalPooledEther(), staked);

    // Rewards: validators seen with 64.05 ETH and 0.01 ETH of execution rewards in the vault.
    await carol.sendTransaction({ to: vault.address, value: parseEther("0.01") });
    const aliceShares = await pool.read.sharesOf([alice.account.address]);
    await diva.report(2n, parseEther("64.05"), parseEther("0.01"));
    const rewards = parseEther("0.06");
    const total = await pool.read.getTotalPooledEther();
    assert.equal(total, staked + rewards);
    // Operators got 10% of the rewards as shares (rounded down in favour of holders), holders the rest.
    const operatorsBalance = await pool.read.balanceOf([operators.account.address]);
    assert.ok(operatorsBalance <= rewards / 10n && rewards / 10n - operatorsBalance < 10n);
    const aliceBalance = await pool.read.balanceOf([alice.account.address]);
    assert.equal(aliceBalance, (aliceShares * total) / (await pool.read.getTotalShares()));
    assert.ok(aliceBalance > parseEther("64.03"));
    assert.equal(await publicClient.getBalance({ address: vault.address }), 0n);

    // Wrap 10 divETH, unwrap half of the wdivETH: wdivETH is one share each.
    await pool.write.approve([wrapper.address, parseEther("10")], { account: alice.account });
    await wrapper.write.wrap([parseEther("10")], { account: alice.account });
    const wdiv = await wrapper.read.balanceOf([alice.account.address]);
    assert.equal(wdiv, await pool.read.getSharesByPooledEth([parseEther("10")]));
    assert.equal(await pool.read.sharesOf([wrapper.address]), wdiv);
    await wrapper.write.unwrap([wdiv / 2n], { account: alice.account });
    assert.equal(await wrapper.read.balanceOf([alice.account.address]), wdiv - wdiv / 2n);

    // Withdrawal requests: alice with divETH, bob with divETH to carol as receipt owner.
    await pool.write.approve([queue.address, parseEther("20")], { account: alice.account });
    await queue.write.requestWithdrawal([parseEther("20"), alice.account.address], { account: alice.account });
    await pool.write.approve([queue.address, parseEther("5")], { account: bob.account });
    await queue.write.requestWithdrawal([parseEther("5"), carol.account.address], { account: bob.account });
    const [r1, r2] = await queue.read.getWithdrawalStatus([[1n, 2n]]);
    assert.ok(r1 && r2);
    assert.equal(r2.owner.toLowerCase(), carol.account.address.toLowerCase());
    assert.ok(r1.amountOfEther <= parseEther("20") && parseEther("20") - r1.amountOfEther < 3n);
    // Not finalizable before a report has seen them.
    assert.equal(await queue.read.lastFinalizedRequestId(), 0n);
    await pool.write.finalizeWithdrawals([10n]);
    assert.equal(await queue.read.lastFinalizedRequestId(), 0n);

    // Penalty: the validators lose 1 ETH. Requests are finalized at the lower rate.
    await diva.report(2n, parseEther("63.05"));
    const postTotal = await pool.read.getTotalPooledEther();
    const postShares = await pool.read.getTotalShares();
    await pool.write.finalizeWithdrawals([10n]);
    assert.equal(await queue.read.lastFinalizedRequestId(), 2n);
    const claim1 = await queue.read.claimableEther([1n]);
    const claim2 = await queue.read.claimableEther([2n]);
    assert.equal(claim1, (r1.amountOfShares * postTotal) / postShares);
    assert.equal(claim2, (r2.amountOfShares * postTotal) / postShares);
    assert.ok(claim1 < r1.amountOfEther, "the penalty applies to a request made before it");
    assert.equal(await publicClient.getBalance({ address: queue.address }), claim1 + claim2);

    // Claim: pull payments; the receipt is burnt.
    const carolBefore = await publicClient.getBalance({ address: carol.account.address });
    await queue.write.claimWithdrawalTo([1n, carol.account.address], { account: alice.account });
    assert.equal(await publicClient.getBalance({ address: carol.account.address }), carolBefore + claim1);
    await queue.write.claimWithdrawals([[2n]], { account: carol.account });
    assert.equal(await publicClient.getBalance({ address: queue.address }), 0n);
    assert.equal(await queue.read.balanceOf([carol.account.address]), 0n);

    // Ether conservation: everything staked or earned on the execution layer is in the pool, the deposit contract, or
    // was claimed.
    const poolBalance = await publicClient.getBalance({ address: pool.address });
    assert.equal(poolBalance, await pool.read.bufferedEther());
    assert.equal(poolBalance + parseEther("64"), staked + parseEther("0.01") - claim1 - claim2);
  });

  it("finalizes at the request rate when the rate rose since: nobody gains by waiting", async () => {
    const diva = await deployDiva(viem);
    const { pool, queue, accounts } = diva;
    const { alice } = accounts;
    await pool.write.stake({ account: alice.account, value: parseEther("40") });
    await diva.depositValidator();
    await pool.write.approve([queue.address, parseEther("5")], { account: alice.account });
    await queue.write.requestWithdrawal([parseEther("5"), alice.account.address], { account: alice.account });
    const [request] = await queue.read.getWithdrawalStatus([[1n]]);
    assert.ok(request);
    await diva.report(1n, parseEther("32.03"));
    await pool.write.finalizeWithdrawals([1n]);
    assert.equal(await queue.read.claimableEther([1n]), request.amountOfEther);
  });
});
