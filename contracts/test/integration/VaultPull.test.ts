import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ReportTree } from "@nektar/crypto";
import { network } from "hardhat";
import { getAddress, parseEther } from "viem";
import {
  CHALLENGE_WINDOW,
  deployOracleSystem,
  GWEI,
  honestState,
  type OracleSystem,
  ReportStatus,
  SECONDS_PER_SLOT,
} from "../unit/oracle/fixture.ts";

const { viem } = await network.create();

async function passWindow(s: OracleSystem) {
  await s.testClient.increaseTime({ seconds: Number(CHALLENGE_WINDOW) });
  await s.testClient.mine({ blocks: 1 });
}

/**
 * The withdrawal vault figure is not reported any more: `OracleProver.snapshotFrame` fixes a frame's anchor at the
 * slot of its own block and reads the vault's balance in the same transaction, and the pool pulls what arrived up to
 * then. The attack this closes (reproduced against the previous code in commit a0c0ab2, where it passed): a report
 * claiming the vault's balance at posting time, which included 1 ETH the withdrawal sweep moved out of a validator
 * after the anchor, applied and counted that ether twice (once in the anchored beacon balance, once in the vault).
 */
describe("integration: the withdrawal vault pull needs no reported figure and counts every wei once", () => {
  it("ether reaching the vault after the snapshot is not pulled by that frame; the next frame pulls it once", async () => {
    const s = await deployOracleSystem(viem, 3);
    await s.testClient.increaseTime({ seconds: 86_400 });
    await s.testClient.mine({ blocks: 1 });
    let frame = await s.currentFrame();
    // At the anchor one validator holds 33 ETH; right after it, the withdrawal sweep skims 1 ETH into the vault.
    const state = honestState(s, [33n * GWEI, 32n * GWEI, 32n * GWEI]);
    const tree = new ReportTree(s.leavesOf(state));
    const before = await s.poolNumbers();
    await s.snapshot(frame);
    await s.testClient.setBalance({ address: s.vault.address, value: parseEther("1") });
    await s.post(frame, state, tree);
    const report = await s.oracle.read.getReport([frame]);
    assert.equal(report.withdrawalVaultBalance, 0n, "the report's pull is the snapshot's: nothing");
    await passWindow(s);
    await s.oracle.write.applyReport([frame]);
    assert.equal((await s.oracle.read.getReport([frame])).status, ReportStatus.Applied);
    const after = await s.poolNumbers();
    // The protocol owns 1 ETH more than before (97 on the beacon chain at the anchor): counted once.
    assert.equal(after.pooled - before.pooled, parseEther("1"));
    assert.equal(await s.publicClient.getBalance({ address: s.vault.address }), parseEther("1"), "left in the vault");
    assert.equal(await s.prover.read.vaultPulled(), 0n);

    // Next frame: the skim left the beacon balance (32 ETH each) and is pulled from the vault: no change at all.
    frame = await s.nextFrame();
    const flat = honestState(s, [32n * GWEI, 32n * GWEI, 32n * GWEI]);
    await s.post(frame, flat, new ReportTree(s.leavesOf(flat)));
    assert.equal((await s.oracle.read.getReport([frame])).withdrawalVaultBalance, parseEther("1"));
    await passWindow(s);
    await s.oracle.write.applyReport([frame]);
    assert.equal((await s.oracle.read.getReport([frame])).status, ReportStatus.Applied);
    assert.equal((await s.poolNumbers()).pooled, after.pooled);
    assert.equal(await s.publicClient.getBalance({ address: s.vault.address }), 0n);
    assert.equal(await s.prover.read.vaultPulled(), parseEther("1"));
  });

  it("a frame applied after another pulled from the vault takes only what arrived since (cumulative inflow)", async () => {
    const s = await deployOracleSystem(viem, 3);
    await s.testClient.increaseTime({ seconds: 86_400 });
    await s.testClient.mine({ blocks: 1 });
    let frame = await s.currentFrame();
    await s.testClient.setBalance({ address: s.vault.address, value: parseEther("0.5") });
    const state = honestState(s, [32n * GWEI, 32n * GWEI, 32n * GWEI]);
    await s.post(frame, state, new ReportTree(s.leavesOf(state)));
    await passWindow(s);
    await s.oracle.write.applyReport([frame]);
    assert.equal(await s.prover.read.vaultPulled(), parseEther("0.5"));
    frame = await s.nextFrame();
    await s.testClient.setBalance({ address: s.vault.address, value: parseEther("0.2") });
    await s.snapshot(frame);
    const [, pull] = await s.prover.read.frameSnapshot([frame]);
    assert.equal(pull, parseEther("0.2"));
    // A voided or replaced report keeps the frame's snapshot: same anchor, same pull.
    await s.post(frame, state, new ReportTree(s.leavesOf(state)));
    await passWindow(s);
    const pooled = (await s.poolNumbers()).pooled;
    await s.oracle.write.applyReport([frame]);
    assert.equal((await s.poolNumbers()).pooled - pooled, parseEther("0.2"));
    assert.equal(await s.prover.read.vaultPulled(), parseEther("0.7"));
  });

  it("snapshotFrame: anyone, once per current frame, inside the anchor window; the anchor is this block's slot", async () => {
    const s = await deployOracleSystem(viem, 3);
    const frame = await s.currentFrame();
    const ref = await s.oracle.read.frameReferenceTime([frame]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.snapshotFrame([frame + 1n], { account: s.disputer.account }),
      s.prover,
      "NotCurrentFrame",
      [frame + 1n, frame],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.postReport([frame, ref + SECONDS_PER_SLOT, `0x${"00".repeat(32)}`, 3n, 0n], {
        account: s.reporter,
      }),
      s.oracle,
      "FrameNotSnapshotted",
      [frame],
    );
    const zero = `0x${"00".repeat(32)}` as const;
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.startProofFrame([frame, 0n, 0n, zero, [], zero, []]),
      s.prover,
      "FrameNotSnapshotted",
      [frame],
    );
    const tx = s.prover.write.snapshotFrame([frame], { account: s.disputer.account });
    await viem.assertions.emit(tx, s.prover, "FrameSnapshotted");
    const block = await s.publicClient.getBlock();
    const [anchor] = await s.prover.read.frameSnapshot([frame]);
    assert.equal((anchor - ref) % SECONDS_PER_SLOT, 0n, "a slot time");
    assert.ok(anchor >= block.timestamp && anchor < block.timestamp + SECONDS_PER_SLOT, "the slot of the block");
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.snapshotFrame([frame]),
      s.prover,
      "FrameAlreadySnapshotted",
      [frame, anchor],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.takeVaultPull([frame], { account: s.disputer.account }),
      s.prover,
      "OnlyOracle",
      [getAddress(s.disputer.account.address)],
    );
    // The frame's last slot: its slot time is the next frame's reference time, outside this frame.
    const next = frame + 1n;
    const nextRef = await s.oracle.read.frameReferenceTime([next]);
    const latest = (await s.publicClient.getBlock()).timestamp;
    await s.testClient.increaseTime({ seconds: Number(nextRef + 1n - latest) });
    await s.testClient.mine({ blocks: 1 });
    // Frame `next` is current now; move to its last slot.
    const lastSlot = (await s.oracle.read.frameReferenceTime([next + 1n])) - SECONDS_PER_SLOT + 2n;
    const now = (await s.publicClient.getBlock()).timestamp;
    await s.testClient.increaseTime({ seconds: Number(lastSlot - now) });
    await s.testClient.mine({ blocks: 1 });
    await viem.assertions.revertWithCustomError(s.prover.write.snapshotFrame([next]), s.prover, "AnchorOutsideFrame");
  });
});
