import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetPendingDrawParameters = WithContracts<"operatorRegistry">;

export type GetPendingDrawReturnType = {
  /** The request waiting for its draw; 0 when none is (then the other fields are 0 too). */
  requestId: bigint;
  /** The block whose RANDAO mix seeds the draw: `drawCluster` may be called in any later block, up to 256 later. */
  drawBlock: bigint;
  /** Bond units the draw locks on each of the 16 operators. */
  lockUnits: bigint;
};

export type GetPendingDrawErrorType = ReadErrorType;

/** The validator request waiting for its draw (step 2 of `requestValidator`), if any. */
export async function getPendingDraw(
  client: NektarReadClient,
  p: GetPendingDrawParameters,
): Promise<GetPendingDrawReturnType> {
  const [requestId, drawBlock, lockUnits] = await read(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "pendingDraw",
  });
  return { requestId, drawBlock, lockUnits };
}
