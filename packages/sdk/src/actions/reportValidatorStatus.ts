import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";
import { type ValidatorStatus, validatorStatusIndex } from "../validatorStatus.ts";

export type ReportValidatorStatusParameters = WithContracts<"operatorRegistry"> & {
  validatorId: bigint;
  status: ValidatorStatus;
};

export type ReportValidatorStatusReturnType = TransactionResult;

export type ReportValidatorStatusErrorType = SendErrorType;

/** Records a validator's beacon-chain lifecycle step (active, exiting, exited, withdrawn). Lifecycle reporter role only. */
export async function reportValidatorStatus(
  client: NektarWriteClient,
  p: ReportValidatorStatusParameters,
): Promise<ReportValidatorStatusReturnType> {
  const sent = await send(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "reportValidatorStatus",
    args: [p.validatorId, validatorStatusIndex(p.status)],
  });
  return transactionResult(sent);
}
