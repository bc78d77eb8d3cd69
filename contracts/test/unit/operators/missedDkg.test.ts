import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { keccak256, parseEther, parseEventLogs, toHex } from "viem";
import { BOND_UNIT_SHARES, DKG_TIMEOUT, deployOperatorRegistry, Status } from "./fixture.ts";

const { viem } = await network.create();

const PRESENT = keccak256(toHex("present"));

/** A fleet of `operators` operators with 2 ETH each (200 units; the lock is 100) and one drawn request. */
async function withRequest(operators: number) {
  const s = await deployOperatorRegistry(viem);
  await s.addFleet(Array(operators).fill(parseEther("2")));
  await s.fundBuffer(parseEther("64"));
  const req = await s.requestValidator();
  return { s, req };
}

type Setup = Awaited<ReturnType<typeof withRequest>>["s"];

/** The operators at `positions` attest (any digest: they show they were there). */
async function attest(s: Setup, requestId: bigint, operatorIds: readonly number[], positions: readonly number[]) {
  for (const position of positions) {
    const [signer] = s.signersOf([operatorIds[position] ?? 0]);
    if (!signer) throw new Error("missing signer");
    await s.testClient.setBalance({ address: signer.address, value: parseEther("1") });
    await s.registry.write.attestDkgResult([requestId, PRESENT], { account: signer });
  }
}

async function afterTimeout(s: Setup) {
  await s.testClient.increaseTime({ seconds: Number(DKG_TIMEOUT) });
  await s.testClient.mine({ blocks: 1 });
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("OperatorRegistry: a missed DKG is a strike and the seat is redrawn", () => {
  it("strikes and penalizes the absent operators, releases their locks and redraws only their seats", async () => {
    const { s, req } = await withRequest(40);
    // Positions 14 and 15 never show up.
    await attest(s, req.requestId, req.operatorIds, range(14));
    await viem.assertions.revertWithCustomError(
      s.registry.write.expireRequest([req.requestId]),
      s.registry,
      "RequestNotExpired",
    );
    await afterTimeout(s);
    const absent = [req.operatorIds[14] ?? 0, req.operatorIds[15] ?? 0].map(BigInt);
    const bondBefore = await s.registry.read.totalBondUnits();
    const sharesBefore = await s.pool.read.sharesOf([s.registry.address]);
    const supplyBefore = await s.pool.read.getTotalShares();
    const missed = (1n << 14n) | (1n << 15n);
    const hash = await s.registry.write.expireRequest([req.requestId], { account: s.accounts.carol.account });
    const logs = (await s.publicClient.waitForTransactionReceipt({ hash })).logs;
    const [seats] = parseEventLogs({ abi: s.registry.abi, logs, eventName: "DkgSeatsMissed" });
    // 10% of the 100-unit lock.
    assert.deepEqual(seats?.args, { requestId: req.requestId, missedBitmap: missed, penaltyUnits: 10n, redraw: true });
    const struck = parseEventLogs({ abi: s.registry.abi, logs, eventName: "OperatorStruck" });
    assert.deepEqual(
      struck.map((e) => [e.args.operatorId, e.args.requestId, e.args.strikesInWindow]),
      absent.map((id) => [id, req.requestId, 1n]),
    );
    assert.equal(parseEventLogs({ abi: s.registry.abi, logs, eventName: "RequestExpired" }).length, 0);
    // The penalty is burnt: 2 × 10 units leave the bonds and the share supply (to the holders).
    assert.equal(await s.registry.read.totalBondUnits(), bondBefore - 20n);
    assert.equal(await s.pool.read.sharesOf([s.registry.address]), sharesBefore - 20n * BOND_UNIT_SHARES);
    assert.equal(await s.pool.read.getTotalShares(), supplyBefore - 20n * BOND_UNIT_SHARES);
    for (const id of absent) {
      const op = await s.registry.read.getOperator([id]);
      assert.equal(op.bondUnits, 190n);
      assert.equal(op.freeUnits, 190n, "the absent operator's lock is released");
      const [inWindow, total] = await s.registry.read.operatorStrikes([id]);
      assert.deepEqual([inWindow, total], [1n, 1n]);
    }
    // The 32 ETH stay reserved; the seats wait for the two-step draw, at the cluster's lock.
    assert.equal(await s.pool.read.reservedEther(), parseEther("32"));
    const [pendingId, , lock] = await s.registry.read.pendingDraw();
    assert.deepEqual([pendingId, lock], [req.requestId, 100n]);
    // While the seats wait, the request takes no attestation and no result.
    const [member] = s.signersOf([req.operatorIds[0] ?? 0]);
    if (!member) throw new Error("missing signer");
    await viem.assertions.revertWithCustomError(
      s.registry.write.attestDkgResult([req.requestId, PRESENT], { account: member }),
      s.registry,
      "DrawPending",
    );
    await viem.assertions.revertWithCustomError(
      s.completeRequest(req.requestId, req.operatorIds),
      s.registry,
      "DrawPending",
    );

    const redrawn = await s.drawCluster(s.accounts.bob.account);
    assert.equal(redrawn.requestId, req.requestId);
    assert.deepEqual(redrawn.operatorIds.slice(0, 14), req.operatorIds.slice(0, 14), "the members that came stay");
    for (const id of redrawn.operatorIds.slice(14)) {
      assert.ok(!req.operatorIds.includes(id), `seat given to ${id}, a member of the old cluster`);
      const op = await s.registry.read.getOperator([BigInt(id)]);
      assert.equal(op.bondUnits - op.freeUnits, 100n, "the new member carries the lock");
    }
    const request = await s.registry.read.getRequest([req.requestId]);
    assert.equal(request.status, Status.Requested);
    assert.equal(request.redraws, 1n);
    assert.equal(request.attestedBitmap, 0n, "attestations of the old cluster are cleared");
    assert.deepEqual([...request.operatorIds], redrawn.operatorIds);
    // The new cluster completes its DKG.
    await s.completeRequest(req.requestId, redrawn.operatorIds);
    const done = await s.registry.read.getRequest([req.requestId]);
    assert.equal(done.status, Status.Predeposited);
    assert.equal(done.redraws, 1n);
  });

  it("blames nobody when nobody attested: the request expires as before, without strikes", async () => {
    const { s, req } = await withRequest(40);
    await afterTimeout(s);
    const bondBefore = await s.registry.read.totalBondUnits();
    const hash = await s.registry.write.expireRequest([req.requestId]);
    const logs = (await s.publicClient.waitForTransactionReceipt({ hash })).logs;
    assert.equal(parseEventLogs({ abi: s.registry.abi, logs, eventName: "DkgSeatsMissed" }).length, 0);
    assert.equal(parseEventLogs({ abi: s.registry.abi, logs, eventName: "OperatorStruck" }).length, 0);
    const [expired] = parseEventLogs({ abi: s.registry.abi, logs, eventName: "RequestExpired" });
    assert.deepEqual(expired?.args, { requestId: req.requestId, missedBitmap: 0xffffn });
    assert.equal(await s.registry.read.totalBondUnits(), bondBefore);
    for (const id of req.operatorIds) {
      const op = await s.registry.read.getOperator([BigInt(id)]);
      assert.equal(op.freeUnits, op.bondUnits);
      assert.equal((await s.registry.read.operatorStrikes([BigInt(id)]))[1], 0n);
    }
    assert.equal(await s.pool.read.reservedEther(), 0n);
  });

  it("redraws at most MAX_REDRAWS times, then expires the request as before", async () => {
    const { s, req } = await withRequest(40);
    const maxRedraws = Number(await s.registry.read.MAX_REDRAWS());
    let operatorIds = req.operatorIds;
    for (let i = 0; i < maxRedraws; i++) {
      await attest(s, req.requestId, operatorIds, range(15));
      await afterTimeout(s);
      await s.registry.write.expireRequest([req.requestId]);
      operatorIds = (await s.drawCluster()).operatorIds;
    }
    await attest(s, req.requestId, operatorIds, range(15));
    await afterTimeout(s);
    const last = BigInt(operatorIds[15] ?? 0);
    const hash = await s.registry.write.expireRequest([req.requestId]);
    const logs = (await s.publicClient.waitForTransactionReceipt({ hash })).logs;
    const [seats] = parseEventLogs({ abi: s.registry.abi, logs, eventName: "DkgSeatsMissed" });
    assert.equal(seats?.args.redraw, false);
    const [expired] = parseEventLogs({ abi: s.registry.abi, logs, eventName: "RequestExpired" });
    assert.deepEqual(expired?.args, { requestId: req.requestId, missedBitmap: 1n << 15n });
    const request = await s.registry.read.getRequest([req.requestId]);
    assert.equal(request.status, Status.Expired);
    assert.equal(request.redraws, BigInt(maxRedraws));
    assert.equal(await s.pool.read.reservedEther(), 0n);
    assert.deepEqual(await s.registry.read.pendingDraw(), [0n, 0n, 0n]);
    // Every lock is released; only the penalties are gone.
    const count = Number(await s.registry.read.operatorCount());
    let burnt = 0n;
    for (let id = 1; id <= count; id++) {
      const op = await s.registry.read.getOperator([BigInt(id)]);
      assert.equal(op.freeUnits, op.bondUnits, `operator ${id} still has a lock`);
      burnt += 200n - op.bondUnits;
    }
    assert.equal(burnt, BigInt(maxRedraws + 1) * 10n);
    assert.equal((await s.registry.read.getOperator([last])).bondUnits, 190n);
  });

  it("expires a redraw that cannot find operators after DKG_TIMEOUT, unlocking the members that stayed", async () => {
    // 17 operators: two seats to redraw, one operator outside the cluster.
    const { s, req } = await withRequest(17);
    await attest(s, req.requestId, req.operatorIds, range(14));
    await afterTimeout(s);
    await s.registry.write.expireRequest([req.requestId]);
    await viem.assertions.revertWithCustomErrorWithArgs(s.drawCluster(), s.registry, "NotEnoughEligibleOperators", [
      1n,
      2n,
    ]);
    // Other requests wait for the pending one.
    await viem.assertions.revertWithCustomError(s.registry.write.requestValidator(), s.registry, "DrawPending");
    await viem.assertions.revertWithCustomError(
      s.registry.write.expireRequest([req.requestId]),
      s.registry,
      "RequestNotExpired",
    );
    await afterTimeout(s);
    const hash = await s.registry.write.expireRequest([req.requestId]);
    const logs = (await s.publicClient.waitForTransactionReceipt({ hash })).logs;
    const [expired] = parseEventLogs({ abi: s.registry.abi, logs, eventName: "RequestExpired" });
    assert.deepEqual(expired?.args, { requestId: req.requestId, missedBitmap: (1n << 14n) | (1n << 15n) });
    assert.equal((await s.registry.read.getRequest([req.requestId])).status, Status.Expired);
    assert.equal(await s.pool.read.reservedEther(), 0n);
    for (let id = 1; id <= 17; id++) {
      const op = await s.registry.read.getOperator([BigInt(id)]);
      assert.equal(op.freeUnits, op.bondUnits, `operator ${id} still has a lock`);
    }
    assert.equal(await s.registry.read.totalBondUnits(), 17n * 200n - 20n);
    // The registry draws again.
    const next = await s.requestValidator();
    assert.equal(next.requestId, 2n);
  });

  it("refuses a redraw while another request waits for its draw, and lets it through afterwards", async () => {
    const { s, req } = await withRequest(40);
    await attest(s, req.requestId, req.operatorIds, range(15));
    await afterTimeout(s);
    await s.scheduleDraw();
    const [pendingId, drawBlock] = await s.registry.read.pendingDraw();
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.expireRequest([req.requestId]),
      s.registry,
      "DrawPending",
      [pendingId, drawBlock],
    );
    await s.drawCluster();
    await s.registry.write.expireRequest([req.requestId]);
    assert.equal((await s.registry.read.pendingDraw())[0], req.requestId);
  });

  it("ejects an operator that missed STRIKES_TO_EJECT DKGs within the window, by anyone", async () => {
    // 20 operators with 20 ETH each: locks never run out, and most clusters include any given operator.
    const s = await deployOperatorRegistry(viem);
    await s.addFleet(Array(20).fill(parseEther("20")));
    await s.fundBuffer(parseEther("32"));
    const req = await s.requestValidator();
    // The operator at position 15 of the first cluster misses the DKG of every request it is drawn into.
    const target = BigInt(req.operatorIds[15] ?? 0);
    let strikes = 0n;
    let requestId = req.requestId;
    let operatorIds = req.operatorIds;
    while (strikes < 3n) {
      const position = operatorIds.indexOf(Number(target));
      if (position >= 0) {
        await attest(
          s,
          requestId,
          operatorIds,
          range(16).filter((p) => p !== position),
        );
        await afterTimeout(s);
        await s.registry.write.expireRequest([requestId]);
        await s.drawCluster();
        strikes = (await s.registry.read.operatorStrikes([target]))[0];
      }
      if (strikes < 3n) {
        await s.fundBuffer(parseEther("32"));
        const next = await s.requestValidator();
        requestId = next.requestId;
        operatorIds = next.operatorIds;
      }
    }
    await viem.assertions.emitWithArgs(
      s.registry.write.ejectOperator([target], { account: s.accounts.carol.account }),
      s.registry,
      "OperatorStatusChanged",
      [target, false, true],
    );
    const op = await s.registry.read.getOperator([target]);
    assert.equal(op.ejected, true);
    assert.equal(op.bondUnits, 1970n, "three penalties of 10 units");
  });
});
