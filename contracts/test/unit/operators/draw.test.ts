import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { type Hex, keccak256, parseEther, toHex } from "viem";
import { blockHeaderRlp } from "../../helpers/blockHeader.ts";
import { deployOperatorRegistry, nodeIdentity, type OperatorSystem, signerAccount, unpackCluster } from "./fixture.ts";

// The steering test uses the statistics harness, which is larger than the code limit: this chain allows it.
const { viem } = await network.create({ override: { allowUnlimitedContractSize: true } });

/** Sets the RANDAO mix (`prevrandao`) the next mined block carries. */
async function setNextMix(s: OperatorSystem, mix: Hex) {
  await s.testClient.request({ method: "hardhat_setPrevRandao" as never, params: [mix] as never });
}

/** Mines up to (not including) the pending draw's block, then mines that block with `mix`. */
async function mineDrawBlock(s: OperatorSystem, mix: Hex) {
  const [, drawBlock] = await s.registry.read.pendingDraw();
  const current = await s.publicClient.getBlockNumber();
  if (drawBlock - current > 1n) await s.testClient.mine({ blocks: Number(drawBlock - current - 1n) });
  await setNextMix(s, mix);
  await s.testClient.mine({ blocks: 1 });
}

const mixOf = (i: number) => keccak256(toHex(`mix-${i}`));

/** Registers an operator owned by `bob` (an EOA, so the test can bond, unbond and pause it) with `bond` ether. */
async function addBobOperator(s: OperatorSystem, bond: bigint): Promise<bigint> {
  const { bob } = s.accounts;
  await s.registry.write.registerOperator([signerAccount(900).address, nodeIdentity(900), ""], {
    account: bob.account,
  });
  const id = await s.registry.read.operatorIdByOwner([bob.account.address]);
  await s.registry.write.bondEther([id], { account: bob.account, value: bond });
  return id;
}

describe("OperatorRegistry: two-step draw", () => {
  it("steering: with the old one-step draw a requester that picks its block picks members; with the two-step draw it cannot", async () => {
    // 50 operators of equal bond; the attacker owns operators 1..10 (20% of the drawable bond).
    const s = await deployOperatorRegistry(viem, { harness: true });
    const harness = s.harness;
    if (!harness) throw new Error("harness not deployed");
    await s.addFleet(Array(50).fill(parseEther("4")));
    await s.fundBuffer(parseEther("320"));
    const attackerMembers = (ids: number[]) => ids.filter((id) => id <= 10).length;
    // 16 of 50 without replacement, 10 of them the attacker's: 3.2 members expected (sd 1.3), >= 6 in about 4% of
    // honest draws.
    const TARGET = 6;
    const BLOCKS = 250;
    const TRIALS = 6;

    // Old behaviour: `prevrandao` of the next block is public once the current one is out, so the attacker
    // simulates the draw for each coming block and sends its request only in a block that gives it TARGET members.
    const oldOutcomes: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const snapshot = await s.testClient.snapshot();
      let got = -1;
      for (let b = 0; b < BLOCKS && got < 0; b++) {
        const mix = mixOf(trial * 1_000 + b);
        await setNextMix(s, mix);
        // `eth_call` on the pending block sees the mix the block will have.
        const { result } = await harness.simulate.requestValidatorLegacy({ blockTag: "pending" });
        if (attackerMembers(unpackCluster(result)) >= TARGET) {
          await harness.write.requestValidatorLegacy();
          const count = await s.registry.read.requestCount();
          const request = await s.registry.read.getRequest([count]);
          got = attackerMembers(request.operatorIds.map(Number));
        } else {
          await s.testClient.mine({ blocks: 1 });
        }
      }
      oldOutcomes.push(got);
      await s.testClient.revert({ id: snapshot });
    }
    assert.ok(
      oldOutcomes.every((n) => n >= TARGET),
      `old draw: the attacker got ${oldOutcomes} members, expected >= ${TARGET} each time`,
    );

    // New behaviour: the same strategy finds nothing to simulate — the request only schedules the draw, whose seed
    // is the mix of a block DRAW_DELAY later, and the weights are frozen. The attacker requests in the block its
    // old-style simulation liked best; the cluster still follows the later block's mix.
    const newOutcomes: number[] = [];
    for (let trial = 0; trial < TRIALS * 4; trial++) {
      const snapshot = await s.testClient.snapshot();
      for (let b = 0; b < BLOCKS; b++) {
        await setNextMix(s, mixOf(trial * 1_000 + b));
        const { result } = await harness.simulate.requestValidatorLegacy({ blockTag: "pending" });
        if (attackerMembers(unpackCluster(result)) >= TARGET) break;
        await s.testClient.mine({ blocks: 1 });
      }
      await s.scheduleDraw();
      await mineDrawBlock(s, mixOf(10_000_000 + trial));
      newOutcomes.push(attackerMembers((await s.drawCluster()).operatorIds));
      await s.testClient.revert({ id: snapshot });
    }
    const mean = newOutcomes.reduce((a, b) => a + b, 0) / newOutcomes.length;
    // 24 honest draws: mean 3.2, standard error 0.27; the steered old draws all had >= 6.
    assert.ok(mean < 4.5, `two-step draw: the attacker averaged ${mean} members (${newOutcomes})`);
    assert.ok(newOutcomes.filter((n) => n >= TARGET).length <= 4, `two-step draw outcomes ${newOutcomes}`);
  });

  it("freezes the weights at the request: a bond change after it does not change the draw", async () => {
    const s = await deployOperatorRegistry(viem);
    await s.addFleet(Array(40).fill(parseEther("2")));
    const bobs = await addBobOperator(s, parseEther("2"));
    await s.fundBuffer(parseEther("64"));
    const snapshot = await s.testClient.snapshot();
    await s.scheduleDraw();
    await mineDrawBlock(s, mixOf(1));
    const untouched = await s.drawCluster();
    await s.testClient.revert({ id: snapshot });

    await s.scheduleDraw();
    // Bob's operator bonds 50 ETH more after the request: it would then hold most of the weight.
    await s.registry.write.bondEther([bobs], { account: s.accounts.bob.account, value: parseEther("50") });
    assert.equal((await s.registry.read.getOperator([bobs])).freeUnits, 5_200n, "the change is recorded");
    assert.equal(await s.registry.read.totalDrawableUnits(), 41n * 200n, "the drawable weights are frozen");
    await mineDrawBlock(s, mixOf(1));
    const changed = await s.drawCluster();
    assert.deepEqual(changed.operatorIds, untouched.operatorIds);
    // The draw applied the recorded change (less the lock if bob's operator was drawn).
    const drawn = changed.operatorIds.includes(Number(bobs));
    assert.equal((await s.registry.read.getOperator([bobs])).freeUnits, drawn ? 5_100n : 5_200n);
    assert.equal(await s.registry.read.totalDrawableUnits(), 40n * 200n + 5_200n - 16n * 100n);
    assert.deepEqual(await s.registry.read.pendingDraw(), [0n, 0n, 0n]);
  });

  it("a different mix of the draw block draws a different cluster", async () => {
    const s = await deployOperatorRegistry(viem);
    await s.addFleet(Array(40).fill(parseEther("2")));
    await s.fundBuffer(parseEther("64"));
    const snapshot = await s.testClient.snapshot();
    await s.scheduleDraw();
    await mineDrawBlock(s, mixOf(1));
    const a = await s.drawCluster();
    await s.testClient.revert({ id: snapshot });
    await s.scheduleDraw();
    await mineDrawBlock(s, mixOf(2));
    const b = await s.drawCluster();
    assert.notDeepEqual(a.operatorIds, b.operatorIds);
  });

  it("while a draw is pending: no second request, no pause, no unbond below one lock by a drawable operator", async () => {
    const s = await deployOperatorRegistry(viem);
    const { bob } = s.accounts;
    await s.addFleet(Array(20).fill(parseEther("2")));
    const bobs = await addBobOperator(s, parseEther("2"));
    await s.fundBuffer(parseEther("64"));
    const scheduled = await s.scheduleDraw();
    assert.equal(scheduled.requestId, 1n);
    assert.equal(scheduled.drawBlock, scheduled.receipt.blockNumber + (await s.registry.read.DRAW_DELAY()));
    assert.equal(scheduled.lockUnits, 100n);
    assert.deepEqual(await s.registry.read.pendingDraw(), [1n, scheduled.drawBlock, 100n]);
    const pending = [1n, scheduled.drawBlock] as const;
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.requestValidator({ account: bob.account }),
      s.registry,
      "DrawPending",
      [...pending],
    );
    const as = { account: bob.account };
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.setOperatorPaused([bobs, true], as),
      s.registry,
      "DrawPending",
      [...pending],
    );
    // 200 units free, lock 100: unbonding 101 would leave less than a lock; 100 is fine (and recorded).
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.unbond([bobs, 101n, bob.account.address], as),
      s.registry,
      "DrawPending",
      [...pending],
    );
    await s.registry.write.unbond([bobs, 100n, bob.account.address], as);
    assert.equal((await s.registry.read.getOperator([bobs])).freeUnits, 100n);
    assert.equal(await s.registry.read.totalDrawableUnits(), 21n * 200n, "frozen");
    const event = await s.drawCluster();
    const drawn = event.operatorIds.includes(Number(bobs));
    assert.equal((await s.registry.read.getOperator([bobs])).freeUnits, drawn ? 0n : 100n);
    // After the draw everything is allowed again.
    await s.registry.write.setOperatorPaused([bobs, true], as);
  });

  it("rejects draws that are early, of the wrong request or with a header that is not the draw block's", async () => {
    const s = await deployOperatorRegistry(viem);
    await s.addFleet(Array(20).fill(parseEther("2")));
    await s.fundBuffer(parseEther("64"));
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.drawCluster([1n, "0x"]),
      s.registry,
      "NoPendingDraw",
      [1n],
    );
    const { drawBlock } = await s.scheduleDraw();
    for (const id of [0n, 2n]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.registry.write.drawCluster([id, "0x"]),
        s.registry,
        "NoPendingDraw",
        [id],
      );
    }
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.drawCluster([1n, "0x"]),
      s.registry,
      "DrawTooEarly",
      [1n, drawBlock],
    );
    await s.testClient.mine({ blocks: Number(drawBlock - (await s.publicClient.getBlockNumber())) });
    const randomness = await viem.getContractAt("BlockRandomness", await s.registry.read.BLOCK_RANDOMNESS());
    // The header of the block before: hashes fine, but to another block hash.
    const wrong = await blockHeaderRlp(s.publicClient, drawBlock - 1n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.drawCluster([1n, wrong]),
      randomness,
      "UnknownBlockHeader",
      [drawBlock],
    );
    const right = await blockHeaderRlp(s.publicClient, drawBlock);
    const block = await s.publicClient.getBlock({ blockNumber: drawBlock });
    assert.equal(await randomness.read.mixHashOf([right, drawBlock], { blockTag: "pending" }), block.mixHash);
    await s.registry.write.drawCluster([1n, right]);
    assert.equal((await s.registry.read.getRequest([1n])).status, 1);
  });
});
