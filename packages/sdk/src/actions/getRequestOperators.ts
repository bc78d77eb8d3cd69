import type { Address, Hex } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetRequestOperatorsParameters = WithContracts<"operatorRegistry"> & {
  requestId: bigint;
  /** Read as of this block (default: the latest); a follower reads at the block of the event it handles. */
  blockNumber?: bigint | undefined;
};

/** The 16 operators drawn for a request, in cluster order, as they were registered when read. */
export type GetRequestOperatorsReturnType = {
  operatorIds: readonly bigint[];
  /** Their DKG-result signers. */
  signers: readonly Address[];
  /** Their Stinger node identities (Ed25519 public keys). */
  nodeIdentities: readonly Hex[];
};

/** `ContractRevertedError` `UnknownRequest` for ids that do not exist. */
export type GetRequestOperatorsErrorType = ReadErrorType;

/** Who runs a request's DKG: the drawn operators' ids, signers and node identities in cluster order. */
export async function getRequestOperators(
  client: NektarReadClient,
  p: GetRequestOperatorsParameters,
): Promise<GetRequestOperatorsReturnType> {
  const [operatorIds, signers, nodeIdentities] = await read(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "requestOperators",
    args: [p.requestId],
    ...(p.blockNumber === undefined ? {} : { blockNumber: p.blockNumber }),
  });
  return { operatorIds, signers, nodeIdentities };
}
