import type { ReportTreeNode } from "@nektar/crypto";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { ACCOUNTING_ORACLE, accountingOracle, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type PostOracleReportParameters = WithContracts<"accountingOracle"> & {
  frame: bigint;
  /** Execution-block timestamp whose EIP-4788 root anchors the report (in the frame, after its reference slot). */
  anchorTimestamp: bigint;
  /** The sum-Merkle root (`ReportTree.root` of `@nektar/crypto`). */
  root: ReportTreeNode;
  /** Ether to pull from the withdrawal vault, wei. */
  withdrawalVaultBalance: bigint;
};

export type PostOracleReportReturnType = TransactionResult;

/**
 * `ContractRevertedError` with `NotCurrentFrame`, `FrameAlreadyReported`, `FrameAlreadyFinalized`,
 * `AnchorOutsideFrame`, `BeaconRootNotFound`, `NotAnOperator`, `CountExceedsDeposits`, `CountBelowPrevious`,
 * `VaultBalanceExceeded` or the registry's `InsufficientFreeBond`/`OperatorIsEjected`; RPC errors.
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
    args: [p.frame, p.anchorTimestamp, p.root.hash, p.root.count, p.root.sum, p.withdrawalVaultBalance],
  });
  return transactionResult(sent);
}
