import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { parseEther, parseEventLogs } from "viem";
import { DKG_TIMEOUT, deployOperatorRegistry, Status } from "./fixture.ts";

const { viem } = await network.create();

describe("OperatorRegistry: requestValidator", () => {
  it("reserves 32 ETH, draws 16 distinct operators, locks one key share on each and emits ValidatorRequested", async () => {
    const s = await deployOperatorRegistry(viem);
    const { ids, signers, identities } = await s.addFleet(Array(20).fill(parseEther("2")));
    await s.fundBuffer(parseEther("32"));
    assert.equal(await s.registry.read.currentLockUnits(), 100n);
    const event = await s.requestValidator();
    assert.equal(event.requestId, 1n);
    assert.equal(event.threshold, 11n);
    assert.equal(event.withdrawalCredentials, s.credentials);
    assert.equal(event.lockUnits, 100n);
    assert.equal(new Set(event.operatorIds).size, 16);
    for (const id of event.operatorIds) assert.ok(id >= 1 && id <= 20);
    assert.equal(await s.pool.read.reservedEther(), parseEther("32"));

    for (const id of ids) {
      const op = await s.registry.read.getOperator([id]);
      const drawn = event.operatorIds.includes(Number(id));
      assert.equal(op.bondUnits, 200n);
      assert.equal(op.freeUnits, drawn ? 100n : 200n, `operator ${id}`);
    }
    assert.equal(await s.registry.read.totalDrawableUnits(), 20n * 200n - 16n * 100n);

    const request = await s.registry.read.getRequest([1n]);
    assert.equal(request.status, Status.Requested);
    assert.equal(request.lockUnits, 100n);
    assert.equal(event.cluster >> 240n, 100n, "the lock rides in the top 16 bits of the cluster word");
    const block = await s.publicClient.getBlock({ blockNumber: event.receipt.blockNumber });
    assert.equal(request.requestedAt, block.timestamp);
    assert.deepEqual([...request.operatorIds], event.operatorIds);
    assert.deepEqual([...(await s.registry.read.getRequest([1n])).operatorIds], event.operatorIds);
    assert.equal(await s.registry.read.requestCount(), 1n);

    const [opIds, opSigners, opIdentities] = await s.registry.read.requestOperators([1n]);
    opIds.forEach((id, i) => {
      assert.equal(Number(id), event.operatorIds[i]);
      assert.equal(opSigners[i], signers[Number(id) - 1]?.address);
      assert.equal(opIdentities[i], identities[Number(id) - 1]);
    });
  });

  it("reverts when the pool's unreserved buffer is below 32 ETH", async () => {
    const s = await deployOperatorRegistry(viem);
    // Bonds staked as ether land in the buffer: 16 × 1.5 ETH = 24 ETH, not enough.
    await s.addFleet(Array(16).fill(parseEther("1.5")));
    await viem.assertions.revertWithCustomError(
      s.registry.write.requestValidator(),
      s.pool,
      "InsufficientUnreservedBuffer",
    );
  });

  it("draws with NotEnoughEligibleOperators when fewer than 16 have a key share of free bond, until a re-arm", async () => {
    const s = await deployOperatorRegistry(viem);
    // 15 eligible operators and 5 whose 0.5 ETH bond is below the 1 ETH lock.
    await s.addFleet([...Array(15).fill(parseEther("1")), ...Array(5).fill(parseEther("0.5"))]);
    await s.fundBuffer(parseEther("64"));
    await s.scheduleDraw();
    await viem.assertions.revertWithCustomErrorWithArgs(s.drawCluster(), s.registry, "NotEnoughEligibleOperators", [
      15n,
      16n,
    ]);
    // The request keeps its 32 ETH and waits; nothing was locked.
    assert.equal(await s.pool.read.reservedEther(), parseEther("32"));
    assert.equal(await s.registry.read.totalDrawableUnits(), 15n * 100n + 5n * 50n);
    // A 16th eligible operator bonds after the freeze: recorded, but the frozen draw still cannot complete.
    await s.addFleet([parseEther("1")], "late");
    assert.equal((await s.registry.read.getOperator([21n])).freeUnits, 100n);
    assert.equal(await s.registry.read.totalDrawableUnits(), 15n * 100n + 5n * 50n, "frozen weights");
    await viem.assertions.revertWithCustomError(s.drawCluster(), s.registry, "NotEnoughEligibleOperators");
    // Once the draw block is out of `blockhash` reach, the call re-arms from the current weights instead.
    const [requestId, drawBlock] = await s.registry.read.pendingDraw();
    await s.testClient.mine({ blocks: Number(drawBlock + 257n - (await s.publicClient.getBlockNumber())) });
    const rearm = await s.registry.write.drawCluster([requestId, "0x"]);
    const logs = parseEventLogs({
      abi: s.registry.abi,
      logs: (await s.publicClient.waitForTransactionReceipt({ hash: rearm })).logs,
      eventName: "ValidatorDrawScheduled",
    });
    assert.equal(logs.length, 1);
    assert.equal(logs[0]?.args.requestId, 1n);
    assert.equal(await s.registry.read.totalDrawableUnits(), 16n * 100n + 5n * 50n, "recorded changes applied");
    const event = await s.drawCluster();
    assert.equal(event.requestId, 1n);
    assert.ok(event.operatorIds.includes(21));
  });

  it("expires a request whose draw cannot complete after DKG_TIMEOUT: 32 ETH back, weights unfrozen", async () => {
    const s = await deployOperatorRegistry(viem);
    await s.addFleet(Array(15).fill(parseEther("1")));
    await s.fundBuffer(parseEther("32"));
    await s.scheduleDraw();
    await viem.assertions.revertWithCustomError(s.drawCluster(), s.registry, "NotEnoughEligibleOperators");
    await viem.assertions.revertWithCustomError(s.registry.write.expireRequest([1n]), s.registry, "RequestNotExpired");
    await s.addFleet([parseEther("1")], "late");
    await s.testClient.increaseTime({ seconds: Number(DKG_TIMEOUT) });
    await s.testClient.mine({ blocks: 1 });
    const hash = await s.registry.write.expireRequest([1n]);
    const [expired] = parseEventLogs({
      abi: s.registry.abi,
      logs: (await s.publicClient.waitForTransactionReceipt({ hash })).logs,
      eventName: "RequestExpired",
    });
    assert.deepEqual(expired?.args, { requestId: 1n, missedBitmap: 0n });
    assert.equal(await s.pool.read.reservedEther(), 0n);
    assert.deepEqual(await s.registry.read.pendingDraw(), [0n, 0n, 0n]);
    assert.equal(await s.registry.read.totalDrawableUnits(), 16n * 100n, "the late bond reached the tree");
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.expireRequest([1n]),
      s.registry,
      "UnknownRequest",
      [1n],
    );
    // A new request draws from the unfrozen weights.
    await s.fundBuffer(parseEther("32"));
    const event = await s.requestValidator();
    assert.equal(event.requestId, 2n);
  });

  it("sets aside under-bonded operators and gives their free units back untouched", async () => {
    const s = await deployOperatorRegistry(viem);
    // 16 eligible operators and 40 dust operators holding 0.6 ETH (60 units < the 100-unit lock): dust carries
    // 2,400 of 18,400 drawable units, so most draws hit a few of them before completing the cluster.
    await s.addFleet([...Array(16).fill(parseEther("10")), ...Array(40).fill(parseEther("0.6"))]);
    await s.fundBuffer(parseEther("96"));
    const event = await s.requestValidator();
    assert.deepEqual(
      [...event.operatorIds].sort((a, b) => a - b),
      Array.from({ length: 16 }, (_, i) => i + 1),
    );
    for (let id = 17; id <= 56; id++) {
      assert.equal((await s.registry.read.getOperator([BigInt(id)])).freeUnits, 60n, `dust operator ${id}`);
    }
    assert.equal(await s.registry.read.totalDrawableUnits(), 16n * 900n + 40n * 60n);
  });

  it("gives up after MAX_SKIPS set-asides with a clear error", async () => {
    const s = await deployOperatorRegistry(viem);
    // 15 eligible operators and 200 under-bonded ones: the draw runs out of set-asides (or of eligible operators).
    await s.addFleet([...Array(15).fill(parseEther("10")), ...Array(200).fill(parseEther("0.6"))]);
    await s.fundBuffer(parseEther("32"));
    await s.scheduleDraw();
    await viem.assertions.revertWithCustomError(s.drawCluster(), s.registry, "NotEnoughEligibleOperators");
    assert.equal(await s.registry.read.totalDrawableUnits(), 15n * 1000n + 200n * 60n, "nothing locked");
  });

  it("never draws an operator whose bond is fully locked", async () => {
    const s = await deployOperatorRegistry(viem);
    await s.addFleet(Array(17).fill(parseEther("1")));
    await s.fundBuffer(parseEther("64"));
    const first = await s.requestValidator();
    const left = [...Array(17).keys()].map((i) => i + 1).filter((id) => !first.operatorIds.includes(id));
    assert.equal(left.length, 1);
    await s.addFleet(Array(15).fill(parseEther("1")), "second");
    // Sixteen more operators make a second cluster possible; it cannot reuse the locked ones.
    const second = await s.requestValidator();
    for (const id of second.operatorIds) assert.ok(!first.operatorIds.includes(id), `operator ${id} drawn twice`);
  });

  it("keeps each request's cluster, lock and time through a burst beyond the prepared storage window", async () => {
    const s = await deployOperatorRegistry(viem);
    await s.addFleet(Array(48).fill(parseEther("10")));
    await s.fundBuffer(parseEther(String(32 * 20)));
    const made: { id: bigint; ids: number[]; at: bigint }[] = [];
    for (let i = 0; i < 20; i++) {
      const req = await s.requestValidator();
      const block = await s.publicClient.getBlock({ blockNumber: req.receipt.blockNumber });
      made.push({ id: req.requestId, ids: req.operatorIds, at: block.timestamp });
    }
    for (const m of made) {
      const r = await s.registry.read.getRequest([m.id]);
      assert.equal(r.status, Status.Requested);
      assert.equal(r.requestedAt, m.at, `request ${m.id} time`);
      assert.equal(r.lockUnits, 100n);
      assert.deepEqual([...r.operatorIds], m.ids);
    }
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.read.getRequest([21n]),
      s.registry,
      "UnknownRequest",
      [21n],
    );
  });

  it("rejects views of unknown requests", async () => {
    const s = await deployOperatorRegistry(viem);
    for (const call of [s.registry.read.getRequest([1n]), s.registry.read.requestOperators([1n])]) {
      await viem.assertions.revertWithCustomErrorWithArgs(call, s.registry, "UnknownRequest", [1n]);
    }
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.read.getOperator([1n]),
      s.registry,
      "UnknownOperator",
      [1n],
    );
  });
});
