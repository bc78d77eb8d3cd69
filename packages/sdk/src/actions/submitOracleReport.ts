import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { accountingOracleAbi, stakingPoolAbi } from "../generated/abis.ts";
import { eventArgs, sendContractTransaction } from "../internal/send.ts";

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

export type SubmitOracleReportParameters = WithContracts & { report: OracleReport };

export type SubmitOracleReportReturnType = TransactionResult & {
  rewards: bigint;
  postTotalPooledEther: bigint;
  postTotalShares: bigint;
};

/** Submits an accounting report (REPORTER_ROLE only); the pool rebases divETH within the oracle's sanity limits. */
export async function submitOracleReport(
  client: NektarWriteClient,
  p: SubmitOracleReportParameters,
): Promise<SubmitOracleReportReturnType> {
  const sent = await sendContractTransaction(client, {
    contract: "AccountingOracle",
    address: p.contracts.accountingOracle,
    abi: accountingOracleAbi,
    functionName: "submitReport",
    args: [p.report],
  });
  const event = eventArgs<{ rewards: bigint; postTotalPooledEther: bigint; postTotalShares: bigint }>(
    stakingPoolAbi,
    sent.receipt.logs,
    "OracleReportHandled",
  );
  return { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed, ...event };
}
