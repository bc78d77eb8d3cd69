import type { AnchoredBeaconState, ReportLeaf, ReportTree, ReportTreeNode } from "@nektar/crypto";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { ACCOUNTING_ORACLE, accountingOracle, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

/** A leaf of the reporter's tree opened on-chain (`LeafRevealed`): its position, node as committed, leaf and path. */
export type RevealedLeaf = {
  position: number;
  node: ReportTreeNode;
  leaf: ReportLeaf;
  path: readonly ReportTreeNode[];
};

/**
 * What is wrong with a report, with the reporter's tree (from the reporter) or the openings `LeafRevealed` events
 * show (`revealed…` kinds: what a watcher without the reporter's tree has), and the anchored state the proofs come
 * from.
 */
export type OracleDispute =
  | {
      /** An inner node whose claimed count or sum is not its children's, the children given explicitly. */
      kind: "revealedNodeSum";
      depth: number;
      position: number;
      node: ReportTreeNode;
      left: ReportTreeNode;
      right: ReportTreeNode;
      /** The node's siblings up to the root, bottom-up. */
      path: readonly ReportTreeNode[];
    }
  | {
      /** A leaf-level node whose count/sum is not its leaf's (count 1, sum its balance; empty: 0/0). */
      kind: "revealedLeafSum";
      position: number;
      node: ReportTreeNode;
      leaf: ReportLeaf;
      path: readonly ReportTreeNode[];
    }
  | { kind: "revealedLeafPosition"; opening: RevealedLeaf }
  | { kind: "revealedLeafBeyondRegistry"; opening: RevealedLeaf; state: AnchoredBeaconState }
  | { kind: "revealedLeafOrder"; first: RevealedLeaf; second: RevealedLeaf }
  | {
      /** A protocol validator the tree lacks: between two adjacent openings, before the first or after the last. */
      kind: "revealedMissingValidator";
      below: RevealedLeaf | undefined;
      above: RevealedLeaf | undefined;
      beaconIndex: number;
      state: AnchoredBeaconState;
    }
  | { kind: "nodeSum"; tree: ReportTree; depth: number; position: number }
  | { kind: "leafSum"; tree: ReportTree; position: number }
  | { kind: "leafPosition"; tree: ReportTree; position: number }
  | { kind: "leafFacts"; tree: ReportTree; position: number; state: AnchoredBeaconState }
  | {
      /** Leaf facts with an opening revealed on-chain (`LeafRevealed`), when the reporter's tree is not at hand. */
      kind: "revealedLeafFacts";
      position: number;
      leaf: ReportLeaf;
      path: readonly ReportTreeNode[];
      state: AnchoredBeaconState;
    }
  | { kind: "leafBeyondRegistry"; tree: ReportTree; position: number; state: AnchoredBeaconState }
  | { kind: "leafOrder"; tree: ReportTree; position: number }
  | {
      kind: "missingValidator";
      tree: ReportTree;
      /** Position of the leaf below the missing index, or `undefined` for "before the first leaf". */
      position: number | undefined;
      beaconIndex: number;
      state: AnchoredBeaconState;
    };

export type DisputeOracleReportParameters = WithContracts<"accountingOracle"> & {
  frame: bigint;
  dispute: OracleDispute;
};

export type DisputeOracleReportReturnType = TransactionResult;

/** `ContractRevertedError` with `DisputeRejected` (nothing wrong), `NodeNotInTree`, `ChallengeWindowClosed`, … */
export type DisputeOracleReportErrorType = SendErrorType;

const BEFORE_FIRST = 2n ** 256n - 1n;

function leafAt(tree: ReportTree, position: number): ReportLeaf {
  return tree.leaves[position] ?? { beaconIndex: 0n, balance: 0n, exited: false, slashed: false };
}

/** Disputes a frame's pending report with the on-chain-checkable fact `dispute` names; a success voids it. */
export async function disputeOracleReport(
  client: NektarWriteClient,
  p: DisputeOracleReportParameters,
): Promise<DisputeOracleReportReturnType> {
  const oracle = accountingOracle(p.contracts);
  const d = p.dispute;
  const f = p.frame;
  const revealed = await disputeRevealed(client, oracle, f, d);
  if (revealed !== undefined) return revealed;
  if (d.kind === "revealedLeafFacts") {
    const v = d.state.validatorProof(Number(d.leaf.beaconIndex));
    const b = d.state.balanceProof(Number(d.leaf.beaconIndex));
    const args = [f, BigInt(d.position), d.leaf, d.path, v.validator, v.proof, b.chunk, b.proof] as const;
    return transactionResult(
      await send(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "disputeLeafFacts", args }),
    );
  }
  if (!("tree" in d)) throw new RangeError(`dispute kind ${d.kind} needs the reporter's tree`);
  const t = d.tree;
  let sent: TransactionResult;
  if (d.kind === "nodeSum") {
    const args = [
      f,
      BigInt(d.depth),
      BigInt(d.position),
      t.node(d.depth, d.position),
      t.node(d.depth + 1, 2 * d.position),
      t.node(d.depth + 1, 2 * d.position + 1),
      t.path(d.depth, d.position),
    ] as const;
    sent = transactionResult(
      await send(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "disputeNodeSum", args }),
    );
  } else if (d.kind === "leafSum") {
    const args = [
      f,
      BigInt(d.position),
      t.node(t.depth, d.position),
      leafAt(t, d.position),
      t.leafPath(d.position),
    ] as const;
    sent = transactionResult(
      await send(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "disputeLeafSum", args }),
    );
  } else if (d.kind === "leafPosition") {
    const args = [f, BigInt(d.position), leafAt(t, d.position), t.leafPath(d.position)] as const;
    sent = transactionResult(
      await send(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "disputeLeafPosition", args }),
    );
  } else if (d.kind === "leafFacts") {
    const leaf = leafAt(t, d.position);
    const v = d.state.validatorProof(Number(leaf.beaconIndex));
    const b = d.state.balanceProof(Number(leaf.beaconIndex));
    const args = [f, BigInt(d.position), leaf, t.leafPath(d.position), v.validator, v.proof, b.chunk, b.proof] as const;
    sent = transactionResult(
      await send(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "disputeLeafFacts", args }),
    );
  } else if (d.kind === "leafBeyondRegistry") {
    const list = d.state.validatorsRootProof();
    const args = [
      f,
      BigInt(d.position),
      leafAt(t, d.position),
      t.leafPath(d.position),
      list.dataRoot,
      list.length,
      list.proof,
    ] as const;
    sent = transactionResult(
      await send(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "disputeLeafBeyondRegistry", args }),
    );
  } else if (d.kind === "leafOrder") {
    const args = [
      f,
      BigInt(d.position),
      leafAt(t, d.position),
      t.leafPath(d.position),
      leafAt(t, d.position + 1),
      t.leafPath(d.position + 1),
    ] as const;
    sent = transactionResult(
      await send(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "disputeLeafOrder", args }),
    );
  } else {
    const below = d.position;
    const above = below === undefined ? 0 : below + 1;
    const neighbors = {
      position: below === undefined ? BEFORE_FIRST : BigInt(below),
      below: leafAt(t, below ?? 0),
      belowPath: below === undefined || t.count === 0 ? [] : t.leafPath(below),
      above: leafAt(t, above),
      abovePath: above < t.count ? t.leafPath(above) : [],
    };
    const v = d.state.validatorProof(d.beaconIndex);
    const args = [f, neighbors, BigInt(d.beaconIndex), v.validator, v.proof] as const;
    sent = transactionResult(
      await send(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "disputeMissingValidator", args }),
    );
  }
  return sent;
}

const EMPTY_LEAF: ReportLeaf = { beaconIndex: 0n, balance: 0n, exited: false, slashed: false };

/** The `revealed…` kinds built from on-chain openings (no reporter tree); `undefined` for the other kinds. */
async function disputeRevealed(
  client: NektarWriteClient,
  oracle: ReturnType<typeof accountingOracle>,
  f: bigint,
  d: OracleDispute,
): Promise<TransactionResult | undefined> {
  if (d.kind === "revealedNodeSum") {
    const args = [f, BigInt(d.depth), BigInt(d.position), d.node, d.left, d.right, d.path] as const;
    return transactionResult(
      await send(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "disputeNodeSum", args }),
    );
  }
  if (d.kind === "revealedLeafSum") {
    const args = [f, BigInt(d.position), d.node, d.leaf, d.path] as const;
    return transactionResult(
      await send(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "disputeLeafSum", args }),
    );
  }
  if (d.kind === "revealedLeafPosition") {
    const o = d.opening;
    const args = [f, BigInt(o.position), o.leaf, o.path] as const;
    return transactionResult(
      await send(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "disputeLeafPosition", args }),
    );
  }
  if (d.kind === "revealedLeafBeyondRegistry") {
    const o = d.opening;
    const list = d.state.validatorsRootProof();
    const args = [f, BigInt(o.position), o.leaf, o.path, list.dataRoot, list.length, list.proof] as const;
    return transactionResult(
      await send(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "disputeLeafBeyondRegistry", args }),
    );
  }
  if (d.kind === "revealedLeafOrder") {
    const args = [f, BigInt(d.first.position), d.first.leaf, d.first.path, d.second.leaf, d.second.path] as const;
    return transactionResult(
      await send(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "disputeLeafOrder", args }),
    );
  }
  if (d.kind === "revealedMissingValidator") {
    const neighbors = {
      position: d.below === undefined ? BEFORE_FIRST : BigInt(d.below.position),
      below: d.below?.leaf ?? EMPTY_LEAF,
      belowPath: d.below?.path ?? [],
      above: d.above?.leaf ?? EMPTY_LEAF,
      abovePath: d.above?.path ?? [],
    };
    const v = d.state.validatorProof(d.beaconIndex);
    const args = [f, neighbors, BigInt(d.beaconIndex), v.validator, v.proof] as const;
    return transactionResult(
      await send(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "disputeMissingValidator", args }),
    );
  }
  return undefined;
}
