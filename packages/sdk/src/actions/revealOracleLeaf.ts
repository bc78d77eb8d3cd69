import type { ReportTree } from "@nektar/crypto";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { ACCOUNTING_ORACLE, accountingOracle, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type RevealOracleLeafParameters = WithContracts<"accountingOracle"> & {
  frame: bigint;
  position: bigint;
  /** The report's tree (the reporter's, or any honest rebuild of the same anchor: it is the same tree). */
  tree: ReportTree;
};

export type RevealOracleLeafReturnType = TransactionResult;

/** `ContractRevertedError` with `NoOpenReveal`, `RevealDeadline`, `NodeNotInTree` (not the report's tree), `OpeningMismatch`, … */
export type RevealOracleLeafErrorType = SendErrorType;

/** Answers an open leaf request with the leaf and its path (emitted in `LeafRevealed`); the caller earns the deposit. */
export async function revealOracleLeaf(
  client: NektarWriteClient,
  p: RevealOracleLeafParameters,
): Promise<RevealOracleLeafReturnType> {
  const t = p.tree;
  const i = Number(p.position);
  const leaf = t.leaves[i] ?? { beaconIndex: 0n, balance: 0n, exited: false, slashed: false };
  const sent = await send(client, ACCOUNTING_ORACLE, {
    ...accountingOracle(p.contracts),
    functionName: "revealLeaf",
    args: [p.frame, p.position, t.node(t.depth, i), leaf, t.leafPath(i)],
  });
  return transactionResult(sent);
}
