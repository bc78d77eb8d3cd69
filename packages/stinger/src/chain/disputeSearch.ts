import {
  type AnchoredBeaconState,
  EMPTY_LEAF_HASH,
  type ReportLeaf,
  ReportTree,
  type ReportTreeNode,
  reportInnerHash,
  reportLeafNode,
  reportTreeDepth,
} from "@nektar/crypto";
import type { OracleDispute, RevealedLeaf } from "@nektar/sdk";

/** What to do next about a report this node's rebuild contradicts. */
export type DisputeStep =
  | { step: "dispute"; dispute: OracleDispute }
  | { step: "request"; position: number }
  | { step: "manual"; reason: string };

export type DisputeSearchInput = {
  /** The report's root as posted (its count gives the tree's depth `max(1, ceil(log2 count))`). */
  root: ReportTreeNode;
  /** This node's tree of the same anchored state. */
  honest: ReportTree;
  /** The reporter's leaves opened on-chain so far. */
  openings: readonly RevealedLeaf[];
  /** Positions already requested (answered or not). */
  requested: ReadonlySet<number>;
  /** The anchored state the beacon proofs come from. */
  state: AnchoredBeaconState;
  /** Length of the state's validator list (`state.validatorsRootProof().length`). */
  validatorCount: number;
};

const EMPTY_LEAF: ReportLeaf = { beaconIndex: 0n, balance: 0n, exited: false, slashed: false };

const sameHash = (a: ReportTreeNode, b: ReportTreeNode) => a.hash.toLowerCase() === b.hash.toLowerCase();
const sameNode = (a: ReportTreeNode, b: ReportTreeNode) => sameHash(a, b) && a.count === b.count && a.sum === b.sum;

const sameFacts = (a: ReportLeaf, b: ReportLeaf) =>
  a.beaconIndex === b.beaconIndex && a.balance === b.balance && a.exited === b.exited && a.slashed === b.slashed;

/**
 * The honest tree in the shape of the reporter's (depth from the reporter's count), or `undefined` when the honest
 * leaves do not fit it (the report lacks validators: found through the leaves instead).
 */
function referenceTree(honest: ReportTree, count: number): ReportTree | undefined {
  const depth = reportTreeDepth(count);
  if (honest.depth === depth) return honest;
  if (honest.count > 2 ** depth) return undefined;
  const shape = Array.from({ length: Math.max(count, honest.count) }, () => EMPTY_LEAF);
  return new ReportTree(shape, { leafNodes: honest.leaves.map(reportLeafNode) });
}

/**
 * The siblings of the node at `depth` on the opened leaf's path, up to the root (bottom-up): the opened path's own
 * ancestor at that depth (recomputed as the contract does: hash of the children, sums added), then the higher siblings.
 */
export function siblingPath(o: RevealedLeaf, treeDepth: number, depth: number): ReportTreeNode[] {
  let node = o.node;
  for (let i = 0; i < treeDepth - depth; i++) {
    const s = o.path[i] as ReportTreeNode;
    const left = ((o.position >> i) & 1) === 0;
    node = {
      hash: left ? reportInnerHash(node, s) : reportInnerHash(s, node),
      count: node.count + s.count,
      sum: node.sum + s.sum,
    };
  }
  return [node, ...o.path.slice(treeDepth - depth + 1)];
}

/**
 * Decides the next step of an automatic dispute from the openings the reporter gave so far: a dispute whose fact the
 * contract checks (a leaf's facts, count or sum, position, order, a missing validator, an inner node's sums), or the
 * next leaf to request. The search descends the reporter's tree: an opening's path shows the reporter's sibling at
 * every depth; the shallowest one that differs from this node's tree holds the lie, so the next request is a leaf
 * under it (O(log n) requests); a sibling with this node's hash but other counts is disputed at once with this
 * node's children (`disputeNodeSum`/`disputeLeafSum`). A lie under a node the reporter cannot open leaves the request
 * unanswered, which voids the report (`voidUnrevealed`, the caller's part).
 */
export function nextDisputeStep(p: DisputeSearchInput): DisputeStep {
  const { honest, state } = p;
  const count = Number(p.root.count);
  const depth = reportTreeDepth(count);
  const honestIndices = honest.leaves.map((l) => l.beaconIndex);
  const truth = new Map(honest.leaves.map((l) => [l.beaconIndex, l]));
  const openings = [...p.openings].sort((a, b) => a.position - b.position);
  const at = new Map(openings.map((o) => [o.position, o]));
  const filled = (o: RevealedLeaf | undefined) => o !== undefined && o.node.hash !== EMPTY_LEAF_HASH;
  const missing = (below: RevealedLeaf | undefined, above: RevealedLeaf | undefined): DisputeStep | undefined => {
    const b = honestIndices.find(
      (i) => (below === undefined || i > below.leaf.beaconIndex) && (above === undefined || i < above.leaf.beaconIndex),
    );
    if (b === undefined) return undefined;
    return {
      step: "dispute",
      dispute: { kind: "revealedMissingValidator", below, above, beaconIndex: Number(b), state },
    };
  };

  if (count === 0) {
    const first = honestIndices[0];
    if (first !== undefined) {
      return {
        step: "dispute",
        dispute: {
          kind: "revealedMissingValidator",
          below: undefined,
          above: undefined,
          beaconIndex: Number(first),
          state,
        },
      };
    }
  }

  const reference = referenceTree(honest, count);
  if (reference !== undefined && !sameNode(p.root, reference.root) && sameHash(p.root, reference.root)) {
    // Our children under the posted root hash: its claimed count or sum is not theirs.
    const dispute: OracleDispute = {
      kind: "revealedNodeSum",
      depth: 0,
      position: 0,
      node: p.root,
      left: reference.node(1, 0),
      right: reference.node(1, 1),
      path: [],
    };
    return { step: "dispute", dispute };
  }

  // The opened leaves themselves: count/sum, position, registry length, facts.
  for (const o of openings) {
    const { node, leaf } = o;
    if (!filled(o)) {
      if (node.count !== 0n || node.sum !== 0n) {
        return { step: "dispute", dispute: { kind: "revealedLeafSum", ...o } };
      }
      continue;
    }
    if (node.count !== 1n || node.sum !== leaf.balance) {
      return { step: "dispute", dispute: { kind: "revealedLeafSum", ...o } };
    }
    if (o.position >= count) return { step: "dispute", dispute: { kind: "revealedLeafPosition", opening: o } };
    if (leaf.beaconIndex >= BigInt(p.validatorCount)) {
      return { step: "dispute", dispute: { kind: "revealedLeafBeyondRegistry", opening: o, state } };
    }
    const h = truth.get(leaf.beaconIndex);
    if (h === undefined || !sameFacts(h, leaf)) {
      return { step: "dispute", dispute: { kind: "revealedLeafFacts", ...o, state } };
    }
  }
  // Then what adjacent openings show: order, and a validator missing between, before the first or after the last.
  for (const o of openings) {
    if (!filled(o)) continue;
    const next = at.get(o.position + 1);
    if (next !== undefined && filled(next) && o.position + 1 < count) {
      if (o.leaf.beaconIndex >= next.leaf.beaconIndex) {
        return { step: "dispute", dispute: { kind: "revealedLeafOrder", first: o, second: next } };
      }
      const gap = missing(o, next);
      if (gap) return gap;
    }
    const edge = o.position === 0 ? missing(undefined, o) : undefined;
    if (edge) return edge;
    const last = o.position === count - 1 ? missing(o, undefined) : undefined;
    if (last) return last;
  }

  // Where to look next.
  const candidates: number[] = [];
  if (reference === undefined) {
    // The report cannot hold every honest leaf: its last leaf, then each in turn, until a gap shows.
    candidates.push(count - 1);
    for (let i = 0; i < count; i++) candidates.push(i);
  } else {
    for (const o of openings) {
      for (let d = 1; d <= depth; d++) {
        const sibling = o.path[depth - d] as ReportTreeNode;
        const position = (o.position >> (depth - d)) ^ 1;
        const ref = reference.node(d, position);
        if (sameNode(sibling, ref)) continue;
        if (sameHash(sibling, ref)) {
          // This node's subtree with other claimed counts: its children (ours, same hash) contradict it.
          const path = siblingPath(o, depth, d);
          if (d === depth) {
            const leaf = honest.leaves[position] ?? EMPTY_LEAF;
            return { step: "dispute", dispute: { kind: "revealedLeafSum", position, node: sibling, leaf, path } };
          }
          const left = reference.node(d + 1, 2 * position);
          const right = reference.node(d + 1, 2 * position + 1);
          return {
            step: "dispute",
            dispute: { kind: "revealedNodeSum", depth: d, position, node: sibling, left, right, path },
          };
        }
        // The leftmost leaf under it; deeper differing siblings follow, for when that one is already open.
        candidates.push(position << (depth - d));
      }
      // A true validator in another place than ours (order or a gap): its neighbours show which.
      const ref = reference.node(depth, o.position);
      if (!sameNode(o.node, ref)) {
        const ours = honest.leaves[o.position];
        if (!filled(o)) {
          if (o.position === count && count > 0) candidates.push(count - 1);
        } else if (ours === undefined || o.leaf.beaconIndex > ours.beaconIndex) {
          if (o.position + 1 < count) candidates.push(o.position + 1);
        } else if (o.position > 0) {
          candidates.push(o.position - 1);
        }
      }
    }
    if (openings.length === 0) candidates.push(0);
  }
  const position = candidates.find((c) => c >= 0 && c < 2 ** depth && !p.requested.has(c));
  if (position !== undefined) return { step: "request", position };
  return { step: "manual", reason: "every leaf this search asks for was opened and is the state's" };
}
