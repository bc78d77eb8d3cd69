import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetOperatorCountParameters = WithContracts<"operatorRegistry"> & {
  /** Count as of this block (default: the latest). */
  blockNumber?: bigint | undefined;
};

/** Operators ever registered; ids run from 1 to this number. */
export type GetOperatorCountReturnType = bigint;

export type GetOperatorCountErrorType = ReadErrorType;

export async function getOperatorCount(
  client: NektarReadClient,
  p: GetOperatorCountParameters,
): Promise<GetOperatorCountReturnType> {
  return read(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "operatorCount",
    ...(p.blockNumber === undefined ? {} : { blockNumber: p.blockNumber }),
  });
}
