import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, parseEther, zeroAddress } from "viem";
import { BOOTSTRAP_DEPOSIT, deployDiva } from "../../helpers/fixture.ts";

describe("WithdrawalVault", async () => {
  const { viem } = await network.create();

  it("accepts plain ether (execution-layer rewards) and names its pool", async () => {
    const { vault, pool, accounts, publicClient } = await deployDiva(viem);
    await accounts.carol.sendTransaction({ to: vault.address, value: parseEther("1") });
    assert.equal(await publicClient.getBalance({ address: vault.address }), parseEther("1"));
    assert.equal(await vault.read.stakingPool(), getAddress(pool.address));
  });

  it("only the pool can pull ether, and only what the vault holds", async () => {
    const diva = await deployDiva(viem);
    const { vault, accounts, pool } = diva;
    await accounts.carol.sendTransaction({ to: vault.address, value: parseEther("0.0000001") });
    await viem.assertions.revertWithCustomErrorWithArgs(
      vault.write.withdrawToPool([1n], { account: accounts.alice.account }),
      vault,
      "NotStakingPool",
      [getAddress(accounts.alice.account.address)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      diva.report(0n, 0n, parseEther("0.0000002")),
      vault,
      "InsufficientVaultBalance",
      [parseEther("0.0000001"), parseEther("0.0000002")],
    );
    await viem.assertions.emitWithArgs(diva.report(0n, 0n, parseEther("0.0000001")), vault, "EtherWithdrawnToPool", [
      parseEther("0.0000001"),
    ]);
    assert.equal(await pool.read.bufferedEther(), BOOTSTRAP_DEPOSIT + parseEther("0.0000001"));
  });

  it("rejects a zero pool at construction", async () => {
    const { vault, exitManager } = await deployDiva(viem);
    await viem.assertions.revertWithCustomErrorWithArgs(
      viem.deployContract("WithdrawalVault", [zeroAddress, exitManager.address]),
      vault,
      "NotStakingPool",
      [zeroAddress],
    );
  });
});
