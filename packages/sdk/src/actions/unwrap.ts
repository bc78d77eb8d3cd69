import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { wrappedDivETHAbi } from "../generated/abis.ts";
import { requireBalance } from "../internal/balance.ts";
import { sendContractTransaction } from "../internal/send.ts";
import { getBalances } from "./getBalances.ts";

export type UnwrapParameters = WithContracts & {
  /** wdivETH to unwrap, in wei. */
  amount: bigint;
};

export type UnwrapReturnType = TransactionResult & { divETH: bigint };

/** Unwraps wdivETH back into divETH. */
export async function unwrap(client: NektarWriteClient, p: UnwrapParameters): Promise<UnwrapReturnType> {
  const { wdivETH } = await getBalances(client, { contracts: p.contracts, account: client.account.address });
  requireBalance(client.account.address, "wdivETH", wdivETH, p.amount);
  const sent = await sendContractTransaction(client, {
    contract: "WrappedDivETH",
    address: p.contracts.wrappedDivETH,
    abi: wrappedDivETHAbi,
    functionName: "unwrap",
    args: [p.amount],
  });
  return { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed, divETH: sent.result as bigint };
}
