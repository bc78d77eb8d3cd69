import type { NektarReadClient, WithContracts } from "../client.ts";
import { ACCOUNTING_ORACLE, accountingOracle } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetOracleStateParameters = WithContracts<"accountingOracle">;

export type OracleState = {
  /** Execution-layer timestamp of the last applied report (deployment time before the first). */
  lastReportTimestamp: bigint;
  /** Sanity limit: largest share-rate increase per day, in basis points. */
  maxShareRateIncreaseBpPerDay: bigint;
  /** Sanity limit: largest share-rate decrease per report, in basis points. */
  maxShareRateDecreaseBpPerReport: bigint;
  /** The frame reports are accepted for now. */
  currentFrame: bigint;
  /** The last frame applied to the pool (0 before the first). */
  lastAppliedFrame: bigint;
  /** Beacon genesis, Unix seconds. */
  genesisTime: bigint;
  secondsPerSlot: bigint;
  slotsPerEpoch: bigint;
  /** Frame length in seconds. */
  frameSeconds: bigint;
  /** Seconds a posted report can be disputed. */
  challengeWindow: bigint;
  /** Registry bond units a reporter stakes per report. */
  reporterBondUnits: bigint;
};

export type GetOracleStateReturnType = OracleState;

export type GetOracleStateErrorType = ReadErrorType;

/** The accounting oracle's frames, challenge window, reporter bond, last applied report and sanity limits. */
export async function getOracleState(
  client: NektarReadClient,
  p: GetOracleStateParameters,
): Promise<GetOracleStateReturnType> {
  const oracle = accountingOracle(p.contracts);
  const [lastReportTimestamp, maxShareRateIncreaseBpPerDay, maxShareRateDecreaseBpPerReport, current, applied, t] =
    await Promise.all([
      read(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "lastReportTimestamp" }),
      read(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "maxShareRateIncreaseBpPerDay" }),
      read(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "maxShareRateDecreaseBpPerReport" }),
      read(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "currentFrame" }),
      read(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "lastAppliedFrame" }),
      read(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "timing" }),
    ]);
  const [genesisTime, secondsPerSlot, slotsPerEpoch, frameSeconds, challengeWindow, reporterBondUnits] = t;
  return {
    lastReportTimestamp,
    maxShareRateIncreaseBpPerDay,
    maxShareRateDecreaseBpPerReport,
    currentFrame: current,
    lastAppliedFrame: applied,
    genesisTime,
    secondsPerSlot,
    slotsPerEpoch,
    frameSeconds,
    challengeWindow,
    reporterBondUnits,
  };
}
