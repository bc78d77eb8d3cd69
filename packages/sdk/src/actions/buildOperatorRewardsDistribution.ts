import { buildRewardsDistribution, type RewardsDistribution } from "@nektar/crypto";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, OPERATOR_REWARDS, operatorRegistry, operatorRewards } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

/** A cluster's signed statement counts for the frame, by registry validator id. */
export type ValidatorStatementCounts = {
  validatorId: bigint;
  expected: readonly number[];
  contributed: readonly number[];
};

export type BuildOperatorRewardsDistributionParameters = WithContracts<"stakingPool" | "operatorRegistry"> & {
  /** The fee (`getOperatorRewards` frames' `sequence`). */
  sequence: bigint;
  /** The statements the clusters signed for the fee's frame (validators without one earn nothing). */
  statements: readonly ValidatorStatementCounts[];
  /** Cumulative per operator id of the previous final distribution (index = id; empty for the first fee). */
  priorCumulative?: readonly bigint[] | undefined;
};

export type BuildOperatorRewardsDistributionReturnType = RewardsDistribution & {
  frame: bigint;
  feeShares: bigint;
};

export type BuildOperatorRewardsDistributionErrorType = ReadErrorType;

/**
 * Builds a fee's distribution from the chain (fee, margin, every validator's seats, the operator count) and the
 * clusters' statements: the commitment to post or check, and the proofs claims and disputes need. Stinger's upkeep
 * and the CLI share it; the math is `@nektar/crypto`'s `buildRewardsDistribution` (the contract's rule).
 */
export async function buildOperatorRewardsDistribution(
  client: NektarReadClient,
  p: BuildOperatorRewardsDistributionParameters,
): Promise<BuildOperatorRewardsDistributionReturnType> {
  const rewards = await operatorRewards(client, p.contracts);
  const registry = operatorRegistry(p.contracts);
  const [distribution, marginBps, requestCount, operatorCount] = await Promise.all([
    read(client, OPERATOR_REWARDS, { ...rewards, functionName: "getDistribution", args: [p.sequence] }),
    read(client, OPERATOR_REWARDS, { ...rewards, functionName: "marginBps" }),
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "requestCount" }),
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "operatorCount" }),
  ]);
  const byId = new Map(p.statements.map((s) => [s.validatorId, s]));
  const validators = await Promise.all(
    Array.from({ length: Number(requestCount) }, async (_, i) => {
      const validatorId = BigInt(i + 1);
      const request = await read(client, OPERATOR_REGISTRY, {
        ...registry,
        functionName: "getRequest",
        args: [validatorId],
      });
      const s = byId.get(validatorId);
      return {
        validatorId: i + 1,
        operatorIds: [...request.operatorIds],
        statement: s ? { expected: s.expected, contributed: s.contributed } : undefined,
      };
    }),
  );
  const built = buildRewardsDistribution({
    feeShares: distribution.feeShares,
    marginBps,
    validators,
    operatorCount: Number(operatorCount),
    priorCumulative: p.priorCumulative,
  });
  return { ...built, frame: distribution.frame, feeShares: distribution.feeShares };
}
