import type { Hex } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type AttestDkgResultParameters = WithContracts<"operatorRegistry"> & {
  requestId: bigint;
  /** The result's EIP-712 digest (`getDkgResultDigest`). */
  resultDigest: Hex;
};

export type AttestDkgResultReturnType = TransactionResult;

/** `ContractRevertedError` `NotRequestOperator` when the caller is no drawn operator's signer, `InvalidStatus`. */
export type AttestDkgResultErrorType = SendErrorType;

/**
 * Approves a DKG result on-chain from the caller (the signer of one of the request's operators), instead of an
 * off-chain EIP-712 signature: `submitDkgResult` then takes `0x` at that operator's position.
 */
export async function attestDkgResult(
  client: NektarWriteClient,
  p: AttestDkgResultParameters,
): Promise<AttestDkgResultReturnType> {
  const sent = await send(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "attestDkgResult",
    args: [p.requestId, p.resultDigest],
  });
  return transactionResult(sent);
}
