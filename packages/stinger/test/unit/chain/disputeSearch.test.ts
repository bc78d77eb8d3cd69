import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ssz } from "@lodestar/types";
import { AnchoredBeaconState, type CombineNodes, honestCombine, type ReportLeaf, ReportTree } from "@nektar/crypto";
import type { OracleDispute, RevealedLeaf } from "@nektar/sdk";
import { nextDisputeStep, siblingPath } from "../../../src/chain/disputeSearch.ts";

// The state only travels into the dispute (its proofs are built when it is sent): any anchored state will do here.
const state = new AnchoredBeaconState(ssz.electra.BeaconState.defaultViewDU(), {
  slot: 0,
  proposerIndex: 0,
  parentRoot: new Uint8Array(32),
  bodyRoot: new Uint8Array(32),
});

const leaf = (beaconIndex: number, gwei = 32_000_000_000n): ReportLeaf => ({
  beaconIndex: BigInt(beaconIndex),
  balance: gwei,
  exited: false,
  slashed: false,
});

const HONEST = [3, 5, 8, 9, 12, 14].map((i) => leaf(i, 32_000_000_000n + BigInt(i)));

function open(tree: ReportTree, position: number): RevealedLeaf {
  return {
    position,
    node: tree.node(tree.depth, position),
    leaf: tree.leaves[position] ?? leaf(0, 0n),
    path: tree.leafPath(position),
  };
}

/**
 * Runs the search against a lying reporter that answers every request from its tree, as the chain would show the
 * openings; returns the dispute it ends in and the positions it asked for.
 */
function search(lying: ReportTree, honestLeaves: ReportLeaf[] = HONEST, validatorCount = 64) {
  const honest = new ReportTree(honestLeaves);
  const openings: RevealedLeaf[] = [];
  const requested = new Set<number>();
  for (let round = 0; round < 20; round++) {
    const step = nextDisputeStep({ root: lying.root, honest, openings, requested, state, validatorCount });
    if (step.step === "dispute") return { dispute: step.dispute, asked: [...requested] };
    if (step.step === "manual") assert.fail(`no dispute found: ${step.reason}`);
    assert.ok(!requested.has(step.position), `position ${step.position} asked twice`);
    requested.add(step.position);
    openings.push(open(lying, step.position));
  }
  assert.fail("the search did not end");
}

const kind = (d: OracleDispute) => d.kind;

describe("nextDisputeStep: the automatic dispute of a wrong report", () => {
  it("an inflated balance: descends to the leaf in log n openings and disputes its facts", () => {
    const lies = HONEST.map((l, i) => (i === 3 ? { ...l, balance: l.balance + 1_000_000_000n } : l));
    const { dispute, asked } = search(new ReportTree(lies));
    assert.equal(kind(dispute), "revealedLeafFacts");
    assert.ok(dispute.kind === "revealedLeafFacts" && dispute.position === 3);
    assert.ok(asked.length <= 3, `asked ${asked}`);
  });

  it("a hidden slashing (flags) is disputed by its facts", () => {
    const lies = HONEST.map((l, i) => (i === 5 ? { ...l, slashed: true } : l));
    assert.equal(kind(search(new ReportTree(lies)).dispute), "revealedLeafFacts");
  });

  it("an inner node with the honest hash but an invented sum: disputed with our children after one opening", () => {
    const inflate: CombineNodes = (l, r, depth, position) => {
      const n = honestCombine(l, r, depth, position);
      return depth === 1 && position === 1 ? { ...n, sum: n.sum + 5_000_000_000n } : n;
    };
    const { dispute, asked } = search(new ReportTree(HONEST, { combine: inflate }));
    assert.equal(kind(dispute), "revealedNodeSum");
    assert.ok(dispute.kind === "revealedNodeSum" && dispute.depth === 1 && dispute.position === 1);
    assert.deepEqual(asked, [0]);
  });

  it("a wrong inner count or sum at the root is disputed without any opening", () => {
    const honest = new ReportTree(HONEST);
    const root = { ...honest.root, count: honest.root.count + 1n };
    const step = nextDisputeStep({ root, honest, openings: [], requested: new Set(), state, validatorCount: 64 });
    assert.ok(step.step === "dispute" && step.dispute.kind === "revealedNodeSum" && step.dispute.depth === 0);
  });

  it("two adjacent validators swapped: disputes their order", () => {
    const swapped = [...HONEST];
    [swapped[2], swapped[3]] = [swapped[3] as ReportLeaf, swapped[2] as ReportLeaf];
    const { dispute } = search(new ReportTree(swapped));
    assert.equal(kind(dispute), "revealedLeafOrder");
    if (dispute.kind === "revealedLeafOrder") {
      assert.equal(dispute.second.position, dispute.first.position + 1);
      assert.ok(dispute.first.leaf.beaconIndex >= dispute.second.leaf.beaconIndex);
    }
  });

  it("two distant validators swapped: an order dispute or a gap between adjacent openings (both hold on-chain)", () => {
    const swapped = [...HONEST];
    [swapped[1], swapped[3]] = [swapped[3] as ReportLeaf, swapped[1] as ReportLeaf];
    const { dispute } = search(new ReportTree(swapped));
    assert.ok(["revealedLeafOrder", "revealedMissingValidator"].includes(kind(dispute)));
  });

  it("a duplicated validator in place of another: disputed by order (equal indices) or facts", () => {
    const dup = HONEST.map((l, i) => (i === 2 ? (HONEST[1] as ReportLeaf) : l));
    assert.ok(["revealedLeafOrder", "revealedLeafFacts"].includes(kind(search(new ReportTree(dup)).dispute)));
  });

  it("a validator left out (same tree depth): a missing-validator dispute between two openings", () => {
    const { dispute } = search(new ReportTree(HONEST.filter((_, i) => i !== 3)));
    assert.equal(kind(dispute), "revealedMissingValidator");
    assert.ok(dispute.kind === "revealedMissingValidator" && dispute.beaconIndex === 9);
  });

  it("the first validator left out: disputed before the first leaf", () => {
    const { dispute } = search(new ReportTree(HONEST.slice(1)));
    assert.ok(dispute.kind === "revealedMissingValidator" && dispute.below === undefined && dispute.beaconIndex === 3);
  });

  it("the last validator left out: disputed after the last leaf", () => {
    const { dispute } = search(new ReportTree(HONEST.slice(0, -1)));
    assert.ok(dispute.kind === "revealedMissingValidator" && dispute.above === undefined && dispute.beaconIndex === 14);
  });

  it("validators left out so the reporter's tree is shallower: found by scanning its leaves", () => {
    const { dispute } = search(new ReportTree([HONEST[0], HONEST[1], HONEST[3], HONEST[4]] as ReportLeaf[]));
    assert.ok(dispute.kind === "revealedMissingValidator" && [8, 14].includes(dispute.beaconIndex));
  });

  it("a count of zero while the state holds protocol validators: disputed at once", () => {
    const step = nextDisputeStep({
      root: new ReportTree([]).root,
      honest: new ReportTree(HONEST),
      openings: [],
      requested: new Set(),
      state,
      validatorCount: 64,
    });
    assert.ok(step.step === "dispute" && step.dispute.kind === "revealedMissingValidator");
  });

  it("a leaf that is no protocol validator: disputed by its facts", () => {
    const extra = [...HONEST.slice(0, 3), leaf(10), ...HONEST.slice(3)];
    assert.equal(kind(search(new ReportTree(extra)).dispute), "revealedLeafFacts");
  });

  it("a leaf past the state's validator list: disputed as beyond the registry", () => {
    const beyond = [...HONEST.slice(0, -1), leaf(500)];
    assert.equal(kind(search(new ReportTree(beyond), HONEST, 64).dispute), "revealedLeafBeyondRegistry");
  });

  it("a leaf node claiming a count of 2: disputed by its sum", () => {
    const lying = new ReportTree(HONEST, {
      leafNodes: HONEST.map((l, i) => ({ ...new ReportTree([l]).node(1, 0), count: i === 4 ? 2n : 1n })),
    });
    assert.equal(kind(search(lying).dispute), "revealedLeafSum");
  });

  it("siblingPath rebuilds the opened path's ancestor as the contract does", () => {
    const tree = new ReportTree(HONEST);
    const o = open(tree, 5);
    // The sibling at depth 1 of leaf 5 is node (1, 0); its path is the ancestor (1, 1).
    assert.deepEqual(siblingPath(o, tree.depth, 1), [tree.node(1, 1)]);
    assert.deepEqual(siblingPath(o, tree.depth, 2), [tree.node(2, 2), tree.node(1, 0)]);
    assert.deepEqual(siblingPath(o, tree.depth, tree.depth), [o.node, ...o.path.slice(1)]);
  });
});
