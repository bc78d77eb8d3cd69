import type { Address, Log } from "viem";
import type { Logger } from "../logger/logger.ts";

/** What the log feed needs of the chain client. */
export type LogFeedClient = {
  getBlockNumber(): Promise<bigint>;
  getLogs(args: { address: Address[]; fromBlock: bigint; toBlock: bigint }): Promise<Log[]>;
};

export type LogFeedOptions = {
  intervalMs: number;
  logger: Logger;
  /** Largest block range of one `eth_getLogs` call. */
  maxBlockRange?: bigint;
  /** First block to read; default: the block after the head at start (modules read their history themselves). */
  fromBlock?: bigint;
};

/**
 * Polls the execution client for the logs of the contracts the Network modules watch (`watched()`, read at every poll)
 * and reports each block range's logs once, in chain order. A failed poll is logged and the same range is read again
 * at the next one.
 */
export function startLogFeed(
  client: LogFeedClient,
  watched: () => Address[],
  onLogs: (logs: Log[]) => void,
  opts: LogFeedOptions,
): { stop(): void; poll(): Promise<void> } {
  const maxRange = opts.maxBlockRange ?? 1_000n;
  let next = opts.fromBlock;
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const head = await client.getBlockNumber();
      let from = next ?? head + 1n;
      while (from <= head) {
        const to: bigint = from + maxRange - 1n < head ? from + maxRange - 1n : head;
        const address = watched();
        if (address.length > 0) {
          const logs = await client.getLogs({ address, fromBlock: from, toBlock: to });
          if (logs.length > 0) onLogs(logs);
        }
        from = to + 1n;
        next = from;
      }
      next = from;
    } catch (e) {
      opts.logger.debug("Network modules' log feed poll failed; retrying", { error: (e as Error).message });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), opts.intervalMs);
  void poll();
  return { stop: () => clearInterval(timer), poll };
}
