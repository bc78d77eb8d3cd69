import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { stakingPoolAbi } from "../generated/abis.ts";
import { requireBalance } from "../internal/balance.ts";
import { eventArgs, sendContractTransaction } from "../internal/send.ts";
import { getBalances } from "./getBalances.ts";

export type StakeParameters = WithContracts & {
  /** Ether to stake, in wei. */
  amount: bigint;
  /** Optional referral recorded in the `Staked` event. */
  referral?: Address | undefined;
};

export type StakeReturnType = TransactionResult & { shares: bigint; amount: bigint };

/** Stakes ether in the pool and mints divETH to the caller. */
export async function stake(client: NektarWriteClient, p: StakeParameters): Promise<StakeReturnType> {
  const { ether } = await getBalances(client, { contracts: p.contracts, account: client.account.address });
  requireBalance(client.account.address, "ETH", ether, p.amount);
  const sent = await sendContractTransaction(client, {
    contract: "StakingPool",
    address: p.contracts.stakingPool,
    abi: stakingPoolAbi,
    functionName: p.referral === undefined ? "stake" : "stakeWithReferral",
    args: p.referral === undefined ? [] : [p.referral],
    value: p.amount,
  });
  const event = eventArgs<{ amount: bigint; shares: bigint }>(stakingPoolAbi, sent.receipt.logs, "Staked");
  return {
    hash: sent.hash,
    blockNumber: sent.blockNumber,
    gasUsed: sent.gasUsed,
    shares: event.shares,
    amount: event.amount,
  };
}
