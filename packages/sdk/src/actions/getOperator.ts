import type { Address, Hex } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetOperatorParameters = WithContracts<"operatorRegistry"> & {
  operatorId: bigint;
  /** Read the record as of this block (default: the latest). */
  blockNumber?: bigint | undefined;
};

export type Operator = {
  operatorId: bigint;
  owner: Address;
  signer: Address;
  nodeIdentity: Hex;
  bondUnits: bigint;
  freeUnits: bigint;
  paused: boolean;
  ejected: boolean;
  metadataURI: string;
};

export type GetOperatorReturnType = Operator;

/** `ContractRevertedError` `UnknownOperator` for ids that do not exist. */
export type GetOperatorErrorType = ReadErrorType;

/** An operator record (reverts with `UnknownOperator` for ids that do not exist). */
export async function getOperator(client: NektarReadClient, p: GetOperatorParameters): Promise<GetOperatorReturnType> {
  const base = {
    ...operatorRegistry(p.contracts),
    ...(p.blockNumber === undefined ? {} : { blockNumber: p.blockNumber }),
  };
  const operator = await read(client, OPERATOR_REGISTRY, {
    ...base,
    functionName: "getOperator",
    args: [p.operatorId],
  });
  return { operatorId: p.operatorId, ...operator };
}
