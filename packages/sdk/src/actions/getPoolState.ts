import type { NektarReadClient, WithContracts } from "../client.ts";
import { STAKING_POOL, stakingPool } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";
import { getWithdrawalQueueState } from "./getWithdrawalQueueState.ts";

export type GetPoolStateParameters = WithContracts<"stakingPool" | "withdrawalQueue">;

export type PoolState = {
  totalPooledEther: bigint;
  totalShares: bigint;
  /** Ether per divETH share, scaled by 1e18. */
  shareRate: bigint;
  bufferedEther: bigint;
  /** Buffer reserved for requested validators (32 ETH each) and predeposited ones awaiting their top-up (31 ETH each). */
  reservedEther: bigint;
  /** Validators predeposited with 1 ETH whose credentials proof (`completeDeposit`) is pending. */
  pendingTopUps: bigint;
  unreservedBufferedEther: bigint;
  /** Buffer a new validator may reserve: unreserved buffer minus unfinalized withdrawal demand (withdrawals first). */
  depositableEther: bigint;
  depositedValidators: bigint;
  beaconValidators: bigint;
  beaconBalance: bigint;
  /** Withdrawal queue: ether requested and not finalized yet. */
  unfinalizedEther: bigint;
  /** Withdrawal queue: ether finalized and not claimed yet. */
  lockedEther: bigint;
  lastRequestId: bigint;
  lastFinalizedRequestId: bigint;
};

export type GetPoolStateReturnType = PoolState;

export type GetPoolStateErrorType = ReadErrorType;

const ONE = 10n ** 18n;

/** The pool's accounting and the withdrawal queue in one call set. */
export async function getPoolState(
  client: NektarReadClient,
  p: GetPoolStateParameters,
): Promise<GetPoolStateReturnType> {
  const pool = stakingPool(p.contracts);
  const [
    totalPooledEther,
    totalShares,
    shareRate,
    bufferedEther,
    reservedEther,
    unreservedBufferedEther,
    depositableEther,
    depositedValidators,
    pendingTopUps,
    [beaconValidators, beaconBalance],
    queue,
  ] = await Promise.all([
    read(client, STAKING_POOL, { ...pool, functionName: "getTotalPooledEther" }),
    read(client, STAKING_POOL, { ...pool, functionName: "getTotalShares" }),
    read(client, STAKING_POOL, { ...pool, functionName: "getPooledEthByShares", args: [ONE] }),
    read(client, STAKING_POOL, { ...pool, functionName: "bufferedEther" }),
    read(client, STAKING_POOL, { ...pool, functionName: "reservedEther" }),
    read(client, STAKING_POOL, { ...pool, functionName: "unreservedBufferedEther" }),
    read(client, STAKING_POOL, { ...pool, functionName: "depositableEther" }),
    read(client, STAKING_POOL, { ...pool, functionName: "depositedValidators" }),
    read(client, STAKING_POOL, { ...pool, functionName: "pendingTopUps" }),
    read(client, STAKING_POOL, { ...pool, functionName: "beaconStats" }),
    getWithdrawalQueueState(client, p),
  ]);
  return {
    totalPooledEther,
    totalShares,
    shareRate,
    bufferedEther,
    reservedEther,
    unreservedBufferedEther,
    depositableEther,
    depositedValidators,
    pendingTopUps,
    beaconValidators,
    beaconBalance,
    unfinalizedEther: queue.unfinalizedEther,
    lockedEther: queue.lockedEther,
    lastRequestId: queue.lastRequestId,
    lastFinalizedRequestId: queue.lastFinalizedRequestId,
  };
}
