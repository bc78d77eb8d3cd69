import {
  type GetRestakingHistoryReturnType,
  getBalances,
  getOperator,
  getPoolState,
  getRegistryState,
  getRestakingHistory,
  getShareRateHistory,
  getWithdrawalQueueState,
  getWithdrawalRequests,
  listValidators,
  type NektarContracts,
  type NektarReadClient,
  type Validator,
} from "@nektar/sdk/browser";
import { type Address, zeroAddress } from "viem";
import { getBlock } from "viem/actions";
import { keySharesByOperator, NO_RESTAKING, type OperatorRow, operatorRow, type RestakingRecord } from "./operators.ts";
import { optedInNetworks, rewardsEarned, slashRecords } from "./restaking.ts";
import { type WithdrawalView, withdrawalViews } from "./withdrawals.ts";

// Every read the pages make, as plain async functions over the SDK (the React hooks in hooks.ts only cache them), so
// they are tested against a real chain without a browser.

export type Deployment = { contracts: NektarContracts; deploymentBlock: bigint };

/** The pool, the withdrawal queue and the share rate after every oracle report. */
export async function loadPool(client: NektarReadClient, d: Deployment) {
  const [pool, queue, history] = await Promise.all([
    getPoolState(client, { contracts: d.contracts }),
    getWithdrawalQueueState(client, { contracts: d.contracts }),
    getShareRateHistory(client, { contracts: d.contracts, fromBlock: d.deploymentBlock }),
  ]);
  return { pool, queue, history };
}

export type AccountPosition = Awaited<ReturnType<typeof getBalances>> & { withdrawals: WithdrawalView[] };

/** An account's ether, divETH and wdivETH, and the withdrawal receipts it holds with their place in the queue. */
export async function loadAccount(client: NektarReadClient, d: Deployment, account: Address): Promise<AccountPosition> {
  const [balances, requests, queue, history] = await Promise.all([
    getBalances(client, { contracts: d.contracts, account }),
    getWithdrawalRequests(client, { contracts: d.contracts, owner: account, fromBlock: d.deploymentBlock }),
    getWithdrawalQueueState(client, { contracts: d.contracts }),
    getShareRateHistory(client, { contracts: d.contracts, fromBlock: d.deploymentBlock }),
  ]);
  return { ...balances, withdrawals: withdrawalViews(requests, queue, history) };
}

export type OperatorsSnapshot = { rows: OperatorRow[]; shareRate: bigint; bondUnitShares: bigint };

/**
 * Every registered operator as a table row (one `getOperator` per id; the transport batches the calls), with its
 * owner's restaking record (Networks, slashes, rewards) from the registry's and vault's events.
 */
export async function loadOperators(client: NektarReadClient, d: Deployment): Promise<OperatorsSnapshot> {
  const [registry, pool, history, block] = await Promise.all([
    getRegistryState(client, { contracts: d.contracts }),
    getPoolState(client, { contracts: d.contracts }),
    getRestakingHistory(client, { contracts: d.contracts, fromBlock: d.deploymentBlock }),
    getBlock(client),
  ]);
  const ids = Array.from({ length: Number(registry.operatorCount) }, (_, i) => BigInt(i + 1));
  const [operators, validators] = await Promise.all([
    Promise.all(ids.map((operatorId) => getOperator(client, { contracts: d.contracts, operatorId }))),
    loadValidators(client, d),
  ]);
  const shares = keySharesByOperator(validators);
  const restaking = restakingRecords(history, block.timestamp);
  return {
    rows: operators.map((op) =>
      operatorRow(
        op,
        registry.bondUnitShares,
        pool.shareRate,
        shares.get(op.operatorId) ?? 0n,
        restaking.get(op.owner.toLowerCase()) ?? NO_RESTAKING,
      ),
    ),
    shareRate: pool.shareRate,
    bondUnitShares: registry.bondUnitShares,
  };
}

/** Restaking records by (lower-case) operator address: a Diva operator restakes as its owner's address. */
export function restakingRecords(history: GetRestakingHistoryReturnType, now: bigint): Map<string, RestakingRecord> {
  const networks = optedInNetworks(history.memberships, now);
  const slashes = slashRecords(history.slashes);
  const rewards = rewardsEarned(history.rewards);
  const out = new Map<string, RestakingRecord>();
  for (const k of new Set([...networks.keys(), ...slashes.keys(), ...rewards.keys()])) {
    out.set(k, {
      networks: networks.get(k) ?? [],
      slashCount: slashes.get(k)?.slashes.length ?? 0,
      slashedShares: slashes.get(k)?.totalShares ?? 0n,
      rewardsEther: rewards.get(k)?.get(zeroAddress) ?? 0n,
    });
  }
  return out;
}

/** Every validator request and validator, newest first. */
export async function loadValidators(client: NektarReadClient, d: Deployment): Promise<Validator[]> {
  const { requestCount } = await getRegistryState(client, { contracts: d.contracts });
  if (requestCount === 0n) return [];
  const { validators } = await listValidators(client, { contracts: d.contracts, from: 1n, limit: requestCount });
  return validators.reverse();
}
