import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { operatorRegistryAbi } from "../generated/abis.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type RequestValidatorParameters = WithContracts<"operatorRegistry">;

export type RequestValidatorReturnType = TransactionResult & { requestId: bigint };

export type RequestValidatorErrorType = SendErrorType;

/** Reserves 32 ETH of the pool's buffer and draws 16 operators for a new distributed validator. Anyone may call. */
export async function requestValidator(
  client: NektarWriteClient,
  p: RequestValidatorParameters,
): Promise<RequestValidatorReturnType> {
  const sent = await send(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "requestValidator",
  });
  const event = eventArgs(operatorRegistryAbi, sent.receipt.logs, "ValidatorRequested");
  return { ...transactionResult(sent), requestId: event.requestId };
}
