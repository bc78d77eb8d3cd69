import type { Address } from "viem";
import { getBalance } from "viem/actions";
import type { NektarWriteClient, TransactionResult } from "../client.ts";
import type { InsufficientBalanceError } from "../errors/input.ts";
import type { NativeNotDeployedError } from "../errors/native.ts";
import type { UnknownRestakingOperatorError } from "../errors/restaking.ts";
import { requireBalance } from "../internal/balance.ts";
import { transactionResult } from "../internal/contracts.ts";
import {
  type MaybeNativeContracts,
  NATIVE_RESTAKING_VAULT,
  NATIVE_VAULT,
  nativeRestakingVault,
  nativeVault,
  requireNative,
} from "../internal/native.ts";
import { requireRestakingOperator } from "../internal/restaking.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type DepositNativeParameters = {
  contracts: MaybeNativeContracts<"nativeVault" | "nativeRestakingVault">;
  /** Ether (wei) to deposit; any amount — 32-ETH batches become validators with the native vault's credentials. */
  amount: bigint;
  /** Delegate the new native shares to this restaking operator at once (default: keep them undelegated). */
  operator?: Address | undefined;
};

export type DepositNativeReturnType = TransactionResult & {
  /** Native shares minted. */
  shares: bigint;
  /** Epoch from which the delegation is active, when `operator` was given. */
  activationEpoch: bigint | undefined;
};

export type DepositNativeErrorType =
  | NativeNotDeployedError
  | UnknownRestakingOperatorError
  | InsufficientBalanceError
  | SendErrorType;

/**
 * Deposits ether into the native restaking vault for non-transferable native shares and, with `operator`, delegates
 * them through the native restaking vault (Networks, opt-ins and slashing as for divETH). The contracts, the operator
 * and the balance are checked before anything is sent.
 */
export async function depositNative(
  client: NektarWriteClient,
  p: DepositNativeParameters,
): Promise<DepositNativeReturnType> {
  const c = requireNative(p.contracts, ["nativeVault", "nativeRestakingVault"]);
  const account = client.account.address;
  if (p.operator !== undefined) {
    await requireRestakingOperator(client, {
      contracts: { restakingVault: c.nativeRestakingVault },
      operator: p.operator,
    });
  }
  requireBalance(account, "ETH", await getBalance(client, { address: account }), p.amount);
  const sent = await send(client, NATIVE_VAULT, {
    ...nativeVault(c.nativeVault),
    functionName: "deposit",
    value: p.amount,
  });
  const { shares } = eventArgs(nativeVault(c.nativeVault).abi, sent.receipt.logs, "Deposited");
  if (p.operator === undefined) return { ...transactionResult(sent), shares, activationEpoch: undefined };
  const delegated = await send(client, NATIVE_RESTAKING_VAULT, {
    ...nativeRestakingVault(c.nativeRestakingVault),
    functionName: "deposit",
    args: [p.operator, shares],
  });
  const event = eventArgs(nativeRestakingVault(c.nativeRestakingVault).abi, delegated.receipt.logs, "Deposited");
  return { ...transactionResult(delegated), shares, activationEpoch: event.activationEpoch };
}
