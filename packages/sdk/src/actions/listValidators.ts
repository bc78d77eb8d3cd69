import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";
import { getValidator, type Validator } from "./getValidator.ts";

export type ListValidatorsParameters = WithContracts<"operatorRegistry"> & {
  /** First id (default 1). */
  from?: bigint;
  /** At most this many (default 100). */
  limit?: bigint;
};

export type ListValidatorsReturnType = { total: bigint; validators: Validator[] };

export type ListValidatorsErrorType = ReadErrorType;

/** Validator requests by id, oldest first. */
export async function listValidators(
  client: NektarReadClient,
  p: ListValidatorsParameters,
): Promise<ListValidatorsReturnType> {
  const total = await read(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "requestCount",
  });
  const from = p.from ?? 1n;
  const last = total < from + (p.limit ?? 100n) - 1n ? total : from + (p.limit ?? 100n) - 1n;
  const ids: bigint[] = [];
  for (let id = from; id <= last; id++) ids.push(id);
  const validators = await Promise.all(
    ids.map((validatorId) => getValidator(client, { contracts: p.contracts, validatorId })),
  );
  return { total, validators };
}
