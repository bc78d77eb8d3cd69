import type {
  GetRestakingHistoryReturnType,
  NetworkMembershipEvent,
  NetworkRewardEvent,
  NetworkSlashEvent,
  NetworkSlashRequestEvent,
  RestakingNetworkSummary,
} from "@nektar/sdk/browser";
import type { Address } from "viem";

// Views of the restaking history for the Restake, Networks and Operators pages: pure functions over the SDK's reads, so
// they are unit-tested without a chain.

const key = (a: Address) => a.toLowerCase();

/**
 * The networks each operator is opted in to at `now` (Unix seconds), from the registry's opt-in/opt-out events: an
 * opt-in applies at once, an opt-out from its `effectiveAt` (until then the operator still serves, and stays slashable).
 * Keys are lower-case addresses; network ids ascending.
 */
export function optedInNetworks(memberships: readonly NetworkMembershipEvent[], now: bigint): Map<string, bigint[]> {
  const last = new Map<string, NetworkMembershipEvent>();
  for (const m of memberships) last.set(`${key(m.operator)}:${m.networkId}`, m);
  const out = new Map<string, bigint[]>();
  for (const m of last.values()) {
    const serving = m.kind === "in" || (m.effectiveAt !== undefined && m.effectiveAt > now);
    if (!serving) continue;
    const list = out.get(key(m.operator)) ?? [];
    list.push(m.networkId);
    out.set(key(m.operator), list);
  }
  for (const list of out.values()) list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return out;
}

/** An operator's slashing record: every executed slash, oldest first, and the shares lost in total. */
export type SlashRecord = { slashes: NetworkSlashEvent[]; totalShares: bigint };

/** Slashing records per operator (lower-case address). */
export function slashRecords(slashes: readonly NetworkSlashEvent[]): Map<string, SlashRecord> {
  const out = new Map<string, SlashRecord>();
  for (const s of slashes) {
    const r = out.get(key(s.operator)) ?? { slashes: [], totalShares: 0n };
    r.slashes.push(s);
    r.totalShares += s.amount;
    out.set(key(s.operator), r);
  }
  return out;
}

/** Rewards of one token a network paid for one epoch, over all its operators. */
export type EpochRewards = { epoch: bigint; token: Address; amount: bigint; operators: number };

/**
 * What a network paid in its `last` most recent paid epochs, newest first (one entry per epoch and token). Epochs
 * with no payment do not appear: the chain only records payments.
 */
export function recentRewards(rewards: readonly NetworkRewardEvent[], networkId: bigint, last = 5): EpochRewards[] {
  const byEpoch = new Map<string, EpochRewards>();
  for (const r of rewards) {
    if (r.networkId !== networkId) continue;
    const k = `${r.epoch}:${key(r.token)}`;
    const e = byEpoch.get(k) ?? { epoch: r.epoch, token: r.token, amount: 0n, operators: 0 };
    e.amount += r.amount;
    e.operators += 1;
    byEpoch.set(k, e);
  }
  const sorted = [...byEpoch.values()].sort((a, b) => (a.epoch > b.epoch ? -1 : a.epoch < b.epoch ? 1 : 0));
  const epochs = [...new Set(sorted.map((e) => e.epoch))].slice(0, last);
  return sorted.filter((e) => epochs.includes(e.epoch));
}

/** Rewards each operator earned from networks (its delegators' part and its commission), per token: lower-case keys. */
export function rewardsEarned(rewards: readonly NetworkRewardEvent[]): Map<string, Map<string, bigint>> {
  const out = new Map<string, Map<string, bigint>>();
  for (const r of rewards) {
    const tokens = out.get(key(r.operator)) ?? new Map<string, bigint>();
    tokens.set(key(r.token), (tokens.get(key(r.token)) ?? 0n) + r.amount);
    out.set(key(r.operator), tokens);
  }
  return out;
}

/** One network as the Networks page shows it. */
export type NetworkView = RestakingNetworkSummary & {
  /** Operators serving the network now, with the divETH shares it counts for each (capped per operator). */
  operators: { operator: Address; stakeShares: bigint }[];
  /** Sum of the operators' counted stake, in divETH shares. */
  stakeSecuredShares: bigint;
  recentRewards: EpochRewards[];
  slashes: NetworkSlashEvent[];
  /** Veto-network requests not executed: vetoed or waiting. */
  openRequests: NetworkSlashRequestEvent[];
};

/**
 * The networks with their operators, stake secured, recent rewards and slashing history. `stakeOf(networkId,
 * operator)` is the stake the network counts for an opted-in operator (the registry's `stakeAt`).
 */
export function networkViews(
  networks: readonly RestakingNetworkSummary[],
  history: GetRestakingHistoryReturnType,
  servingByOperator: Map<string, bigint[]>,
  stakeOf: (networkId: bigint, operator: string) => bigint,
): NetworkView[] {
  const executed = new Set(history.slashes.map((s) => s.requestId).filter((id) => id !== 0n));
  const operatorsByKey = new Map<string, Address>();
  for (const m of history.memberships) operatorsByKey.set(key(m.operator), m.operator);
  return networks.map((n) => {
    const operators = [...servingByOperator.entries()]
      .filter(([, ids]) => ids.includes(n.networkId))
      .map(([k]) => ({ operator: operatorsByKey.get(k) ?? (k as Address), stakeShares: stakeOf(n.networkId, k) }));
    return {
      ...n,
      operators,
      stakeSecuredShares: operators.reduce((sum, o) => sum + o.stakeShares, 0n),
      recentRewards: recentRewards(history.rewards, n.networkId),
      slashes: history.slashes.filter((s) => s.networkId === n.networkId),
      openRequests: history.slashRequests.filter((r) => r.networkId === n.networkId && !executed.has(r.requestId)),
    };
  });
}

/** divETH shares in ether at a 1e18-scaled share rate. */
export function sharesToEther(shares: bigint, shareRate: bigint): bigint {
  return (shares * shareRate) / 10n ** 18n;
}

/** Basis points as a percentage: 1_000n → "10%", 250n → "2.5%". */
export function formatBps(bps: bigint): string {
  const whole = bps / 100n;
  const rest = (bps % 100n).toString().padStart(2, "0").replace(/0+$/, "");
  return `${whole}${rest === "" ? "" : `.${rest}`}%`;
}
