import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { encodeFunctionData, getAddress, parseEther, zeroAddress } from "viem";
import { deployRestaking } from "../../helpers/restaking.ts";

describe("RestakingVault: rewards on-chain, commission, pull claims", async () => {
  const { viem } = await network.create();

  /** Operator A (10% commission) with 10 own shares and alice's 30, both active, opted in to a network. */
  async function setup() {
    const r = await deployRestaking(viem);
    const { opA, opB, alice, middleware } = r.accounts;
    await r.registerOperator(opA, 1_000n);
    await r.registerOperator(opB, 0n);
    await r.fund(opA);
    await r.fund(alice);
    const net = await r.registerNetwork();
    await r.registry.write.optIn([net], { account: opA.account });
    await r.registry.write.optIn([net], { account: opB.account });
    await r.vault.write.deposit([opA.account.address, parseEther("10")], { account: opA.account });
    await r.vault.write.deposit([opB.account.address, parseEther("10")], { account: alice.account });
    await r.depositActive(alice, opA.account.address, parseEther("30"));
    await r.nextEpoch(); // the previous epoch had the stake active throughout
    await r.token.write.mint([middleware.account.address, parseEther("1000")]);
    await r.token.write.approve([r.vault.address, parseEther("1000")], { account: middleware.account });
    const epoch = (await r.vault.read.currentEpoch()) - 1n;
    return { r, net, epoch, opA: opA.account.address, opB: opB.account.address };
  }

  it("splits an ERC-20 reward: commission to the operator, the rest pro-rata to active stake, claimed once", async () => {
    const { r, net, epoch, opA } = await setup();
    const { middleware, alice, opA: opAWallet } = r.accounts;
    await viem.assertions.emitWithArgs(
      r.vault.write.distributeRewards([net, r.token.address, epoch, [opA], [parseEther("100")]], {
        account: middleware.account,
      }),
      r.vault,
      "RewardsDistributed",
      [net, getAddress(opA), getAddress(r.token.address), epoch, parseEther("100"), parseEther("10")],
    );
    assert.equal(await r.vault.read.operatorRewardsOf([opA, r.token.address]), parseEther("10"));
    assert.equal(await r.vault.read.rewardsOf([alice.account.address, opA, r.token.address]), parseEther("67.5"));
    assert.equal(await r.vault.read.rewardsOf([opA, opA, r.token.address]), parseEther("22.5"));
    await viem.assertions.emit(
      r.vault.write.claimRewards([opA, r.token.address, alice.account.address], { account: alice.account }),
      r.vault,
      "RewardsClaimed",
    );
    assert.equal(await r.token.read.balanceOf([alice.account.address]), parseEther("67.5"));
    await viem.assertions.revertWithCustomError(
      r.vault.write.claimRewards([opA, r.token.address, alice.account.address], { account: alice.account }),
      r.vault,
      "ZeroAmount",
    );
    await r.vault.write.claimOperatorRewards([r.token.address, opA], { account: opAWallet.account });
    await viem.assertions.revertWithCustomError(
      r.vault.write.claimOperatorRewards([r.token.address, opA], { account: opAWallet.account }),
      r.vault,
      "ZeroAmount",
    );
    await viem.assertions.revertWithCustomError(
      r.vault.write.claimOperatorRewards([r.token.address, zeroAddress], { account: opAWallet.account }),
      r.vault,
      "ZeroRecipient",
    );
    assert.deepEqual(await r.vault.read.rewardTokensOf([opA]), [getAddress(r.token.address)]);
  });

  it("weights by the stake the network saw, pays ether and divETH (in shares)", async () => {
    const { r, net, epoch, opA, opB } = await setup();
    const { middleware, alice } = r.accounts;
    await r.vault.write.distributeRewardsByStake([net, zeroAddress, epoch, [opA, opB], parseEther("5")], {
      account: middleware.account,
      value: parseEther("5"),
    });
    // opB's 10 shares were deposited in the same epoch as alice's 30 with opA: both active at the epoch's end.
    assert.equal(await r.vault.read.operatorRewardsOf([opA, zeroAddress]), parseEther("0.4"));
    assert.equal(await r.vault.read.rewardsOf([alice.account.address, opB, zeroAddress]), parseEther("1"));
    const before = await r.publicClient.getBalance({ address: r.accounts.dave.account.address });
    await r.vault.write.claimRewards([opB, zeroAddress, r.accounts.dave.account.address], { account: alice.account });
    assert.equal(
      (await r.publicClient.getBalance({ address: r.accounts.dave.account.address })) - before,
      parseEther("1"),
    );

    await r.fund(middleware);
    await r.vault.write.distributeRewards([net, r.pool.address, epoch, [opB], [parseEther("2")]], {
      account: middleware.account,
    });
    const shares = await r.pool.read.sharesOf([alice.account.address]);
    await r.vault.write.claimRewards([opB, r.pool.address, alice.account.address], { account: alice.account });
    assert.equal((await r.pool.read.sharesOf([alice.account.address])) - shares, parseEther("2"));
    assert.equal(await r.pool.read.sharesOf([r.vault.address]), await r.vault.read.totalStakeShares());
  });

  it("rejects calls by others than the middleware, unregistered tokens, unfinished epochs and bad amounts", async () => {
    const { r, net, epoch, opA, opB } = await setup();
    const { middleware, alice, dave } = r.accounts;
    const call = (
      args: Parameters<typeof r.vault.write.distributeRewards>[0],
      account = middleware.account,
      value = 0n,
    ) => r.vault.write.distributeRewards(args, { account, value });
    await viem.assertions.revertWithCustomErrorWithArgs(
      call([net, r.token.address, epoch, [opA], [1n]], alice.account),
      r.vault,
      "NotNetworkMiddleware",
      [net, getAddress(alice.account.address)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      call([net, dave.account.address, epoch, [opA], [1n]]),
      r.vault,
      "RewardTokenNotRegistered",
      [net, getAddress(dave.account.address)],
    );
    const current = await r.vault.read.currentEpoch();
    await viem.assertions.revertWithCustomErrorWithArgs(
      call([net, r.token.address, current, [opA], [1n]]),
      r.vault,
      "EpochNotFinished",
      [current, current],
    );
    await viem.assertions.revertWithCustomError(
      call([net, r.token.address, epoch, [opA], []]),
      r.vault,
      "LengthMismatch",
    );
    await viem.assertions.revertWithCustomError(
      call([net, zeroAddress, epoch, [opA], [5n]], middleware.account, 4n),
      r.vault,
      "WrongEtherAmount",
    );
    await viem.assertions.revertWithCustomError(
      call([net, r.token.address, epoch, [opA], [5n]], middleware.account, 1n),
      r.vault,
      "WrongEtherAmount",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      call([net, r.token.address, 0n, [opA], [1n]]),
      r.vault,
      "OperatorNotStaked",
      [net, getAddress(opA), 0n],
    );
    await viem.assertions.revertWithCustomError(
      r.vault.write.distributeRewardsByStake([net, r.token.address, epoch, [opA, opB], 0n], {
        account: middleware.account,
      }),
      r.vault,
      "ZeroAmount",
    );
    await viem.assertions.revertWithCustomError(
      r.vault.write.distributeRewardsByStake([net, r.token.address, epoch, [], 1n], { account: middleware.account }),
      r.vault,
      "LengthMismatch",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.vault.write.claimRewards([dave.account.address, r.token.address, alice.account.address], {
        account: alice.account,
      }),
      r.vault,
      "UnknownOperator",
      [getAddress(dave.account.address)],
    );
    await viem.assertions.revertWithCustomError(
      r.vault.write.claimRewards([opA, r.token.address, zeroAddress], { account: alice.account }),
      r.vault,
      "ZeroRecipient",
    );
    // A fee-on-transfer token would leave the vault short: refused.
    await r.token.write.setFee([100n]);
    await viem.assertions.revertWithCustomError(
      call([net, r.token.address, epoch, [opA], [1000n]]),
      r.vault,
      "WrongTokenAmount",
    );
  });

  it("a reentrant reward token cannot re-enter the vault while it pays", async () => {
    const { r, net, opA } = await setup();
    const { middleware, alice, opA: opAWallet } = r.accounts;
    // A second network whose middleware is the token contract itself: a zero ether distribution by it would succeed
    // on its own, so only the reentrancy guard can make the nested call fail.
    await r.registry.write.registerNetwork([
      {
        middleware: r.token.address,
        slasher: r.verifier.address,
        slashReceiver: zeroAddress,
        kind: 0,
        vetoWindow: 0,
        maxStakePerOperator: parseEther("1000"),
        maxTotalStake: parseEther("1000"),
        rewardTokens: [zeroAddress],
        metadataURI: "",
      },
    ]);
    const tokenNet = await r.registry.read.networkCount();
    await r.registry.write.optIn([tokenNet], { account: opAWallet.account });
    await r.nextEpoch();
    const epoch = (await r.vault.read.currentEpoch()) - 1n;
    await r.vault.write.distributeRewards([net, r.token.address, epoch, [opA], [parseEther("100")]], {
      account: middleware.account,
    });
    const reentry = encodeFunctionData({
      abi: r.vault.abi,
      functionName: "distributeRewards",
      args: [tokenNet, zeroAddress, epoch, [opA], [0n]],
    });
    // Outside a payout the token's call goes through: the guard, not the call, is what fails inside one.
    await r.testClient.impersonateAccount({ address: r.token.address });
    await r.testClient.setBalance({ address: r.token.address, value: parseEther("1") });
    await r.vault.write.distributeRewards([tokenNet, zeroAddress, epoch, [opA], [0n]], { account: r.token.address });
    await r.token.write.setReentry([r.vault.address, reentry]);
    await r.vault.write.claimRewards([opA, r.token.address, alice.account.address], { account: alice.account });
    assert.equal(await r.token.read.balanceOf([alice.account.address]), parseEther("67.5"));
  });

  it("an operator with more than 8 reward tokens refuses a ninth", async () => {
    const r = await deployRestaking(viem);
    const { opA, alice, middleware } = r.accounts;
    await r.registerOperator(opA, 1_000n);
    await r.fund(alice);
    const tokens = [];
    for (let i = 0; i < 9; i++) tokens.push(await viem.deployContract("RewardTokenDouble"));
    const nets = [];
    for (let i = 0; i < 3; i++) {
      nets.push(await r.registerNetwork({ rewardTokens: tokens.slice(4 * i, 4 * i + 4).map((t) => t.address) }));
      await r.registry.write.optIn([nets[i] as bigint], { account: opA.account });
    }
    await r.depositActive(alice, opA.account.address, parseEther("1"));
    await r.nextEpoch();
    const epoch = (await r.vault.read.currentEpoch()) - 1n;
    for (const [i, t] of tokens.entries()) {
      await t.write.mint([middleware.account.address, 10n ** 18n]);
      await t.write.approve([r.vault.address, 10n ** 18n], { account: middleware.account });
      const write = r.vault.write.distributeRewards(
        [nets[Math.floor(i / 4)] as bigint, t.address, epoch, [opA.account.address], [10n ** 18n]],
        {
          account: middleware.account,
        },
      );
      if (i < 8) await write;
      else await viem.assertions.revertWithCustomError(write, r.vault, "TooManyRewardTokens");
    }
  });
});
