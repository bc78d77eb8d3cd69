import type { Address, Hex } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import type { UnknownNetworkError } from "../errors/restaking.ts";
import { NETWORK_REGISTRY, networkRegistry, transactionResult } from "../internal/contracts.ts";
import { requireNetwork } from "../internal/restaking.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type SlashOperatorParameters = WithContracts<"networkRegistry"> & {
  networkId: bigint;
  operator: Address;
  /** Unix seconds: the stake captured (within the last epoch; for veto networks within epoch − veto window). */
  captureTimestamp: number;
} & (
    | { /** Objective networks: evidence for the network's verifier; the slash executes at once. */ evidence: Hex }
    | { /** Veto networks: divETH shares requested (the middleware only). */ amount: bigint }
  );

export type SlashOperatorReturnType = TransactionResult &
  ({ kind: "executed"; slashed: bigint } | { kind: "requested"; requestId: bigint; vetoDeadline: bigint });

export type SlashOperatorErrorType = UnknownNetworkError | SendErrorType;

/** Slashes with evidence (objective network) or requests a veto slash (veto network, middleware only). */
export async function slashOperator(
  client: NektarWriteClient,
  p: SlashOperatorParameters,
): Promise<SlashOperatorReturnType> {
  await requireNetwork(client, p);
  const registry = networkRegistry(p.contracts);
  if ("evidence" in p) {
    const sent = await send(client, NETWORK_REGISTRY, {
      ...registry,
      functionName: "slashWithEvidence",
      args: [p.networkId, p.operator, p.captureTimestamp, p.evidence],
    });
    return { ...transactionResult(sent), kind: "executed", slashed: sent.result };
  }
  const sent = await send(client, NETWORK_REGISTRY, {
    ...registry,
    functionName: "requestSlash",
    args: [p.networkId, p.operator, p.captureTimestamp, p.amount],
  });
  const event = eventArgs(registry.abi, sent.receipt.logs, "SlashRequested");
  return {
    ...transactionResult(sent),
    kind: "requested",
    requestId: event.requestId,
    vetoDeadline: event.vetoDeadline,
  };
}
