import { type Hex, parseEventLogs } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import type { RpcError } from "../errors/contract.ts";
import { operatorRegistryAbi } from "../generated/abis.ts";
import { drawBlockHeader } from "../internal/blockHeader.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";
import { getPendingDraw } from "./getPendingDraw.ts";
import { unpackCluster } from "./getValidatorRequestedEvents.ts";

export type DrawClusterParameters = WithContracts<"operatorRegistry"> & {
  /** The pending request (default: whichever is pending). */
  requestId?: bigint | undefined;
};

export type DrawClusterReturnType = TransactionResult & { requestId: bigint } & (
    | {
        /** The 16 operators were drawn and locked; the DKG starts (`ValidatorRequested`). */
        drawn: true;
        /** The 16 operator ids in cluster order. */
        operatorIds: number[];
        lockUnits: bigint;
      }
    | {
        /** The draw block had left `blockhash`'s reach: the registry scheduled a new one. */
        drawn: false;
        drawBlock: bigint;
      }
  );

/**
 * `ContractRevertedError` `NoPendingDraw` (no such pending request), `DrawTooEarly` (its draw block is not mined yet),
 * `NotEnoughEligibleOperators` (fewer than 16 operators with one lock of frozen free bond: the request waits for its
 * re-arm); `RpcError` when the node cannot serve the draw block's header.
 */
export type DrawClusterErrorType = SendErrorType | RpcError;

/**
 * Step 2 of a validator request: draws the 16 operators of the pending request from the RANDAO mix of its draw block
 * (read from that block's header, which this action fetches and encodes) and locks their bonds. Anyone may call, in
 * any block after the draw block; once the draw block is more than 256 blocks old, the same call re-arms the draw.
 */
export async function drawCluster(client: NektarWriteClient, p: DrawClusterParameters): Promise<DrawClusterReturnType> {
  const pending = await getPendingDraw(client, p);
  const requestId = p.requestId ?? pending.requestId;
  const header: Hex =
    requestId === pending.requestId && pending.requestId !== 0n
      ? await drawBlockHeader(client, pending.drawBlock)
      : "0x";
  const sent = await send(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "drawCluster",
    args: [requestId, header],
  });
  const result = transactionResult(sent);
  const [requested] = parseEventLogs({
    abi: operatorRegistryAbi,
    logs: sent.receipt.logs,
    eventName: "ValidatorRequested",
    strict: true,
  });
  if (requested) {
    const { cluster, lockUnits } = requested.args;
    return { ...result, requestId, drawn: true, operatorIds: unpackCluster(cluster), lockUnits };
  }
  const { drawBlock } = eventArgs(operatorRegistryAbi, sent.receipt.logs, "ValidatorDrawScheduled");
  return { ...result, requestId, drawn: false, drawBlock };
}
