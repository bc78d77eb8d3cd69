import type { ApiClient } from "@lodestar/api";
import type { Logger } from "../logger/logger.ts";
import type { FinalizedCheckpoint } from "./interfaces.ts";

/** What the feed reports: a new epoch at the head, a new finalized checkpoint. */
export type ChainEvents = {
  onEpoch(epoch: bigint): void;
  onFinalized(checkpoint: FinalizedCheckpoint): void;
};

/**
 * Polls the operator's beacon node for the head's epoch and the finalized checkpoint (with its block's execution
 * hash) and reports each change once. Errors are logged and the next poll retries.
 */
export function startChainFeed(
  api: ApiClient,
  events: ChainEvents,
  opts: { intervalMs: number; slotsPerEpoch: number; logger: Logger },
): { stop(): void } {
  let lastEpoch = -1n;
  let lastFinalized = -1n;
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const header = (await api.beacon.getBlockHeader({ blockId: "head" })).value();
      const epoch = BigInt(Math.floor(header.header.message.slot / opts.slotsPerEpoch));
      if (epoch > lastEpoch) {
        lastEpoch = epoch;
        events.onEpoch(epoch);
      }
      const { finalized } = (await api.beacon.getStateFinalityCheckpoints({ stateId: "head" })).value();
      const finalizedEpoch = BigInt(finalized.epoch);
      if (finalizedEpoch > lastFinalized && finalizedEpoch > 0n) {
        const root = `0x${Buffer.from(finalized.root).toString("hex")}` as const;
        const block = (await api.beacon.getBlockV2({ blockId: root })).value();
        const body = block.message.body as { executionPayload?: { blockHash: Uint8Array } };
        if (body.executionPayload === undefined) return;
        lastFinalized = finalizedEpoch;
        events.onFinalized({
          epoch: finalizedEpoch,
          root,
          executionBlockHash: `0x${Buffer.from(body.executionPayload.blockHash).toString("hex")}`,
        });
      }
    } catch (e) {
      opts.logger.debug("Chain feed poll failed; retrying", { error: (e as Error).message });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), opts.intervalMs);
  void poll();
  return { stop: () => clearInterval(timer) };
}
