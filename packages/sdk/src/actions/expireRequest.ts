import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { operatorRegistryAbi } from "../generated/abis.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type ExpireRequestParameters = WithContracts<"operatorRegistry"> & { requestId: bigint };

export type ExpireRequestReturnType = TransactionResult & {
  /** Bit `i` set: the operator at position `i` had not attested the result. */
  missedBitmap: bigint;
};

/** `ContractRevertedError` `RequestNotExpired` before the DKG timeout, `InvalidStatus` once completed or expired. */
export type ExpireRequestErrorType = SendErrorType;

/**
 * Expires a request whose DKG did not complete within the registry's `DKG_TIMEOUT`: the pool's 32 ETH reservation is
 * released and the operators' bonds unlocked. Anyone may call.
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
  const { missedBitmap } = eventArgs(operatorRegistryAbi, sent.receipt.logs, "RequestExpired");
  return { ...transactionResult(sent), missedBitmap };
}
