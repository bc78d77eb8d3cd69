import { type Address, type Hex, parseEventLogs } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import type { RpcError } from "../errors/contract.ts";
import { drawBlockHeader } from "../internal/blockHeader.ts";
import { RESHARE_MANAGER, reshareManager, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";
import { getPendingDraw } from "./getPendingDraw.ts";

export type DrawReplacementParameters = WithContracts<"operatorRegistry"> & {
  /** The validator whose replacement draw is scheduled. */
  validatorId: bigint;
};

export type DrawReplacementReturnType = TransactionResult &
  (
    | {
        /** The replacement was drawn and locked: the members reshare (`ReshareRequested`). */
        drawn: true;
        newcomerOperatorId: bigint;
        newcomer: Address;
        leavingIndex: bigint;
        members: readonly Address[];
        deadline: bigint;
        nonce: bigint;
        validator: Hex;
      }
    | { drawn: false; drawBlock: bigint }
  );

/** `ContractRevertedError` `WrongStage`, `DrawTooEarly`, `NotEnoughEligibleOperators`; `RpcError` when the node cannot
 * serve the draw block's header. */
export type DrawReplacementErrorType = SendErrorType | RpcError;

/**
 * Draws the replacement of an open reshare from its draw block's RANDAO mix (all 16 current members excluded) and locks
 * its bond. Anyone may call, in any block after the draw block; past 256 blocks the same call re-arms the draw.
 */
export async function drawReplacement(
  client: NektarWriteClient,
  p: DrawReplacementParameters,
): Promise<DrawReplacementReturnType> {
  const manager = await reshareManager(client, p.contracts);
  const pending = await getPendingDraw(client, p);
  const header: Hex =
    pending.reshareValidatorId === p.validatorId ? await drawBlockHeader(client, pending.drawBlock) : "0x";
  const sent = await send(client, RESHARE_MANAGER, {
    ...manager,
    functionName: "drawReplacement",
    args: [p.validatorId, header],
  });
  const result = transactionResult(sent);
  const [requested] = parseEventLogs({
    abi: manager.abi,
    logs: sent.receipt.logs,
    eventName: "ReshareRequested",
    strict: true,
  });
  if (requested) {
    const a = requested.args;
    return {
      ...result,
      drawn: true,
      newcomerOperatorId: a.newcomerOperatorId,
      newcomer: a.newcomer,
      leavingIndex: a.leavingIndex,
      members: a.members,
      deadline: a.deadline,
      nonce: a.nonce,
      validator: a.validator,
    };
  }
  const { drawBlock } = eventArgs(manager.abi, sent.receipt.logs, "ReplacementDrawScheduled");
  return { ...result, drawn: false, drawBlock };
}
