import type { NektarReadClient, WithContracts } from "../client.ts";
import { ACCOUNTING_ORACLE, accountingOracle } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetOracleStateParameters = WithContracts<"accountingOracle">;

export type OracleState = {
  /** Execution-layer timestamp of the last accepted report (0 before the first); one report per timestamp. */
  lastReportTimestamp: bigint;
  /** Sanity limit: largest share-rate increase per day, in basis points. */
  maxShareRateIncreaseBpPerDay: bigint;
  /** Sanity limit: largest share-rate decrease per report, in basis points. */
  maxShareRateDecreaseBpPerReport: bigint;
};

export type GetOracleStateReturnType = OracleState;

export type GetOracleStateErrorType = ReadErrorType;

/** The accounting oracle's last report time and its sanity limits. */
export async function getOracleState(
  client: NektarReadClient,
  p: GetOracleStateParameters,
): Promise<GetOracleStateReturnType> {
  const oracle = accountingOracle(p.contracts);
  const [lastReportTimestamp, maxShareRateIncreaseBpPerDay, maxShareRateDecreaseBpPerReport] = await Promise.all([
    read(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "lastReportTimestamp" }),
    read(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "maxShareRateIncreaseBpPerDay" }),
    read(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "maxShareRateDecreaseBpPerReport" }),
  ]);
  return { lastReportTimestamp, maxShareRateIncreaseBpPerDay, maxShareRateDecreaseBpPerReport };
}
