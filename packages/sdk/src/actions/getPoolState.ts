import type { NektarReadClient, WithContracts } from "../client.ts";
import { stakingPoolAbi, withdrawalQueueAbi } from "../generated/abis.ts";
import { read } from "../internal/read.ts";

export type GetPoolStateParameters = WithContracts;

export type PoolState = {
  totalPooledEther: bigint;
  totalShares: bigint;
  /** Ether per divETH share, scaled by 1e18. */
  shareRate: bigint;
  bufferedEther: bigint;
  /** Buffer reserved for requested validators. */
  reservedEther: bigint;
  unreservedBufferedEther: bigint;
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

const ONE = 10n ** 18n;

/** The pool's accounting and the withdrawal queue in one call set. */
export async function getPoolState(
  client: NektarReadClient,
  p: GetPoolStateParameters,
): Promise<GetPoolStateReturnType> {
  const pool = { contract: "StakingPool", address: p.contracts.stakingPool, abi: stakingPoolAbi } as const;
  const queue = { contract: "WithdrawalQueue", address: p.contracts.withdrawalQueue, abi: withdrawalQueueAbi } as const;
  const [
    totalPooledEther,
    totalShares,
    shareRate,
    bufferedEther,
    reservedEther,
    unreservedBufferedEther,
    depositedValidators,
    beacon,
    unfinalizedEther,
    lockedEther,
    lastRequestId,
    lastFinalizedRequestId,
  ] = await Promise.all([
    read<bigint>(client, { ...pool, functionName: "getTotalPooledEther" }),
    read<bigint>(client, { ...pool, functionName: "getTotalShares" }),
    read<bigint>(client, { ...pool, functionName: "getPooledEthByShares", args: [ONE] }),
    read<bigint>(client, { ...pool, functionName: "bufferedEther" }),
    read<bigint>(client, { ...pool, functionName: "reservedEther" }),
    read<bigint>(client, { ...pool, functionName: "unreservedBufferedEther" }),
    read<bigint>(client, { ...pool, functionName: "depositedValidators" }),
    read<readonly [bigint, bigint]>(client, { ...pool, functionName: "beaconStats" }),
    read<bigint>(client, { ...queue, functionName: "unfinalizedEther" }),
    read<bigint>(client, { ...queue, functionName: "lockedEther" }),
    read<bigint>(client, { ...queue, functionName: "lastRequestId" }),
    read<bigint>(client, { ...queue, functionName: "lastFinalizedRequestId" }),
  ]);
  return {
    totalPooledEther,
    totalShares,
    shareRate,
    bufferedEther,
    reservedEther,
    unreservedBufferedEther,
    depositedValidators,
    beaconValidators: beacon[0],
    beaconBalance: beacon[1],
    unfinalizedEther,
    lockedEther,
    lastRequestId,
    lastFinalizedRequestId,
  };
}
