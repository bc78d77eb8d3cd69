import type { Address } from "viem";
import { getContractEvents } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { RpcError } from "../errors/contract.ts";
import {
  NETWORK_REGISTRY,
  networkRegistry,
  RESTAKING_VAULT,
  restakingVault,
  STAKING_POOL,
  stakingPool,
} from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetRestakingStateParameters = WithContracts<"stakingPool" | "restakingVault" | "networkRegistry"> & {
  /** Operators to report the stake of; default: every operator registered since `fromBlock` (from the vault's events). */
  operators?: readonly Address[] | undefined;
  /** Where the event scan for operators starts (the deployment block). */
  fromBlock?: bigint | undefined;
};

export type RestakingNetworkSummary = {
  networkId: bigint;
  admin: Address;
  kind: "objective" | "veto";
  metadataURI: string;
  maxStakePerOperator: bigint;
};

export type GetRestakingStateReturnType = {
  epoch: bigint;
  epochDuration: bigint;
  /** divETH shares held for stake (pending, active, queued) and their value in ether. */
  restakedShares: bigint;
  restakedEther: bigint;
  operators: { operator: Address; stakeShares: bigint; stakeEther: bigint }[];
  networks: RestakingNetworkSummary[];
};

export type GetRestakingStateErrorType = ReadErrorType | RpcError;

/** The restaking vault and registry at a glance: restaked divETH, stake per operator, networks. */
export async function getRestakingState(
  client: NektarReadClient,
  p: GetRestakingStateParameters,
): Promise<GetRestakingStateReturnType> {
  const vault = restakingVault(p.contracts);
  const registry = networkRegistry(p.contracts);
  const pool = stakingPool(p.contracts);
  const ether = (shares: bigint) =>
    read(client, STAKING_POOL, { ...pool, functionName: "getPooledEthByShares", args: [shares] });
  const [epoch, epochDuration, restakedShares, count] = await Promise.all([
    read(client, RESTAKING_VAULT, { ...vault, functionName: "currentEpoch" }),
    read(client, RESTAKING_VAULT, { ...vault, functionName: "EPOCH_DURATION" }),
    read(client, RESTAKING_VAULT, { ...vault, functionName: "totalStakeShares" }),
    read(client, NETWORK_REGISTRY, { ...registry, functionName: "networkCount" }),
  ]);
  const listed =
    p.operators ??
    (
      await getContractEvents(client, {
        ...vault,
        eventName: "OperatorRegistered",
        fromBlock: p.fromBlock ?? 0n,
        strict: true,
      }).catch((e: unknown) => {
        throw new RpcError("eth_getLogs", e);
      })
    ).map((log) => log.args.operator);
  const operators = await Promise.all(
    listed.map(async (operator) => {
      const stakeShares = await read(client, RESTAKING_VAULT, {
        ...vault,
        functionName: "operatorStake",
        args: [operator],
      });
      return { operator, stakeShares, stakeEther: await ether(stakeShares) };
    }),
  );
  const networks: RestakingNetworkSummary[] = [];
  for (let networkId = 1n; networkId <= count; networkId++) {
    const [config, admin] = await read(client, NETWORK_REGISTRY, {
      ...registry,
      functionName: "getNetwork",
      args: [networkId],
    });
    networks.push({
      networkId,
      admin,
      kind: config.kind === 0 ? "objective" : "veto",
      metadataURI: config.metadataURI,
      maxStakePerOperator: config.maxStakePerOperator,
    });
  }
  return { epoch, epochDuration, restakedShares, restakedEther: await ether(restakedShares), operators, networks };
}
