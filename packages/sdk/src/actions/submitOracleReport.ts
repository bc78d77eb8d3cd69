import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { stakingPoolAbi } from "../generated/abis.ts";
import { ACCOUNTING_ORACLE, accountingOracle, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type OracleReport = {
  /** Validators of the pool seen on the beacon chain (never decreasing). */
  beaconValidators: bigint;
  /** Their total balance, in wei. */
  beaconBalance: bigint;
  /** Ether in the withdrawal vault to pull into the pool, in wei. */
  withdrawalVaultBalance: bigint;
  /**
   * Time of the beacon state the numbers come from (its slot's time), Unix seconds: after the previous report's and
   * not in the future. Only withdrawal requests made before it become finalizable.
   */
  refTimestamp: bigint;
};

export type SubmitOracleReportParameters = WithContracts<"accountingOracle"> & { report: OracleReport };

export type SubmitOracleReportReturnType = TransactionResult & {
  rewards: bigint;
  postTotalPooledEther: bigint;
  postTotalShares: bigint;
};

/** `ContractRevertedError` `AccessControlUnauthorizedAccount` without the reporter role, or a sanity-limit error. */
export type SubmitOracleReportErrorType = SendErrorType;

/** Submits an accounting report (REPORTER_ROLE only); the pool rebases divETH within the oracle's sanity limits. */
export async function submitOracleReport(
  client: NektarWriteClient,
  p: SubmitOracleReportParameters,
): Promise<SubmitOracleReportReturnType> {
  const sent = await send(client, ACCOUNTING_ORACLE, {
    ...accountingOracle(p.contracts),
    functionName: "submitReport",
    args: [p.report],
  });
  const { rewards, postTotalPooledEther, postTotalShares } = eventArgs(
    stakingPoolAbi,
    sent.receipt.logs,
    "OracleReportHandled",
  );
  return { ...transactionResult(sent), rewards, postTotalPooledEther, postTotalShares };
}
