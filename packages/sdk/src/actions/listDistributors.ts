import type { Address } from "viem";
import type { NektarReadClient } from "../client.ts";
import type { NativeNotDeployedError } from "../errors/native.ts";
import {
  DISTRIBUTOR_FACTORY,
  distributorFactory,
  type MaybeNativeContracts,
  requireNative,
} from "../internal/native.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type ListDistributorsParameters = {
  contracts: MaybeNativeContracts<"distributorFactory">;
  /** First index (default 0). */
  offset?: bigint | undefined;
  /** Most addresses returned (default 100). */
  limit?: bigint | undefined;
};

export type ListDistributorsReturnType = { count: bigint; distributors: Address[] };

export type ListDistributorsErrorType = NativeNotDeployedError | ReadErrorType;

/** The Distributors the factory deployed, oldest first (a page of them), and how many exist. */
export async function listDistributors(
  client: NektarReadClient,
  p: ListDistributorsParameters,
): Promise<ListDistributorsReturnType> {
  const f = distributorFactory(requireNative(p.contracts, ["distributorFactory"]).distributorFactory);
  const [count, distributors] = await Promise.all([
    read(client, DISTRIBUTOR_FACTORY, { ...f, functionName: "distributorCount" }),
    read(client, DISTRIBUTOR_FACTORY, { ...f, functionName: "distributors", args: [p.offset ?? 0n, p.limit ?? 100n] }),
  ]);
  return { count, distributors: [...distributors] };
}
