import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import type { UnknownNetworkError, UnknownRestakingOperatorError } from "../errors/restaking.ts";
import { NETWORK_REGISTRY, networkRegistry, transactionResult } from "../internal/contracts.ts";
import { requireNetwork, requireRestakingOperator } from "../internal/restaking.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type SetNetworkMembershipParameters = WithContracts<"restakingVault" | "networkRegistry"> & {
  networkId: bigint;
  /** `in`: opt in (effective at once); `out`: opt out (effective from the start of the epoch after next). */
  membership: "in" | "out";
};

export type SetNetworkMembershipReturnType = TransactionResult;

export type SetNetworkMembershipErrorType = UnknownNetworkError | UnknownRestakingOperatorError | SendErrorType;

/** Opts the calling operator in to or out of a network (the network and the operator are checked first). */
export async function setNetworkMembership(
  client: NektarWriteClient,
  p: SetNetworkMembershipParameters,
): Promise<SetNetworkMembershipReturnType> {
  await requireNetwork(client, p);
  await requireRestakingOperator(client, { contracts: p.contracts, operator: client.account.address });
  const sent = await send(client, NETWORK_REGISTRY, {
    ...networkRegistry(p.contracts),
    functionName: p.membership === "in" ? "optIn" : "optOut",
    args: [p.networkId],
  });
  return transactionResult(sent);
}
