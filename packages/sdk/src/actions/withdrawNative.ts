import { type Address, formatEther } from "viem";
import type { NektarWriteClient, TransactionResult } from "../client.ts";
import { InsufficientBalanceError } from "../errors/input.ts";
import type { NativeNotDeployedError } from "../errors/native.ts";
import type { UnknownRestakingOperatorError } from "../errors/restaking.ts";
import { transactionResult } from "../internal/contracts.ts";
import {
  type MaybeNativeContracts,
  NATIVE_RESTAKING_VAULT,
  NATIVE_VAULT,
  nativeRestakingVault,
  nativeVault,
  requireNative,
} from "../internal/native.ts";
import { read } from "../internal/read.ts";
import { requireRestakingOperator } from "../internal/restaking.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type WithdrawNativeParameters = {
  contracts: MaybeNativeContracts<"nativeVault" | "nativeRestakingVault">;
  /** Native shares to withdraw, or "all". */
  shares: bigint | "all";
  /**
   * Undelegate from this operator (the shares enter the restaking withdrawal queue, slashable until `claimEpoch`;
   * claim them with `claimRestakeWithdrawal` on the native restaking vault, which queues the ether payout). Without
   * it, undelegated native shares are burnt for an ether payout at once.
   */
  operator?: Address | undefined;
  /** Receiver of the ether payout (default: the caller). */
  recipient?: Address | undefined;
};

export type WithdrawNativeReturnType = TransactionResult & {
  shares: bigint;
  /** Payout queue entry and its ether, for a direct withdrawal. */
  payoutId: bigint | undefined;
  amount: bigint | undefined;
  /** Restaking epoch from which the undelegated shares are claimable, for an undelegation. */
  claimEpoch: bigint | undefined;
};

export type WithdrawNativeErrorType =
  | NativeNotDeployedError
  | UnknownRestakingOperatorError
  | InsufficientBalanceError
  | SendErrorType;

/**
 * Withdraws native stake: undelegated shares become an ether payout queued behind every earlier payout (slashes
 * included), paid when the vault holds the ether (`settlePayouts`); delegated shares are undelegated first. The
 * available shares are checked before anything is sent.
 */
export async function withdrawNative(
  client: NektarWriteClient,
  p: WithdrawNativeParameters,
): Promise<WithdrawNativeReturnType> {
  const c = requireNative(p.contracts, ["nativeVault", "nativeRestakingVault"]);
  const account = client.account.address;
  const v = nativeVault(c.nativeVault);
  if (p.operator !== undefined) {
    await requireRestakingOperator(client, {
      contracts: { restakingVault: c.nativeRestakingVault },
      operator: p.operator,
    });
    const rv = nativeRestakingVault(c.nativeRestakingVault);
    const [active] = await read(client, NATIVE_RESTAKING_VAULT, {
      ...rv,
      functionName: "positionOf",
      args: [account, p.operator],
    });
    const shares = p.shares === "all" ? active : p.shares;
    if (shares === 0n || shares > active) {
      throw new InsufficientBalanceError({
        account,
        asset: "active native shares",
        balance: `${active}`,
        needed: `${shares}`,
      });
    }
    const sent = await send(client, NATIVE_RESTAKING_VAULT, {
      ...rv,
      functionName: "undelegate",
      args: [p.operator, shares],
    });
    return { ...transactionResult(sent), shares, payoutId: undefined, amount: undefined, claimEpoch: sent.result };
  }
  const have = await read(client, NATIVE_VAULT, { ...v, functionName: "sharesOf", args: [account] });
  const shares = p.shares === "all" ? have : p.shares;
  if (shares === 0n || shares > have) {
    throw new InsufficientBalanceError({
      account,
      asset: "native shares",
      balance: formatEther(have),
      needed: formatEther(shares),
    });
  }
  const sent = await send(client, NATIVE_VAULT, {
    ...v,
    functionName: "withdraw",
    args: [shares, p.recipient ?? account],
  });
  const event = eventArgs(v.abi, sent.receipt.logs, "PayoutQueued");
  return { ...transactionResult(sent), shares, payoutId: event.payoutId, amount: event.amount, claimEpoch: undefined };
}
