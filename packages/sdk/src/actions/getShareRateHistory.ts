import { getContractEvents } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { RpcError } from "../errors/contract.ts";
import { stakingPool } from "../internal/contracts.ts";
import { sortByPosition } from "./getValidatorRequestedEvents.ts";

export type GetShareRateHistoryParameters = WithContracts<"stakingPool"> & {
  /** First block to scan (the manifest's `deploymentBlock`). */
  fromBlock: bigint;
  /** Last block, inclusive (default: the latest). */
  toBlock?: bigint | undefined;
};

/** The pool right after one oracle report. */
export type ShareRatePoint = {
  /** Beacon-state time the report describes (Unix seconds). */
  refTimestamp: bigint;
  /** Ether per divETH share after the report, scaled by 1e18. */
  shareRate: bigint;
  /** Positive rewards the report brought (0 on a loss). */
  rewards: bigint;
  totalPooledEther: bigint;
  totalShares: bigint;
  blockNumber: bigint;
  logIndex: number;
};

/** Oldest first. */
export type GetShareRateHistoryReturnType = ShareRatePoint[];

export type GetShareRateHistoryErrorType = RpcError;

const ONE = 10n ** 18n;

/**
 * The share rate after every oracle report of a block range, from the pool's `OracleReportHandled` events (one
 * `eth_getLogs`: keep the range within the RPC's limit).
 */
export async function getShareRateHistory(
  client: NektarReadClient,
  p: GetShareRateHistoryParameters,
): Promise<GetShareRateHistoryReturnType> {
  const logs = await getContractEvents(client, {
    ...stakingPool(p.contracts),
    eventName: "OracleReportHandled",
    fromBlock: p.fromBlock,
    ...(p.toBlock === undefined ? {} : { toBlock: p.toBlock }),
    strict: true,
  }).catch((e: unknown) => {
    throw new RpcError("StakingPool OracleReportHandled logs", e);
  });
  return sortByPosition(
    logs.map((log) => {
      const { refTimestamp, rewards, postTotalPooledEther, postTotalShares } = log.args;
      return {
        refTimestamp,
        shareRate: postTotalShares === 0n ? ONE : (postTotalPooledEther * ONE) / postTotalShares,
        rewards,
        totalPooledEther: postTotalPooledEther,
        totalShares: postTotalShares,
        blockNumber: log.blockNumber,
        logIndex: log.logIndex,
      };
    }),
  );
}
