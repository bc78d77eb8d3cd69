import type { Address, Hex } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { operatorRegistryAbi } from "../generated/abis.ts";
import { read } from "../internal/read.ts";

export type GetOperatorParameters = WithContracts & { operatorId: bigint };

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
  /** Validators the operator holds (or held) a key share of. */
  validatorCount: bigint;
};

export type GetOperatorReturnType = Operator;

/** An operator record (reverts with `UnknownOperator` for ids that do not exist). */
export async function getOperator(client: NektarReadClient, p: GetOperatorParameters): Promise<GetOperatorReturnType> {
  const base = {
    contract: "OperatorRegistry",
    address: p.contracts.operatorRegistry,
    abi: operatorRegistryAbi,
  } as const;
  const [operator, validatorCount] = await Promise.all([
    read<Omit<Operator, "operatorId" | "validatorCount">>(client, {
      ...base,
      functionName: "getOperator",
      args: [p.operatorId],
    }),
    read<bigint>(client, { ...base, functionName: "validatorCountOf", args: [p.operatorId] }),
  ]);
  return { operatorId: p.operatorId, ...operator, validatorCount };
}
