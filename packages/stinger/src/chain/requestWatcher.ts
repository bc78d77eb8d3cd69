import { getValidatorRequestedEvents } from "@nektar/sdk";
import type { Address, Hex, PublicClient } from "viem";
import type { Logger } from "../logger/logger.ts";
import type { LogPosition, RequestCursor } from "./cursor.ts";
import { PollLoop } from "./pollLoop.ts";

/** A `ValidatorRequested` event as the watcher hands it on. */
export type RequestedEvent = LogPosition & {
  requestId: bigint;
  threshold: bigint;
  withdrawalCredentials: Hex;
};

export type RequestWatcherOptions = {
  client: PublicClient;
  registry: Address;
  cursor: RequestCursor;
  /** Blocks an event must be buried under before it is acted on (reorg safety; 0 on a devnet). */
  confirmations: number;
  /** Largest block range per `eth_getLogs` call. */
  maxBlockRange: bigint;
  pollIntervalMs: number;
  logger: Logger;
  /** Handles one event to the end (success or a logged failure); the cursor moves past it afterwards. */
  onRequest: (event: RequestedEvent) => Promise<void>;
};

/**
 * Follows the registry's `ValidatorRequested` events by polling `eth_getLogs` from the persisted cursor up to
 * `head - confirmations`, handing each event to `onRequest` one at a time and in chain order. The cursor is saved
 * after each handled event and each scanned range, so a restart resumes exactly where the node stopped.
 */
export class RequestWatcher {
  private readonly opts: RequestWatcherOptions;
  private readonly loop: PollLoop;

  constructor(opts: RequestWatcherOptions) {
    this.opts = opts;
    this.loop = new PollLoop({
      intervalMs: opts.pollIntervalMs,
      onError: (e) => opts.logger.warn("Registry poll failed; retrying", { registry: opts.registry }, e as Error),
    });
  }

  /** Scan once: every confirmed, unhandled event up to the current head. Returns the last block scanned. */
  async poll(): Promise<bigint | null> {
    const { client, cursor } = this.opts;
    const head = await client.getBlockNumber();
    const safe = head - BigInt(this.opts.confirmations);
    let last: bigint | null = null;
    while (!this.loop.stopped && cursor.nextBlock <= safe) {
      const from = cursor.nextBlock;
      const to = from + this.opts.maxBlockRange - 1n < safe ? from + this.opts.maxBlockRange - 1n : safe;
      // In chain order (block, then log index).
      const events: RequestedEvent[] = (
        await getValidatorRequestedEvents(client, {
          contracts: { operatorRegistry: this.opts.registry },
          fromBlock: from,
          toBlock: to,
        })
      ).map((l) => ({
        blockNumber: l.blockNumber,
        logIndex: l.logIndex,
        requestId: l.requestId,
        threshold: l.threshold,
        withdrawalCredentials: l.withdrawalCredentials,
      }));
      for (const e of events) {
        if (this.loop.stopped) return last;
        if (cursor.isHandled(e)) continue;
        await this.opts.onRequest(e);
        cursor.markHandled(e);
      }
      cursor.markScanned(to);
      last = to;
    }
    return last;
  }

  /** Poll until `stop()`; RPC failures are logged and retried at the next interval. */
  run(): Promise<void> {
    return this.loop.run(() => this.poll());
  }

  stop(): void {
    this.loop.stop();
  }
}
