import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type SetOperatorEjectedParameters = WithContracts<"operatorRegistry"> & {
  operatorId: bigint;
  /** true: remove from future draws (and from Stinger's registry admission); false: return to them. */
  ejected: boolean;
};

export type SetOperatorEjectedReturnType = TransactionResult;

/** `ContractRevertedError` `AccessControlUnauthorizedAccount` without the ejector role, `EjectionUnchanged`. */
export type SetOperatorEjectedErrorType = SendErrorType;

/** Ejects an operator from (or returns it to) future draws. `OPERATOR_EJECTOR_ROLE` only. */
export async function setOperatorEjected(
  client: NektarWriteClient,
  p: SetOperatorEjectedParameters,
): Promise<SetOperatorEjectedReturnType> {
  const sent = await send(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "setOperatorEjected",
    args: [p.operatorId, p.ejected],
  });
  return transactionResult(sent);
}
