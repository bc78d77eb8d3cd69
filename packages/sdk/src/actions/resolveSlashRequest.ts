import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { NETWORK_REGISTRY, networkRegistry, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type ResolveSlashRequestParameters = WithContracts<"networkRegistry"> & {
  requestId: bigint;
  /** `veto`: the network's resolver vetoes within the window; `execute`: anyone executes after it. */
  action: "veto" | "execute";
};

export type ResolveSlashRequestReturnType = TransactionResult & { slashed: bigint };

/** `ContractRevertedError` `VetoWindowOver`, `VetoWindowOpen`, `SlashWindowClosed`, `SlashRequestClosed`, … */
export type ResolveSlashRequestErrorType = SendErrorType;

/** Vetoes or executes a pending veto slash request. */
export async function resolveSlashRequest(
  client: NektarWriteClient,
  p: ResolveSlashRequestParameters,
): Promise<ResolveSlashRequestReturnType> {
  const registry = networkRegistry(p.contracts);
  if (p.action === "veto") {
    const sent = await send(client, NETWORK_REGISTRY, { ...registry, functionName: "vetoSlash", args: [p.requestId] });
    return { ...transactionResult(sent), slashed: 0n };
  }
  const sent = await send(client, NETWORK_REGISTRY, { ...registry, functionName: "executeSlash", args: [p.requestId] });
  const event = eventArgs(registry.abi, sent.receipt.logs, "SlashExecuted");
  return { ...transactionResult(sent), slashed: event.amount };
}
