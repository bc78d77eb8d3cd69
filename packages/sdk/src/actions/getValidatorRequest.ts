import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";
import { type ValidatorStatus, validatorStatusName } from "../validatorStatus.ts";

export type GetValidatorRequestParameters = WithContracts<"operatorRegistry"> & {
  requestId: bigint;
  /** Read the request as of this block (default: the latest). */
  blockNumber?: bigint | undefined;
};

export type ValidatorRequest = {
  requestId: bigint;
  status: ValidatorStatus;
  /** Bond units locked on each of the 16 operators. */
  lockUnits: bigint;
  /** Timestamp of the request, in seconds. */
  requestedAt: bigint;
  /** Bit `i` set: the operator at position `i` approved the DKG result on-chain. */
  attestedBitmap: bigint;
  /** For an expired request, bit `i` set: the operator at position `i` had not attested. */
  missedBitmap: bigint;
  /** The 16 operator ids in cluster order (share index `i + 1` belongs to `operatorIds[i]`). */
  operatorIds: number[];
};

export type GetValidatorRequestReturnType = ValidatorRequest;

/** `ContractRevertedError` `UnknownRequest` for ids that do not exist. */
export type GetValidatorRequestErrorType = ReadErrorType;

/** A validator request as the registry stores it: status, lock, attestations and the 16 drawn operators. */
export async function getValidatorRequest(
  client: NektarReadClient,
  p: GetValidatorRequestParameters,
): Promise<GetValidatorRequestReturnType> {
  const r = await read(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "getRequest",
    args: [p.requestId],
    ...(p.blockNumber === undefined ? {} : { blockNumber: p.blockNumber }),
  });
  return {
    requestId: p.requestId,
    status: validatorStatusName(r.status),
    lockUnits: r.lockUnits,
    requestedAt: r.requestedAt,
    attestedBitmap: r.attestedBitmap,
    missedBitmap: r.missedBitmap,
    operatorIds: [...r.operatorIds],
  };
}
