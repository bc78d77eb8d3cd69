import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { withdrawalQueueAbi } from "../generated/abis.ts";
import { ensureAllowance } from "../internal/approve.ts";
import { requireBalance } from "../internal/balance.ts";
import { eventArgs, sendContractTransaction } from "../internal/send.ts";
import { getBalances } from "./getBalances.ts";

export type RequestWithdrawalParameters = WithContracts & {
  /** Amount to withdraw, in wei of the token. */
  amount: bigint;
  /** Which token is locked: divETH (default) or wdivETH. */
  token?: "divETH" | "wdivETH";
  /** Owner of the withdrawal receipt (default: the caller). */
  owner?: Address | undefined;
};

export type RequestWithdrawalReturnType = TransactionResult & {
  requestId: bigint;
  amountOfEther: bigint;
  amountOfShares: bigint;
};

/** Locks divETH (or wdivETH) in the withdrawal queue and mints an ERC-721 receipt. */
export async function requestWithdrawal(
  client: NektarWriteClient,
  p: RequestWithdrawalParameters,
): Promise<RequestWithdrawalReturnType> {
  const token = p.token ?? "divETH";
  const me = client.account.address;
  const balances = await getBalances(client, { contracts: p.contracts, account: me });
  requireBalance(me, token, token === "divETH" ? balances.divETH : balances.wdivETH, p.amount);
  await ensureAllowance(client, {
    contract: token === "divETH" ? "StakingPool" : "WrappedDivETH",
    token: token === "divETH" ? p.contracts.stakingPool : p.contracts.wrappedDivETH,
    spender: p.contracts.withdrawalQueue,
    amount: p.amount,
  });
  const sent = await sendContractTransaction(client, {
    contract: "WithdrawalQueue",
    address: p.contracts.withdrawalQueue,
    abi: withdrawalQueueAbi,
    functionName: token === "divETH" ? "requestWithdrawal" : "requestWithdrawalWdivETH",
    args: [p.amount, p.owner ?? me],
  });
  const event = eventArgs<{ requestId: bigint; amountOfEther: bigint; amountOfShares: bigint }>(
    withdrawalQueueAbi,
    sent.receipt.logs,
    "WithdrawalRequested",
  );
  return { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed, ...event };
}
