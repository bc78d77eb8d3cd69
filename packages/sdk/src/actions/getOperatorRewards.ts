import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REWARDS, operatorRewards } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

/** Where a fee's distribution stands (`IOperatorRewards.Status`). */
export type RewardsDistributionStatus = "none" | "pending" | "voided" | "final";
const STATUS: readonly RewardsDistributionStatus[] = ["none", "pending", "voided", "final"];

export type GetOperatorRewardsParameters = WithContracts<"stakingPool"> & {
  /** Also report what this operator has claimed. */
  operatorId?: bigint | undefined;
  /** Only the last `last` fees (default 16). */
  last?: number | undefined;
};

export type GetOperatorRewardsReturnType = {
  /** The operator-rewards contract. */
  address: `0x${string}`;
  /** Fees received (one per applied report with rewards). */
  feeCount: bigint;
  /** Distributions final so far; the next one to post is this sequence. */
  finalCount: bigint;
  /** Wei a poster bonds; seconds a posted distribution can be disputed; the threshold margin (bps). */
  bond: bigint;
  challengeWindow: bigint;
  marginBps: bigint;
  /** divETH shares the operator has claimed in total (when `operatorId` is given). */
  claimed?: bigint | undefined;
  /** Per fee, newest last: its oracle frame, the fee and its distribution. */
  frames: {
    sequence: bigint;
    frame: bigint;
    feeShares: bigint;
    status: RewardsDistributionStatus;
    /** Σ paid to shares (pending or final). */
    totalPaid: bigint;
    /** Disputes are accepted before it (Unix seconds; 0 when nothing is posted). */
    deadline: bigint;
    /** The posted commitment's roots (zero when none). */
    sharesRoot: `0x${string}`;
    operatorsRoot: `0x${string}`;
  }[];
};

export type GetOperatorRewardsErrorType = ReadErrorType;

/** The operator fee per oracle frame and how each was distributed (per-share rewards, `OperatorRewards`). */
export async function getOperatorRewards(
  client: NektarReadClient,
  p: GetOperatorRewardsParameters,
): Promise<GetOperatorRewardsReturnType> {
  const rewards = await operatorRewards(client, p.contracts);
  const [feeCount, finalCount, bond, challengeWindow, marginBps, claimed] = await Promise.all([
    read(client, OPERATOR_REWARDS, { ...rewards, functionName: "feeCount" }),
    read(client, OPERATOR_REWARDS, { ...rewards, functionName: "finalCount" }),
    read(client, OPERATOR_REWARDS, { ...rewards, functionName: "bond" }),
    read(client, OPERATOR_REWARDS, { ...rewards, functionName: "challengeWindow" }),
    read(client, OPERATOR_REWARDS, { ...rewards, functionName: "marginBps" }),
    p.operatorId === undefined
      ? undefined
      : read(client, OPERATOR_REWARDS, { ...rewards, functionName: "claimed", args: [p.operatorId] }),
  ]);
  const last = BigInt(p.last ?? 16);
  const first = feeCount > last ? feeCount - last : 0n;
  const frames = await Promise.all(
    Array.from({ length: Number(feeCount - first) }, async (_, i) => {
      const sequence = first + BigInt(i);
      const [d, c] = await Promise.all([
        read(client, OPERATOR_REWARDS, { ...rewards, functionName: "getDistribution", args: [sequence] }),
        read(client, OPERATOR_REWARDS, { ...rewards, functionName: "getCommitment", args: [sequence] }),
      ]);
      return {
        sequence,
        frame: d.frame,
        feeShares: d.feeShares,
        status: STATUS[d.status] ?? "none",
        totalPaid: c.totalPaid,
        deadline: d.deadline,
        sharesRoot: c.sharesRoot,
        operatorsRoot: c.operatorsRoot,
      };
    }),
  );
  return { address: rewards.address, feeCount, finalCount, bond, challengeWindow, marginBps, claimed, frames };
}
