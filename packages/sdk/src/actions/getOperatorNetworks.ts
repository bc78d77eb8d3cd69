import type { Address } from "viem";
import { getBlock } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { RpcError } from "../errors/contract.ts";
import { NETWORK_REGISTRY, networkRegistry, RESTAKING_VAULT, restakingVault } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetOperatorNetworksParameters = WithContracts<"restakingVault" | "networkRegistry"> & { operator: Address };

export type OperatorNetwork = {
  networkId: bigint;
  metadataURI: string;
  kind: "objective" | "veto";
  /** Opted in now. */
  optedIn: boolean;
  /** Unix seconds; 0 when never / none pending. */
  optedInAt: bigint;
  optedOutAt: bigint;
  /** divETH shares the network sees for the operator now (capped by its per-operator maximum). */
  stake: bigint;
};

export type GetOperatorNetworksReturnType = {
  registered: boolean;
  /** Commission in force, in basis points. */
  commissionBps: bigint;
  /** Active stake (own + delegated) in divETH shares. */
  stake: bigint;
  networks: OperatorNetwork[];
};

export type GetOperatorNetworksErrorType = ReadErrorType | RpcError;

/** Every registered network with the operator's membership and the stake each sees. */
export async function getOperatorNetworks(
  client: NektarReadClient,
  p: GetOperatorNetworksParameters,
): Promise<GetOperatorNetworksReturnType> {
  const registry = networkRegistry(p.contracts);
  const vault = restakingVault(p.contracts);
  const [record, commissionBps, stake, count, block] = await Promise.all([
    read(client, RESTAKING_VAULT, { ...vault, functionName: "getOperator", args: [p.operator] }),
    read(client, RESTAKING_VAULT, { ...vault, functionName: "commissionOf", args: [p.operator] }),
    read(client, RESTAKING_VAULT, { ...vault, functionName: "operatorStake", args: [p.operator] }),
    read(client, NETWORK_REGISTRY, { ...registry, functionName: "networkCount" }),
    getBlock(client).catch((e: unknown) => {
      throw new RpcError("eth_getBlockByNumber", e);
    }),
  ]);
  const now = block.timestamp;
  const networks: OperatorNetwork[] = [];
  for (let networkId = 1n; networkId <= count; networkId++) {
    const [[config], optIn, seen, optedIn] = await Promise.all([
      read(client, NETWORK_REGISTRY, { ...registry, functionName: "getNetwork", args: [networkId] }),
      read(client, NETWORK_REGISTRY, { ...registry, functionName: "optInOf", args: [networkId, p.operator] }),
      read(client, NETWORK_REGISTRY, { ...registry, functionName: "stakeAt", args: [networkId, p.operator, now] }),
      read(client, NETWORK_REGISTRY, { ...registry, functionName: "isOptedIn", args: [networkId, p.operator, now] }),
    ]);
    networks.push({
      networkId,
      metadataURI: config.metadataURI,
      kind: config.kind === 0 ? "objective" : "veto",
      optedIn,
      optedInAt: BigInt(optIn.optedInAt),
      optedOutAt: BigInt(optIn.optedOutAt),
      stake: seen,
    });
  }
  return { registered: record.registered, commissionBps, stake, networks };
}
