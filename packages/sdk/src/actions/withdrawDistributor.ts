import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult } from "../client.ts";
import { InsufficientBalanceError } from "../errors/input.ts";
import { transactionResult } from "../internal/contracts.ts";
import { DISTRIBUTOR, distributor } from "../internal/native.ts";
import { read } from "../internal/read.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type WithdrawDistributorParameters = {
  distributor: Address;
  /** Distributor shares to redeem, or "all". */
  shares: bigint | "all";
  /** Receiver of the assets (default: the caller). */
  receiver?: Address | undefined;
};

export type WithdrawDistributorReturnType = TransactionResult & {
  shares: bigint;
  /** wdivETH paid at once from idle assets. */
  paidNow: bigint;
  /** Assets leaving through the restaking queue (claimable in divETH shares from `claimEpoch` with `claimDistributor`). */
  queued: bigint;
  claimEpoch: bigint | undefined;
};

export type WithdrawDistributorErrorType = InsufficientBalanceError | SendErrorType;

/**
 * Redeems Distributor shares: synchronously (ERC-4626 `redeem`) when idle assets cover them, otherwise through
 * `requestRedeem` (idle first, the rest undelegated into the restaking queue). The share balance is checked first.
 */
export async function withdrawDistributor(
  client: NektarWriteClient,
  p: WithdrawDistributorParameters,
): Promise<WithdrawDistributorReturnType> {
  const account = client.account.address;
  const d = distributor(p.distributor);
  const have = await read(client, DISTRIBUTOR, { ...d, functionName: "balanceOf", args: [account] });
  const shares = p.shares === "all" ? have : p.shares;
  if (shares === 0n || shares > have) {
    throw new InsufficientBalanceError({
      account,
      asset: "Distributor shares",
      balance: `${have}`,
      needed: `${shares}`,
    });
  }
  const receiver = p.receiver ?? account;
  const maxRedeem = await read(client, DISTRIBUTOR, { ...d, functionName: "maxRedeem", args: [account] });
  if (shares <= maxRedeem) {
    const sent = await send(client, DISTRIBUTOR, { ...d, functionName: "redeem", args: [shares, receiver, account] });
    return { ...transactionResult(sent), shares, paidNow: sent.result, queued: 0n, claimEpoch: undefined };
  }
  const sent = await send(client, DISTRIBUTOR, {
    ...d,
    functionName: "requestRedeem",
    args: [shares, receiver, account],
  });
  const event = eventArgs(d.abi, sent.receipt.logs, "RedeemRequested");
  return {
    ...transactionResult(sent),
    shares,
    paidNow: event.paidNow,
    queued: event.assets - event.paidNow,
    claimEpoch: event.claimEpoch === 0n ? undefined : event.claimEpoch,
  };
}
