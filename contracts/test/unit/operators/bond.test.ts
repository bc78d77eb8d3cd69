import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { maxUint256, parseEther, zeroAddress } from "viem";
import { BOND_UNIT_SHARES, deployOperatorRegistry, nodeIdentity, signerAccount } from "./fixture.ts";

const { viem } = await network.create();

async function withOperator(opts: Parameters<typeof deployOperatorRegistry>[1] = {}) {
  const s = await deployOperatorRegistry(viem, opts);
  const { bob } = s.accounts;
  await s.registry.write.registerOperator([signerAccount(1).address, nodeIdentity(1), ""], { account: bob.account });
  return s;
}

describe("OperatorRegistry: bond and unbond", () => {
  it("bonds divETH as whole units of shares, rounding the amount down, and emits BondChanged", async () => {
    const s = await withOperator();
    const { bob } = s.accounts;
    await s.pool.write.stake({ account: bob.account, value: parseEther("5") });
    await s.pool.write.approve([s.registry.address, maxUint256], { account: bob.account });
    const sharesBefore = await s.pool.read.sharesOf([bob.account.address]);
    // 1.234567 divETH at a 1:1 rate is 123 whole units of 0.01 divETH.
    await viem.assertions.emitWithArgs(
      s.registry.write.bond([1n, parseEther("1.234567")], { account: bob.account }),
      s.registry,
      "BondChanged",
      [1n, 123n, 123n],
    );
    assert.equal(await s.pool.read.sharesOf([bob.account.address]), sharesBefore - 123n * BOND_UNIT_SHARES);
    assert.equal(await s.pool.read.sharesOf([s.registry.address]), 123n * BOND_UNIT_SHARES);
    const op = await s.registry.read.getOperator([1n]);
    assert.equal(op.bondUnits, 123n);
    assert.equal(op.freeUnits, 123n);
    assert.equal(await s.registry.read.totalDrawableUnits(), 123n);
    assert.equal(await s.registry.read.totalBondUnits(), 123n);
    await viem.assertions.revertWithCustomError(
      s.registry.write.bond([1n, parseEther("0.001")], { account: bob.account }),
      s.registry,
      "BondTooSmall",
    );
  });

  it("bonds wdivETH by unwrapping exactly the bonded shares", async () => {
    const s = await withOperator();
    const { bob } = s.accounts;
    await s.pool.write.stake({ account: bob.account, value: parseEther("3") });
    await s.pool.write.approve([s.wrapper.address, maxUint256], { account: bob.account });
    await s.wrapper.write.wrap([parseEther("3")], { account: bob.account });
    await s.wrapper.write.approve([s.registry.address, maxUint256], { account: bob.account });
    const wrapped = await s.wrapper.read.balanceOf([bob.account.address]);
    await s.registry.write.bondWrapped([1n, parseEther("2.005")], { account: bob.account });
    assert.equal(await s.wrapper.read.balanceOf([bob.account.address]), wrapped - 200n * BOND_UNIT_SHARES);
    assert.equal(await s.pool.read.sharesOf([s.registry.address]), 200n * BOND_UNIT_SHARES);
    assert.equal((await s.registry.read.getOperator([1n])).bondUnits, 200n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.bondWrapped([1n, BOND_UNIT_SHARES - 1n], { account: bob.account }),
      s.registry,
      "BondTooSmall",
      [BOND_UNIT_SHARES - 1n, BOND_UNIT_SHARES],
    );
  });

  it("bonds ether through the pool and returns the share remainder below one unit", async () => {
    const s = await withOperator();
    const { bob } = s.accounts;
    const buffer = await s.pool.read.bufferedEther();
    await s.registry.write.bondEther([1n], { account: bob.account, value: parseEther("1.005") });
    assert.equal(await s.pool.read.bufferedEther(), buffer + parseEther("1.005"));
    assert.equal((await s.registry.read.getOperator([1n])).bondUnits, 100n);
    assert.equal(await s.pool.read.sharesOf([s.registry.address]), 100n * BOND_UNIT_SHARES);
    assert.equal(await s.pool.read.sharesOf([bob.account.address]), parseEther("0.005"));
    await viem.assertions.revertWithCustomError(
      s.registry.write.bondEther([1n], { account: bob.account, value: 10n ** 15n }),
      s.registry,
      "BondTooSmall",
    );
  });

  it("lets only the owner bond, and only a known operator", async () => {
    const s = await withOperator();
    const { carol, bob } = s.accounts;
    for (const call of [
      s.registry.write.bondEther([1n], { account: carol.account, value: parseEther("1") }),
      s.registry.write.bond([1n, parseEther("1")], { account: carol.account }),
      s.registry.write.bondWrapped([1n, parseEther("1")], { account: carol.account }),
      s.registry.write.unbond([1n, 1n, carol.account.address], { account: carol.account }),
    ]) {
      await viem.assertions.revertWithCustomErrorWithArgs(call, s.registry, "NotOperatorOwner", [
        1n,
        carol.account.address,
      ]);
    }
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.bondEther([2n], { account: bob.account, value: parseEther("1") }),
      s.registry,
      "UnknownOperator",
      [2n],
    );
  });

  it("unbonds free units to a recipient and rejects zero, too much and a zero recipient", async () => {
    const s = await withOperator();
    const { bob, carol } = s.accounts;
    await s.registry.write.bondEther([1n], { account: bob.account, value: parseEther("2") });
    const r = s.registry;
    await viem.assertions.revertWithCustomError(
      r.write.unbond([1n, 0n, bob.account.address], { account: bob.account }),
      r,
      "ZeroUnits",
    );
    await viem.assertions.revertWithCustomError(
      r.write.unbond([1n, 1n, zeroAddress], { account: bob.account }),
      r,
      "ZeroAddress",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.write.unbond([1n, 201n, bob.account.address], { account: bob.account }),
      r,
      "InsufficientFreeBond",
      [1n, 200n, 201n],
    );
    await viem.assertions.emitWithArgs(
      r.write.unbond([1n, 150n, carol.account.address], { account: bob.account }),
      r,
      "BondChanged",
      [1n, 50n, 50n],
    );
    assert.equal(await s.pool.read.sharesOf([carol.account.address]), 150n * BOND_UNIT_SHARES);
    assert.equal(await r.read.totalDrawableUnits(), 50n);
    assert.equal(await r.read.totalBondUnits(), 50n);
  });

  it("holds the bond as shares, so its ether value grows with staking rewards", async () => {
    const s = await withOperator();
    const { bob, reporter } = s.accounts;
    await s.registry.write.bondEther([1n], { account: bob.account, value: parseEther("32") });
    await s.fundBuffer(parseEther("32"));
    const valueBefore = await s.pool.read.getPooledEthByShares([await s.pool.read.sharesOf([s.registry.address])]);
    await s.testClient.increaseTime({ seconds: 86_400 });
    await s.testClient.mine({ blocks: 1 });
    // With no validators deposited, rewards can only arrive through the withdrawal vault: 0.01 ETH reported there.
    await reporter.sendTransaction({ to: s.vault.address, value: parseEther("0.01") });
    await s.oracle.write.submitReport(
      [
        {
          beaconValidators: 0n,
          beaconBalance: 0n,
          withdrawalVaultBalance: parseEther("0.01"),
          refTimestamp: (await s.publicClient.getBlock()).timestamp,
        },
      ],
      {
        account: reporter.account,
      },
    );
    const valueAfter = await s.pool.read.getPooledEthByShares([await s.pool.read.sharesOf([s.registry.address])]);
    assert.ok(valueAfter > valueBefore, `bond value ${valueAfter} did not grow from ${valueBefore}`);
    // Units are unchanged; the lock per key share shrinks as a share is worth more ether.
    assert.equal((await s.registry.read.getOperator([1n])).bondUnits, 3200n);
    assert.ok((await s.registry.read.currentLockUnits()) <= 100n);
  });

  it("caps the bond of one operator and the total at the selection tree's 32-bit lanes", async () => {
    // One share per unit makes the cap reachable with a few ether (and a 1,000-wei key share keeps the lock small).
    const s = await withOperator({ bondUnitShares: 1n, bondPerKeyShare: 1_000n });
    const { bob } = s.accounts;
    const max = 2n ** 32n - 1n;
    await s.registry.write.bondEther([1n], { account: bob.account, value: max });
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.bondEther([1n], { account: bob.account, value: 1n }),
      s.registry,
      "BondLimitExceeded",
      [max + 1n, max],
    );
    await s.registry.write.unbond([1n, 5n, bob.account.address], { account: bob.account });
    const { carol } = s.accounts;
    await s.registry.write.registerOperator([signerAccount(2).address, nodeIdentity(2), ""], {
      account: carol.account,
    });
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.bondEther([2n], { account: carol.account, value: 6n }),
      s.registry,
      "BondLimitExceeded",
      [max + 1n, max],
    );
    await s.registry.write.bondEther([2n], { account: carol.account, value: 5n });
    assert.equal(await s.registry.read.totalDrawableUnits(), max);
  });
});
