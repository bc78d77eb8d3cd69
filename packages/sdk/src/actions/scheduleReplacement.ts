import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { RESHARE_MANAGER, reshareManager, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type ScheduleReplacementParameters = WithContracts<"operatorRegistry"> & { validatorId: bigint };

export type ScheduleReplacementReturnType = TransactionResult & { drawBlock: bigint };

/** `ContractRevertedError` `WrongStage` (not waiting for a draw), `ValidatorNotLive`, `DrawPending` (retry later). */
export type ScheduleReplacementErrorType = SendErrorType;

/** Schedules the replacement draw of a reshare waiting for one (after a retry). Anyone may call. */
export async function scheduleReplacement(
  client: NektarWriteClient,
  p: ScheduleReplacementParameters,
): Promise<ScheduleReplacementReturnType> {
  const manager = await reshareManager(client, p.contracts);
  const sent = await send(client, RESHARE_MANAGER, {
    ...manager,
    functionName: "scheduleReplacement",
    args: [p.validatorId],
  });
  const { drawBlock } = eventArgs(manager.abi, sent.receipt.logs, "ReplacementDrawScheduled");
  return { ...transactionResult(sent), drawBlock };
}
