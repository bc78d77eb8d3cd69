import type { Address } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetOperatorIdByOwnerParameters = WithContracts<"operatorRegistry"> & { owner: Address };

/** The operator id owned by `owner`, or 0n if none. */
export type GetOperatorIdByOwnerReturnType = bigint;

export type GetOperatorIdByOwnerErrorType = ReadErrorType;

export async function getOperatorIdByOwner(
  client: NektarReadClient,
  p: GetOperatorIdByOwnerParameters,
): Promise<GetOperatorIdByOwnerReturnType> {
  return read(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "operatorIdByOwner",
    args: [p.owner],
  });
}
