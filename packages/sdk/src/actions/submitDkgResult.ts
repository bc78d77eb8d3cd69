import type { Hex } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";
import type { DkgResult } from "./getDkgResultDigest.ts";

export type SubmitDkgResultParameters = WithContracts<"operatorRegistry"> & {
  result: DkgResult;
  /**
   * One approval per operator in cluster order, over the result's digest (`getDkgResultDigest`): an EIP-712 signature
   * of the operator's signer, or `0x` for an operator that attested that digest on-chain (`attestDkgResult`).
   */
  signatures: readonly Hex[];
};

export type SubmitDkgResultReturnType = TransactionResult;

/**
 * `ContractRevertedError`: `InvalidStatus` when the request is no longer `Requested` (another operator submitted
 * first), `InvalidOperatorSignature`, `WrongSignatureCount`, `InvalidLength`, `DuplicateValidatorPubkey`.
 */
export type SubmitDkgResultErrorType = SendErrorType;

/** Submits a DKG result approved by all 16 operators; the pool deposits 32 ETH for the new validator. Anyone may call. */
export async function submitDkgResult(
  client: NektarWriteClient,
  p: SubmitDkgResultParameters,
): Promise<SubmitDkgResultReturnType> {
  const r = p.result;
  const sent = await send(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "submitDkgResult",
    args: [r.requestId, r.groupPubkey, r.sharePubkeys, r.depositSignature, r.depositDataRoot, p.signatures],
  });
  return transactionResult(sent);
}
