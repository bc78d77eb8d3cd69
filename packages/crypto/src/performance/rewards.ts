import { LodestarError } from "@lodestar/utils";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { abiConcat, abiWord } from "../abi/encode.ts";

/**
 * The distribution of one operator fee per key share, as `contracts/src/diva/OperatorRewards.sol` commits and checks
 * it: one leaf per (validator, share) of every registry validator sorted by (operatorId, validatorId, shareIndex),
 * running sums in every leaf, and each operator's cumulative earnings at position `operatorId` of a second tree. Pure:
 * Stinger's upkeep posts and checks commitments with it, the SDK and the `nektar` CLI build claim proofs with it.
 *
 * Split rule (the contract's `shareAmount`): a validator with a signed statement weighs Σ expected; its part of the fee
 * is `fee × weight / totalWeight`, each share's seat a 16th of it, paid `seat × performance` unless the share's
 * performance is 0 or below `average − marginBps`. A validator without a statement earns nothing.
 */

/** Shares per cluster. */
export const REWARDS_CLUSTER_SIZE = 16;
const BPS = 10_000n;

export type RewardsErrorType = { code: "ERR_REWARDS_INVALID_INPUT"; field: string; reason: string };
export class RewardsError extends LodestarError<RewardsErrorType> {}

function fail(field: string, reason: string): never {
  throw new RewardsError({ code: "ERR_REWARDS_INVALID_INPUT", field, reason });
}

/** One registry validator as the distribution sees it. */
export type RewardsValidator = {
  /** Registry validator (request) id, 1..validatorCount. */
  validatorId: number;
  /** The 16 seat operators in cluster order (share index i + 1 is `operatorIds[i]`; 0 for an undrawn seat). */
  operatorIds: readonly number[];
  /** The cluster's signed statement counts for the frame, when it signed one. */
  statement?: { expected: readonly number[]; contributed: readonly number[] } | undefined;
};

/** A share leaf (field for field the contract's `IOperatorRewards.ShareLeaf`). */
export type ShareLeaf = {
  operatorId: number;
  validatorId: number;
  shareIndex: number;
  hasStatement: boolean;
  expected: number;
  contributed: number;
  validatorWeight: bigint;
  amount: bigint;
  prefixPaid: bigint;
  prefixWeight: bigint;
  prefixPerf: bigint;
  prefixCounted: number;
  operatorCumulative: bigint;
};

/** What is posted on-chain (the contract's `Commitment`). */
export type RewardsCommitment = {
  sharesRoot: `0x${string}`;
  operatorsRoot: `0x${string}`;
  validatorCount: number;
  operatorCount: number;
  totalWeight: bigint;
  totalPerf: bigint;
  totalCounted: number;
  totalPaid: bigint;
};

export type BuildRewardsParameters = {
  /** divETH shares of the fee. */
  feeShares: bigint;
  /** Threshold margin below the average performance (the contract's `marginBps()`). */
  marginBps: bigint;
  /** Every registry validator, ids 1..n (the registry's `requestCount()`). */
  validators: readonly RewardsValidator[];
  /** The registry's `operatorCount()`. */
  operatorCount: number;
  /** Cumulative per operator id in the previous final distribution (index = operator id; missing = 0). */
  priorCumulative?: readonly bigint[] | undefined;
};

export type RewardsDistribution = {
  commitment: RewardsCommitment;
  leaves: readonly ShareLeaf[];
  /** Cumulative per operator id, 0..operatorCount. */
  cumulative: readonly bigint[];
  /** What each operator earned for this fee, 0..operatorCount. */
  earned: readonly bigint[];
  /** `feeShares − totalPaid`: burned to the holders. */
  toHolders: bigint;
  shareProof(position: number): `0x${string}`[];
  operatorProof(operatorId: number): `0x${string}`[];
};

/** A leaf of zeros (the sums and amount before they are computed; a placeholder argument where a leaf is unused). */
export function emptyShareLeaf(): ShareLeaf {
  return {
    operatorId: 0,
    validatorId: 0,
    shareIndex: 0,
    hasStatement: false,
    expected: 0,
    contributed: 0,
    validatorWeight: 0n,
    amount: 0n,
    prefixPaid: 0n,
    prefixWeight: 0n,
    prefixPerf: 0n,
    prefixCounted: 0,
    operatorCumulative: 0n,
  };
}

/** A share's performance in bps (the contract's `PerformanceRewards.performanceBps`). */
export function performanceBps(expected: number, contributed: number): bigint {
  if (expected === 0) return 0n;
  return (BigInt(Math.min(contributed, expected)) * BPS) / BigInt(expected);
}

/** keccak256(abi.encode(leaf)) — the contract's `shareLeafHash`. */
export function shareLeafHash(leaf: ShareLeaf): Uint8Array {
  const words = [
    leaf.operatorId,
    leaf.validatorId,
    leaf.shareIndex,
    leaf.hasStatement ? 1 : 0,
    leaf.expected,
    leaf.contributed,
    leaf.validatorWeight,
    leaf.amount,
    leaf.prefixPaid,
    leaf.prefixWeight,
    leaf.prefixPerf,
    leaf.prefixCounted,
    leaf.operatorCumulative,
  ].map((v, i) => abiWord(BigInt(v), `leaf[${i}]`, fail));
  return keccak_256(abiConcat(words));
}

/** keccak256(abi.encode(operatorId, cumulative)). */
export function operatorLeafHash(operatorId: number, cumulative: bigint): Uint8Array {
  return keccak_256(
    abiConcat([abiWord(BigInt(operatorId), "operatorId", fail), abiWord(cumulative, "cumulative", fail)]),
  );
}

/** A positional Merkle tree (padded with zero leaves to a power of two, pairs hashed `keccak256(left ‖ right)`). */
export function positionalTree(leafHashes: readonly Uint8Array[]): {
  root: `0x${string}`;
  proof(position: number): `0x${string}`[];
} {
  const width = leafHashes.length;
  const depth = width <= 1 ? 0 : (width - 1).toString(2).length;
  const layers: Uint8Array[][] = [];
  let layer = Array.from({ length: 2 ** depth }, (_, i) => leafHashes[i] ?? new Uint8Array(32));
  layers.push(layer);
  while (layer.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < layer.length; i += 2) {
      const pair = new Uint8Array(64);
      pair.set(layer[i] as Uint8Array);
      pair.set(layer[i + 1] as Uint8Array, 32);
      next.push(keccak_256(pair));
    }
    layers.push(next);
    layer = next;
  }
  return {
    root: hex(layer[0] ?? new Uint8Array(32)),
    proof(position) {
      if (!Number.isInteger(position) || position < 0 || position >= width)
        fail("position", `must be in 0..${width - 1}`);
      const out: `0x${string}`[] = [];
      for (let level = 0; level < depth; level++) {
        out.push(hex((layers[level] as Uint8Array[])[(position >> level) ^ 1] as Uint8Array));
      }
      return out;
    },
  };
}

/** Builds the distribution of one fee: leaves, totals, both roots and proofs. */
export function buildRewardsDistribution(p: BuildRewardsParameters): RewardsDistribution {
  const validatorCount = p.validators.length;
  const shares: { leaf: ShareLeaf; perf: bigint }[] = [];
  p.validators.forEach((v, i) => {
    if (v.validatorId !== i + 1) fail("validators", `must list ids 1..${validatorCount} in order`);
    if (v.operatorIds.length !== REWARDS_CLUSTER_SIZE) fail("operatorIds", `validator ${v.validatorId}: 16 seats`);
    const s = v.statement;
    if (s && (s.expected.length !== REWARDS_CLUSTER_SIZE || s.contributed.length !== REWARDS_CLUSTER_SIZE)) {
      fail("statement", `validator ${v.validatorId}: 16 shares`);
    }
    const weight = s ? s.expected.reduce((a, e) => a + BigInt(e), 0n) : 0n;
    for (let k = 0; k < REWARDS_CLUSTER_SIZE; k++) {
      const expected = s ? (s.expected[k] as number) : 0;
      const contributed = s ? (s.contributed[k] as number) : 0;
      if (contributed > expected)
        fail("statement", `validator ${v.validatorId} share ${k + 1}: contributed > expected`);
      shares.push({
        perf: s ? performanceBps(expected, contributed) : 0n,
        leaf: {
          ...emptyShareLeaf(),
          operatorId: v.operatorIds[k] as number,
          validatorId: v.validatorId,
          shareIndex: k + 1,
          hasStatement: s !== undefined,
          expected,
          contributed,
          validatorWeight: weight,
        },
      });
    }
  });
  shares.sort((a, b) => keyCompare(a.leaf, b.leaf));

  let totalWeight = 0n;
  let totalPerf = 0n;
  let totalCounted = 0;
  for (const { leaf, perf } of shares) {
    totalWeight += BigInt(leaf.expected);
    if (leaf.hasStatement) {
      totalPerf += perf;
      totalCounted++;
    }
  }
  const average = totalCounted === 0 ? 0n : totalPerf / BigInt(totalCounted);
  const threshold = average > p.marginBps ? average - p.marginBps : 0n;

  const cumulative = Array.from({ length: p.operatorCount + 1 }, (_, id) => p.priorCumulative?.[id] ?? 0n);
  const earned = Array.from({ length: p.operatorCount + 1 }, () => 0n);
  let paid = 0n;
  let weight = 0n;
  let perfSum = 0n;
  let counted = 0;
  for (const { leaf, perf } of shares) {
    if (leaf.operatorId > p.operatorCount) fail("operatorIds", `operator ${leaf.operatorId} beyond ${p.operatorCount}`);
    if (leaf.hasStatement && totalWeight > 0n && perf !== 0n && perf >= threshold) {
      const seat = (p.feeShares * leaf.validatorWeight) / totalWeight / BigInt(REWARDS_CLUSTER_SIZE);
      leaf.amount = (seat * perf) / BPS;
    }
    leaf.prefixPaid = paid;
    leaf.prefixWeight = weight;
    leaf.prefixPerf = perfSum;
    leaf.prefixCounted = counted;
    paid += leaf.amount;
    weight += BigInt(leaf.expected);
    perfSum += perf;
    counted += leaf.hasStatement ? 1 : 0;
    earned[leaf.operatorId] = (earned[leaf.operatorId] as bigint) + leaf.amount;
    cumulative[leaf.operatorId] = (cumulative[leaf.operatorId] as bigint) + leaf.amount;
    leaf.operatorCumulative = cumulative[leaf.operatorId] as bigint;
  }
  if (paid > p.feeShares) fail("feeShares", "the split pays more than the fee");

  const leaves = shares.map((s) => s.leaf);
  const sharesTree = positionalTree(leaves.map(shareLeafHash));
  const operatorsTree = positionalTree(cumulative.map((c, id) => operatorLeafHash(id, c)));
  return {
    commitment: {
      sharesRoot: sharesTree.root,
      operatorsRoot: operatorsTree.root,
      validatorCount,
      operatorCount: p.operatorCount,
      totalWeight,
      totalPerf,
      totalCounted,
      totalPaid: paid,
    },
    leaves,
    cumulative,
    earned,
    toHolders: p.feeShares - paid,
    shareProof: (position) => sharesTree.proof(position),
    operatorProof: (operatorId) => operatorsTree.proof(operatorId),
  };
}

function keyCompare(a: ShareLeaf, b: ShareLeaf): number {
  return a.operatorId - b.operatorId || a.validatorId - b.validatorId || a.shareIndex - b.shareIndex;
}

function hex(bytes: Uint8Array): `0x${string}` {
  return `0x${Buffer.from(bytes).toString("hex")}`;
}
