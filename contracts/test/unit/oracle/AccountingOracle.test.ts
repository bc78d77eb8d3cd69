import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ReportTree } from "@nektar/crypto";
import { network } from "hardhat";
import { getAddress, parseEther } from "viem";
import {
  CHALLENGE_WINDOW,
  DisputeKind,
  deployOracleSystem,
  GWEI,
  honestState,
  type OracleSystem,
  REPORTER_BOND_UNITS,
  ReportStatus,
} from "./fixture.ts";

const { viem } = await network.create();

describe("AccountingOracle: posting and applying", () => {
  let s: OracleSystem;
  before(async () => {
    s = await deployOracleSystem(viem, 3);
  });

  it("posts a bonded report, refuses disputes of an honest one and applies it after the window", async () => {
    const frame = await s.currentFrame();
    const balances = [32n * GWEI + 10_000_000n, 32n * GWEI + 20_000_000n, 32n * GWEI];
    const state = honestState(s, balances);
    const tree = new ReportTree(s.leavesOf(state));
    assert.equal(tree.count, 3);
    const freeBefore = (await s.registry.read.getOperator([s.reporterId])).freeUnits;
    await viem.assertions.emit(s.post(frame, state, tree), s.oracle, "ReportPosted");
    const report = await s.oracle.read.getReport([frame]);
    assert.equal(report.status, ReportStatus.Pending);
    assert.equal(report.blockRoot, state.blockRoot);
    assert.equal(report.count, 3n);
    assert.equal(
      report.balanceSum,
      balances.reduce((a, b) => a + b, 0n),
    );
    assert.equal(
      (await s.registry.read.getOperator([s.reporterId])).freeUnits,
      freeBefore - BigInt(REPORTER_BOND_UNITS),
    );

    // Each dispute kind fails against the honest report.
    const leaf = tree.leaves[1];
    assert.ok(leaf);
    const index = Number(leaf.beaconIndex);
    const v = state.validatorProof(index);
    const b = state.balanceProof(index);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.disputeLeafFacts([frame, 1n, leaf, tree.leafPath(1), v.validator, v.proof, b.chunk, b.proof], {
        account: s.disputer.account,
      }),
      s.oracle,
      "DisputeRejected",
      [frame, DisputeKind.LeafFacts],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.disputeNodeSum([frame, 0n, 0n, tree.root, tree.node(1, 0), tree.node(1, 1), []], {
        account: s.disputer.account,
      }),
      s.oracle,
      "DisputeRejected",
      [frame, DisputeKind.NodeSum],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.applyReport([frame]),
      s.oracle,
      "ChallengeWindowOpen",
      [frame, report.postedAt + CHALLENGE_WINDOW],
    );
    await s.testClient.increaseTime({ seconds: Number(CHALLENGE_WINDOW) });
    await s.testClient.mine({ blocks: 1 });
    const before = await s.poolNumbers();
    await viem.assertions.emit(s.oracle.write.applyReport([frame]), s.oracle, "ReportApplied");
    const after = await s.poolNumbers();
    assert.equal((await s.oracle.read.getReport([frame])).status, ReportStatus.Applied);
    assert.deepEqual(after.beacon, [3n, balances.reduce((a, c) => a + c, 0n) * GWEI]);
    assert.ok(after.pooled > before.pooled, "rewards raised the pooled ether");
    assert.equal((await s.registry.read.getOperator([s.reporterId])).freeUnits, freeBefore, "bond released");
    assert.equal(await s.oracle.read.lastAppliedFrame(), frame);
  });
});
