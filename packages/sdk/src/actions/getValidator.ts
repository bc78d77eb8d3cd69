import type { Hex } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";
import { type ValidatorStatus, validatorStatusName } from "../validatorStatus.ts";

export type GetValidatorParameters = WithContracts<"operatorRegistry"> & { validatorId: bigint };

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

/** `ContractRevertedError` `UnknownRequest` for ids that do not exist. */
export type GetValidatorErrorType = ReadErrorType;

/** A validator request (and the validator once deposited); reverts with `UnknownRequest` for ids that do not exist. */
export async function getValidator(
  client: NektarReadClient,
  p: GetValidatorParameters,
): Promise<GetValidatorReturnType> {
  const registry = operatorRegistry(p.contracts);
  const [request, [pubkey]] = await Promise.all([
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "getRequest", args: [p.validatorId] }),
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "validatorKeys", args: [p.validatorId] }),
  ]);
  return {
    validatorId: p.validatorId,
    status: validatorStatusName(request.status),
    requestedAt: request.requestedAt,
    lockUnits: request.lockUnits,
    operatorIds: [...request.operatorIds],
    pubkey: pubkey === "0x" ? undefined : pubkey,
  };
}
