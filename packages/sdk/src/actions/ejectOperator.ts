import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type EjectOperatorParameters = WithContracts<"operatorRegistry"> & {
  /** The operator to eject: it must hold `STRIKES_TO_EJECT` strikes within the last `STRIKE_WINDOW_FRAMES` frames. */
  operatorId: bigint;
};

export type EjectOperatorReturnType = TransactionResult;

/** `ContractRevertedError` `NotEjectable` (too few strikes in the window), `OperatorIsEjected`, `UnknownOperator`,
 * `DrawPending` (retry after the pending draw). */
export type EjectOperatorErrorType = SendErrorType;

/**
 * Ejects an operator over the strike limit from future draws, for good (its free bond stays withdrawable). Anyone may
 * call: the evidence is the registry's own strike record (see `getOperatorStrikes`).
 */
export async function ejectOperator(
  client: NektarWriteClient,
  p: EjectOperatorParameters,
): Promise<EjectOperatorReturnType> {
  const sent = await send(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "ejectOperator",
    args: [p.operatorId],
  });
  return transactionResult(sent);
}
