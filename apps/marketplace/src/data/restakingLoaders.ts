import {
  type GetNativePositionReturnType,
  type GetRestakePositionsReturnType,
  getBalances,
  getNativePosition,
  getOperatorNetworks,
  getPoolState,
  getRestakePositions,
  getRestakingHistory,
  getRestakingRewards,
  getRestakingState,
  type NektarReadClient,
  type OperatorNetwork,
  type RestakingReward,
} from "@nektar/sdk/browser";
import type { Address } from "viem";
import { getBlock } from "viem/actions";
import type { Deployment } from "./loaders.ts";
import { type NetworkView, networkViews, type SlashRecord, slashRecords } from "./restaking.ts";

// The restaking reads of the Restake and Networks pages, over the SDK (hooks.ts caches them).

/** A restaking operator with the risk a delegator takes: the networks it serves and its slashing record. */
export type RestakingOperatorView = {
  operator: Address;
  commissionBps: bigint;
  stakeShares: bigint;
  stakeEther: bigint;
  /** Networks the operator serves now (opted in, or leaving but still slashable). */
  networks: OperatorNetwork[];
  slashing: SlashRecord;
};

export type RestakingSnapshot = {
  epoch: bigint;
  epochDuration: bigint;
  /** Latest block's time (Unix seconds): what "now" is for opt-ins and claims. */
  now: bigint;
  shareRate: bigint;
  restakedEther: bigint;
  operators: RestakingOperatorView[];
  networks: NetworkView[];
};

const NO_SLASHES: SlashRecord = { slashes: [], totalShares: 0n };

/** The restaking vault and network registry: operators with their risk, networks with their activity. */
export async function loadRestaking(client: NektarReadClient, d: Deployment): Promise<RestakingSnapshot> {
  const c = d.contracts;
  const [state, history, pool, block] = await Promise.all([
    getRestakingState(client, { contracts: c, fromBlock: d.deploymentBlock }),
    getRestakingHistory(client, { contracts: c, fromBlock: d.deploymentBlock }),
    getPoolState(client, { contracts: c }),
    getBlock(client),
  ]);
  const details = await Promise.all(
    state.operators.map((o) => getOperatorNetworks(client, { contracts: c, operator: o.operator })),
  );
  const slashing = slashRecords(history.slashes);
  const serving = new Map<string, bigint[]>();
  const stake = new Map<string, bigint>();
  const operators = state.operators.map((o, i): RestakingOperatorView => {
    const networks = (details[i]?.networks ?? []).filter((n) => n.optedIn);
    const k = o.operator.toLowerCase();
    serving.set(
      k,
      networks.map((n) => n.networkId),
    );
    for (const n of networks) stake.set(`${n.networkId}:${k}`, n.stake);
    return {
      operator: o.operator,
      commissionBps: details[i]?.commissionBps ?? 0n,
      stakeShares: o.stakeShares,
      stakeEther: o.stakeEther,
      networks,
      slashing: slashing.get(k) ?? NO_SLASHES,
    };
  });
  return {
    epoch: state.epoch,
    epochDuration: state.epochDuration,
    now: block.timestamp,
    shareRate: pool.shareRate,
    restakedEther: state.restakedEther,
    operators,
    networks: networkViews(state.networks, history, serving, (id, k) => stake.get(`${id}:${k}`) ?? 0n),
  };
}

export type RestakeAccount = GetRestakePositionsReturnType & {
  divETH: bigint;
  rewards: RestakingReward[];
  /** Native restaking position; undefined when the deployment has no native restaking (it is opt-in). */
  native: GetNativePositionReturnType | undefined;
};

/** A restaker's divETH, delegations, queued withdrawals, claimable rewards and native position. */
export async function loadRestakeAccount(
  client: NektarReadClient,
  d: Deployment,
  account: Address,
): Promise<RestakeAccount> {
  const c = d.contracts;
  const [balances, positions] = await Promise.all([
    getBalances(client, { contracts: c, account }),
    getRestakePositions(client, { contracts: c, restaker: account, fromBlock: d.deploymentBlock }),
  ]);
  const [rewards, native] = await Promise.all([
    getRestakingRewards(client, { contracts: c, account, operators: positions.positions.map((p) => p.operator) }),
    c.nativeVault === undefined ? undefined : getNativePosition(client, { contracts: c, account }),
  ]);
  return { ...positions, divETH: balances.divETH, rewards, native };
}
