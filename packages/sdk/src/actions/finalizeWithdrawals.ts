import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { STAKING_POOL, stakingPool, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type FinalizeWithdrawalsParameters = WithContracts<"stakingPool"> & {
  /** At most this many requests (default 100). */
  maxRequests?: bigint;
};

export type FinalizeWithdrawalsReturnType = TransactionResult & { finalized: bigint };

export type FinalizeWithdrawalsErrorType = SendErrorType;

/** Finalizes withdrawal requests made before the last oracle report, in id order, while the unreserved buffer covers them. Anyone may call. */
export async function finalizeWithdrawals(
  client: NektarWriteClient,
  p: FinalizeWithdrawalsParameters,
): Promise<FinalizeWithdrawalsReturnType> {
  const sent = await send(client, STAKING_POOL, {
    ...stakingPool(p.contracts),
    functionName: "finalizeWithdrawals",
    args: [p.maxRequests ?? 100n],
  });
  return { ...transactionResult(sent), finalized: sent.result };
}
