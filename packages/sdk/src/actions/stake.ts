import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import type { InsufficientBalanceError } from "../errors/input.ts";
import { stakingPoolAbi } from "../generated/abis.ts";
import { requireBalance } from "../internal/balance.ts";
import { STAKING_POOL, stakingPool, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";
import { getBalances } from "./getBalances.ts";

export type StakeParameters = WithContracts<"stakingPool" | "wrappedDivETH"> & {
  /** Ether to stake, in wei. */
  amount: bigint;
  /** Optional referral recorded in the `Staked` event. */
  referral?: Address | undefined;
};

export type StakeReturnType = TransactionResult & { shares: bigint; amount: bigint };

export type StakeErrorType = InsufficientBalanceError | SendErrorType;

/** Stakes ether in the pool and mints divETH to the caller. */
export async function stake(client: NektarWriteClient, p: StakeParameters): Promise<StakeReturnType> {
  const { ether } = await getBalances(client, { contracts: p.contracts, account: client.account.address });
  requireBalance(client.account.address, "ETH", ether, p.amount);
  const pool = stakingPool(p.contracts);
  const sent =
    p.referral === undefined
      ? await send(client, STAKING_POOL, { ...pool, functionName: "stake", value: p.amount })
      : await send(client, STAKING_POOL, {
          ...pool,
          functionName: "stakeWithReferral",
          args: [p.referral],
          value: p.amount,
        });
  const event = eventArgs(stakingPoolAbi, sent.receipt.logs, "Staked");
  return { ...transactionResult(sent), shares: event.shares, amount: event.amount };
}
