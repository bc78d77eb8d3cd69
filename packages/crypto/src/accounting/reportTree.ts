import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

/** A 0x-prefixed hex string. */
export type Hex = `0x${string}`;

/**
 * One leaf of an accounting report's sum-Merkle tree: a protocol validator in the anchored beacon state
 * (`IAccountingOracle.Leaf`). Balances are gwei.
 */
export type ReportLeaf = { beaconIndex: bigint; balance: bigint; exited: boolean; slashed: boolean };

/** A node as its parent commits to it (`IAccountingOracle.TreeNode`): hash, claimed leaf count and balance sum. */
export type ReportTreeNode = { hash: Hex; count: bigint; sum: bigint };

/** Hash of an empty leaf (positions at or past the count). */
export const EMPTY_LEAF_HASH: Hex = `0x${"00".repeat(32)}`;
const EMPTY_LEAF: ReportTreeNode = { hash: EMPTY_LEAF_HASH, count: 0n, sum: 0n };

function word(value: bigint | boolean | Hex): Uint8Array {
  if (typeof value === "string") return hexToBytes(value.slice(2).padStart(64, "0"));
  const n = typeof value === "boolean" ? (value ? 1n : 0n) : value;
  return hexToBytes(n.toString(16).padStart(64, "0"));
}

function keccakWords(values: readonly (bigint | boolean | Hex)[]): Hex {
  const data = new Uint8Array(32 * values.length);
  values.forEach((v, i) => {
    data.set(word(v), 32 * i);
  });
  return `0x${bytesToHex(keccak_256(data))}`;
}

/** `keccak256(abi.encode(beaconIndex, balance, exited, slashed))`, as `AccountingOracle.leafHash`. */
export function reportLeafHash(leaf: ReportLeaf): Hex {
  return keccakWords([leaf.beaconIndex, leaf.balance, leaf.exited, leaf.slashed]);
}

/** The leaf as its parent commits to it: count 1, sum its balance. */
export function reportLeafNode(leaf: ReportLeaf): ReportTreeNode {
  return { hash: reportLeafHash(leaf), count: 1n, sum: leaf.balance };
}

/** `keccak256(abi.encode(left.hash, left.count, left.sum, right.hash, right.count, right.sum))`. */
export function reportInnerHash(left: ReportTreeNode, right: ReportTreeNode): Hex {
  return keccakWords([left.hash, left.count, left.sum, right.hash, right.count, right.sum]);
}

/** Depth of the tree of `count` leaves: `max(1, ceil(log2(count)))`, as `AccountingOracle.treeDepthOf`. */
export function reportTreeDepth(count: number): number {
  let depth = 1;
  while (2 ** depth < count) depth++;
  return depth;
}

/**
 * Combines two children into their parent node. The honest rule sums the children; adversarial tests pass another
 * to build trees whose claims are inconsistent.
 */
export type CombineNodes = (
  left: ReportTreeNode,
  right: ReportTreeNode,
  depth: number,
  position: number,
) => ReportTreeNode;

/** The honest parent of two nodes. */
export const honestCombine: CombineNodes = (left, right) => ({
  hash: reportInnerHash(left, right),
  count: left.count + right.count,
  sum: left.sum + right.sum,
});

/**
 * The sum-Merkle tree of an accounting report (see `IAccountingOracle`): leaves sorted by beacon index, padded with
 * empty leaves to `2^depth`. `node(depth, position)` counts depth from the root (0) like the contract.
 */
export class ReportTree {
  readonly depth: number;
  readonly count: number;
  /** `levels[d]` holds the nodes at depth `d` (root at 0, leaves at `depth`). */
  readonly levels: ReportTreeNode[][];
  readonly leaves: readonly ReportLeaf[];

  constructor(leaves: readonly ReportLeaf[], options: { combine?: CombineNodes; leafNodes?: ReportTreeNode[] } = {}) {
    this.leaves = leaves;
    this.count = leaves.length;
    this.depth = reportTreeDepth(leaves.length);
    const combine = options.combine ?? honestCombine;
    const width = 2 ** this.depth;
    const bottom = options.leafNodes ?? leaves.map(reportLeafNode);
    const padded = [...bottom, ...Array.from({ length: width - bottom.length }, () => EMPTY_LEAF)];
    const levels: ReportTreeNode[][] = [padded];
    for (let d = this.depth - 1; d >= 0; d--) {
      const below = levels[0] as ReportTreeNode[];
      const level: ReportTreeNode[] = [];
      for (let p = 0; p < below.length / 2; p++) {
        level.push(combine(below[2 * p] as ReportTreeNode, below[2 * p + 1] as ReportTreeNode, d, p));
      }
      levels.unshift(level);
    }
    this.levels = levels;
  }

  /** The root node: its hash, count and sum are what a report posts. */
  get root(): ReportTreeNode {
    return this.node(0, 0);
  }

  /** The node at `depth` (root 0) and `position`. */
  node(depth: number, position: number): ReportTreeNode {
    const n = this.levels[depth]?.[position];
    if (n === undefined) throw new RangeError(`no node at depth ${depth}, position ${position}`);
    return n;
  }

  /** Siblings of the node at `depth`/`position` up to the root, bottom-up (`depth` entries). */
  path(depth: number, position: number): ReportTreeNode[] {
    const siblings: ReportTreeNode[] = [];
    let p = position;
    for (let d = depth; d > 0; d--) {
      siblings.push(this.node(d, p ^ 1));
      p >>= 1;
    }
    return siblings;
  }

  /** Siblings of leaf `position`. */
  leafPath(position: number): ReportTreeNode[] {
    return this.path(this.depth, position);
  }
}
