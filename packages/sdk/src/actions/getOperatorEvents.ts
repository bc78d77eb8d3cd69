import { getContractEvents } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { RpcError } from "../errors/contract.ts";
import { operatorRegistry } from "../internal/contracts.ts";
import { sortByPosition } from "./getValidatorRequestedEvents.ts";

/** Registry events after which an operator's record (identity, signer, pause, ejection, bond) may read differently. */
export const OPERATOR_EVENT_NAMES = [
  "OperatorRegistered",
  "OperatorUpdated",
  "OperatorStatusChanged",
  "BondChanged",
] as const;

export type OperatorEventName = (typeof OPERATOR_EVENT_NAMES)[number];

export type GetOperatorEventsParameters = WithContracts<"operatorRegistry"> & {
  fromBlock: bigint;
  /** Last block, inclusive. */
  toBlock: bigint;
};

/** An operator record changed; read it again (`getOperator`) for its new state. */
export type OperatorEvent = { eventName: OperatorEventName; operatorId: bigint; blockNumber: bigint; logIndex: number };

/** In chain order (block, then log index). */
export type GetOperatorEventsReturnType = OperatorEvent[];

export type GetOperatorEventsErrorType = RpcError;

/** The operator-record events of a block range (one `eth_getLogs`: keep the range within the RPC's limit). */
export async function getOperatorEvents(
  client: NektarReadClient,
  p: GetOperatorEventsParameters,
): Promise<GetOperatorEventsReturnType> {
  const logs = await getContractEvents(client, {
    ...operatorRegistry(p.contracts),
    fromBlock: p.fromBlock,
    toBlock: p.toBlock,
    strict: true,
  }).catch((e: unknown) => {
    throw new RpcError("OperatorRegistry operator logs", e);
  });
  const events: OperatorEvent[] = [];
  for (const log of logs) {
    switch (log.eventName) {
      case "OperatorRegistered":
      case "OperatorUpdated":
      case "OperatorStatusChanged":
      case "BondChanged":
        events.push({
          eventName: log.eventName,
          operatorId: log.args.operatorId,
          blockNumber: log.blockNumber,
          logIndex: log.logIndex,
        });
    }
  }
  return sortByPosition(events);
}
