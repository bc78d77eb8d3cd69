import type { ReportTreeNode } from "@nektar/crypto";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { ACCOUNTING_ORACLE, accountingOracle, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type PostOracleReportParameters = WithContracts<"accountingOracle"> & {
  frame: bigint;
  /**
   * The frame's snapshot anchor (`snapshotOracleFrame` / `getOracleFrameSnapshot`): the execution-block timestamp
   * whose EIP-4788 root anchors the report. A report carries no vault figure: the pull is the snapshot's.
   */
  anchorTimestamp: bigint;
  /** The sum-Merkle root (`ReportTree.root` of `@nektar/crypto`). */
  root: ReportTreeNode;
};

export type PostOracleReportReturnType = TransactionResult;

/**
 * `ContractRevertedError` with `NotCurrentFrame`, `FrameAlreadyReported`, `FrameAlreadyFinalized`,
 * `FrameNotSnapshotted`, `AnchorMismatch`, `BeaconRootNotFound`, `NotAnOperator`, `CountExceedsDeposits`,
 * `CountBelowPrevious` or the registry's `InsufficientFreeBond`/`OperatorIsEjected`; RPC errors.
 */
export type PostOracleReportErrorType = SendErrorType;

/** Posts the current frame's report, staking the reporter bond of the caller's operator (owner or signer). */
export async function postOracleReport(
  client: NektarWriteClient,
  p: PostOracleReportParameters,
): Promise<PostOracleReportReturnType> {
  const sent = await send(client, ACCOUNTING_ORACLE, {
    ...accountingOracle(p.contracts),
    functionName: "postReport",
    args: [p.frame, p.anchorTimestamp, p.root.hash, p.root.count, p.root.sum],
  });
  return transactionResult(sent);
}
