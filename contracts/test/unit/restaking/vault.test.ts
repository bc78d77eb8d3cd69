import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, parseEther, zeroAddress } from "viem";
import { signPermit } from "../../helpers/permit.ts";
import { COMMISSION_DELAY, deployRestaking, EPOCH } from "../../helpers/restaking.ts";

describe("RestakingVault: operators, deposits, the epoch withdrawal queue", async () => {
  const { viem } = await network.create();

  async function setup() {
    const r = await deployRestaking(viem);
    await r.registerOperator(r.accounts.opA, 1_000n);
    await r.fund(r.accounts.alice);
    await r.fund(r.accounts.bob);
    return r;
  }

  it("registers operators once, with a commission ≤ 100%", async () => {
    const r = await deployRestaking(viem);
    const { opA, opB } = r.accounts;
    await viem.assertions.emitWithArgs(
      r.vault.write.registerOperator([500n], { account: opA.account }),
      r.vault,
      "OperatorRegistered",
      [getAddress(opA.account.address), 500n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.vault.write.registerOperator([500n], { account: opA.account }),
      r.vault,
      "OperatorAlreadyRegistered",
      [getAddress(opA.account.address)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.vault.write.registerOperator([10_001n], { account: opB.account }),
      r.vault,
      "CommissionTooHigh",
      [10_001n],
    );
    assert.equal((await r.vault.read.getOperator([opA.account.address])).commissionBps, 500);
  });

  it("applies a commission change only after the delay", async () => {
    const r = await setup();
    const { opA, opB } = r.accounts;
    await viem.assertions.emit(
      r.vault.write.setCommission([2_000n], { account: opA.account }),
      r.vault,
      "CommissionChangeScheduled",
    );
    assert.equal(await r.vault.read.commissionOf([opA.account.address]), 1_000n);
    await r.advance(COMMISSION_DELAY);
    assert.equal(await r.vault.read.commissionOf([opA.account.address]), 2_000n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.vault.write.setCommission([1n], { account: opB.account }),
      r.vault,
      "UnknownOperator",
      [getAddress(opB.account.address)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.vault.write.setCommission([10_001n], { account: opA.account }),
      r.vault,
      "CommissionTooHigh",
      [10_001n],
    );
  });

  it("deposits stay pending for two epoch boundaries, then count as active stake at that epoch's start", async () => {
    const r = await setup();
    const { alice, opA } = r.accounts;
    const shares = parseEther("10");
    const epoch = await r.vault.read.currentEpoch();
    await viem.assertions.emitWithArgs(
      r.vault.write.deposit([opA.account.address, shares], { account: alice.account }),
      r.vault,
      "Deposited",
      [getAddress(alice.account.address), getAddress(opA.account.address), shares, epoch + 2n],
    );
    assert.deepEqual(await r.vault.read.positionOf([alice.account.address, opA.account.address]), [
      0n,
      shares,
      epoch + 2n,
    ]);
    assert.equal(await r.vault.read.operatorStake([opA.account.address]), 0n);
    await r.nextEpoch();
    assert.equal(await r.vault.read.operatorStake([opA.account.address]), 0n);
    await r.nextEpoch();
    assert.equal(await r.vault.read.operatorStake([opA.account.address]), shares);
    assert.deepEqual(await r.vault.read.positionOf([alice.account.address, opA.account.address]), [shares, 0n, 0n]);
    const start = await r.vault.read.epochStart([epoch + 2n]);
    assert.equal(await r.vault.read.stakeAt([opA.account.address, start - 1n]), 0n);
    assert.equal(await r.vault.read.stakeAt([opA.account.address, start]), shares);
    assert.equal(await r.vault.read.totalStakeShares(), shares);
    assert.equal(await r.pool.read.sharesOf([r.vault.address]), shares);
  });

  it("a second deposit while the first is pending moves both to the later activation", async () => {
    const r = await setup();
    const { alice, opA } = r.accounts;
    await r.vault.write.deposit([opA.account.address, parseEther("1")], { account: alice.account });
    await r.nextEpoch();
    const epoch = await r.vault.read.currentEpoch();
    await r.vault.write.deposit([opA.account.address, parseEther("2")], { account: alice.account });
    assert.deepEqual(await r.vault.read.positionOf([alice.account.address, opA.account.address]), [
      0n,
      parseEther("3"),
      epoch + 2n,
    ]);
    await r.nextEpoch();
    assert.equal(await r.vault.read.operatorStake([opA.account.address]), 0n);
    await r.nextEpoch();
    assert.equal(await r.vault.read.operatorStake([opA.account.address]), parseEther("3"));
  });

  it("rejects zero amounts, unknown operators and deposits without allowance", async () => {
    const r = await setup();
    const { alice, opA, opB, carol } = r.accounts;
    await viem.assertions.revertWithCustomError(
      r.vault.write.deposit([opA.account.address, 0n], { account: alice.account }),
      r.vault,
      "ZeroAmount",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.vault.write.deposit([opB.account.address, 1n], { account: alice.account }),
      r.vault,
      "UnknownOperator",
      [getAddress(opB.account.address)],
    );
    await r.pool.write.stake({ account: carol.account, value: parseEther("1") });
    await viem.assertions.revertWithCustomError(
      r.vault.write.deposit([opA.account.address, parseEther("0.5")], { account: carol.account }),
      r.pool,
      "InsufficientAllowance",
    );
    await viem.assertions.revertWithCustomError(
      r.vault.write.undelegate([opA.account.address, 0n], { account: alice.account }),
      r.vault,
      "ZeroAmount",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.vault.write.undelegate([opB.account.address, 1n], { account: alice.account }),
      r.vault,
      "UnknownOperator",
      [getAddress(opB.account.address)],
    );
  });

  it("deposits with an EIP-2612 permit and with wdivETH (unwrapped 1:1 into shares)", async () => {
    const r = await setup();
    const { carol, opA } = r.accounts;
    await r.pool.write.stake({ account: carol.account, value: parseEther("5") });
    const shares = parseEther("1");
    const value = (await r.pool.read.getPooledEthByShares([shares])) + 1n;
    const deadline = (await r.now()) + 3_600n;
    const chainId = await r.publicClient.getChainId();
    const sig = await signPermit(
      carol,
      { address: r.pool.address, name: await r.pool.read.name(), version: "1", chainId },
      {
        owner: carol.account.address,
        spender: r.vault.address,
        value,
        nonce: await r.pool.read.nonces([carol.account.address]),
        deadline,
      },
    );
    await r.vault.write.depositWithPermit([opA.account.address, shares, value, deadline, sig.v, sig.r, sig.s], {
      account: carol.account,
    });
    await r.pool.write.approve([r.wrapper.address, parseEther("2")], { account: carol.account });
    await r.wrapper.write.wrap([parseEther("2")], { account: carol.account });
    const wrapped = await r.wrapper.read.balanceOf([carol.account.address]);
    await r.wrapper.write.approve([r.vault.address, wrapped], { account: carol.account });
    await r.vault.write.depositWrapped([opA.account.address, wrapped], { account: carol.account });
    const [, pending] = await r.vault.read.positionOf([carol.account.address, opA.account.address]);
    assert.equal(pending, shares + wrapped);
    assert.equal(await r.pool.read.sharesOf([r.vault.address]), shares + wrapped);
  });

  it("undelegation leaves the active stake at once and is claimable exactly once from epoch + 2", async () => {
    const r = await setup();
    const { alice, bob, opA } = r.accounts;
    await r.depositActive(alice, opA.account.address, parseEther("10"));
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.vault.write.undelegate([opA.account.address, parseEther("11")], { account: alice.account }),
      r.vault,
      "InsufficientStake",
      [getAddress(opA.account.address), parseEther("10"), parseEther("11")],
    );
    const epoch = await r.vault.read.currentEpoch();
    await viem.assertions.emitWithArgs(
      r.vault.write.undelegate([opA.account.address, parseEther("4")], { account: alice.account }),
      r.vault,
      "Undelegated",
      [getAddress(alice.account.address), getAddress(opA.account.address), parseEther("4"), epoch + 2n],
    );
    assert.equal(await r.vault.read.operatorStake([opA.account.address]), parseEther("6"));
    assert.equal(
      await r.vault.read.withdrawalOf([alice.account.address, opA.account.address, epoch + 2n]),
      parseEther("4"),
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.vault.write.claimWithdrawal([opA.account.address, epoch + 2n, alice.account.address], {
        account: alice.account,
      }),
      r.vault,
      "WithdrawalNotClaimable",
      [epoch + 2n, epoch],
    );
    await r.nextEpoch();
    await viem.assertions.revertWithCustomError(
      r.vault.write.claimWithdrawal([opA.account.address, epoch + 2n, alice.account.address], {
        account: alice.account,
      }),
      r.vault,
      "WithdrawalNotClaimable",
    );
    await r.nextEpoch();
    const before = await r.pool.read.sharesOf([bob.account.address]);
    await viem.assertions.emitWithArgs(
      r.vault.write.claimWithdrawal([opA.account.address, epoch + 2n, bob.account.address], { account: alice.account }),
      r.vault,
      "WithdrawalClaimed",
      [
        getAddress(alice.account.address),
        getAddress(opA.account.address),
        epoch + 2n,
        getAddress(bob.account.address),
        parseEther("4"),
      ],
    );
    assert.equal((await r.pool.read.sharesOf([bob.account.address])) - before, parseEther("4"));
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.vault.write.claimWithdrawal([opA.account.address, epoch + 2n, alice.account.address], {
        account: alice.account,
      }),
      r.vault,
      "NothingToClaim",
      [getAddress(opA.account.address), epoch + 2n],
    );
    await viem.assertions.revertWithCustomError(
      r.vault.write.claimWithdrawal([opA.account.address, epoch + 2n, zeroAddress], { account: alice.account }),
      r.vault,
      "ZeroRecipient",
    );
    assert.equal(await r.vault.read.totalStakeShares(), parseEther("6"));
    assert.equal(await r.pool.read.sharesOf([r.vault.address]), parseEther("6"));
  });

  it("only the deployer wires the registry, once; only the registry slashes", async () => {
    const r = await setup();
    const { alice } = r.accounts;
    await viem.assertions.revertWithCustomError(
      r.vault.write.wireNetworkRegistry([r.registry.address]),
      r.vault,
      "RegistryWiring",
    );
    const vault2 = await viem.deployContract("RestakingVault", [r.pool.address, r.wrapper.address, EPOCH, 0n]);
    await viem.assertions.revertWithCustomError(
      vault2.write.wireNetworkRegistry([r.registry.address]),
      vault2,
      "RegistryWiring",
    );
    const registry2 = await viem.deployContract("NetworkRegistry", [vault2.address]);
    await viem.assertions.revertWithCustomError(
      vault2.write.wireNetworkRegistry([registry2.address], { account: alice.account }),
      vault2,
      "RegistryWiring",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.vault.write.slash([alice.account.address, 1n, zeroAddress], { account: alice.account }),
      r.vault,
      "OnlyNetworkRegistry",
      [getAddress(alice.account.address)],
    );
    await viem.assertions.revertWithCustomError(
      viem.deployContract("RestakingVault", [r.pool.address, r.wrapper.address, 0n, 0n]),
      r.vault,
      "ZeroAmount",
    );
  });
});
