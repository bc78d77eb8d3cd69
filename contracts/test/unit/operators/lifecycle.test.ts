import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, hashTypedData, parseEther } from "viem";
import { DKG_TIMEOUT, deployOperatorRegistry, dkgResultTypedData, Status } from "./fixture.ts";

// The harness (registry + a test entry that records strikes) exceeds the code size limit.
const { viem } = await network.create({ override: { allowUnlimitedContractSize: true } });

async function withRequest(operators = 18, harness = false) {
  const s = await deployOperatorRegistry(viem, { harness });
  await s.addFleet(Array(operators).fill(parseEther("2")));
  await s.fundBuffer(parseEther("64"));
  const req = await s.requestValidator();
  return { s, req };
}

describe("OperatorRegistry: request expiry", () => {
  it("expires only after the DKG timeout when every operator attested (a disagreement): unlocks, releases, no strike", async () => {
    const { s, req } = await withRequest();
    const requestedAt = (await s.registry.read.getRequest([req.requestId])).requestedAt;
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.expireRequest([req.requestId]),
      s.registry,
      "RequestNotExpired",
      [req.requestId, requestedAt + DKG_TIMEOUT],
    );
    // Every operator attested before the timeout, positions 0 and 5 another result than the rest.
    const chainId = await s.publicClient.getChainId();
    const digest = hashTypedData(dkgResultTypedData(chainId, s.registry.address, req.requestId, s.makeResult()));
    const other = hashTypedData(dkgResultTypedData(chainId, s.registry.address, req.requestId, s.makeResult()));
    for (let position = 0; position < 16; position++) {
      const signer = s.signersOf([req.operatorIds[position] ?? 0])[0];
      if (!signer) throw new Error("missing signer");
      await s.testClient.setBalance({ address: signer.address, value: parseEther("1") });
      await s.registry.write.attestDkgResult([req.requestId, position === 0 || position === 5 ? other : digest], {
        account: signer,
      });
    }
    await s.testClient.increaseTime({ seconds: Number(DKG_TIMEOUT) });
    await s.testClient.mine({ blocks: 1 });
    const missed = 0n;
    await viem.assertions.emitWithArgs(s.registry.write.expireRequest([req.requestId]), s.registry, "RequestExpired", [
      req.requestId,
      missed,
    ]);
    const request = await s.registry.read.getRequest([req.requestId]);
    assert.equal(request.status, Status.Expired);
    assert.equal(request.missedBitmap, missed);
    assert.equal(await s.pool.read.reservedEther(), 0n);
    assert.equal(await s.registry.read.totalDrawableUnits(), 18n * 200n);
    for (const id of req.operatorIds) {
      const op = await s.registry.read.getOperator([BigInt(id)]);
      assert.equal(op.freeUnits, op.bondUnits);
    }
    // Terminal: no second expiry, no result, no attestation.
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.expireRequest([req.requestId]),
      s.registry,
      "InvalidStatus",
      [req.requestId, Status.Expired],
    );
    await viem.assertions.revertWithCustomError(
      s.completeRequest(req.requestId, req.operatorIds),
      s.registry,
      "InvalidStatus",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.expireRequest([99n]),
      s.registry,
      "UnknownRequest",
      [99n],
    );
    // A new draw can happen.
    const next = await s.requestValidator();
    assert.equal(next.requestId, 2n);
  });

  it("still accepts a complete result after the timeout until someone expires the request", async () => {
    const { s, req } = await withRequest();
    await s.testClient.increaseTime({ seconds: Number(DKG_TIMEOUT) * 2 });
    await s.testClient.mine({ blocks: 1 });
    await s.completeRequest(req.requestId, req.operatorIds);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.expireRequest([req.requestId]),
      s.registry,
      "InvalidStatus",
      [req.requestId, Status.Predeposited],
    );
  });
});

describe("OperatorRegistry: validator lifecycle", () => {
  it("moves a validator forward only, by the oracle, and unlocks the bonds when withdrawn", async () => {
    const { s, req } = await withRequest();
    const { admin, carol } = s.accounts;
    const { result } = await s.completeRequest(req.requestId, req.operatorIds);
    const id = req.requestId;
    const report = (status: number, validator = id) =>
      s.oracle.write.recordValidatorStatus([s.registry.address, validator, status], { account: admin.account });
    // A predeposited validator (its credentials not yet proven) has no lifecycle to report.
    await viem.assertions.revertWithCustomErrorWithArgs(report(Status.Active), s.registry, "InvalidStatusTransition", [
      id,
      Status.Predeposited,
      Status.Active,
    ]);
    await s.completeDeposit(result.groupPubkey);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.recordValidatorStatus([id, Status.Active], { account: carol.account }),
      s.registry,
      "NotAccountingOracle",
      [getAddress(carol.account.address)],
    );

    await viem.assertions.emitWithArgs(report(Status.Active), s.registry, "ValidatorStatusChanged", [
      id,
      Status.Active,
    ]);
    for (const bad of [
      Status.Active,
      Status.Deposited,
      Status.Predeposited,
      Status.Requested,
      Status.Expired,
      Status.Unusable,
      Status.None,
    ]) {
      await viem.assertions.revertWithCustomErrorWithArgs(report(bad), s.registry, "InvalidStatusTransition", [
        id,
        Status.Active,
        bad,
      ]);
    }
    // Skipping ahead (an exit seen late) is allowed.
    await report(Status.Exited);
    const locked = await Promise.all(
      req.operatorIds.map(async (o) => {
        const op = await s.registry.read.getOperator([BigInt(o)]);
        return op.bondUnits - op.freeUnits;
      }),
    );
    assert.deepEqual(locked, Array(16).fill(100n));
    await viem.assertions.emitWithArgs(report(Status.Withdrawn), s.registry, "ValidatorStatusChanged", [
      id,
      Status.Withdrawn,
    ]);
    for (const o of req.operatorIds) {
      const op = await s.registry.read.getOperator([BigInt(o)]);
      assert.equal(op.freeUnits, op.bondUnits, `operator ${o} still locked`);
    }
    assert.equal(await s.registry.read.totalDrawableUnits(), 18n * 200n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      report(Status.Withdrawn),
      s.registry,
      "InvalidStatusTransition",
      [id, Status.Withdrawn, Status.Withdrawn],
    );
  });

  it("refuses lifecycle reports for requests that were never deposited", async () => {
    const { s, req } = await withRequest();
    const { admin } = s.accounts;
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.recordValidatorStatus([s.registry.address, req.requestId, Status.Active], {
        account: admin.account,
      }),
      s.registry,
      "InvalidStatusTransition",
      [req.requestId, Status.Requested, Status.Active],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.recordValidatorStatus([s.registry.address, 5n, Status.Active], { account: admin.account }),
      s.registry,
      "UnknownRequest",
      [5n],
    );
  });

  it("returns an ejected operator's unlocked bond to its parked free units, outside the draw", async () => {
    const { s, req } = await withRequest(16, true);
    const ejected = BigInt(req.operatorIds[0] ?? 0);
    await s.ejectByStrikes(ejected);
    // Every operator was there (attested), so the expiry strikes nobody and redraws nothing.
    for (const signer of s.signersOf(req.operatorIds)) {
      await s.testClient.setBalance({ address: signer.address, value: parseEther("1") });
      await s.registry.write.attestDkgResult([req.requestId, `0x${"11".repeat(32)}`], { account: signer });
    }
    const drawable = await s.registry.read.totalDrawableUnits();
    await s.testClient.increaseTime({ seconds: Number(DKG_TIMEOUT) });
    await s.testClient.mine({ blocks: 1 });
    await s.registry.write.expireRequest([req.requestId]);
    // 15 drawable operators got 100 units back; the ejected one's went to its parked units.
    assert.equal(await s.registry.read.totalDrawableUnits(), drawable + 15n * 100n);
    const op = await s.registry.read.getOperator([ejected]);
    assert.equal(op.freeUnits, op.bondUnits);
    assert.equal(op.ejected, true);
  });
});
