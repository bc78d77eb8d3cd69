import type { Address, Hex } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { ACCOUNTING_ORACLE, accountingOracle } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

/** `IAccountingOracle.ReportStatus` by its enum index. */
export const ORACLE_REPORT_STATUSES = ["none", "pending", "voided", "applied", "rejected", "superseded"] as const;
export type OracleReportStatus = (typeof ORACLE_REPORT_STATUSES)[number];

export type GetOracleReportParameters = WithContracts<"accountingOracle"> & { frame: bigint };

export type OracleReportRecord = {
  frame: bigint;
  status: OracleReportStatus;
  reporter: Address;
  /** Operator whose bond backs it (0 for a frame finalized by proofs). */
  reporterOperatorId: bigint;
  bondUnits: bigint;
  /** Report version within the frame (reports replacing voided ones count up). */
  version: number;
  /** Leaf reveal requests still open (the report cannot apply while any is). */
  openReveals: number;
  /** End of the challenge window, extended by answered reveal requests (disputes before it, apply from it). */
  disputeDeadline: bigint;
  anchorTimestamp: bigint;
  blockRoot: Hex;
  root: Hex;
  count: bigint;
  /** Gwei. */
  balanceSum: bigint;
  /** Wei. */
  withdrawalVaultBalance: bigint;
};

export type GetOracleReportReturnType = OracleReportRecord;

export type GetOracleReportErrorType = ReadErrorType;

/** A frame's accounting report and where it stands (the oracle keeps the last four frames; older ones are events). */
export async function getOracleReport(
  client: NektarReadClient,
  p: GetOracleReportParameters,
): Promise<GetOracleReportReturnType> {
  const oracle = accountingOracle(p.contracts);
  const r = await read(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "getReport", args: [p.frame] });
  return {
    frame: p.frame,
    status: ORACLE_REPORT_STATUSES[r.status] ?? "none",
    reporter: r.reporter,
    reporterOperatorId: BigInt(r.reporterOperatorId),
    bondUnits: BigInt(r.bondUnits),
    version: r.version,
    openReveals: r.openReveals,
    disputeDeadline: r.disputeDeadline,
    anchorTimestamp: r.anchorTimestamp,
    blockRoot: r.blockRoot,
    root: r.root,
    count: r.count,
    balanceSum: r.balanceSum,
    withdrawalVaultBalance: r.withdrawalVaultBalance,
  };
}
