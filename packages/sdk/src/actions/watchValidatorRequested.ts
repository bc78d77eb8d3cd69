import { watchContractEvent } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { RpcError } from "../errors/contract.ts";
import { operatorRegistry } from "../internal/contracts.ts";
import {
  sortByPosition,
  type ValidatorRequestedEvent,
  validatorRequestedEvent,
} from "./getValidatorRequestedEvents.ts";

export type WatchValidatorRequestedParameters = WithContracts<"operatorRegistry"> & {
  /** Called with each batch of new events, in chain order. */
  onRequests: (events: ValidatorRequestedEvent[]) => void;
  /** Called when polling the RPC fails; the watch keeps polling. */
  onError?: ((error: RpcError) => void) | undefined;
  /** Also deliver events from this block on (default: only new ones). */
  fromBlock?: bigint | undefined;
  /** Polling interval in milliseconds (default: the client's). */
  pollingInterval?: number | undefined;
};

/** Stops watching. */
export type WatchValidatorRequestedReturnType = () => void;

/** Never thrown: RPC failures go to `onError` as RpcError. */
export type WatchValidatorRequestedErrorType = never;

/**
 * Watches the registry for `ValidatorRequested` as it happens. A node that must not miss an event across restarts
 * scans ranges with `getValidatorRequestedEvents` from a persisted cursor instead.
 */
export function watchValidatorRequested(
  client: NektarReadClient,
  p: WatchValidatorRequestedParameters,
): WatchValidatorRequestedReturnType {
  return watchContractEvent(client, {
    ...operatorRegistry(p.contracts),
    eventName: "ValidatorRequested",
    strict: true,
    ...(p.fromBlock === undefined ? {} : { fromBlock: p.fromBlock }),
    ...(p.pollingInterval === undefined ? {} : { pollingInterval: p.pollingInterval }),
    onLogs: (logs) => {
      const events = logs.flatMap((log) =>
        log.blockNumber === null || log.logIndex === null || log.transactionHash === null
          ? [] // pending logs: delivered again once mined
          : [
              validatorRequestedEvent({
                ...log,
                blockNumber: log.blockNumber,
                logIndex: log.logIndex,
                transactionHash: log.transactionHash,
              }),
            ],
      );
      if (events.length > 0) p.onRequests(sortByPosition(events));
    },
    onError: (e) => p.onError?.(new RpcError("OperatorRegistry ValidatorRequested watch", e)),
  });
}
