import {
  type GetRestakingHistoryReturnType,
  getOperator,
  getPoolState,
  getRegistryState,
  getRestakingHistory,
  listOperatorStrikes,
  type NektarReadClient,
} from "@nektar/sdk/browser";
import { zeroAddress } from "viem";
import { getBlock } from "viem/actions";
import { type Deployment, loadValidators } from "./loaders.ts";
import { keySharesByOperator, NO_RESTAKING, type OperatorRow, operatorRow, type RestakingRecord } from "./operators.ts";
import { optedInNetworks, rewardsEarned, slashRecords } from "./restaking.ts";

// The operators page's read, loaded with that page (it brings the restaking ABIs the first page does not need).

export type OperatorsSnapshot = { rows: OperatorRow[]; shareRate: bigint; bondUnitShares: bigint };

/**
 * Every registered operator as a table row (one `getOperator` and one `operatorStrikes` per id; the transport batches
 * the calls), with its owner's restaking record (Networks, slashes, rewards) from the registry's and vault's events.
 */
export async function loadOperators(client: NektarReadClient, d: Deployment): Promise<OperatorsSnapshot> {
  const [registry, pool, history, block] = await Promise.all([
    getRegistryState(client, { contracts: d.contracts }),
    getPoolState(client, { contracts: d.contracts }),
    getRestakingHistory(client, { contracts: d.contracts, fromBlock: d.deploymentBlock }),
    getBlock(client),
  ]);
  const ids = Array.from({ length: Number(registry.operatorCount) }, (_, i) => BigInt(i + 1));
  const [operators, validators, strikes] = await Promise.all([
    Promise.all(ids.map((operatorId) => getOperator(client, { contracts: d.contracts, operatorId }))),
    loadValidators(client, d),
    listOperatorStrikes(client, { contracts: d.contracts, operatorIds: ids }),
  ]);
  const shares = keySharesByOperator(validators);
  const restaking = restakingRecords(history, block.timestamp);
  return {
    rows: operators.map((op, i) => {
      const s = strikes.operators[i];
      return operatorRow(
        op,
        registry.bondUnitShares,
        pool.shareRate,
        shares.get(op.operatorId) ?? 0n,
        restaking.get(op.owner.toLowerCase()) ?? NO_RESTAKING,
        s === undefined ? undefined : { strikes: s.inWindow, strikesTotal: s.total },
      );
    }),
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
