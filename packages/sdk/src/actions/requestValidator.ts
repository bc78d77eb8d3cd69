import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { operatorRegistryAbi } from "../generated/abis.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type RequestValidatorParameters = WithContracts<"operatorRegistry">;

export type RequestValidatorReturnType = TransactionResult & {
  requestId: bigint;
  /** The block whose RANDAO mix seeds the draw; call `drawCluster` after it. */
  drawBlock: bigint;
  /** Bond units the draw will lock on each of the 16 operators. */
  lockUnits: bigint;
};

export type RequestValidatorErrorType = SendErrorType;

/**
 * Step 1 of a validator request: reserves 32 ETH of the pool's buffer and freezes the drawable bond weights; the 16
 * operators are drawn by `drawCluster` once the draw block exists (its RANDAO mix is unknown now, so no caller can
 * choose its cluster by choosing its block). Anyone may call. `ContractRevertedError` `DrawPending` while another
 * request waits for its draw.
 */
export async function requestValidator(
  client: NektarWriteClient,
  p: RequestValidatorParameters,
): Promise<RequestValidatorReturnType> {
  const sent = await send(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "requestValidator",
  });
  const event = eventArgs(operatorRegistryAbi, sent.receipt.logs, "ValidatorDrawScheduled");
  return {
    ...transactionResult(sent),
    requestId: event.requestId,
    drawBlock: event.drawBlock,
    lockUnits: event.lockUnits,
  };
}
