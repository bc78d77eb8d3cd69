import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { operatorRegistryAbi } from "../generated/abis.ts";
import { ensureAllowance } from "../internal/approve.ts";
import { requireBalance } from "../internal/balance.ts";
import { sendContractTransaction } from "../internal/send.ts";
import { getBalances } from "./getBalances.ts";

export type BondAsset = "ETH" | "divETH" | "wdivETH";

export type BondOperatorParameters = WithContracts & {
  operatorId: bigint;
  /** Amount of `asset`, in wei. */
  amount: bigint;
  /** What is bonded: ether (staked then bonded, default), divETH or wdivETH. */
  asset?: BondAsset;
};

export type BondOperatorReturnType = TransactionResult & { units: bigint };

/** Adds bond to an operator the caller owns. */
export async function bondOperator(
  client: NektarWriteClient,
  p: BondOperatorParameters,
): Promise<BondOperatorReturnType> {
  const asset = p.asset ?? "ETH";
  const me = client.account.address;
  const balances = await getBalances(client, { contracts: p.contracts, account: me });
  const have = asset === "ETH" ? balances.ether : asset === "divETH" ? balances.divETH : balances.wdivETH;
  requireBalance(me, asset, have, p.amount);
  if (asset !== "ETH") {
    await ensureAllowance(client, {
      contract: asset === "divETH" ? "StakingPool" : "WrappedDivETH",
      token: asset === "divETH" ? p.contracts.stakingPool : p.contracts.wrappedDivETH,
      spender: p.contracts.operatorRegistry,
      amount: p.amount,
    });
  }
  const sent = await sendContractTransaction(client, {
    contract: "OperatorRegistry",
    address: p.contracts.operatorRegistry,
    abi: operatorRegistryAbi,
    ...(asset === "ETH"
      ? { functionName: "bondEther", args: [p.operatorId], value: p.amount }
      : { functionName: asset === "divETH" ? "bond" : "bondWrapped", args: [p.operatorId, p.amount] }),
  });
  return { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed, units: sent.result as bigint };
}
