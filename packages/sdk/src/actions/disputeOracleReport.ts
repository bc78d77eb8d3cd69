import type { AnchoredBeaconState, ReportLeaf, ReportTree, ReportTreeNode } from "@nektar/crypto";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { ACCOUNTING_ORACLE, accountingOracle, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

/**
 * What is wrong with a report, with the reporter's tree (from `LeafRevealed` events or the reporter) and the anchored
 * state the proofs come from.
 */
export type OracleDispute =
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
  if (d.kind === "revealedLeafFacts") {
    const v = d.state.validatorProof(Number(d.leaf.beaconIndex));
    const b = d.state.balanceProof(Number(d.leaf.beaconIndex));
    const args = [f, BigInt(d.position), d.leaf, d.path, v.validator, v.proof, b.chunk, b.proof] as const;
    return transactionResult(
      await send(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "disputeLeafFacts", args }),
    );
  }
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
