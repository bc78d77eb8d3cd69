import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { withdrawalQueueAbi } from "../generated/abis.ts";
import { transactionResult, WITHDRAWAL_QUEUE, withdrawalQueue } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type ClaimWithdrawalParameters = WithContracts<"withdrawalQueue"> & {
  requestId: bigint;
  /** Where the ether goes (default: the caller, who must own the receipt). */
  recipient?: Address | undefined;
};

export type ClaimWithdrawalReturnType = TransactionResult & { amountOfEther: bigint };

export type ClaimWithdrawalErrorType = SendErrorType;

/** Claims the ether of a finalized withdrawal request (burns the receipt). */
export async function claimWithdrawal(
  client: NektarWriteClient,
  p: ClaimWithdrawalParameters,
): Promise<ClaimWithdrawalReturnType> {
  const queue = withdrawalQueue(p.contracts);
  const sent =
    p.recipient === undefined
      ? await send(client, WITHDRAWAL_QUEUE, { ...queue, functionName: "claimWithdrawal", args: [p.requestId] })
      : await send(client, WITHDRAWAL_QUEUE, {
          ...queue,
          functionName: "claimWithdrawalTo",
          args: [p.requestId, p.recipient],
        });
  const event = eventArgs(withdrawalQueueAbi, sent.receipt.logs, "WithdrawalClaimed");
  return { ...transactionResult(sent), amountOfEther: event.amountOfEther };
}
