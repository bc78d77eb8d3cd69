import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { stakingPoolAbi } from "../generated/abis.ts";
import { sendContractTransaction } from "../internal/send.ts";

export type FinalizeWithdrawalsParameters = WithContracts & {
  /** At most this many requests (default 100). */
  maxRequests?: bigint;
};

export type FinalizeWithdrawalsReturnType = TransactionResult & { finalized: bigint };

/** Finalizes withdrawal requests made before the last oracle report, in id order, while the unreserved buffer covers them. Anyone may call. */
export async function finalizeWithdrawals(
  client: NektarWriteClient,
  p: FinalizeWithdrawalsParameters,
): Promise<FinalizeWithdrawalsReturnType> {
  const sent = await sendContractTransaction(client, {
    contract: "StakingPool",
    address: p.contracts.stakingPool,
    abi: stakingPoolAbi,
    functionName: "finalizeWithdrawals",
    args: [p.maxRequests ?? 100n],
  });
  return { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed, finalized: sent.result as bigint };
}
