import type { Address } from "viem";
import type { NektarReadClient } from "../client.ts";
import { DISTRIBUTOR, distributor } from "../internal/native.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetDistributorInfoParameters = {
  distributor: Address;
  /** Also report this holder's shares and their assets. */
  account?: Address | undefined;
};

export type GetDistributorInfoReturnType = {
  address: Address;
  name: string;
  symbol: string;
  curator: Address;
  strategy: Address;
  /** wdivETH (divETH shares) backing the Distributor shares: idle + delegations + rebalancing in flight. */
  totalAssets: bigint;
  totalSupply: bigint;
  /** Share price: the assets (wdivETH wei) of one whole Distributor share (`10 ** decimals`). */
  assetsPerShare: bigint;
  decimals: number;
  rebalancingInFlight: bigint;
  operators: { operator: Address; delegated: bigint }[];
  holder: { account: Address; shares: bigint; assets: bigint; maxRedeemNow: bigint } | undefined;
};

export type GetDistributorInfoErrorType = ReadErrorType;

/** A Distributor's curator, strategy, assets, share price and delegations (and a holder's position). */
export async function getDistributorInfo(
  client: NektarReadClient,
  p: GetDistributorInfoParameters,
): Promise<GetDistributorInfoReturnType> {
  const d = { ...distributor(p.distributor) };
  const [name, symbol, curator, strategy, totalAssets, totalSupply, decimals, inFlight, operators, delegations] =
    await Promise.all([
      read(client, DISTRIBUTOR, { ...d, functionName: "name" }),
      read(client, DISTRIBUTOR, { ...d, functionName: "symbol" }),
      read(client, DISTRIBUTOR, { ...d, functionName: "curator" }),
      read(client, DISTRIBUTOR, { ...d, functionName: "strategy" }),
      read(client, DISTRIBUTOR, { ...d, functionName: "totalAssets" }),
      read(client, DISTRIBUTOR, { ...d, functionName: "totalSupply" }),
      read(client, DISTRIBUTOR, { ...d, functionName: "decimals" }),
      read(client, DISTRIBUTOR, { ...d, functionName: "rebalancingInFlight" }),
      read(client, DISTRIBUTOR, { ...d, functionName: "operators" }),
      read(client, DISTRIBUTOR, { ...d, functionName: "delegations" }),
    ]);
  const assetsPerShare = await read(client, DISTRIBUTOR, {
    ...d,
    functionName: "convertToAssets",
    args: [10n ** BigInt(decimals)],
  });
  let holder: GetDistributorInfoReturnType["holder"];
  if (p.account !== undefined) {
    const shares = await read(client, DISTRIBUTOR, { ...d, functionName: "balanceOf", args: [p.account] });
    const [assets, maxRedeemNow] = await Promise.all([
      read(client, DISTRIBUTOR, { ...d, functionName: "convertToAssets", args: [shares] }),
      read(client, DISTRIBUTOR, { ...d, functionName: "maxRedeem", args: [p.account] }),
    ]);
    holder = { account: p.account, shares, assets, maxRedeemNow };
  }
  return {
    address: p.distributor,
    name,
    symbol,
    curator,
    strategy,
    totalAssets,
    totalSupply,
    assetsPerShare,
    decimals,
    rebalancingInFlight: inFlight,
    operators: operators.map((operator, i) => ({ operator, delegated: delegations[i] ?? 0n })),
    holder,
  };
}
