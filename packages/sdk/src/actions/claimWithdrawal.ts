import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { withdrawalQueueAbi } from "../generated/abis.ts";
import { eventArgs, sendContractTransaction } from "../internal/send.ts";

export type ClaimWithdrawalParameters = WithContracts & {
  requestId: bigint;
  /** Where the ether goes (default: the caller, who must own the receipt). */
  recipient?: Address | undefined;
};

export type ClaimWithdrawalReturnType = TransactionResult & { amountOfEther: bigint };

/** Claims the ether of a finalized withdrawal request (burns the receipt). */
export async function claimWithdrawal(
  client: NektarWriteClient,
  p: ClaimWithdrawalParameters,
): Promise<ClaimWithdrawalReturnType> {
  const sent = await sendContractTransaction(client, {
    contract: "WithdrawalQueue",
    address: p.contracts.withdrawalQueue,
    abi: withdrawalQueueAbi,
    functionName: p.recipient === undefined ? "claimWithdrawal" : "claimWithdrawalTo",
    args: p.recipient === undefined ? [p.requestId] : [p.requestId, p.recipient],
  });
  const event = eventArgs<{ amountOfEther: bigint }>(withdrawalQueueAbi, sent.receipt.logs, "WithdrawalClaimed");
  return { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed, amountOfEther: event.amountOfEther };
}
