import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import type { InsufficientBalanceError } from "../errors/input.ts";
import { ensureAllowance } from "../internal/approve.ts";
import { requireBalance } from "../internal/balance.ts";
import { transactionResult, WRAPPED_DIVETH, wrappedDivETH } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";
import { getBalances } from "./getBalances.ts";

export type WrapParameters = WithContracts<"stakingPool" | "wrappedDivETH"> & {
  /** divETH to wrap, in wei. */
  amount: bigint;
};

export type WrapReturnType = TransactionResult & { wdivETH: bigint };

export type WrapErrorType = InsufficientBalanceError | SendErrorType;

/** Wraps divETH into wdivETH (approving the wrapper first when needed). */
export async function wrap(client: NektarWriteClient, p: WrapParameters): Promise<WrapReturnType> {
  const { divETH } = await getBalances(client, { contracts: p.contracts, account: client.account.address });
  requireBalance(client.account.address, "divETH", divETH, p.amount);
  await ensureAllowance(client, {
    contract: "StakingPool",
    token: p.contracts.stakingPool,
    spender: p.contracts.wrappedDivETH,
    amount: p.amount,
  });
  const sent = await send(client, WRAPPED_DIVETH, {
    ...wrappedDivETH(p.contracts),
    functionName: "wrap",
    args: [p.amount],
  });
  return { ...transactionResult(sent), wdivETH: sent.result };
}
