import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

const RESHARE_DRAW = 1n << 63n;

export type GetPendingDrawParameters = WithContracts<"operatorRegistry">;

export type GetPendingDrawReturnType = {
  /** The request waiting for its draw; 0 when none is (then the other fields are 0 too, unless a replacement draw
   * is pending). */
  requestId: bigint;
  /** The live validator whose replacement draw (resharing, `drawReplacement`) is pending; 0 when none is. A
   * replacement draw, like a request's, holds new requests back until it is drawn. */
  reshareValidatorId: bigint;
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
  const [pendingId, drawBlock, lockUnits] = await read(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "pendingDraw",
  });
  // The registry marks a replacement draw for a live validator with bit 63 of the pending id.
  const reshare = (pendingId & RESHARE_DRAW) !== 0n;
  return {
    requestId: reshare ? 0n : pendingId,
    reshareValidatorId: reshare ? pendingId & ~RESHARE_DRAW : 0n,
    drawBlock,
    lockUnits,
  };
}
