import type { Address } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { operatorRegistryAbi } from "../generated/abis.ts";
import { read } from "../internal/read.ts";

export type GetOperatorIdByOwnerParameters = WithContracts & { owner: Address };

/** The operator id owned by `owner`, or 0n if none. */
export type GetOperatorIdByOwnerReturnType = bigint;

export async function getOperatorIdByOwner(
  client: NektarReadClient,
  p: GetOperatorIdByOwnerParameters,
): Promise<GetOperatorIdByOwnerReturnType> {
  return read<bigint>(client, {
    contract: "OperatorRegistry",
    address: p.contracts.operatorRegistry,
    abi: operatorRegistryAbi,
    functionName: "operatorIdByOwner",
    args: [p.owner],
  });
}
