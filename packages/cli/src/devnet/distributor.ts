import {
  createDistributor,
  depositDistributor,
  getDistributorInfo,
  type NektarContracts,
  type NektarReadClient,
  rebalanceDistributor,
  stake,
  wrap,
} from "@nektar/sdk";
import { type Address, formatUnits, parseEther } from "viem";
import type { DevnetClient } from "./accounts.ts";

/** wdivETH the devnet's holder deposits into the Distributor. */
export const DISTRIBUTOR_DEPOSIT = parseEther("2");
/** A Distributor holds at most this many operators (`Distributor.MAX_OPERATORS`). */
const MAX_OPERATORS = 16;

/** What the status screen shows of the devnet's Distributor. */
export type DistributorStatus = {
  address: Address;
  symbol: string;
  totalAssets: bigint;
  /** Delegated to operators (active and pending, after slashes). */
  delegated: bigint;
  /** Operators holding a delegation, of those in the Distributor's set. */
  operatorsDelegated: number;
  operators: number;
  rebalancingInFlight: bigint;
  /** wdivETH of one whole Distributor share. */
  assetsPerShare: bigint;
  decimals: number;
};

/**
 * The devnet's Distributor: `curator` creates it through the factory over the restaking `operators` (Diva operators
 * that registered for restaking, so the reference strategy weighs them by bond), `holder` stakes, wraps and deposits
 * 2 wdivETH, and one rebalance spreads the deposit by the strategy's weights. Afterwards a rebalance is anyone's
 * call (`nektar distributor rebalance`), as on any network. Returns the Distributor and the lines to print.
 */
export async function createDevnetDistributor(p: {
  curator: DevnetClient;
  holder: DevnetClient;
  operators: readonly Address[];
  contracts: NektarContracts;
}): Promise<{ address: Address; events: string[] }> {
  const { contracts } = p;
  const operators = p.operators.slice(0, MAX_OPERATORS);
  if (operators.length === 0) throw new Error("no restaking operator to delegate to");
  const { distributor: address } = await createDistributor(p.curator, {
    contracts,
    name: "Nektar devnet Distributor",
    symbol: "dnDIST",
    operators,
  });
  await stake(p.holder, { contracts, amount: DISTRIBUTOR_DEPOSIT + parseEther("0.01") });
  await wrap(p.holder, { contracts, amount: DISTRIBUTOR_DEPOSIT });
  await depositDistributor(p.holder, { contracts, distributor: address, amount: DISTRIBUTOR_DEPOSIT });
  const { moves } = await rebalanceDistributor(p.curator, { distributor: address });
  const delegated = moves.reduce((sum, m) => sum + m.delegated, 0n);
  return {
    address,
    events: [
      `Distributor ${address} over ${operators.length} operators: staker ${p.holder.account.address} deposited ` +
        `${formatUnits(DISTRIBUTOR_DEPOSIT, 18)} wdivETH, the rebalance delegated ${formatUnits(delegated, 18)} ` +
        `to ${moves.filter((m) => m.delegated > 0n).length} of them (the rest stays idle under the strategy's cap)`,
    ],
  };
}

/** Reads the Distributor for the status screen. */
export async function readDistributorStatus(client: NektarReadClient, address: Address): Promise<DistributorStatus> {
  const info = await getDistributorInfo(client, { distributor: address });
  return {
    address,
    symbol: info.symbol,
    totalAssets: info.totalAssets,
    delegated: info.operators.reduce((sum, o) => sum + o.delegated, 0n),
    operatorsDelegated: info.operators.filter((o) => o.delegated > 0n).length,
    operators: info.operators.length,
    rebalancingInFlight: info.rebalancingInFlight,
    assetsPerShare: info.assetsPerShare,
    decimals: info.decimals,
  };
}
