import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type ListOperatorStrikesParameters = WithContracts<"operatorRegistry"> & {
  /** Operators to read (one call each; an HTTP transport with batching sends them together). */
  operatorIds: readonly bigint[];
};

export type OperatorStrikeCount = {
  operatorId: bigint;
  /** Strikes within the last `windowFrames` oracle frames. */
  inWindow: bigint;
  /** Strikes ever. */
  total: bigint;
  /** Oracle frame of the latest strike (0 if none). */
  lastFrame: bigint;
};

export type ListOperatorStrikesReturnType = {
  /** Strikes within the window that make an operator ejectable by anyone. */
  strikesToEject: bigint;
  /** Length of the strike window in oracle frames. */
  windowFrames: bigint;
  /** In the order of `operatorIds`. */
  operators: OperatorStrikeCount[];
};

/** `ContractRevertedError` `UnknownOperator` for an id the registry does not know. */
export type ListOperatorStrikesErrorType = ReadErrorType;

/**
 * Strikes of many operators at once (the operators table): the registry's limits read once, then one `operatorStrikes`
 * call per operator. Whether an operator is ejectable also needs its `ejected` flag (`getOperator`): `inWindow ≥
 * strikesToEject` and not ejected.
 */
export async function listOperatorStrikes(
  client: NektarReadClient,
  p: ListOperatorStrikesParameters,
): Promise<ListOperatorStrikesReturnType> {
  const registry = operatorRegistry(p.contracts);
  const [strikesToEject, windowFrames, counts] = await Promise.all([
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "STRIKES_TO_EJECT" }),
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "STRIKE_WINDOW_FRAMES" }),
    Promise.all(
      p.operatorIds.map((operatorId) =>
        read(client, OPERATOR_REGISTRY, { ...registry, functionName: "operatorStrikes", args: [operatorId] }),
      ),
    ),
  ]);
  return {
    strikesToEject,
    windowFrames,
    operators: counts.map(([inWindow, total, lastFrame], i) => ({
      operatorId: p.operatorIds[i] as bigint,
      inWindow,
      total,
      lastFrame,
    })),
  };
}
