import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address, Log } from "viem";
import { createLogger } from "../../../src/logger/logger.ts";
import { type LogFeedClient, startLogFeed } from "../../../src/networks/logFeed.ts";

const logger = createLogger({ level: "fatal" });
const relay: Address = "0x00000000000000000000000000000000000000c0";

/** A chain of `head` blocks with one log of `relay` in every block; `failNext` makes the next getLogs throw. */
function chain() {
  const state = {
    head: 10n,
    failNext: false,
    calls: [] as { address: Address[]; fromBlock: bigint; toBlock: bigint }[],
  };
  const client: LogFeedClient = {
    getBlockNumber: async () => state.head,
    getLogs: async (args) => {
      state.calls.push(args);
      if (state.failNext) {
        state.failNext = false;
        throw new Error("rpc down");
      }
      const out: Log[] = [];
      for (let b = args.fromBlock; b <= args.toBlock; b++) {
        out.push({ address: relay, blockNumber: b } as unknown as Log);
      }
      return out;
    },
  };
  return { state, client };
}

describe("Network modules' log feed", () => {
  it("starts after the head, reads each new range once in chunks, and retries a failed range", async () => {
    const { state, client } = chain();
    const seen: bigint[] = [];
    const feed = startLogFeed(
      client,
      () => [relay],
      (logs) => seen.push(...logs.map((l) => l.blockNumber as bigint)),
      { intervalMs: 60_000, logger, maxBlockRange: 3n },
    );
    await feed.poll();
    assert.deepEqual(seen, [], "history before the start is not replayed");
    state.head = 17n;
    await feed.poll();
    assert.deepEqual(seen, [11n, 12n, 13n, 14n, 15n, 16n, 17n]);
    assert.deepEqual(
      state.calls.map((c) => [c.fromBlock, c.toBlock]),
      [
        [11n, 13n],
        [14n, 16n],
        [17n, 17n],
      ],
    );
    state.head = 19n;
    state.failNext = true;
    await feed.poll();
    assert.equal(seen.length, 7, "nothing delivered from a failed read");
    await feed.poll();
    assert.deepEqual(seen.slice(7), [18n, 19n], "the failed range is read again");
    feed.stop();
  });

  it("skips the RPC call while no module watches a contract", async () => {
    const { state, client } = chain();
    const feed = startLogFeed(
      client,
      () => [],
      () => assert.fail("no logs expected"),
      {
        intervalMs: 60_000,
        logger,
        fromBlock: 1n,
      },
    );
    await feed.poll();
    assert.equal(state.calls.length, 0);
    feed.stop();
  });
});
