import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, parseEther } from "viem";
import { deployDiva } from "../../helpers/fixture.ts";
import { signPermit } from "../../helpers/permit.ts";

describe("WrappedDivETH (ERC-4626)", async () => {
  const { viem } = await network.create();

  /** Alice holds divETH at a share rate above 1 and approves the wrapper for everything. */
  async function setup() {
    const diva = await deployDiva(viem);
    const { pool, wrapper, accounts } = diva;
    await pool.write.stake({ account: accounts.alice.account, value: parseEther("40") });
    await diva.depositValidator();
    await diva.report(1n, parseEther("32.03"));
    await pool.write.approve([wrapper.address, 2n ** 255n], { account: accounts.alice.account });
    return diva;
  }

  it("has metadata, divETH as asset and the pool's share rate as price", async () => {
    const { pool, wrapper } = await setup();
    assert.equal(await wrapper.read.name(), "Wrapped Diva Staked Ether");
    assert.equal(await wrapper.read.symbol(), "wdivETH");
    assert.equal(await wrapper.read.decimals(), 18);
    assert.equal(await wrapper.read.asset(), getAddress(pool.address));
    assert.equal(await wrapper.read.divETHPerToken(), await pool.read.getPooledEthByShares([parseEther("1")]));
    assert.equal(await wrapper.read.tokensPerDivETH(), await pool.read.getSharesByPooledEth([parseEther("1")]));
    assert.ok((await wrapper.read.divETHPerToken()) > parseEther("1"));
    assert.equal(await wrapper.read.convertToAssets([parseEther("1")]), await wrapper.read.divETHPerToken());
  });

  it("wrap mints one wdivETH per divETH share and pulls exactly those shares", async () => {
    const { pool, wrapper, accounts } = await setup();
    const { alice } = accounts;
    const amount = parseEther("3");
    const shares = await pool.read.getSharesByPooledEth([amount]);
    assert.equal(await wrapper.read.previewDeposit([amount]), shares);
    await viem.assertions.emitWithArgs(wrapper.write.wrap([amount], { account: alice.account }), wrapper, "Deposit", [
      getAddress(alice.account.address),
      getAddress(alice.account.address),
      amount,
      shares,
    ]);
    assert.equal(await wrapper.read.balanceOf([alice.account.address]), shares);
    assert.equal(await pool.read.sharesOf([wrapper.address]), shares);
    assert.equal(await wrapper.read.totalAssets(), await pool.read.getPooledEthByShares([shares]));
  });

  it("unwrap sends back exactly the shares burnt", async () => {
    const { pool, wrapper, accounts } = await setup();
    const { alice } = accounts;
    await wrapper.write.wrap([parseEther("3")], { account: alice.account });
    const before = await pool.read.sharesOf([alice.account.address]);
    const { result } = await wrapper.simulate.unwrap([1000n], { account: alice.account.address });
    assert.equal(result, await pool.read.getPooledEthByShares([1000n]));
    await wrapper.write.unwrap([1000n], { account: alice.account });
    assert.equal(await pool.read.sharesOf([alice.account.address]), before + 1000n);
  });

  it("mint and withdraw round against the caller", async () => {
    const { pool, wrapper, accounts } = await setup();
    const { alice, bob } = accounts;
    const total = await pool.read.getTotalPooledEther();
    const totalShares = await pool.read.getTotalShares();
    const shares = 1_000_000_001n;
    const assetsUp = (shares * total + totalShares - 1n) / totalShares;
    assert.equal(await wrapper.read.previewMint([shares]), assetsUp);
    await wrapper.write.mint([shares, bob.account.address], { account: alice.account });
    assert.equal(await wrapper.read.balanceOf([bob.account.address]), shares);

    const assets = 500_000_000n;
    const sharesUp = (assets * totalShares + total - 1n) / total;
    assert.equal(await wrapper.read.previewWithdraw([assets]), sharesUp);
    const before = await pool.read.balanceOf([alice.account.address]);
    await wrapper.write.withdraw([assets, alice.account.address, bob.account.address], { account: bob.account });
    assert.equal(await wrapper.read.balanceOf([bob.account.address]), shares - sharesUp);
    assert.ok((await pool.read.balanceOf([alice.account.address])) - before >= assets - 1n);
  });

  it("redeem on behalf of an owner spends the wdivETH allowance", async () => {
    const { wrapper, accounts } = await setup();
    const { alice, bob } = accounts;
    await wrapper.write.wrap([parseEther("1")], { account: alice.account });
    await viem.assertions.revertWithCustomErrorWithArgs(
      wrapper.write.redeem([10n, bob.account.address, alice.account.address], { account: bob.account }),
      wrapper,
      "ERC20InsufficientAllowance",
      [getAddress(bob.account.address), 0n, 10n],
    );
    await wrapper.write.approve([bob.account.address, 10n], { account: alice.account });
    await wrapper.write.redeem([10n, bob.account.address, alice.account.address], { account: bob.account });
    assert.equal(await wrapper.read.allowance([alice.account.address, bob.account.address]), 0n);
  });

  it("donated divETH does not move the price", async () => {
    const { pool, wrapper, accounts } = await setup();
    const { alice } = accounts;
    const price = await wrapper.read.convertToAssets([parseEther("1")]);
    await pool.write.transfer([wrapper.address, parseEther("5")], { account: alice.account });
    assert.equal(await wrapper.read.convertToAssets([parseEther("1")]), price);
  });

  it("rejects zero amounts and withdrawals beyond the balance", async () => {
    const { wrapper, accounts } = await setup();
    const { alice } = accounts;
    await viem.assertions.revertWithCustomError(
      wrapper.write.wrap([0n], { account: alice.account }),
      wrapper,
      "ZeroAmount",
    );
    await viem.assertions.revertWithCustomError(
      wrapper.write.unwrap([0n], { account: alice.account }),
      wrapper,
      "ZeroAmount",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      wrapper.write.unwrap([1n], { account: alice.account }),
      wrapper,
      "ERC4626ExceededMaxRedeem",
      [getAddress(alice.account.address), 1n, 0n],
    );
  });

  it("supports EIP-2612 permits", async () => {
    const { wrapper, accounts, publicClient } = await setup();
    const { alice, bob } = accounts;
    const chainId = await publicClient.getChainId();
    const deadline = 2n ** 40n;
    const sig = await signPermit(
      alice,
      { address: wrapper.address, name: "Wrapped Diva Staked Ether", version: "1", chainId },
      { owner: alice.account.address, spender: bob.account.address, value: 9n, nonce: 0n, deadline },
    );
    await wrapper.write.permit([alice.account.address, bob.account.address, 9n, deadline, sig.v, sig.r, sig.s]);
    assert.equal(await wrapper.read.allowance([alice.account.address, bob.account.address]), 9n);
    assert.equal(await wrapper.read.nonces([alice.account.address]), 1n);
  });
});
