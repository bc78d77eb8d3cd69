import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { OPERATOR_REWARDS, operatorRewards, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type FinalizeRewardsDistributionParameters = WithContracts<"stakingPool"> & { sequence: bigint };

export type FinalizeRewardsDistributionReturnType = TransactionResult;

/** `ContractRevertedError` `NotPending`, `DisputeWindowOpen`. */
export type FinalizeRewardsDistributionErrorType = SendErrorType;

/** Makes a posted distribution final after its window: claims open, the unpaid rest of the fee is burned. */
export async function finalizeRewardsDistribution(
  client: NektarWriteClient,
  p: FinalizeRewardsDistributionParameters,
): Promise<FinalizeRewardsDistributionReturnType> {
  const sent = await send(client, OPERATOR_REWARDS, {
    ...(await operatorRewards(client, p.contracts)),
    functionName: "finalize",
    args: [p.sequence],
  });
  return transactionResult(sent);
}
