import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import type { InsufficientBalanceError } from "../errors/input.ts";
import { ensureAllowance } from "../internal/approve.ts";
import { requireBalance } from "../internal/balance.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";
import { getBalances } from "./getBalances.ts";

export type BondAsset = "ETH" | "divETH" | "wdivETH";

export type BondOperatorParameters = WithContracts<"operatorRegistry" | "stakingPool" | "wrappedDivETH"> & {
  operatorId: bigint;
  /** Amount of `asset`, in wei. */
  amount: bigint;
  /** What is bonded: ether (staked then bonded, default), divETH or wdivETH. */
  asset?: BondAsset;
};

export type BondOperatorReturnType = TransactionResult & { units: bigint };

export type BondOperatorErrorType = InsufficientBalanceError | SendErrorType;

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
  const registry = operatorRegistry(p.contracts);
  if (asset === "ETH") {
    const sent = await send(client, OPERATOR_REGISTRY, {
      ...registry,
      functionName: "bondEther",
      args: [p.operatorId],
      value: p.amount,
    });
    return { ...transactionResult(sent), units: sent.result };
  }
  await ensureAllowance(client, {
    contract: asset === "divETH" ? "StakingPool" : "WrappedDivETH",
    token: asset === "divETH" ? p.contracts.stakingPool : p.contracts.wrappedDivETH,
    spender: p.contracts.operatorRegistry,
    amount: p.amount,
  });
  const sent = await send(client, OPERATOR_REGISTRY, {
    ...registry,
    functionName: asset === "divETH" ? "bond" : "bondWrapped",
    args: [p.operatorId, p.amount],
  });
  return { ...transactionResult(sent), units: sent.result };
}
