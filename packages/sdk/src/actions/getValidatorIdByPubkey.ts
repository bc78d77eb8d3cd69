import type { Hex } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetValidatorIdByPubkeyParameters = WithContracts<"operatorRegistry"> & {
  /** The validator public key (48 bytes). */
  pubkey: Hex;
};

/** The registry's validator id of that key, or 0n if no accepted DKG result has it. */
export type GetValidatorIdByPubkeyReturnType = bigint;

export type GetValidatorIdByPubkeyErrorType = ReadErrorType;

export async function getValidatorIdByPubkey(
  client: NektarReadClient,
  p: GetValidatorIdByPubkeyParameters,
): Promise<GetValidatorIdByPubkeyReturnType> {
  return read(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "validatorIdByPubkey",
    args: [p.pubkey],
  });
}
