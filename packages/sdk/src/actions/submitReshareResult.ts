import type { Hex } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { RESHARE_MANAGER, reshareManager, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type SubmitReshareResultParameters = WithContracts<"operatorRegistry"> & {
  validatorId: bigint;
  /** The 16 new share public keys, 48 bytes each, concatenated in seat order. */
  sharePublicKeys: Hex;
  /** The validator key's (11-of-16 threshold) signature of the result, compressed (96 bytes). */
  signature: Hex;
  /** The same signature uncompressed (EIP-2537 G2, 256 bytes). */
  signaturePoint: Hex;
  /** The validator key uncompressed (EIP-2537 G1, 128 bytes). */
  validatorPubkeyPoint: Hex;
  /** The newcomer's signer's EIP-712 `ReshareApproval(resultRoot)` signature. */
  newcomerApproval: Hex;
};

export type SubmitReshareResultReturnType = TransactionResult & {
  newcomerOperatorId: bigint;
  leavingOperatorId: bigint;
  penaltyUnits: bigint;
};

/** `ContractRevertedError` `WrongStage`, `DeadlineMismatch` (too late: expire and retry), `ValidatorNotLive`,
 * `InvalidValidatorSignature` (not the validator key's signature of this result and nonce), `InvalidNewcomerApproval`,
 * `ReshareInvalidSharePublicKeys` and BLS encoding errors. */
export type SubmitReshareResultErrorType = SendErrorType;

/**
 * Submits a reshare result: the registry swaps the seat, records the new share keys' hash and releases the leaver's
 * lock (less 10% if it was ejected). Anyone may submit; the validator key's signature and the newcomer's approval are
 * what make it valid.
 */
export async function submitReshareResult(
  client: NektarWriteClient,
  p: SubmitReshareResultParameters,
): Promise<SubmitReshareResultReturnType> {
  const manager = await reshareManager(client, p.contracts);
  const sent = await send(client, RESHARE_MANAGER, {
    ...manager,
    functionName: "submitReshareResult",
    args: [
      p.validatorId,
      p.sharePublicKeys,
      { validatorPubkey: p.validatorPubkeyPoint, signature: p.signature, signaturePoint: p.signaturePoint },
      p.newcomerApproval,
    ],
  });
  const done = eventArgs(manager.abi, sent.receipt.logs, "ReshareCompleted");
  return {
    ...transactionResult(sent),
    newcomerOperatorId: done.newcomerOperatorId,
    leavingOperatorId: done.leavingOperatorId,
    penaltyUnits: done.penaltyUnits,
  };
}
