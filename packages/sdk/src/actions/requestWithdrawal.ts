import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import type { InsufficientBalanceError } from "../errors/input.ts";
import { withdrawalQueueAbi } from "../generated/abis.ts";
import { ensureAllowance } from "../internal/approve.ts";
import { requireBalance } from "../internal/balance.ts";
import { transactionResult, WITHDRAWAL_QUEUE, withdrawalQueue } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";
import { getBalances } from "./getBalances.ts";

export type RequestWithdrawalParameters = WithContracts<"stakingPool" | "wrappedDivETH" | "withdrawalQueue"> & {
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

export type RequestWithdrawalErrorType = InsufficientBalanceError | SendErrorType;

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
  const sent = await send(client, WITHDRAWAL_QUEUE, {
    ...withdrawalQueue(p.contracts),
    functionName: token === "divETH" ? "requestWithdrawal" : "requestWithdrawalWdivETH",
    args: [p.amount, p.owner ?? me],
  });
  const { requestId, amountOfEther, amountOfShares } = eventArgs(
    withdrawalQueueAbi,
    sent.receipt.logs,
    "WithdrawalRequested",
  );
  return { ...transactionResult(sent), requestId, amountOfEther, amountOfShares };
}
