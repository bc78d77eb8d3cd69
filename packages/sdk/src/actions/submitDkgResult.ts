import type { Hex } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";
import type { DkgResult } from "./getDkgResultDigest.ts";

/**
 * The result's group key and deposit signature uncompressed, as EIP-2537 encodes them (`g1PointFromPublicKey` and
 * `g2PointFromSignature` of `@nektar/crypto`): the registry checks them against the compressed forms and verifies the
 * signature with the BLS precompiles. Not part of what operators approve.
 */
export type DepositPoints = { groupPubkey: Hex; depositSignature: Hex };

export type SubmitDkgResultParameters = WithContracts<"operatorRegistry"> & {
  result: DkgResult;
  points: DepositPoints;
  /**
   * One approval per operator in cluster order, over the result's digest (`getDkgResultDigest`): an EIP-712 signature
   * of the operator's signer, or `0x` for an operator that attested that digest on-chain (`attestDkgResult`).
   */
  signatures: readonly Hex[];
};

export type SubmitDkgResultReturnType = TransactionResult;

/**
 * `ContractRevertedError`: `InvalidStatus` when the request is no longer `Requested` (another operator submitted
 * first), `InvalidOperatorSignature`, `WrongSignatureCount`, `InvalidLength`, `DuplicateValidatorPubkey`,
 * `InvalidDepositSignature` (not a signature of the 1 ETH deposit message), and the BLS library's encoding errors for
 * points that are not the compressed key or signature.
 */
export type SubmitDkgResultErrorType = SendErrorType;

/**
 * Submits a DKG result approved by all 16 operators; the registry verifies its deposit signature and the pool
 * predeposits 1 ETH for the new validator (the other 31 ETH follow with `completeDeposit`). Anyone may call.
 */
export async function submitDkgResult(
  client: NektarWriteClient,
  p: SubmitDkgResultParameters,
): Promise<SubmitDkgResultReturnType> {
  const r = p.result;
  const sent = await send(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "submitDkgResult",
    args: [r.requestId, r.groupPubkey, r.sharePubkeys, r.depositSignature, r.depositDataRoot, p.points, p.signatures],
  });
  return transactionResult(sent);
}
