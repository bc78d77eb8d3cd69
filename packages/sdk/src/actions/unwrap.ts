import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import type { InsufficientBalanceError } from "../errors/input.ts";
import { requireBalance } from "../internal/balance.ts";
import { transactionResult, WRAPPED_DIVETH, wrappedDivETH } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";
import { getBalances } from "./getBalances.ts";

export type UnwrapParameters = WithContracts<"stakingPool" | "wrappedDivETH"> & {
  /** wdivETH to unwrap, in wei. */
  amount: bigint;
};

export type UnwrapReturnType = TransactionResult & { divETH: bigint };

export type UnwrapErrorType = InsufficientBalanceError | SendErrorType;

/** Unwraps wdivETH back into divETH. */
export async function unwrap(client: NektarWriteClient, p: UnwrapParameters): Promise<UnwrapReturnType> {
  const { wdivETH } = await getBalances(client, { contracts: p.contracts, account: client.account.address });
  requireBalance(client.account.address, "wdivETH", wdivETH, p.amount);
  const sent = await send(client, WRAPPED_DIVETH, {
    ...wrappedDivETH(p.contracts),
    functionName: "unwrap",
    args: [p.amount],
  });
  return { ...transactionResult(sent), divETH: sent.result };
}
