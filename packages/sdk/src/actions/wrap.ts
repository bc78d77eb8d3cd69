import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { wrappedDivETHAbi } from "../generated/abis.ts";
import { ensureAllowance } from "../internal/approve.ts";
import { requireBalance } from "../internal/balance.ts";
import { sendContractTransaction } from "../internal/send.ts";
import { getBalances } from "./getBalances.ts";

export type WrapParameters = WithContracts & {
  /** divETH to wrap, in wei. */
  amount: bigint;
};

export type WrapReturnType = TransactionResult & { wdivETH: bigint };

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
  const sent = await sendContractTransaction(client, {
    contract: "WrappedDivETH",
    address: p.contracts.wrappedDivETH,
    abi: wrappedDivETHAbi,
    functionName: "wrap",
    args: [p.amount],
  });
  return { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed, wdivETH: sent.result as bigint };
}
