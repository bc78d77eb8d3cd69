import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { RESHARE_MANAGER, reshareManager, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type LeaveClusterParameters = WithContracts<"operatorRegistry"> & {
  /** A live validator (`Predeposited` to `Active`) the operator is a member of. */
  validatorId: bigint;
  /** The caller's operator (the caller must be its owner). */
  operatorId: bigint;
};

export type LeaveClusterReturnType = TransactionResult & {
  /** The seat the operator leaves, 1-based. */
  leavingIndex: bigint;
  /** The block whose RANDAO mix will draw the replacement (`drawReplacement` after it). */
  drawBlock: bigint;
};

/** `ContractRevertedError` `NotOperatorOwner`, `NotClusterMember`, `ValidatorNotLive`, `ReshareAlreadyOpen`,
 * `UnknownRequest`, `DrawPending` (the registry has another draw pending: retry after it). */
export type LeaveClusterErrorType = SendErrorType;

/**
 * A member's owner takes its operator out of a live validator: the reshare manager opens a reshare of its seat and
 * schedules the replacement's draw. The operator's lock stays until the newcomer's result is accepted.
 */
export async function leaveCluster(
  client: NektarWriteClient,
  p: LeaveClusterParameters,
): Promise<LeaveClusterReturnType> {
  const manager = await reshareManager(client, p.contracts);
  const sent = await send(client, RESHARE_MANAGER, {
    ...manager,
    functionName: "leaveCluster",
    args: [p.validatorId, p.operatorId],
  });
  const { leavingIndex } = eventArgs(manager.abi, sent.receipt.logs, "ReshareOpened");
  const { drawBlock } = eventArgs(manager.abi, sent.receipt.logs, "ReplacementDrawScheduled");
  return { ...transactionResult(sent), leavingIndex, drawBlock };
}
