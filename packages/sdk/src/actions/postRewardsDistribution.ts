import type { RewardsCommitment } from "@nektar/crypto";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { OPERATOR_REWARDS, operatorRewards, transactionResult } from "../internal/contracts.ts";
import { read } from "../internal/read.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type PostRewardsDistributionParameters = WithContracts<"stakingPool"> & {
  /** The fee to distribute: the contract's `finalCount()`. */
  sequence: bigint;
  /** From `buildOperatorRewardsDistribution`. */
  commitment: RewardsCommitment;
};

export type PostRewardsDistributionReturnType = TransactionResult & { bond: bigint };

/** `ContractRevertedError` `NotNextDistribution`, `DistributionExists`, `CountsMismatch` (the registry changed since
 * the build: rebuild), `PaysMoreThanFee`. */
export type PostRewardsDistributionErrorType = SendErrorType;

/** Posts a fee's distribution with the contract's bond (returned when final, lost to a disputer if wrong). */
export async function postRewardsDistribution(
  client: NektarWriteClient,
  p: PostRewardsDistributionParameters,
): Promise<PostRewardsDistributionReturnType> {
  const rewards = await operatorRewards(client, p.contracts);
  const bond = await read(client, OPERATOR_REWARDS, { ...rewards, functionName: "bond" });
  const sent = await send(client, OPERATOR_REWARDS, {
    ...rewards,
    functionName: "post",
    args: [p.sequence, p.commitment],
    value: bond,
  });
  return { ...transactionResult(sent), bond };
}
