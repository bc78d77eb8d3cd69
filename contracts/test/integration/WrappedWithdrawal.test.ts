import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { parseEther, zeroAddress } from "viem";
import { deployDiva, ONE_DAY } from "../helpers/fixture.ts";
import { signPermit } from "../helpers/permit.ts";

describe("integration: wdivETH holder and operator rewards withdraw through the queue", async () => {
  const { viem } = await network.create();

  it("wraps, earns through the rate, withdraws wdivETH with a permit; operators withdraw their reward", async () => {
    const diva = await deployDiva(viem);
    const { pool, wrapper, queue, accounts, publicClient } = diva;
    const { bob, operators } = accounts;

    await pool.write.stake({ account: bob.account, value: parseEther("64") });
    await pool.write.approve([wrapper.address, parseEther("64")], { account: bob.account });
    await wrapper.write.wrap([parseEther("64")], { account: bob.account });
    const wdiv = await wrapper.read.balanceOf([bob.account.address]);
    assert.equal(wdiv, parseEther("64"), "rate 1 before any report");
    await diva.depositValidator();
    await diva.depositValidator();

    // Ten days of rewards, reported daily: wdivETH balances stay, their divETH value grows.
    for (let day = 1n; day <= 10n; day++) {
      await diva.report(2n, parseEther("64") + day * parseEther("0.005"), 0n, ONE_DAY);
    }
    assert.equal(await wrapper.read.balanceOf([bob.account.address]), wdiv);
    const value = await wrapper.read.convertToAssets([wdiv]);
    assert.ok(value > parseEther("64.04"), `wdivETH value ${value}`);
    const operatorsDivETH = await pool.read.balanceOf([operators.account.address]);
    assert.ok(operatorsDivETH > parseEther("0.0049") && operatorsDivETH < parseEther("0.0051"));

    // Bob requests half of his wdivETH with a permit instead of an approval.
    const chainId = await publicClient.getChainId();
    const half = wdiv / 2n;
    const deadline = 2n ** 40n;
    const sig = await signPermit(
      bob,
      { address: wrapper.address, name: "Wrapped Diva Staked Ether", version: "1", chainId },
      { owner: bob.account.address, spender: queue.address, value: half, nonce: 0n, deadline },
    );
    await queue.write.requestWithdrawalWdivETHWithPermit([half, zeroAddress, { value: half, deadline, ...sig }], {
      account: bob.account,
    });
    // The operator rewards recipient withdraws its minted divETH like any holder.
    await pool.write.approve([queue.address, operatorsDivETH], { account: operators.account });
    await queue.write.requestWithdrawal([operatorsDivETH, zeroAddress], { account: operators.account });
    const [bobRequest, operatorsRequest] = await queue.read.getWithdrawalStatus([[1n, 2n]]);
    assert.ok(bobRequest && operatorsRequest);
    assert.equal(bobRequest.amountOfShares, half);

    // Validators exit: their 64.05 ETH arrive in the vault and reach the buffer at the next report.
    await accounts.carol.sendTransaction({ to: diva.vault.address, value: parseEther("64.05") });
    await diva.report(2n, 0n, parseEther("64.05"), ONE_DAY);
    await pool.write.finalizeWithdrawals([10n]);
    assert.equal(await queue.read.lastFinalizedRequestId(), 2n);
    const bobClaim = await queue.read.claimableEther([1n]);
    assert.equal(bobClaim, bobRequest.amountOfEther, "rate unchanged since the request: paid the value at request");

    await viem.assertions.balancesHaveChanged(queue.write.claimWithdrawals([[1n]], { account: bob.account }), [
      { address: queue.address, amount: -bobClaim },
    ]);
    await queue.write.claimWithdrawal([2n], { account: operators.account });
    assert.equal(await queue.read.lockedEther(), 0n);
    assert.equal(await queue.read.balanceOf([bob.account.address]), 0n);
    // Bob's remaining wdivETH is still fully backed.
    assert.equal(await pool.read.sharesOf([wrapper.address]), await wrapper.read.totalSupply());
  });
});
