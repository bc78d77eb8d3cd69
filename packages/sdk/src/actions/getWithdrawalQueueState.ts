import type { NektarReadClient, WithContracts } from "../client.ts";
import { STAKING_POOL, stakingPool, WITHDRAWAL_QUEUE, withdrawalQueue } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetWithdrawalQueueStateParameters = WithContracts<"stakingPool" | "withdrawalQueue">;

export type WithdrawalQueueState = {
  /** Id of the newest request (0 before the first). */
  lastRequestId: bigint;
  lastFinalizedRequestId: bigint;
  /** Newest request the pool may finalize now (made before the last oracle report). */
  finalizableRequestId: bigint;
  /** Ether requested and not finalized yet. */
  unfinalizedEther: bigint;
  /** Ether finalized and not claimed yet. */
  lockedEther: bigint;
};

export type GetWithdrawalQueueStateReturnType = WithdrawalQueueState;

export type GetWithdrawalQueueStateErrorType = ReadErrorType;

/** The withdrawal queue's counters: what is requested, finalizable, finalized and still to claim. */
export async function getWithdrawalQueueState(
  client: NektarReadClient,
  p: GetWithdrawalQueueStateParameters,
): Promise<GetWithdrawalQueueStateReturnType> {
  const queue = withdrawalQueue(p.contracts);
  const [lastRequestId, lastFinalizedRequestId, finalizableRequestId, unfinalizedEther, lockedEther] =
    await Promise.all([
      read(client, WITHDRAWAL_QUEUE, { ...queue, functionName: "lastRequestId" }),
      read(client, WITHDRAWAL_QUEUE, { ...queue, functionName: "lastFinalizedRequestId" }),
      read(client, STAKING_POOL, { ...stakingPool(p.contracts), functionName: "finalizableRequestId" }),
      read(client, WITHDRAWAL_QUEUE, { ...queue, functionName: "unfinalizedEther" }),
      read(client, WITHDRAWAL_QUEUE, { ...queue, functionName: "lockedEther" }),
    ]);
  return { lastRequestId, lastFinalizedRequestId, finalizableRequestId, unfinalizedEther, lockedEther };
}
