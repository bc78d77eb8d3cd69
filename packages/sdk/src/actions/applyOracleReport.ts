import { parseEventLogs } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { accountingOracleAbi } from "../generated/abis.ts";
import { ACCOUNTING_ORACLE, accountingOracle, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type ApplyOracleReportParameters = WithContracts<"accountingOracle"> & { frame: bigint };

export type ApplyOracleReportReturnType = TransactionResult & {
  /** What became of the report: applied to the pool, rejected by the share-rate limits, or superseded. */
  outcome: "applied" | "rejected" | "superseded";
};

/** `ContractRevertedError` with `ReportNotPending` or `ChallengeWindowOpen`; RPC errors. */
export type ApplyOracleReportErrorType = SendErrorType;

/** Applies a frame's report after its challenge window (anyone); the reporter's bond is released. */
export async function applyOracleReport(
  client: NektarWriteClient,
  p: ApplyOracleReportParameters,
): Promise<ApplyOracleReportReturnType> {
  const sent = await send(client, ACCOUNTING_ORACLE, {
    ...accountingOracle(p.contracts),
    functionName: "applyReport",
    args: [p.frame],
  });
  const names = parseEventLogs({ abi: accountingOracleAbi, logs: sent.receipt.logs }).map((l) => l.eventName);
  const outcome = names.includes("ReportApplied")
    ? "applied"
    : names.includes("ReportRejected")
      ? "rejected"
      : "superseded";
  return { ...transactionResult(sent), outcome };
}
