import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ReportTree } from "@nektar/crypto";
import { network } from "hardhat";
import { getAddress, numberToHex } from "viem";
import {
  BEACON_ROOTS,
  CHALLENGE_WINDOW,
  DisputeKind,
  deployOracleSystem,
  GWEI,
  honestState,
  type OracleSystem,
  REPORTER_BOND_UNITS,
  ReportStatus,
  SECONDS_PER_SLOT,
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
      [frame, report.disputeDeadline],
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

describe("AccountingOracle: bad input and access control", () => {
  let s: OracleSystem;
  let frame: bigint;
  let tree: ReportTree;
  let state: ReturnType<typeof honestState>;
  before(async () => {
    s = await deployOracleSystem(viem, 3);
    frame = await s.currentFrame();
    state = honestState(s, []);
    tree = new ReportTree(s.leavesOf(state));
  });

  it("refuses a bad configuration", async () => {
    const base = {
      genesisTime: 0n,
      secondsPerSlot: 12n,
      slotsPerEpoch: 32n,
      frameSlots: 225n,
      challengeWindow: 600n,
      reporterBondUnits: 100,
      maxIncreaseBpPerDay: 10,
      maxDecreaseBpPerReport: 500,
    };
    for (const [field, value] of [
      ["secondsPerSlot", 0n],
      ["slotsPerEpoch", 0n],
      ["frameSlots", 0n],
      ["challengeWindow", 0n],
      ["challengeWindow", 2700n],
      ["reporterBondUnits", 0],
      ["maxIncreaseBpPerDay", 10_001],
      ["maxDecreaseBpPerReport", 10_001],
    ] as const) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        viem.deployContract("AccountingOracle", [s.pool.address, { ...base, [field]: value }]),
        s.oracle,
        "InvalidConfiguration",
        [field],
      );
    }
    await viem.assertions.revertWithCustomError(
      viem.deployContract("AccountingOracle", ["0x0000000000000000000000000000000000000000", base]),
      s.oracle,
      "ZeroAddress",
    );
  });

  it("only operators post, within deposits, at the frame's snapshot anchor, once per frame", async () => {
    const t = await s.anchor(frame, state);
    const { hash, sum } = tree.root;
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.postReport([frame, t, hash, 3n, sum], { account: s.disputer.account }),
      s.oracle,
      "NotAnOperator",
      [getAddress(s.disputer.account.address)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.postReport([frame, t, hash, 4n, sum], { account: s.reporter }),
      s.oracle,
      "CountExceedsDeposits",
      [4n, 3n],
    );
    // The anchor is the frame's snapshot, no other.
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.postReport([frame, t - SECONDS_PER_SLOT, hash, 3n, sum], { account: s.reporter }),
      s.oracle,
      "AnchorMismatch",
      [t - SECONDS_PER_SLOT, t],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.postReport([frame, t, hash, 3n, 2n ** 128n], { account: s.reporter }),
      s.oracle,
      "ValueTooLarge",
      [2n ** 128n],
    );
    // No root in the EIP-4788 contract for the anchor (yet).
    await s.testClient.setStorageAt({
      address: BEACON_ROOTS,
      index: numberToHex(t % 8191n, { size: 32 }),
      value: numberToHex(0n, { size: 32 }),
    });
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.postReport([frame, t, hash, 3n, sum], { account: s.reporter }),
      s.oracle,
      "BeaconRootNotFound",
      [t],
    );
    await s.anchor(frame, state);
    await s.oracle.write.postReport([frame, t, hash, 3n, sum], { account: s.reporter });
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.postReport([frame, t, hash, 3n, sum], { account: s.reporter }),
      s.oracle,
      "FrameAlreadyReported",
      [frame, ReportStatus.Pending],
    );
  });

  it("refuses malformed disputes with clear errors", async () => {
    const leaf = tree.leaves[0];
    assert.ok(leaf);
    const as = { account: s.disputer.account };
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.disputeLeafPosition([frame, 0n, leaf, []], as),
      s.oracle,
      "InvalidPathLength",
      [0n, 2n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.disputeLeafPosition([frame, 4n, leaf, tree.leafPath(0)], as),
      s.oracle,
      "PositionOutOfRange",
      [4n, 4n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.disputeLeafPosition([frame, 1n, leaf, tree.leafPath(0)], as),
      s.oracle,
      "NodeNotInTree",
      [frame, 2n, 1n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.disputeLeafPosition([frame, 0n, leaf, tree.leafPath(0)], as),
      s.oracle,
      "DisputeRejected",
      [frame, DisputeKind.LeafPosition],
    );
    await viem.assertions.revertWithCustomError(
      s.oracle.write.disputeNodeSum([frame, 0n, 0n, tree.root, tree.node(1, 1), tree.node(1, 0), []], as),
      s.oracle,
      "OpeningMismatch",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.disputeNodeSum([frame, 2n, 0n, tree.root, tree.node(1, 1), tree.node(1, 0), []], as),
      s.oracle,
      "PositionOutOfRange",
      [2n, 2n],
    );
    // A record that is not the leaf's validator fails its beacon proof.
    const v = state.validatorProof(0);
    const b = state.balanceProof(Number(leaf.beaconIndex));
    await viem.assertions.revertWithCustomError(
      s.oracle.write.disputeLeafFacts([frame, 0n, leaf, tree.leafPath(0), v.validator, v.proof, b.chunk, b.proof], as),
      s.oracle,
      "InvalidMerkleProof",
    );
    // A foreign validator is not a missing protocol validator.
    const foreign = state.validatorProof(2);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.disputeMissingValidator(
        [
          frame,
          {
            position: 0n,
            below: leaf,
            belowPath: tree.leafPath(0),
            above: tree.leaves[1] as never,
            abovePath: tree.leafPath(1),
          },
          2n,
          foreign.validator,
          foreign.proof,
        ],
        as,
      ),
      s.oracle,
      "NotProtocolValidator",
      [2n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.disputeLeafPosition([frame + 1n, 0n, leaf, tree.leafPath(0)], as),
      s.oracle,
      "ReportNotPending",
      [frame + 1n, ReportStatus.None],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.applyChecked([frame, 0n, 0n]),
      s.oracle,
      "OnlySelf",
      [],
    );
  });

  it("closes disputes with the window, then applies; disputes of an applied report are refused", async () => {
    const report = await s.oracle.read.getReport([frame]);
    await s.testClient.increaseTime({ seconds: Number(CHALLENGE_WINDOW) });
    await s.testClient.mine({ blocks: 1 });
    const leaf = tree.leaves[0];
    assert.ok(leaf);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.disputeLeafPosition([frame, 0n, leaf, tree.leafPath(0)], { account: s.disputer.account }),
      s.oracle,
      "ChallengeWindowClosed",
      [frame, report.disputeDeadline],
    );
    await s.oracle.write.applyReport([frame]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.disputeLeafPosition([frame, 0n, leaf, tree.leafPath(0)], { account: s.disputer.account }),
      s.oracle,
      "ReportNotPending",
      [frame, ReportStatus.Applied],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.applyReport([frame]),
      s.oracle,
      "ReportNotPending",
      [frame, ReportStatus.Applied],
    );
  });

  it("rejects (without slashing) a report whose rate move exceeds the limits, and a lower count", async () => {
    const next = await s.nextFrame();
    // Every validator lost its whole balance: -96 ETH, about 13% of the pooled ether (bonds included), beyond 5%.
    const crash = honestState(s, [0n, 0n, 0n]);
    const crashTree = new ReportTree(s.leavesOf(crash));
    await s.post(next, crash, crashTree);
    await s.testClient.increaseTime({ seconds: Number(CHALLENGE_WINDOW) });
    await s.testClient.mine({ blocks: 1 });
    const before = await s.poolNumbers();
    const bond = (await s.registry.read.getOperator([s.reporterId])).bondUnits;
    await viem.assertions.emit(s.oracle.write.applyReport([next]), s.oracle, "ReportRejected");
    assert.equal((await s.oracle.read.getReport([next])).status, ReportStatus.Rejected);
    assert.deepEqual(await s.poolNumbers(), before);
    assert.equal((await s.registry.read.getOperator([s.reporterId])).bondUnits, bond);
    // A rejected frame may be reported again; a count below what the pool saw is refused.
    const t = await s.anchor(next, crash);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.postReport([next, t, crashTree.root.hash, 2n, 0n], { account: s.reporter }),
      s.oracle,
      "CountBelowPrevious",
      [2n, 3n],
    );
  });
});

describe("OperatorRegistry and StakingPool: oracle-only bond and burn entry points", () => {
  it("refuses reporter-bond calls from anyone but the oracle, and share burns from anyone but the registry", async () => {
    const s = await deployOracleSystem(viem, 0);
    const { carol } = s.accounts;
    for (const call of [
      s.registry.write.lockReporterBond([1n, 1n], { account: carol.account }),
      s.registry.write.releaseReporterBond([1n, 1n], { account: carol.account }),
      s.registry.write.slashReporterBond([1n, 2n, carol.account.address, 1n], { account: carol.account }),
      s.registry.write.recordValidatorStatus([1n, 3], { account: carol.account }),
    ]) {
      await viem.assertions.revertWithCustomErrorWithArgs(call, s.registry, "NotAccountingOracle", [
        getAddress(carol.account.address),
      ]);
    }
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.pool.write.burnShares([1n], { account: carol.account }),
      s.pool,
      "NotValidatorRegistry",
      [getAddress(carol.account.address)],
    );
  });
});
