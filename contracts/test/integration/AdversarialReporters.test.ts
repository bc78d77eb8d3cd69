import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  type AnchoredBeaconState,
  type CombineNodes,
  honestCombine,
  type ReportLeaf,
  ReportTree,
  reportInnerHash,
  reportLeafNode,
} from "@nektar/crypto";
import { network } from "hardhat";
import { getAddress } from "viem";
import {
  BOND_UNIT_SHARES,
  CHALLENGE_WINDOW,
  DisputeKind,
  deployOracleSystem,
  GWEI,
  honestState,
  type OracleSystem,
  REPORTER_BOND_UNITS,
  ReportStatus,
} from "../unit/oracle/fixture.ts";

const { viem } = await network.create();

/** Overrides one node's claim while keeping every hash consistent with what it claims. */
function tamper(depth: number, position: number, change: (n: { count: bigint; sum: bigint }) => void): CombineNodes {
  return (left, right, d, p) => {
    const node = honestCombine(left, right, d, p);
    if (d === depth && p === position) change(node);
    return { ...node, hash: reportInnerHash(left, right) };
  };
}

const ONE_ETH_GWEI = GWEI;

describe("integration: adversarial reporters are disputed, voided and pay; divETH never rebases on them", () => {
  let s: OracleSystem;
  let frame: bigint;
  let state: AnchoredBeaconState;
  let leaves: ReportLeaf[];
  const balances = [32n * GWEI + 5_000_000n, 32n * GWEI + 6_000_000n, 32n * GWEI + 7_000_000n];

  before(async () => {
    s = await deployOracleSystem(viem, 3);
    frame = await s.currentFrame();
    state = honestState(s, balances);
    leaves = s.leavesOf(state);
    assert.equal(leaves.length, 3);
  });

  /** Posts `tree`, runs `dispute`, and checks the report is voided, the bond paid and the rate untouched. */
  async function attack(tree: ReportTree, kind: number, dispute: () => Promise<`0x${string}`>, at = state) {
    await s.post(frame, at, tree);
    const pool = await s.poolNumbers();
    const bondBefore = (await s.registry.read.getOperator([s.reporterId])).bondUnits;
    const disputerBefore = await s.pool.read.sharesOf([s.disputer.account.address]);
    const paid = (BigInt(REPORTER_BOND_UNITS) / 2n) * BOND_UNIT_SHARES;
    await viem.assertions.emitWithArgs(dispute(), s.oracle, "ReportDisputed", [
      frame,
      getAddress(s.disputer.account.address),
      kind,
      paid,
      paid,
    ]);
    assert.equal((await s.oracle.read.getReport([frame])).status, ReportStatus.Voided);
    assert.equal(
      (await s.registry.read.getOperator([s.reporterId])).bondUnits,
      bondBefore - BigInt(REPORTER_BOND_UNITS),
    );
    assert.equal(await s.pool.read.sharesOf([s.disputer.account.address]), disputerBefore + paid);
    const after = await s.poolNumbers();
    // The report's numbers never reach the pool: same ether, same beacon stats; only the burned half of the bond
    // leaves the share supply (which raises the rate for holders).
    assert.equal(after.pooled, pool.pooled);
    assert.deepEqual(after.beacon, pool.beacon);
    assert.equal(after.shares, pool.shares - paid);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.applyReport([frame]),
      s.oracle,
      "ReportNotPending",
      [frame, ReportStatus.Voided],
    );
  }

  const as = () => ({ account: s.disputer.account });

  /** Posts `lie` and disputes its leaf 1 with that validator's record and balance proofs from `at`. */
  async function leafFactsAttack(lie: ReportLeaf[], at: AnchoredBeaconState) {
    const tree = new ReportTree(lie);
    const i = Number(lie[1]?.beaconIndex);
    const v = at.validatorProof(i);
    const b = at.balanceProof(i);
    await attack(
      tree,
      DisputeKind.LeafFacts,
      () =>
        s.oracle.write.disputeLeafFacts(
          [frame, 1n, tree.leaves[1] as ReportLeaf, tree.leafPath(1), v.validator, v.proof, b.chunk, b.proof],
          as(),
        ),
      at,
    );
  }

  it("inflated balance: disproved by the validator's balance proof", async () => {
    const lie = leaves.map((l, i) => (i === 1 ? { ...l, balance: l.balance + ONE_ETH_GWEI } : l));
    await leafFactsAttack(lie, state);
  });

  it("hidden slashing: a slashed, exiting validator reported as healthy is disproved by its record", async () => {
    const slashedState = honestState(
      s,
      [balances[0] as bigint, 31n * GWEI, balances[2] as bigint],
      [{}, { slashed: true, exitEpoch: 20n, withdrawableEpoch: 8212n }],
    );
    const truth = s.leavesOf(slashedState);
    assert.equal(truth[1]?.slashed, true);
    const lie = truth.map((l, i) => (i === 1 ? { ...l, slashed: false, exited: false, balance: 32n * GWEI } : l));
    await leafFactsAttack(lie, slashedState);
  });

  it("a predeposit counted as a validator: its record shows the top-up not applied (no activation eligibility)", async () => {
    // Validator 1's 31 ETH top-up is still pending on the beacon chain: 1 ETH balance, eligibility unset. The pool
    // carries that ether itself, so the honest tree leaves it out and a leaf for it is disproved by the record.
    const pending = honestState(
      s,
      [balances[0] as bigint, GWEI, balances[2] as bigint],
      [{}, { predeposit: true, effectiveBalance: GWEI }],
    );
    assert.deepEqual(
      s.leavesOf(pending).map((l) => l.beaconIndex),
      [leaves[0]?.beaconIndex, leaves[2]?.beaconIndex],
    );
    const lie = leaves.map((l, i) => (i === 1 ? { ...l, balance: GWEI } : l));
    await leafFactsAttack(lie, pending);
  });

  it("missing validator (in the middle and at the end): disproved by the missing validator's record", async () => {
    const middle = [leaves[0], leaves[2]] as ReportLeaf[];
    const tree = new ReportTree(middle);
    const missing = Number(leaves[1]?.beaconIndex);
    const v = state.validatorProof(missing);
    await attack(tree, DisputeKind.MissingValidator, () =>
      s.oracle.write.disputeMissingValidator(
        [
          frame,
          {
            position: 0n,
            below: tree.leaves[0] as ReportLeaf,
            belowPath: tree.leafPath(0),
            above: tree.leaves[1] as ReportLeaf,
            abovePath: tree.leafPath(1),
          },
          BigInt(missing),
          v.validator,
          v.proof,
        ],
        as(),
      ),
    );
    const head = [leaves[0], leaves[1]] as ReportLeaf[];
    const short = new ReportTree(head);
    const last = Number(leaves[2]?.beaconIndex);
    const w = state.validatorProof(last);
    await attack(short, DisputeKind.MissingValidator, () =>
      s.oracle.write.disputeMissingValidator(
        [
          frame,
          {
            position: 1n,
            below: short.leaves[1] as ReportLeaf,
            belowPath: short.leafPath(1),
            above: short.leaves[1] as ReportLeaf,
            abovePath: [],
          },
          BigInt(last),
          w.validator,
          w.proof,
        ],
        as(),
      ),
    );
  });

  it("wrong count: a root claiming fewer validators than its children hold is disproved at the root", async () => {
    const tree = new ReportTree(leaves, {
      combine: tamper(0, 0, (n) => {
        n.count -= 1n;
      }),
    });
    assert.equal(tree.root.count, 2n);
    await attack(tree, DisputeKind.NodeSum, () =>
      s.oracle.write.disputeNodeSum([frame, 0n, 0n, tree.root, tree.node(1, 0), tree.node(1, 1), []], as()),
    );
  });

  it("wrong inner sum: an inflated inner node is disproved by its children", async () => {
    const tree = new ReportTree(leaves, {
      combine: tamper(1, 0, (n) => {
        n.sum += ONE_ETH_GWEI;
      }),
    });
    await attack(tree, DisputeKind.NodeSum, () =>
      s.oracle.write.disputeNodeSum(
        [frame, 1n, 0n, tree.node(1, 0), tree.node(2, 0), tree.node(2, 1), tree.path(1, 0)],
        as(),
      ),
    );
  });

  it("a leaf claiming a sum other than its balance is disproved by opening it", async () => {
    const nodes = leaves.map(reportLeafNode);
    const first = nodes[0];
    assert.ok(first);
    nodes[0] = { ...first, sum: first.sum + ONE_ETH_GWEI };
    const tree = new ReportTree(leaves, { leafNodes: nodes });
    await attack(tree, DisputeKind.LeafSum, () =>
      s.oracle.write.disputeLeafSum([frame, 0n, tree.node(2, 0), leaves[0] as ReportLeaf, tree.leafPath(0)], as()),
    );
  });

  it("leaves out of order, past the count or beyond the beacon registry are disproved", async () => {
    const swapped = [leaves[1], leaves[0], leaves[2]] as ReportLeaf[];
    const tree = new ReportTree(swapped);
    await attack(tree, DisputeKind.LeafOrder, () =>
      s.oracle.write.disputeLeafOrder(
        [frame, 0n, swapped[0] as ReportLeaf, tree.leafPath(0), swapped[1] as ReportLeaf, tree.leafPath(1)],
        as(),
      ),
    );

    // Leaves at positions 0, 1, 3 (a gap at 2): every sum is right, but position 3 is past the count.
    const l = leaves.map(reportLeafNode);
    const gap = new ReportTree(leaves, {
      leafNodes: [l[0], l[1], { hash: `0x${"00".repeat(32)}`, count: 0n, sum: 0n }, l[2]] as never,
    });
    await attack(gap, DisputeKind.LeafPosition, () =>
      s.oracle.write.disputeLeafPosition([frame, 3n, leaves[2] as ReportLeaf, gap.leafPath(3)], as()),
    );

    const ghost = { beaconIndex: 1000n, balance: 32n * GWEI, exited: false, slashed: false };
    const fake = new ReportTree([leaves[0], leaves[1], ghost] as ReportLeaf[]);
    const list = state.validatorsRootProof();
    await attack(fake, DisputeKind.LeafBeyondRegistry, () =>
      s.oracle.write.disputeLeafBeyondRegistry(
        [frame, 2n, ghost, fake.leafPath(2), list.dataRoot, list.length, list.proof],
        as(),
      ),
    );
  });

  it("replayed old report: refused for its own frame, disproved when replayed in a later frame", async () => {
    const honest = new ReportTree(leaves);
    await s.post(frame, state, honest);
    await s.testClient.increaseTime({ seconds: Number(CHALLENGE_WINDOW) });
    await s.testClient.mine({ blocks: 1 });
    await s.oracle.write.applyReport([frame]);
    const applied = await s.poolNumbers();
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.post(frame, state, honest),
      s.oracle,
      "FrameAlreadyFinalized",
      [frame, frame],
    );

    const old = frame;
    frame = await s.nextFrame();
    const later = honestState(
      s,
      balances.map((b) => b + 1_000_000n),
    );
    const i = Number(leaves[0]?.beaconIndex);
    const v = later.validatorProof(i);
    const b = later.balanceProof(i);
    await attack(
      honest,
      DisputeKind.LeafFacts,
      () =>
        s.oracle.write.disputeLeafFacts(
          [frame, 0n, leaves[0] as ReportLeaf, honest.leafPath(0), v.validator, v.proof, b.chunk, b.proof],
          as(),
        ),
      later,
    );
    assert.deepEqual((await s.poolNumbers()).beacon, applied.beacon);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.postReport([old, 0n, honest.root.hash, 3n, honest.root.sum], { account: s.reporter }),
      s.oracle,
      "NotCurrentFrame",
      [old, frame],
    );
  });

  it("report for a future frame or a future anchor is refused outright", async () => {
    frame = await s.currentFrame();
    const tree = new ReportTree(leaves);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.postReport([frame + 1n, 0n, tree.root.hash, 3n, tree.root.sum], { account: s.reporter }),
      s.oracle,
      "NotCurrentFrame",
      [frame + 1n, frame],
    );
    const now = (await s.publicClient.getBlock()).timestamp;
    const ref = await s.oracle.read.frameReferenceTime([frame]);
    const t = await s.snapshot(frame);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.postReport([frame, now + 100n, tree.root.hash, 3n, tree.root.sum], { account: s.reporter }),
      s.oracle,
      "AnchorMismatch",
      [now + 100n, t],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.oracle.write.postReport([frame, ref, tree.root.hash, 3n, tree.root.sum], { account: s.reporter }),
      s.oracle,
      "AnchorMismatch",
      [ref, t],
    );
  });
});
