import type { Address, TransactionReceipt } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import type { InsufficientBalanceError } from "../errors/input.ts";
import type { UnknownRestakingOperatorError } from "../errors/restaking.ts";
import { ensureAllowance } from "../internal/approve.ts";
import { requireBalance } from "../internal/balance.ts";
import {
  RESTAKING_VAULT,
  restakingVault,
  STAKING_POOL,
  stakingPool,
  transactionResult,
} from "../internal/contracts.ts";
import { read } from "../internal/read.ts";
import { requireRestakingOperator } from "../internal/restaking.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";
import { getBalances } from "./getBalances.ts";

export type DepositRestakeParameters = WithContracts<"stakingPool" | "wrappedDivETH" | "restakingVault"> & {
  /** The restaking operator to delegate to (itself, for an operator's self-stake). */
  operator: Address;
  /** divETH (in wei of ether) or wdivETH (in wei, one per divETH share) to deposit. */
  amount: bigint;
  /** Which token the amount is in (default divETH). */
  asset?: "divETH" | "wdivETH" | undefined;
};

export type DepositRestakeReturnType = TransactionResult & {
  /** divETH shares deposited. */
  shares: bigint;
  /** Epoch from which the deposit is active (slashable, counted, earning). */
  activationEpoch: bigint;
};

export type DepositRestakeErrorType = UnknownRestakingOperatorError | InsufficientBalanceError | SendErrorType;

/**
 * Deposits divETH or wdivETH into the restaking vault, delegated to `operator` (approving the vault first when needed).
 * The operator and the balance are checked before anything is sent.
 */
export async function depositRestake(
  client: NektarWriteClient,
  p: DepositRestakeParameters,
): Promise<DepositRestakeReturnType> {
  const asset = p.asset ?? "divETH";
  const account = client.account.address;
  await requireRestakingOperator(client, p);
  const balances = await getBalances(client, { contracts: p.contracts, account });
  requireBalance(account, asset, asset === "divETH" ? balances.divETH : balances.wdivETH, p.amount);
  const vault = restakingVault(p.contracts);
  let sent: TransactionResult & { receipt: TransactionReceipt };
  if (asset === "divETH") {
    const shares = await read(client, STAKING_POOL, {
      ...stakingPool(p.contracts),
      functionName: "getSharesByPooledEth",
      args: [p.amount],
    });
    // The allowance is charged the shares' value rounded up: one wei above the amount always covers it.
    await ensureAllowance(client, {
      contract: STAKING_POOL,
      token: p.contracts.stakingPool,
      spender: p.contracts.restakingVault,
      amount: p.amount + 1n,
    });
    sent = await send(client, RESTAKING_VAULT, { ...vault, functionName: "deposit", args: [p.operator, shares] });
  } else {
    await ensureAllowance(client, {
      contract: "WrappedDivETH",
      token: p.contracts.wrappedDivETH,
      spender: p.contracts.restakingVault,
      amount: p.amount,
    });
    sent = await send(client, RESTAKING_VAULT, {
      ...vault,
      functionName: "depositWrapped",
      args: [p.operator, p.amount],
    });
  }
  const event = eventArgs(vault.abi, sent.receipt.logs, "Deposited");
  return { ...transactionResult(sent), shares: event.shares, activationEpoch: event.activationEpoch };
}
