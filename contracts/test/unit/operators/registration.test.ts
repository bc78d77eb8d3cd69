import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { parseEther, zeroAddress } from "viem";
import {
  BOND_UNIT_SHARES,
  deployOperatorRegistry,
  GENESIS_FORK_VERSION,
  nodeIdentity,
  OPERATOR_EJECTOR_ROLE,
  signerAccount,
} from "./fixture.ts";

const { viem } = await network.create();

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
    const s = await deployOperatorRegistry(viem);
    const { bob, admin, carol } = s.accounts;
    await s.registry.write.registerOperator([signerAccount(1).address, nodeIdentity(1), ""], { account: bob.account });
    await s.registry.write.bondEther([1n], { account: bob.account, value: parseEther("2") });
    const units = (await s.registry.read.getOperator([1n])).bondUnits;
    assert.equal(await s.registry.read.totalDrawableUnits(), units);

    await viem.assertions.emitWithArgs(
      s.registry.write.setOperatorPaused([1n, true], { account: bob.account }),
      s.registry,
      "OperatorStatusChanged",
      [1n, true, false],
    );
    assert.equal(await s.registry.read.totalDrawableUnits(), 0n);
    assert.equal((await s.registry.read.getOperator([1n])).freeUnits, units);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.setOperatorPaused([1n, true], { account: bob.account }),
      s.registry,
      "PauseUnchanged",
      [1n, true],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.setOperatorPaused([1n, false], { account: carol.account }),
      s.registry,
      "NotOperatorOwner",
      [1n, carol.account.address],
    );

    // Ejection is role-gated.
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.setOperatorEjected([1n, true], { account: carol.account }),
      s.registry,
      "AccessControlUnauthorizedAccount",
      [carol.account.address, OPERATOR_EJECTOR_ROLE],
    );
    await s.registry.write.grantRole([OPERATOR_EJECTOR_ROLE, admin.account.address], { account: admin.account });
    await s.registry.write.setOperatorEjected([1n, true], { account: admin.account });
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.setOperatorEjected([1n, true], { account: admin.account }),
      s.registry,
      "EjectionUnchanged",
      [1n, true],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.setOperatorEjected([9n, true], { account: admin.account }),
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

    // Reinstated: the parked free units go back into the draw.
    await s.registry.write.setOperatorEjected([1n, false], { account: admin.account });
    const back = await s.registry.read.getOperator([1n]);
    assert.equal(await s.registry.read.totalDrawableUnits(), back.freeUnits);
    assert.equal(back.freeUnits, back.bondUnits);
  });

  it("validates its constructor arguments", async () => {
    const s = await deployOperatorRegistry(viem);
    const admin = s.accounts.admin.account.address;
    const deploy = (args: readonly [`0x${string}`, `0x${string}`, bigint, bigint, bigint, `0x${string}`]) => {
      const [pool, wrapper, bondPerKeyShare, bondUnitShares, dkgTimeout, admin_] = args;
      return viem.deployContract("OperatorRegistry", [
        pool,
        wrapper,
        bondPerKeyShare,
        bondUnitShares,
        dkgTimeout,
        GENESIS_FORK_VERSION,
        admin_,
      ]);
    };
    const p = s.pool.address;
    const w = s.wrapper.address;
    await assert.rejects(deploy([zeroAddress, w, 1n, 1n, 1n, admin]), /ZeroAddress/);
    await assert.rejects(deploy([p, w, 1n, 1n, 1n, zeroAddress]), /ZeroAddress/);
    await assert.rejects(deploy([p, w, 0n, 1n, 1n, admin]), /InvalidConfiguration/);
    await assert.rejects(deploy([p, w, 1n, 0n, 1n, admin]), /InvalidConfiguration/);
    await assert.rejects(deploy([p, w, 1n, 1n, 0n, admin]), /InvalidConfiguration/);
    // A lock per key share above 65,535 units does not fit the packed cluster word.
    await assert.rejects(deploy([p, w, 10n ** 18n, 1n, 1n, admin]), /InvalidConfiguration/);
    // A wdivETH vault over another token is refused.
    const other = await viem.deployContract("StakingPool", [s.depositContract.address, admin], { value: 10n ** 15n });
    const otherWrapper = await viem.deployContract("WrappedDivETH", [other.address]);
    await assert.rejects(deploy([p, otherWrapper.address, 1n, 1n, 1n, admin]), /InvalidConfiguration/);
    assert.equal((await s.registry.read.stakingPool()).toLowerCase(), p.toLowerCase());
    // The deposit verifier it deploys checks signatures for this network and the pool's credentials.
    const verifier = await viem.getContractAt("DepositVerifier", await s.registry.read.DEPOSIT_VERIFIER());
    assert.equal(await verifier.read.genesisForkVersion(), GENESIS_FORK_VERSION);
    assert.equal(await verifier.read.withdrawalCredentials(), s.credentials);
  });
});
