import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { RESHARE_MANAGER, reshareManager, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type ReplaceEjectedParameters = WithContracts<"operatorRegistry"> & {
  /** A live validator. */
  validatorId: bigint;
  /** An ejected operator holding a seat of it. */
  operatorId: bigint;
};

export type ReplaceEjectedReturnType = TransactionResult & { leavingIndex: bigint; drawBlock: bigint };

/** `ContractRevertedError` `OperatorNotEjected`, `NotClusterMember`, `ValidatorNotLive`, `ReshareAlreadyOpen`,
 * `DrawPending`. */
export type ReplaceEjectedErrorType = SendErrorType;

/** Anyone opens the reshare of the seat an ejected operator holds (it pays 10% of its lock when the seat is filled). */
export async function replaceEjected(
  client: NektarWriteClient,
  p: ReplaceEjectedParameters,
): Promise<ReplaceEjectedReturnType> {
  const manager = await reshareManager(client, p.contracts);
  const sent = await send(client, RESHARE_MANAGER, {
    ...manager,
    functionName: "replaceEjected",
    args: [p.validatorId, p.operatorId],
  });
  const { leavingIndex } = eventArgs(manager.abi, sent.receipt.logs, "ReshareOpened");
  const { drawBlock } = eventArgs(manager.abi, sent.receipt.logs, "ReplacementDrawScheduled");
  return { ...transactionResult(sent), leavingIndex, drawBlock };
}
