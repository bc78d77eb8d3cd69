import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetOperatorStrikesParameters = WithContracts<"operatorRegistry"> & {
  operatorId: bigint;
};

export type GetOperatorStrikesReturnType = {
  /** Strikes within the last `STRIKE_WINDOW_FRAMES` oracle frames. */
  inWindow: bigint;
  /** Strikes within the window that make the operator ejectable by anyone. */
  strikesToEject: bigint;
  /** Length of the window in oracle frames. */
  windowFrames: bigint;
  /** Strikes ever. */
  total: bigint;
  /** Oracle frame of the latest strike (0 if none). */
  lastFrame: bigint;
  /** Whether `ejectOperator` would accept it now (not yet ejected and over the limit). */
  ejectable: boolean;
  /** Whether it is ejected already. */
  ejected: boolean;
};

/** `ContractRevertedError` `UnknownOperator`. */
export type GetOperatorStrikesErrorType = ReadErrorType;

/** An operator's strikes (missed DKGs today) and whether it can be ejected. */
export async function getOperatorStrikes(
  client: NektarReadClient,
  p: GetOperatorStrikesParameters,
): Promise<GetOperatorStrikesReturnType> {
  const registry = operatorRegistry(p.contracts);
  const [[inWindow, total, lastFrame], strikesToEject, windowFrames, operator] = await Promise.all([
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "operatorStrikes", args: [p.operatorId] }),
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "STRIKES_TO_EJECT" }),
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "STRIKE_WINDOW_FRAMES" }),
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "getOperator", args: [p.operatorId] }),
  ]);
  return {
    inWindow,
    strikesToEject,
    windowFrames,
    total,
    lastFrame,
    ejected: operator.ejected,
    ejectable: !operator.ejected && inWindow >= strikesToEject,
  };
}
