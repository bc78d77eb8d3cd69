import type { Address } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { UnknownNetworkError, UnknownRestakingOperatorError } from "../errors/restaking.ts";
import { NETWORK_REGISTRY, networkRegistry, RESTAKING_VAULT, restakingVault } from "./contracts.ts";
import { read } from "./read.ts";

/** Throws UnknownRestakingOperatorError unless `operator` is registered in the restaking vault. */
export async function requireRestakingOperator(
  client: NektarReadClient,
  p: WithContracts<"restakingVault"> & { operator: Address },
): Promise<void> {
  const record = await read(client, RESTAKING_VAULT, {
    ...restakingVault(p.contracts),
    functionName: "getOperator",
    args: [p.operator],
  });
  if (!record.registered) throw new UnknownRestakingOperatorError(p.operator);
}

/** Throws UnknownNetworkError unless `networkId` is registered. */
export async function requireNetwork(
  client: NektarReadClient,
  p: WithContracts<"networkRegistry"> & { networkId: bigint },
): Promise<void> {
  const count = await read(client, NETWORK_REGISTRY, { ...networkRegistry(p.contracts), functionName: "networkCount" });
  if (p.networkId < 1n || p.networkId > count) throw new UnknownNetworkError(p.networkId);
}
