import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { parseEther, zeroAddress } from "viem";
import {
  BOND_UNIT_SHARES,
  deployOperatorRegistry,
  deployRegistryLibraries,
  GENESIS_FORK_VERSION,
  nodeIdentity,
  signerAccount,
} from "./fixture.ts";

const { viem } = await network.create();
// The harness (registry + test entries such as `strike`) exceeds the code size limit.
const { viem: harnessViem } = await network.create({ override: { allowUnlimitedContractSize: true } });

describe("OperatorRegistry: registration and operator status", () => {
  it("registers an operator, indexes it by owner, signer and node identity, and emits OperatorRegistered", async () => {
    const s = await deployOperatorRegistry(viem);
    const { bob } = s.accounts;
    const signer = signerAccount(1).address;
    const id = nodeIdentity(1);
    await viem.assertions.emitWithArgs(
      s.registry.write.registerOperator([signer, id, "https://op.example/bob.json"], { account: bob.account }),
      s.registry,
      "OperatorRegistered",
      [1n, bob.account.address, signer, id, "https://op.example/bob.json"],
    );
    const op = await s.registry.read.getOperator([1n]);
    assert.equal(op.owner.toLowerCase(), bob.account.address.toLowerCase());
    assert.equal(op.signer, signer);
    assert.equal(op.nodeIdentity, id);
    assert.equal(op.bondUnits, 0n);
    assert.equal(op.freeUnits, 0n);
    assert.equal(op.metadataURI, "https://op.example/bob.json");
    assert.equal(await s.registry.read.operatorIdByOwner([bob.account.address]), 1n);
    assert.equal(await s.registry.read.operatorIdBySigner([signer]), 1n);
    assert.equal(await s.registry.read.operatorIdByNodeIdentity([id]), 1n);
    assert.equal(await s.registry.read.operatorCount(), 1n);
  });

  it("rejects reused owners, signers and node identities, zero values and long metadata", async () => {
    const s = await deployOperatorRegistry(viem);
    const { bob, carol } = s.accounts;
    const signer = signerAccount(1).address;
    await s.registry.write.registerOperator([signer, nodeIdentity(1), ""], { account: bob.account });
    const r = s.registry;
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.write.registerOperator([signerAccount(2).address, nodeIdentity(2), ""], { account: bob.account }),
      r,
      "AddressInUse",
      [bob.account.address, 1n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.write.registerOperator([signer, nodeIdentity(2), ""], { account: carol.account }),
      r,
      "AddressInUse",
      [signer, 1n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.write.registerOperator([signerAccount(2).address, nodeIdentity(1), ""], { account: carol.account }),
      r,
      "NodeIdentityInUse",
      [nodeIdentity(1), 1n],
    );
    await viem.assertions.revertWithCustomError(
      r.write.registerOperator([zeroAddress, nodeIdentity(2), ""], { account: carol.account }),
      r,
      "ZeroAddress",
    );
    await viem.assertions.revertWithCustomError(
      r.write.registerOperator([signerAccount(2).address, `0x${"00".repeat(32)}`, ""], { account: carol.account }),
      r,
      "ZeroNodeIdentity",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.write.registerOperator([signerAccount(2).address, nodeIdentity(2), "x".repeat(513)], {
        account: carol.account,
      }),
      r,
      "MetadataURITooLong",
      [513n, 512n],
    );
    // 512 bytes is accepted.
    await r.write.registerOperator([signerAccount(2).address, nodeIdentity(2), "x".repeat(512)], {
      account: carol.account,
    });
  });

  it("lets only the owner update, and frees the old signer and node identity", async () => {
    const s = await deployOperatorRegistry(viem);
    const { bob, carol } = s.accounts;
    await s.registry.write.registerOperator([signerAccount(1).address, nodeIdentity(1), "a"], { account: bob.account });
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.updateOperator([1n, signerAccount(2).address, nodeIdentity(2), "b"], { account: carol.account }),
      s.registry,
      "NotOperatorOwner",
      [1n, carol.account.address],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.updateOperator([7n, signerAccount(2).address, nodeIdentity(2), "b"], { account: bob.account }),
      s.registry,
      "UnknownOperator",
      [7n],
    );
    await viem.assertions.emitWithArgs(
      s.registry.write.updateOperator([1n, signerAccount(2).address, nodeIdentity(2), "b"], { account: bob.account }),
      s.registry,
      "OperatorUpdated",
      [1n, signerAccount(2).address, nodeIdentity(2), "b"],
    );
    assert.equal(await s.registry.read.operatorIdBySigner([signerAccount(1).address]), 0n);
    assert.equal(await s.registry.read.operatorIdByNodeIdentity([nodeIdentity(1)]), 0n);
    assert.equal(await s.registry.read.operatorIdBySigner([signerAccount(2).address]), 1n);
    // Keeping the same signer and identity while changing only the metadata works.
    await s.registry.write.updateOperator([1n, signerAccount(2).address, nodeIdentity(2), "c"], {
      account: bob.account,
    });
    // The freed signer and identity can be taken by someone else.
    await s.registry.write.registerOperator([signerAccount(1).address, nodeIdentity(1), ""], {
      account: carol.account,
    });
    assert.equal(await s.registry.read.operatorIdBySigner([signerAccount(1).address]), 2n);
  });

  it("pauses and ejects: the operator leaves the draw, keeps its free bond and can still unbond it", async () => {
    const s = await deployOperatorRegistry(harnessViem, { harness: true });
    const { bob, carol } = s.accounts;
    await s.registry.write.registerOperator([signerAccount(1).address, nodeIdentity(1), ""], { account: bob.account });
    await s.registry.write.bondEther([1n], { account: bob.account, value: parseEther("2") });
    const units = (await s.registry.read.getOperator([1n])).bondUnits;
    assert.equal(await s.registry.read.totalDrawableUnits(), units);

    await harnessViem.assertions.emitWithArgs(
      s.registry.write.setOperatorPaused([1n, true], { account: bob.account }),
      s.registry,
      "OperatorStatusChanged",
      [1n, true, false],
    );
    assert.equal(await s.registry.read.totalDrawableUnits(), 0n);
    assert.equal((await s.registry.read.getOperator([1n])).freeUnits, units);
    await harnessViem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.setOperatorPaused([1n, true], { account: bob.account }),
      s.registry,
      "PauseUnchanged",
      [1n, true],
    );
    await harnessViem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.setOperatorPaused([1n, false], { account: carol.account }),
      s.registry,
      "NotOperatorOwner",
      [1n, carol.account.address],
    );

    // Ejection needs no role, only evidence: STRIKES_TO_EJECT strikes within the window.
    await harnessViem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.ejectOperator([1n], { account: carol.account }),
      s.registry,
      "NotEjectable",
      [1n, 0n, 3n],
    );
    await s.harness?.write.strike([1n]);
    await s.harness?.write.strike([1n]);
    await harnessViem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.ejectOperator([1n], { account: carol.account }),
      s.registry,
      "NotEjectable",
      [1n, 2n, 3n],
    );
    await s.harness?.write.strike([1n]);
    await harnessViem.assertions.emitWithArgs(
      s.registry.write.ejectOperator([1n], { account: carol.account }),
      s.registry,
      "OperatorStatusChanged",
      [1n, true, true],
    );
    await harnessViem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.ejectOperator([1n], { account: carol.account }),
      s.registry,
      "OperatorIsEjected",
      [1n],
    );
    await harnessViem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.ejectOperator([9n], { account: carol.account }),
      s.registry,
      "UnknownOperator",
      [9n],
    );
    // Unpausing while ejected keeps it out of the draw.
    await s.registry.write.setOperatorPaused([1n, false], { account: bob.account });
    assert.equal(await s.registry.read.totalDrawableUnits(), 0n);
    // Bonding more while ejected parks the new units too.
    await s.registry.write.bondEther([1n], { account: bob.account, value: parseEther("1") });
    const op = await s.registry.read.getOperator([1n]);
    assert.equal(op.freeUnits, op.bondUnits);
    assert.equal(await s.registry.read.totalDrawableUnits(), 0n);

    // Free bond stays withdrawable while ejected.
    const before = await s.pool.read.sharesOf([bob.account.address]);
    await s.registry.write.unbond([1n, 10n, bob.account.address], { account: bob.account });
    assert.equal(await s.pool.read.sharesOf([bob.account.address]), before + 10n * BOND_UNIT_SHARES);

    // Ejection is for good: the strikes age out of the window, the operator stays out of the draw.
    await s.testClient.increaseTime({ seconds: 7 * 86_400 });
    await s.testClient.mine({ blocks: 1 });
    assert.deepEqual(await s.registry.read.operatorStrikes([1n]), [
      0n,
      3n,
      (await s.publicClient.getBlock()).timestamp / 86_400n - 7n,
    ]);
    assert.equal(await s.registry.read.totalDrawableUnits(), 0n);
  });

  it("counts strikes within a window of STRIKE_WINDOW_FRAMES oracle frames", async () => {
    const s = await deployOperatorRegistry(harnessViem, { harness: true });
    const { bob, carol } = s.accounts;
    await s.registry.write.registerOperator([signerAccount(1).address, nodeIdentity(1), ""], { account: bob.account });
    const day = async (n: number) => {
      await s.testClient.increaseTime({ seconds: n * 86_400 });
      await s.testClient.mine({ blocks: 1 });
    };
    await harnessViem.assertions.revertWithCustomErrorWithArgs(
      s.registry.read.operatorStrikes([2n]),
      s.registry,
      "UnknownOperator",
      [2n],
    );
    await s.harness?.write.strike([1n]);
    await day(3);
    await s.harness?.write.strike([1n]);
    await day(3);
    // The first strike is 6 frames old: out of the window.
    await s.harness?.write.strike([1n]);
    const [inWindow, total] = await s.registry.read.operatorStrikes([1n]);
    assert.equal(inWindow, 2n);
    assert.equal(total, 3n);
    await harnessViem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.ejectOperator([1n], { account: carol.account }),
      s.registry,
      "NotEjectable",
      [1n, 2n, 3n],
    );
    await s.harness?.write.strike([1n]);
    await s.registry.write.ejectOperator([1n], { account: carol.account });
    assert.equal((await s.registry.read.getOperator([1n])).ejected, true);
  });

  it("validates its constructor arguments", async () => {
    const s = await deployOperatorRegistry(viem);
    const admin = s.accounts.admin.account.address;
    const libraries = await deployRegistryLibraries(viem);
    const deploy = (args: readonly [`0x${string}`, `0x${string}`, bigint, bigint, bigint]) =>
      viem.deployContract("OperatorRegistry", [...args, GENESIS_FORK_VERSION], { libraries });
    const p = s.pool.address;
    const w = s.wrapper.address;
    await assert.rejects(deploy([zeroAddress, w, 1n, 1n, 1n]), /ZeroAddress/);
    await assert.rejects(deploy([p, w, 0n, 1n, 1n]), /InvalidConfiguration/);
    await assert.rejects(deploy([p, w, 1n, 0n, 1n]), /InvalidConfiguration/);
    await assert.rejects(deploy([p, w, 1n, 1n, 0n]), /InvalidConfiguration/);
    // A lock per key share above 65,535 units does not fit the packed cluster word.
    await assert.rejects(deploy([p, w, 10n ** 18n, 1n, 1n]), /InvalidConfiguration/);
    // A wdivETH vault over another token is refused.
    const other = await viem.deployContract("StakingPool", [s.depositContract.address, admin], { value: 10n ** 15n });
    const otherWrapper = await viem.deployContract("WrappedDivETH", [other.address]);
    await assert.rejects(deploy([p, otherWrapper.address, 1n, 1n, 1n]), /InvalidConfiguration/);
    assert.equal((await s.registry.read.stakingPool()).toLowerCase(), p.toLowerCase());
    // The deposit verifier it deploys checks signatures for this network and the pool's credentials.
    const verifier = await viem.getContractAt("DepositVerifier", await s.registry.read.DEPOSIT_VERIFIER());
    assert.equal(await verifier.read.genesisForkVersion(), GENESIS_FORK_VERSION);
    assert.equal(await verifier.read.withdrawalCredentials(), s.credentials);
  });
});
