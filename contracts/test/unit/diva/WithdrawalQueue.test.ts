import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, parseEther, zeroAddress } from "viem";
import { deployDiva } from "../../helpers/fixture.ts";
import { signPermit } from "../../helpers/permit.ts";

const MIN = 100n * 10n ** 9n;
const MAX = parseEther("1000");

describe("WithdrawalQueue", async () => {
  const { viem } = await network.create();

  /** Alice and bob stake; alice approves the queue for everything. */
  async function setup() {
    const diva = await deployDiva(viem);
    const { pool, queue, accounts } = diva;
    await pool.write.stake({ account: accounts.alice.account, value: parseEther("1100") });
    await pool.write.stake({ account: accounts.bob.account, value: parseEther("10") });
    await pool.write.approve([queue.address, 2n ** 255n], { account: accounts.alice.account });
    return diva;
  }

  it("has ERC-721 metadata, limits and its wiring", async () => {
    const { queue, pool, wrapper } = await setup();
    assert.equal(await queue.read.name(), "Diva Withdrawal Request");
    assert.equal(await queue.read.symbol(), "wqDIV");
    assert.equal(await queue.read.MIN_WITHDRAWAL_AMOUNT(), MIN);
    assert.equal(await queue.read.MAX_WITHDRAWAL_AMOUNT(), MAX);
    assert.equal(await queue.read.stakingPool(), getAddress(pool.address));
    assert.equal(await queue.read.wrappedDivETH(), getAddress(wrapper.address));
    assert.equal(await queue.read.supportsInterface(["0x80ac58cd"]), true, "ERC-721");
    assert.equal(await queue.read.supportsInterface(["0x5b5e139f"]), true, "ERC-721 metadata");
  });

  it("requestWithdrawal locks the divETH shares and mints a receipt to the owner (caller by default)", async () => {
    const { queue, pool, accounts } = await setup();
    const { alice, bob } = accounts;
    const shares = await pool.read.getSharesByPooledEth([parseEther("2")]);
    await viem.assertions.emitWithArgs(
      queue.write.requestWithdrawal([parseEther("2"), zeroAddress], { account: alice.account }),
      queue,
      "WithdrawalRequested",
      [1n, getAddress(alice.account.address), getAddress(alice.account.address), parseEther("2"), shares],
    );
    await queue.write.requestWithdrawal([parseEther("1"), bob.account.address], { account: alice.account });
    assert.equal(await queue.read.ownerOf([1n]), getAddress(alice.account.address));
    assert.equal(await queue.read.ownerOf([2n]), getAddress(bob.account.address));
    assert.equal(await pool.read.sharesOf([queue.address]), (shares * 3n) / 2n);
    assert.equal(await queue.read.lastRequestId(), 2n);
    const [status] = await queue.read.getWithdrawalStatus([[1n]]);
    assert.ok(status);
    assert.equal(status.amountOfEther, parseEther("2"));
    assert.equal(status.amountOfShares, shares);
    assert.equal(status.isFinalized, false);
    assert.equal(status.isClaimed, false);
    assert.ok(status.timestamp > 0n);
    assert.equal(await queue.read.claimableEther([1n]), 0n);
  });

  it("enforces the minimum and maximum request sizes", async () => {
    const { queue, accounts } = await setup();
    const { alice } = accounts;
    await viem.assertions.revertWithCustomErrorWithArgs(
      queue.write.requestWithdrawal([MIN - 1n, zeroAddress], { account: alice.account }),
      queue,
      "RequestAmountTooSmall",
      [MIN - 1n, MIN],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      queue.write.requestWithdrawal([MAX + 1n, zeroAddress], { account: alice.account }),
      queue,
      "RequestAmountTooLarge",
      [MAX + 1n, MAX],
    );
    await queue.write.requestWithdrawal([MAX, zeroAddress], { account: alice.account });
    await queue.write.requestWithdrawal([MIN, zeroAddress], { account: alice.account });
  });

  it("requests with a divETH permit", async () => {
    const { queue, pool, accounts, publicClient } = await setup();
    const { bob } = accounts;
    const chainId = await publicClient.getChainId();
    const deadline = 2n ** 40n;
    const value = parseEther("1");
    const sig = await signPermit(
      bob,
      { address: pool.address, name: "Diva Staked Ether", version: "1", chainId },
      { owner: bob.account.address, spender: queue.address, value, nonce: 0n, deadline },
    );
    await queue.write.requestWithdrawalWithPermit([value, zeroAddress, { value, deadline, ...sig }], {
      account: bob.account,
    });
    assert.equal(await queue.read.ownerOf([1n]), getAddress(bob.account.address));
    // Without allowance or a valid permit the transfer fails with divETH's error.
    await viem.assertions.revertWithCustomError(
      queue.write.requestWithdrawalWithPermit([value, zeroAddress, { value, deadline, ...sig }], {
        account: bob.account,
      }),
      pool,
      "InsufficientAllowance",
    );
  });

  it("requests with wdivETH, directly and with a permit", async () => {
    const diva = await setup();
    const { queue, pool, wrapper, accounts, publicClient } = diva;
    const { alice } = accounts;
    await diva.depositValidator();
    await diva.report(1n, parseEther("32.1"));
    await pool.write.approve([wrapper.address, parseEther("10")], { account: alice.account });
    await wrapper.write.wrap([parseEther("10")], { account: alice.account });
    await wrapper.write.approve([queue.address, parseEther("1")], { account: alice.account });
    const value = await pool.read.getPooledEthByShares([parseEther("1")]);
    await viem.assertions.emitWithArgs(
      queue.write.requestWithdrawalWdivETH([parseEther("1"), zeroAddress], { account: alice.account }),
      queue,
      "WithdrawalRequested",
      [1n, getAddress(alice.account.address), getAddress(alice.account.address), value, parseEther("1")],
    );
    const chainId = await publicClient.getChainId();
    const deadline = 2n ** 40n;
    const sig = await signPermit(
      alice,
      { address: wrapper.address, name: "Wrapped Diva Staked Ether", version: "1", chainId },
      { owner: alice.account.address, spender: queue.address, value: parseEther("2"), nonce: 0n, deadline },
    );
    await queue.write.requestWithdrawalWdivETHWithPermit(
      [parseEther("2"), zeroAddress, { value: parseEther("2"), deadline, ...sig }],
      { account: alice.account },
    );
    assert.equal(await pool.read.sharesOf([queue.address]), parseEther("3"));
    assert.equal(await wrapper.read.totalSupply(), await pool.read.sharesOf([wrapper.address]));
    await wrapper.write.approve([queue.address, 1n], { account: alice.account });
    const tiny = await pool.read.getPooledEthByShares([1n]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      queue.write.requestWithdrawalWdivETH([1n, zeroAddress], { account: alice.account }),
      queue,
      "RequestAmountTooSmall",
      [tiny, MIN],
    );
  });

  it("finalizes strictly first in first out, stopping at the first request the ether cannot cover", async () => {
    const diva = await setup();
    const { queue, pool, accounts } = diva;
    const { alice } = accounts;
    // Deposit validators until ~22 ETH stay buffered (before the requests: withdrawal demand is never reserved for
    // validators): request 2 (50 ETH) blocks request 3.
    for (let i = 0; i < 34; i++) await diva.depositValidator();
    for (const amount of ["1", "50", "1"]) {
      await queue.write.requestWithdrawal([parseEther(amount), zeroAddress], { account: alice.account });
    }
    await diva.report(34n, parseEther(String(32 * 34)));
    const buffered = await pool.read.unreservedBufferedEther();
    assert.ok(buffered > parseEther("1") && buffered < parseEther("51"));
    assert.equal(await queue.read.unfinalizedEther(), parseEther("52"));
    await pool.write.finalizeWithdrawals([10n]);
    assert.equal(await queue.read.lastFinalizedRequestId(), 1n);
    assert.equal(await queue.read.unfinalizedEther(), parseEther("51"));
    assert.equal(await queue.read.claimableEther([3n]), 0n);
    assert.equal(await queue.read.lockedEther(), parseEther("1"));
    // maxRequests bounds a batch.
    await pool.write.stake({ account: alice.account, value: parseEther("100") });
    await pool.write.finalizeWithdrawals([1n]);
    assert.equal(await queue.read.lastFinalizedRequestId(), 2n);
    await pool.write.finalizeWithdrawals([0n]);
    assert.equal(await queue.read.lastFinalizedRequestId(), 2n);
    await pool.write.finalizeWithdrawals([5n]);
    assert.equal(await queue.read.lastFinalizedRequestId(), 3n);
    assert.equal(await queue.read.unfinalizedEther(), 0n);
  });

  it("only the staking pool can finalize or send ether", async () => {
    const { queue, accounts } = await setup();
    const { alice } = accounts;
    await viem.assertions.revertWithCustomErrorWithArgs(
      queue.write.finalize([1n, 1n, 1n, 1n, 1n], { account: alice.account }),
      queue,
      "NotStakingPool",
      [getAddress(alice.account.address)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      alice.sendTransaction({ to: queue.address, value: 1n }),
      queue,
      "NotStakingPool",
      [getAddress(alice.account.address)],
    );
  });

  describe("claims", () => {
    async function finalizedSetup() {
      const diva = await setup();
      const { queue, pool, accounts } = diva;
      const { alice } = accounts;
      for (let i = 0; i < 3; i++) {
        await queue.write.requestWithdrawal([parseEther("1"), zeroAddress], { account: alice.account });
      }
      await queue.write.requestWithdrawal([parseEther("1"), zeroAddress], { account: alice.account });
      await diva.report(0n, 0n);
      await pool.write.finalizeWithdrawals([3n]);
      return diva;
    }

    it("claimWithdrawal pays the owner, burns the receipt and emits WithdrawalClaimed", async () => {
      const { queue, accounts, publicClient } = await finalizedSetup();
      const { alice } = accounts;
      const amount = await queue.read.claimableEther([1n]);
      assert.equal(amount, parseEther("1"));
      await viem.assertions.emitWithArgs(
        queue.write.claimWithdrawal([1n], { account: alice.account }),
        queue,
        "WithdrawalClaimed",
        [1n, getAddress(alice.account.address), getAddress(alice.account.address), amount],
      );
      assert.equal(await queue.read.balanceOf([alice.account.address]), 3n);
      assert.equal(await queue.read.lockedEther(), parseEther("2"));
      assert.equal(await publicClient.getBalance({ address: queue.address }), parseEther("2"));
      const [status] = await queue.read.getWithdrawalStatus([[1n]]);
      assert.ok(status);
      assert.equal(status.isClaimed, true);
      assert.equal(status.owner, zeroAddress);
      await viem.assertions.revertWithCustomErrorWithArgs(
        queue.write.claimWithdrawal([1n], { account: alice.account }),
        queue,
        "InvalidRequestId",
        [1n],
      );
    });

    it("a transferred receipt is claimed by its new owner only", async () => {
      const { queue, accounts, publicClient } = await finalizedSetup();
      const { alice, bob, carol } = accounts;
      await queue.write.transferFrom([alice.account.address, bob.account.address, 2n], { account: alice.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        queue.write.claimWithdrawal([2n], { account: alice.account }),
        queue,
        "NotRequestOwner",
        [2n, getAddress(alice.account.address), getAddress(bob.account.address)],
      );
      const before = await publicClient.getBalance({ address: carol.account.address });
      await queue.write.claimWithdrawalTo([2n, carol.account.address], { account: bob.account });
      assert.equal(await publicClient.getBalance({ address: carol.account.address }), before + parseEther("1"));
    });

    it("keeps ERC-721 approvals, balances and owners exact across transfers and claims", async () => {
      const { queue, accounts } = await finalizedSetup();
      const { alice, bob, carol } = accounts;
      const [a, b, c] = [alice, bob, carol].map((w) => getAddress(w.account.address));
      assert.ok(a && b && c);
      // A token approval lets its holder move the receipt once; the transfer clears it.
      await queue.write.approve([c, 1n], { account: alice.account });
      assert.equal(await queue.read.getApproved([1n]), c);
      await viem.assertions.emitWithArgs(
        queue.write.transferFrom([a, b, 1n], { account: carol.account }),
        queue,
        "Transfer",
        [a, b, 1n],
      );
      assert.equal(await queue.read.getApproved([1n]), zeroAddress);
      await viem.assertions.revertWithCustomErrorWithArgs(
        queue.write.transferFrom([b, c, 1n], { account: carol.account }),
        queue,
        "ERC721InsufficientApproval",
        [c, 1n],
      );
      // Only the owner or its operator approves; an operator moves any of the owner's receipts.
      await viem.assertions.revertWithCustomErrorWithArgs(
        queue.write.approve([c, 1n], { account: alice.account }),
        queue,
        "ERC721InvalidApprover",
        [a],
      );
      await queue.write.setApprovalForAll([c, true], { account: bob.account });
      assert.equal(await queue.read.isApprovedForAll([b, c]), true);
      await viem.assertions.revertWithCustomErrorWithArgs(
        queue.write.transferFrom([a, c, 1n], { account: carol.account }),
        queue,
        "ERC721IncorrectOwner",
        [a, 1n, b],
      );
      await queue.write.safeTransferFrom([b, c, 1n], { account: carol.account });
      assert.equal(await queue.read.ownerOf([1n]), c);
      assert.deepEqual(
        await Promise.all([a, b, c].map((who) => queue.read.balanceOf([who]))),
        [3n, 0n, 1n],
        "receipt counts follow the transfers",
      );
      // A contract without onERC721Received cannot receive a receipt by safeTransferFrom; the zero address never.
      const rejecter = await viem.deployContract("EtherRejecter");
      await viem.assertions.revertWithCustomErrorWithArgs(
        queue.write.safeTransferFrom([a, rejecter.address, 2n], { account: alice.account }),
        queue,
        "ERC721InvalidReceiver",
        [getAddress(rejecter.address)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        queue.write.transferFrom([a, zeroAddress, 2n], { account: alice.account }),
        queue,
        "ERC721InvalidReceiver",
        [zeroAddress],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        queue.read.balanceOf([zeroAddress]),
        queue,
        "ERC721InvalidOwner",
        [zeroAddress],
      );
      // Carol, a holder only by transfer, claims; the burnt receipt has no owner, approval or URI any more.
      await queue.write.claimWithdrawal([1n], { account: carol.account });
      assert.equal(await queue.read.balanceOf([c]), 0n);
      for (const read of [queue.read.ownerOf, queue.read.getApproved, queue.read.tokenURI]) {
        await viem.assertions.revertWithCustomErrorWithArgs(read([1n]), queue, "ERC721NonexistentToken", [1n]);
      }
      assert.equal(await queue.read.tokenURI([2n]), "");
      assert.equal(await queue.read.supportsInterface(["0x01ffc9a7"]), true, "ERC-165");
      assert.equal(await queue.read.supportsInterface(["0xffffffff"]), false);
    });

    it("batch claim pays the sum in one transfer", async () => {
      const { queue, accounts } = await finalizedSetup();
      const { alice } = accounts;
      await viem.assertions.balancesHaveChanged(
        queue.write.claimWithdrawals([[1n, 2n, 3n]], { account: alice.account }),
        [{ address: queue.address, amount: -parseEther("3") }],
      );
      assert.equal(await queue.read.lockedEther(), 0n);
    });

    it("rejects unfinalized requests, unknown ids, the zero receiver and receivers refusing ether", async () => {
      const { queue, accounts } = await finalizedSetup();
      const { alice } = accounts;
      await viem.assertions.revertWithCustomErrorWithArgs(
        queue.write.claimWithdrawal([4n], { account: alice.account }),
        queue,
        "RequestNotFinalized",
        [4n, 3n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        queue.write.claimWithdrawal([0n], { account: alice.account }),
        queue,
        "InvalidRequestId",
        [0n],
      );
      await viem.assertions.revertWithCustomError(
        queue.write.claimWithdrawalTo([1n, zeroAddress], { account: alice.account }),
        queue,
        "ZeroAddress",
      );
      const rejecter = await viem.deployContract("EtherRejecter");
      await viem.assertions.revertWithCustomErrorWithArgs(
        queue.write.claimWithdrawalTo([1n, rejecter.address], { account: alice.account }),
        queue,
        "EtherTransferFailed",
        [getAddress(rejecter.address), parseEther("1")],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        queue.read.getWithdrawalStatus([[5n]]),
        queue,
        "InvalidRequestId",
        [5n],
      );
    });
  });

  it("rejects zero addresses at construction", async () => {
    const { queue, pool } = await setup();
    await viem.assertions.revertWithCustomError(
      viem.deployContract("WithdrawalQueue", [zeroAddress, pool.address]),
      queue,
      "ZeroAddress",
    );
    await viem.assertions.revertWithCustomError(
      viem.deployContract("WithdrawalQueue", [pool.address, zeroAddress]),
      queue,
      "ZeroAddress",
    );
  });
});
