import type { NektarReadClient, WithContracts } from "../client.ts";
import { RESHARE_MANAGER, reshareManager } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetReshareParameters = WithContracts<"operatorRegistry"> & { validatorId: bigint };

/** Stage of a validator's reshare, as the manager's `Stage` enum numbers them. */
export const RESHARE_STAGES = ["none", "scheduling", "drawing", "open"] as const;
export type ReshareStage = (typeof RESHARE_STAGES)[number];

export type GetReshareReturnType = {
  stage: ReshareStage;
  /** The replaced seat, 1-based (0 when none is open). */
  leavingIndex: number;
  leavingOperatorId: bigint;
  /** The replacement (0 until drawn). */
  newcomerOperatorId: bigint;
  /** Unix time by which the current stage must complete (0 while scheduling). */
  deadline: bigint;
  nonce: bigint;
  /** Attempts that missed their deadline so far. */
  failures: number;
  /** Whether the leaver was ejected (it pays 10% of its lock). */
  ejected: boolean;
};

export type GetReshareErrorType = ReadErrorType;

/** The validator's open reshare (stage `none` when none is open). */
export async function getReshare(client: NektarReadClient, p: GetReshareParameters): Promise<GetReshareReturnType> {
  const manager = await reshareManager(client, p.contracts);
  const r = await read(client, RESHARE_MANAGER, { ...manager, functionName: "getReshare", args: [p.validatorId] });
  return {
    stage: RESHARE_STAGES[r.stage] ?? "none",
    leavingIndex: r.leavingIndex,
    leavingOperatorId: BigInt(r.leavingOperatorId),
    newcomerOperatorId: BigInt(r.newcomerOperatorId),
    deadline: r.deadline,
    nonce: r.nonce,
    failures: r.failures,
    ejected: r.ejected,
  };
}
