import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type ReportLeaf, ReportTree } from "@nektar/crypto";
import { network } from "hardhat";
import { getAddress, parseEther, parseEventLogs } from "viem";
import { CHALLENGE_WINDOW, DisputeKind, deployOracleSystem, GWEI, honestState, ReportStatus } from "./fixture.ts";

const { viem } = await network.create();
const DEPOSIT = parseEther("0.01");

describe("AccountingOracle: leaf reveals (the chain holds only the root)", () => {
  it("a withheld tree is voided: an unanswered reveal request voids the report and rewards the requester", async () => {
    const s = await deployOracleSystem(viem, 3);
    const frame = await s.currentFrame();
    const state = honestState(s, []);
    // A lie the reporter keeps to itself: every leaf inflated by 1 ETH.
    const lie = new ReportTree(s.leavesOf(state).map((l) => ({ ...l, balance: l.balance + GWEI })));
    await s.post(frame, state, lie);
    const as = { account: s.disputer.account };
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.requestLeaf([frame, 0n], { ...as, value: 1n }),
      s.oracle,
      "WrongRevealDeposit",
      [1n, DEPOSIT],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.requestLeaf([frame, 4n], { ...as, value: DEPOSIT }),
      s.oracle,
      "PositionOutOfRange",
      [4n, 4n],
    );
    await viem.assertions.emit(
      s.oracle.write.requestLeaf([frame, 0n], { ...as, value: DEPOSIT }),
      s.oracle,
      "LeafRequested",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.requestLeaf([frame, 0n], { ...as, value: DEPOSIT }),
      s.oracle,
      "RevealAlreadyRequested",
      [frame, 0n],
    );
    const request = await s.oracle.read.revealRequest([frame, 0n, 0n]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.voidUnrevealed([frame, 0n]),
      s.oracle,
      "RevealDeadline",
      [frame, 0n, request.deadline],
    );
    await s.testClient.increaseTime({ seconds: Number(CHALLENGE_WINDOW) });
    await s.testClient.mine({ blocks: 1 });
    // The open request blocks the report from applying even after its window.
    await viem.assertions.revertWithCustomError(s.oracle.write.applyReport([frame]), s.oracle, "RevealsOpen");
    const pool = await s.poolNumbers();
    await viem.assertions.emitWithArgs(s.oracle.write.voidUnrevealed([frame, 0n]), s.oracle, "ReportDisputed", [
      frame,
      getAddress(s.disputer.account.address),
      DisputeKind.Unrevealed,
      50n * 10n ** 16n,
      50n * 10n ** 16n,
    ]);
    assert.equal((await s.oracle.read.getReport([frame])).status, ReportStatus.Voided);
    assert.equal((await s.poolNumbers()).pooled, pool.pooled);
    assert.equal(await s.oracle.read.claimable([s.disputer.account.address]), DEPOSIT);
    const before = await s.publicClient.getBalance({ address: s.disputer.account.address });
    const receipt = await s.publicClient.waitForTransactionReceipt({
      hash: await s.oracle.write.withdrawClaimable(as),
    });
    const after = await s.publicClient.getBalance({ address: s.disputer.account.address });
    assert.equal(after - before + receipt.gasUsed * receipt.effectiveGasPrice, DEPOSIT);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.withdrawClaimable(as),
      s.oracle,
      "NothingToClaim",
      [getAddress(s.disputer.account.address)],
    );
  });

  it("a revealed leaf pays the revealer, extends the window and is then disputed from the revealed data", async () => {
    const s = await deployOracleSystem(viem, 3);
    const frame = await s.currentFrame();
    const state = honestState(s, []);
    const leaves = s.leavesOf(state).map((l, i) => (i === 2 ? { ...l, balance: l.balance + GWEI } : l));
    const lie = new ReportTree(leaves);
    await s.post(frame, state, lie);
    const as = { account: s.disputer.account };
    await s.oracle.write.requestLeaf([frame, 2n], { ...as, value: DEPOSIT });
    await s.oracle.write.requestLeaf([frame, 3n], { ...as, value: DEPOSIT });
    // A wrong path is refused; the reporter (who has the tree) reveals.
    await viem.assertions.revertWithCustomError(
      s.oracle.write.revealLeaf([frame, 2n, lie.node(2, 2), leaves[2] as ReportLeaf, lie.leafPath(1)], {
        account: s.reporter,
      }),
      s.oracle,
      "NodeNotInTree",
    );
    const hash = await s.oracle.write.revealLeaf(
      [frame, 2n, lie.node(2, 2), leaves[2] as ReportLeaf, lie.leafPath(2)],
      {
        account: s.reporter,
      },
    );
    await s.oracle.write.revealLeaf([frame, 3n, lie.node(2, 3), leaves[0] as ReportLeaf, lie.leafPath(3)], {
      account: s.reporter,
    });
    assert.equal(await s.oracle.read.claimable([s.reporter.address]), 2n * DEPOSIT);
    // The disputer rebuilds the dispute from the event alone.
    const receipt = await s.publicClient.waitForTransactionReceipt({ hash });
    const [revealed] = parseEventLogs({ abi: s.oracle.abi, logs: receipt.logs, eventName: "LeafRevealed" });
    assert.ok(revealed);
    const { leaf, path } = revealed.args;
    const i = Number(leaf.beaconIndex);
    const v = state.validatorProof(i);
    const b = state.balanceProof(i);
    await viem.assertions.emit(
      s.oracle.write.disputeLeafFacts([frame, 2n, leaf, path, v.validator, v.proof, b.chunk, b.proof], as),
      s.oracle,
      "ReportDisputed",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.reclaimRevealDeposit([frame, 0n, 2n], as),
      s.oracle,
      "NoOpenReveal",
      [frame, 2n],
    );
  });

  it("an unanswered request of a report voided otherwise is reclaimed; the frame's next report has fresh requests", async () => {
    const s = await deployOracleSystem(viem, 3);
    const frame = await s.currentFrame();
    const state = honestState(s, []);
    const leaves = s.leavesOf(state);
    const wrong = new ReportTree([leaves[1], leaves[0], leaves[2]] as ReportLeaf[]);
    await s.post(frame, state, wrong);
    const as = { account: s.disputer.account };
    await s.oracle.write.requestLeaf([frame, 1n], { ...as, value: DEPOSIT });
    await viem.assertions.revertWithCustomError(
      s.oracle.write.reclaimRevealDeposit([frame, 0n, 1n], as),
      s.oracle,
      "ReportNotPending",
    );
    await s.oracle.write.disputeLeafOrder(
      [frame, 0n, wrong.leaves[0] as ReportLeaf, wrong.leafPath(0), wrong.leaves[1] as ReportLeaf, wrong.leafPath(1)],
      as,
    );
    await s.oracle.write.reclaimRevealDeposit([frame, 0n, 1n], as);
    assert.equal(await s.oracle.read.claimable([s.disputer.account.address]), DEPOSIT);
    const honest = new ReportTree(leaves);
    await s.post(frame, state, honest);
    assert.equal((await s.oracle.read.getReport([frame])).version, 1);
    await s.oracle.write.requestLeaf([frame, 1n], { ...as, value: DEPOSIT });
    await s.oracle.write.revealLeaf([frame, 1n, honest.node(2, 1), leaves[1] as ReportLeaf, honest.leafPath(1)], {
      account: s.reporter,
    });
    const report = await s.oracle.read.getReport([frame]);
    await s.testClient.increaseTime({
      seconds: Number(report.disputeDeadline - (await s.publicClient.getBlock()).timestamp),
    });
    await s.testClient.mine({ blocks: 1 });
    await viem.assertions.emit(s.oracle.write.applyReport([frame]), s.oracle, "ReportApplied");
  });
});
