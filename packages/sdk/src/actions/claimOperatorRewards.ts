import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { OPERATOR_REWARDS, operatorRewards, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type ClaimOperatorRewardsParameters = WithContracts<"stakingPool"> & {
  /** The operator; the caller must be its owner. */
  operatorId: bigint;
  /** Its cumulative earnings in the last final distribution (`buildOperatorRewardsDistribution`'s `cumulative`). */
  cumulative: bigint;
  /** Its leaf's path in that distribution's operators tree (`operatorProof(operatorId)`). */
  proof: readonly `0x${string}`[];
};

export type ClaimOperatorRewardsReturnType = TransactionResult & { divETHShares: bigint };

/** `ContractRevertedError` `NotOperatorOwner`, `InvalidProof` (not the last final distribution's leaf),
 * `NothingToClaim` (already claimed), `NothingFinal`. */
export type ClaimOperatorRewardsErrorType = SendErrorType;

/** Claims an operator's unclaimed per-share rewards as divETH shares (they keep earning) to its owner. */
export async function claimOperatorRewards(
  client: NektarWriteClient,
  p: ClaimOperatorRewardsParameters,
): Promise<ClaimOperatorRewardsReturnType> {
  const sent = await send(client, OPERATOR_REWARDS, {
    ...(await operatorRewards(client, p.contracts)),
    functionName: "claim",
    args: [p.operatorId, p.cumulative, [...p.proof]],
  });
  return { ...transactionResult(sent), divETHShares: sent.result };
}
