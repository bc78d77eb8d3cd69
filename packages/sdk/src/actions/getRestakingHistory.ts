import type { Address } from "viem";
import { getContractEvents } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { RpcError } from "../errors/contract.ts";
import { networkRegistry, restakingVault } from "../internal/contracts.ts";

export type GetRestakingHistoryParameters = WithContracts<"restakingVault" | "networkRegistry"> & {
  /** Scan the events from this block (the deployment block). */
  fromBlock?: bigint | undefined;
};

/** An operator opted in to (`optedOutAt` undefined) or out of a network; `at` is the block's number. */
export type NetworkMembershipEvent = {
  networkId: bigint;
  operator: Address;
  kind: "in" | "out";
  /** Unix seconds from which an opt-out applies (undefined for an opt-in, which applies at once). */
  effectiveAt: bigint | undefined;
  blockNumber: bigint;
};

/** A network paid `amount` of `token` to `operator` (and its delegators) for `epoch`. */
export type NetworkRewardEvent = {
  networkId: bigint;
  operator: Address;
  token: Address;
  epoch: bigint;
  amount: bigint;
  commission: bigint;
  blockNumber: bigint;
};

/** A slash a network executed (requestId 0: an objective slash with evidence) or requested (veto networks). */
export type NetworkSlashEvent = {
  requestId: bigint;
  networkId: bigint;
  operator: Address;
  captureTimestamp: bigint;
  /** divETH shares. */
  amount: bigint;
  blockNumber: bigint;
};

export type NetworkSlashRequestEvent = NetworkSlashEvent & { vetoDeadline: bigint; vetoed: boolean };

export type GetRestakingHistoryReturnType = {
  memberships: NetworkMembershipEvent[];
  rewards: NetworkRewardEvent[];
  /** Executed slashes, oldest first. */
  slashes: NetworkSlashEvent[];
  /** Veto-network requests, with whether the resolver vetoed them. */
  slashRequests: NetworkSlashRequestEvent[];
};

export type GetRestakingHistoryErrorType = RpcError;

/**
 * What restaking did since `fromBlock`, from the network registry's and vault's events: opt-ins and opt-outs, rewards
 * paid per epoch, slash requests (and vetoes) and executed slashes. Each list is in chain order.
 */
export async function getRestakingHistory(
  client: NektarReadClient,
  p: GetRestakingHistoryParameters,
): Promise<GetRestakingHistoryReturnType> {
  const registry = { ...networkRegistry(p.contracts), fromBlock: p.fromBlock ?? 0n, strict: true } as const;
  const vault = { ...restakingVault(p.contracts), fromBlock: p.fromBlock ?? 0n, strict: true } as const;
  const rpcError = (e: unknown): never => {
    throw new RpcError("eth_getLogs", e);
  };
  const [optedIn, optedOut, requested, vetoed, executed, distributed] = await Promise.all([
    getContractEvents(client, { ...registry, eventName: "OptedIn" }).catch(rpcError),
    getContractEvents(client, { ...registry, eventName: "OptedOut" }).catch(rpcError),
    getContractEvents(client, { ...registry, eventName: "SlashRequested" }).catch(rpcError),
    getContractEvents(client, { ...registry, eventName: "SlashVetoed" }).catch(rpcError),
    getContractEvents(client, { ...registry, eventName: "SlashExecuted" }).catch(rpcError),
    getContractEvents(client, { ...vault, eventName: "RewardsDistributed" }).catch(rpcError),
  ]);
  const vetoedIds = new Set(vetoed.map((log) => log.args.requestId));
  const order = (a: { blockNumber: bigint; logIndex: number }, b: { blockNumber: bigint; logIndex: number }) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1;
  const memberships = [
    ...optedIn.map((log) => ({
      log,
      event: {
        networkId: log.args.networkId,
        operator: log.args.operator,
        kind: "in" as const,
        effectiveAt: undefined,
        blockNumber: log.blockNumber,
      },
    })),
    ...optedOut.map((log) => ({
      log,
      event: {
        networkId: log.args.networkId,
        operator: log.args.operator,
        kind: "out" as const,
        effectiveAt: log.args.effectiveAt,
        blockNumber: log.blockNumber,
      },
    })),
  ]
    .sort((a, b) => order(a.log, b.log))
    .map((m): NetworkMembershipEvent => m.event);
  return {
    memberships,
    rewards: distributed.map((log) => ({ ...log.args, blockNumber: log.blockNumber })),
    slashes: executed.map((log) => ({ ...log.args, blockNumber: log.blockNumber })),
    slashRequests: requested.map((log) => ({
      requestId: log.args.requestId,
      networkId: log.args.networkId,
      operator: log.args.operator,
      captureTimestamp: log.args.captureTimestamp,
      amount: log.args.amount,
      vetoDeadline: log.args.vetoDeadline,
      vetoed: vetoedIds.has(log.args.requestId),
      blockNumber: log.blockNumber,
    })),
  };
}
