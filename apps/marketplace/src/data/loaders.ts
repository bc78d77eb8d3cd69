import {
  getBalances,
  getPoolState,
  getRegistryState,
  getShareRateHistory,
  getWithdrawalQueueState,
  getWithdrawalRequests,
  listValidators,
  type NektarContracts,
  type NektarReadClient,
  type Validator,
} from "@nektar/sdk/browser";
import type { Address } from "viem";
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

/** Every validator request and validator, newest first. */
export async function loadValidators(client: NektarReadClient, d: Deployment): Promise<Validator[]> {
  const { requestCount } = await getRegistryState(client, { contracts: d.contracts });
  if (requestCount === 0n) return [];
  const { validators } = await listValidators(client, { contracts: d.contracts, from: 1n, limit: requestCount });
  return validators.reverse();
}
