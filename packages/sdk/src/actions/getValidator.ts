import type { Hex } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { operatorRegistryAbi } from "../generated/abis.ts";
import { read } from "../internal/read.ts";
import { type ValidatorStatus, validatorStatusName } from "../validatorStatus.ts";

export type GetValidatorParameters = WithContracts & { validatorId: bigint };

export type Validator = {
  /** Request id, which is also the validator id once deposited. */
  validatorId: bigint;
  status: ValidatorStatus;
  requestedAt: bigint;
  /** Bond units locked on each of the 16 operators. */
  lockUnits: bigint;
  /** The 16 operator ids in cluster order. */
  operatorIds: number[];
  /** The validator public key; undefined before the deposit. */
  pubkey: Hex | undefined;
};

export type GetValidatorReturnType = Validator;

/** A validator request (and the validator once deposited); reverts with `UnknownRequest` for ids that do not exist. */
export async function getValidator(
  client: NektarReadClient,
  p: GetValidatorParameters,
): Promise<GetValidatorReturnType> {
  const base = {
    contract: "OperatorRegistry",
    address: p.contracts.operatorRegistry,
    abi: operatorRegistryAbi,
  } as const;
  const [request, keys] = await Promise.all([
    read<{ status: number; lockUnits: bigint; requestedAt: bigint; operatorIds: readonly number[] }>(client, {
      ...base,
      functionName: "getRequest",
      args: [p.validatorId],
    }),
    read<readonly [Hex, Hex]>(client, { ...base, functionName: "validatorKeys", args: [p.validatorId] }),
  ]);
  return {
    validatorId: p.validatorId,
    status: validatorStatusName(request.status),
    requestedAt: request.requestedAt,
    lockUnits: request.lockUnits,
    operatorIds: [...request.operatorIds],
    pubkey: keys[0] === "0x" ? undefined : keys[0],
  };
}
