import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { operatorRegistryAbi } from "../generated/abis.ts";
import { eventArgs, sendContractTransaction } from "../internal/send.ts";

export type RequestValidatorParameters = WithContracts;

export type RequestValidatorReturnType = TransactionResult & { requestId: bigint };

/** Reserves 32 ETH of the pool's buffer and draws 16 operators for a new distributed validator. Anyone may call. */
export async function requestValidator(
  client: NektarWriteClient,
  p: RequestValidatorParameters,
): Promise<RequestValidatorReturnType> {
  const sent = await sendContractTransaction(client, {
    contract: "OperatorRegistry",
    address: p.contracts.operatorRegistry,
    abi: operatorRegistryAbi,
    functionName: "requestValidator",
  });
  const event = eventArgs<{ requestId: bigint }>(operatorRegistryAbi, sent.receipt.logs, "ValidatorRequested");
  return { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed, requestId: event.requestId };
}
