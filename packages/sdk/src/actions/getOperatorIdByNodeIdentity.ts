import type { Hex } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetOperatorIdByNodeIdentityParameters = WithContracts<"operatorRegistry"> & {
  /** The Stinger node's Ed25519 public key (32 bytes). */
  nodeIdentity: Hex;
};

/** The operator id registered with that node identity, or 0n if none. */
export type GetOperatorIdByNodeIdentityReturnType = bigint;

export type GetOperatorIdByNodeIdentityErrorType = ReadErrorType;

export async function getOperatorIdByNodeIdentity(
  client: NektarReadClient,
  p: GetOperatorIdByNodeIdentityParameters,
): Promise<GetOperatorIdByNodeIdentityReturnType> {
  return read(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "operatorIdByNodeIdentity",
    args: [p.nodeIdentity],
  });
}
