import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type SetOperatorPausedParameters = WithContracts<"operatorRegistry"> & {
  operatorId: bigint;
  /** true: leave future draws; false: return to them. */
  paused: boolean;
};

export type SetOperatorPausedReturnType = TransactionResult;

/** `ContractRevertedError` `NotOperatorOwner`, `PauseUnchanged`, `UnknownOperator`. */
export type SetOperatorPausedErrorType = SendErrorType;

/** Pauses (or resumes) an operator the caller owns in future draws; its validators and bond are unaffected. */
export async function setOperatorPaused(
  client: NektarWriteClient,
  p: SetOperatorPausedParameters,
): Promise<SetOperatorPausedReturnType> {
  const sent = await send(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "setOperatorPaused",
    args: [p.operatorId, p.paused],
  });
  return transactionResult(sent);
}
