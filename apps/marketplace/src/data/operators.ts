import type { Operator, Validator } from "@nektar/sdk/browser";

const ONE = 10n ** 18n;

export type OperatorStatus = "active" | "paused" | "ejected";

/** One row of the operators table: what the registry proves today about an operator. */
export type OperatorRow = {
  operatorId: bigint;
  owner: `0x${string}`;
  /** Total bond, in bond units, and its ether value at the current share rate. */
  bondUnits: bigint;
  bondEther: bigint;
  /** Bond not locked by any validator (withdrawable, and the operator's weight in the draw). */
  freeUnits: bigint;
  lockedUnits: bigint;
  /** Validators the operator holds (or held) a key share of: those whose DKG result the registry accepted. */
  keyShares: bigint;
  status: OperatorStatus;
  metadataURI: string;
  /**
   * Measured per-share performance over the last frames. Undefined: not measured on-chain yet (it comes with the
   * economics protocol); shown as such, never estimated.
   */
  performance: number | undefined;
  /** Strikes (missed DKGs) within the registry's window of oracle frames, and ever. */
  strikes: bigint;
  strikesTotal: bigint;
  /** Restaking, keyed by the operator's owner address: Networks served now, slashes executed, ether rewards paid. */
  networks: bigint[];
  slashCount: number;
  slashedShares: bigint;
  rewardsEther: bigint;
};

/** An owner's restaking record as the operators table shows it (see restaking.ts for where it comes from). */
export type RestakingRecord = {
  networks: bigint[];
  slashCount: number;
  slashedShares: bigint;
  rewardsEther: bigint;
};

export const NO_RESTAKING: RestakingRecord = { networks: [], slashCount: 0, slashedShares: 0n, rewardsEther: 0n };

/** An operator's strikes as the table shows them (the registry's `operatorStrikes`). */
export type StrikeRecord = { strikes: bigint; strikesTotal: bigint };

export const NO_STRIKES: StrikeRecord = { strikes: 0n, strikesTotal: 0n };

export function operatorStatus(op: Pick<Operator, "paused" | "ejected">): OperatorStatus {
  return op.ejected ? "ejected" : op.paused ? "paused" : "active";
}

/** Statuses of a validator whose key shares exist (its DKG result was accepted and it was not found front-run). */
const HOLDS_SHARES = new Set<Validator["status"]>([
  "predeposited",
  "deposited",
  "active",
  "exiting",
  "exited",
  "withdrawn",
]);

/**
 * Key shares per operator id, counted from the validators' clusters (the registry keeps no per-operator count: it
 * stores the 16 operators of each validator only).
 */
export function keySharesByOperator(
  validators: readonly Pick<Validator, "status" | "operatorIds">[],
): Map<bigint, bigint> {
  const counts = new Map<bigint, bigint>();
  for (const v of validators) {
    if (!HOLDS_SHARES.has(v.status)) continue;
    for (const id of v.operatorIds) counts.set(BigInt(id), (counts.get(BigInt(id)) ?? 0n) + 1n);
  }
  return counts;
}

/**
 * The table row of a registry record; `bondUnitShares` and `shareRate` turn units into ether, `keyShares` is the
 * operator's entry of {@link keySharesByOperator}.
 */
export function operatorRow(
  op: Operator,
  bondUnitShares: bigint,
  shareRate: bigint,
  keyShares = 0n,
  restaking: RestakingRecord = NO_RESTAKING,
  strikes: StrikeRecord = NO_STRIKES,
): OperatorRow {
  return {
    operatorId: op.operatorId,
    owner: op.owner,
    bondUnits: op.bondUnits,
    bondEther: (op.bondUnits * bondUnitShares * shareRate) / ONE,
    freeUnits: op.freeUnits,
    lockedUnits: op.bondUnits - op.freeUnits,
    keyShares,
    status: operatorStatus(op),
    metadataURI: op.metadataURI,
    performance: undefined,
    ...strikes,
    ...restaking,
  };
}

export const SORT_KEYS = [
  "operatorId",
  "performance",
  "bondEther",
  "freeUnits",
  "lockedUnits",
  "keyShares",
  "strikes",
  "networks",
  "slashedShares",
  "rewardsEther",
  "status",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = "ascending" | "descending";
export type Sort = { key: SortKey; direction: SortDirection };

const STATUS_ORDER: Record<OperatorStatus, number> = { active: 0, paused: 1, ejected: 2 };

function value(row: OperatorRow, key: SortKey): bigint | number {
  switch (key) {
    case "status":
      return STATUS_ORDER[row.status];
    case "networks":
      return row.networks.length;
    case "performance":
      // Unmeasured rows sort last whichever the direction (see sortOperators).
      return row.performance ?? Number.NaN;
    default:
      return row[key];
  }
}

/**
 * Rows sorted by `sort.key`, ties broken by operator id ascending; rows without a measured value for the key come last
 * in both directions. Returns a new array.
 */
export function sortOperators(rows: readonly OperatorRow[], sort: Sort): OperatorRow[] {
  const sign = sort.direction === "ascending" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = value(a, sort.key);
    const vb = value(b, sort.key);
    const aMissing = typeof va === "number" && Number.isNaN(va);
    const bMissing = typeof vb === "number" && Number.isNaN(vb);
    if (aMissing !== bMissing) return aMissing ? 1 : -1;
    if (!aMissing && va !== vb) return (va < vb ? -1 : 1) * sign;
    return a.operatorId < b.operatorId ? -1 : a.operatorId > b.operatorId ? 1 : 0;
  });
}

/**
 * The sort the table opens with: by measured performance when any operator has a measurement, else by bond (the
 * weight the draw uses today).
 */
export function defaultSort(rows: readonly OperatorRow[]): Sort {
  return rows.some((r) => r.performance !== undefined)
    ? { key: "performance", direction: "descending" }
    : { key: "bondEther", direction: "descending" };
}
