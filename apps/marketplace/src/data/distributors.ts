import {
  type GetDistributorInfoReturnType,
  getDistributorInfo,
  listDistributors,
  type NektarReadClient,
} from "@nektar/sdk/browser";
import type { Address } from "viem";
import type { Deployment } from "./loaders.ts";

// The Distributors page's reads (hooks.ts caches them) and the allocation view.

export type DistributorsSnapshot =
  | { deployed: false }
  | { deployed: true; count: bigint; distributors: GetDistributorInfoReturnType[] };

/**
 * Every Distributor the factory deployed (up to `limit`), with the account's holding when given. A deployment from
 * before the Distributor contracts has no factory: `deployed: false`.
 */
export async function loadDistributors(
  client: NektarReadClient,
  d: Deployment,
  account: Address | undefined,
  limit = 100n,
): Promise<DistributorsSnapshot> {
  if (d.contracts.distributorFactory === undefined) return { deployed: false };
  const { count, distributors } = await listDistributors(client, { contracts: d.contracts, limit });
  const infos = await Promise.all(
    distributors.map((distributor) => getDistributorInfo(client, { distributor, account })),
  );
  return { deployed: true, count, distributors: infos };
}

export type Allocation = { operator: Address; delegated: bigint; basisPoints: bigint };

/**
 * How a Distributor's delegations split across its operators, in basis points of the delegated total (rounded down;
 * all zero when nothing is delegated).
 */
export function allocation(operators: readonly { operator: Address; delegated: bigint }[]): Allocation[] {
  const total = operators.reduce((sum, o) => sum + o.delegated, 0n);
  return operators.map((o) => ({ ...o, basisPoints: total === 0n ? 0n : (o.delegated * 10_000n) / total }));
}

/**
 * Distributor shares (`decimals` per share) from an amount the SDK parsed with 18 decimals: a Distributor's shares
 * carry more decimals than wdivETH (an ERC-4626 decimals offset), so "1" share is 10 ** decimals units.
 */
export function sharesFromParsed(parsed18: bigint, decimals: number): bigint {
  return decimals >= 18 ? parsed18 * 10n ** BigInt(decimals - 18) : parsed18 / 10n ** BigInt(18 - decimals);
}
