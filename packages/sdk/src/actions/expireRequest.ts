import { parseEventLogs } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { operatorRegistryAbi } from "../generated/abis.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type ExpireRequestParameters = WithContracts<"operatorRegistry"> & { requestId: bigint };

export type ExpireRequestReturnType = TransactionResult & {
  /** Bit `i` set: the operator at position `i` had not attested a result (each got a strike and a penalty). */
  missedBitmap: bigint;
  /** Bond units burnt from each operator of `missedBitmap` (10% of the lock; 0 when nobody missed). */
  penaltyUnits: bigint;
  /**
   * true: the missed seats are being redrawn (the request waits for `drawCluster`, then a new DKG runs); false: the
   * request expired (32 ETH back to the buffer, the remaining locks released).
   */
  redraw: boolean;
};

/** `ContractRevertedError` `RequestNotExpired` before the DKG timeout, `InvalidStatus` once completed or expired,
 * `DrawPending` when the missed seats could be redrawn but another draw is pending (retry after it). */
export type ExpireRequestErrorType = SendErrorType;

/**
 * Settles a request whose DKG did not complete within the registry's `DKG_TIMEOUT`. Anyone may call. The operators
 * that had not attested get a strike and a penalty and lose their seat; the seats are redrawn (up to the registry's
 * `MAX_REDRAWS`), else the request expires: the pool's 32 ETH reservation is released and the bonds unlocked.
 */
export async function expireRequest(
  client: NektarWriteClient,
  p: ExpireRequestParameters,
): Promise<ExpireRequestReturnType> {
  const sent = await send(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "expireRequest",
    args: [p.requestId],
  });
  const logs = sent.receipt.logs;
  const [missed] = parseEventLogs({ abi: operatorRegistryAbi, logs, eventName: "DkgSeatsMissed", strict: true });
  if (missed?.args.redraw) {
    const { missedBitmap, penaltyUnits } = missed.args;
    return { ...transactionResult(sent), missedBitmap, penaltyUnits, redraw: true };
  }
  const { missedBitmap } = eventArgs(operatorRegistryAbi, logs, "RequestExpired");
  return { ...transactionResult(sent), missedBitmap, penaltyUnits: missed?.args.penaltyUnits ?? 0n, redraw: false };
}
