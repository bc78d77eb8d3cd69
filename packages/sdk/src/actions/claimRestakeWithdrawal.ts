import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { RESTAKING_VAULT, restakingVault, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type ClaimRestakeWithdrawalParameters = WithContracts<"restakingVault"> & {
  operator: Address;
  /** The withdrawal's claim epoch (as `undelegateRestake` returned it). */
  claimEpoch: bigint;
  /** Receiver of the divETH shares (default: the caller). */
  recipient?: Address | undefined;
};

export type ClaimRestakeWithdrawalReturnType = TransactionResult & { shares: bigint };

/** `ContractRevertedError` `WithdrawalNotClaimable` before the epoch, `NothingToClaim` when already claimed. */
export type ClaimRestakeWithdrawalErrorType = SendErrorType;

/** Claims an undelegated withdrawal (after slashes) once its epoch has started. */
export async function claimRestakeWithdrawal(
  client: NektarWriteClient,
  p: ClaimRestakeWithdrawalParameters,
): Promise<ClaimRestakeWithdrawalReturnType> {
  const sent = await send(client, RESTAKING_VAULT, {
    ...restakingVault(p.contracts),
    functionName: "claimWithdrawal",
    args: [p.operator, p.claimEpoch, p.recipient ?? client.account.address],
  });
  return { ...transactionResult(sent), shares: sent.result };
}
