import { type Address, zeroAddress } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { RESTAKING_VAULT, restakingVault, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type ClaimRestakingRewardsParameters = WithContracts<"restakingVault"> & {
  /** Delegator rewards earned with this operator; omit to claim the caller's own operator commission. */
  operator?: Address | undefined;
  /** Reward token (default: ether, the zero address). */
  token?: Address | undefined;
  /** Receiver (default: the caller). */
  recipient?: Address | undefined;
};

export type ClaimRestakingRewardsReturnType = TransactionResult & { amount: bigint };

/** `ContractRevertedError` `ZeroAmount` when nothing is claimable. */
export type ClaimRestakingRewardsErrorType = SendErrorType;

/** Claims restaking rewards in one token: as a delegator of `operator`, or as an operator its commission. */
export async function claimRestakingRewards(
  client: NektarWriteClient,
  p: ClaimRestakingRewardsParameters,
): Promise<ClaimRestakingRewardsReturnType> {
  const token = p.token ?? zeroAddress;
  const recipient = p.recipient ?? client.account.address;
  const vault = restakingVault(p.contracts);
  const sent =
    p.operator === undefined
      ? await send(client, RESTAKING_VAULT, {
          ...vault,
          functionName: "claimOperatorRewards",
          args: [token, recipient],
        })
      : await send(client, RESTAKING_VAULT, {
          ...vault,
          functionName: "claimRewards",
          args: [p.operator, token, recipient],
        });
  return { ...transactionResult(sent), amount: sent.result };
}
