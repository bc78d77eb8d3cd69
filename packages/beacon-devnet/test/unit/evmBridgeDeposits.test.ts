import "../../src/preset.ts";
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import { after, describe, it } from "node:test";
import { pino } from "pino";
import { bytesToHex, hexToBytes } from "viem";
import { createEvmBridge } from "../../src/bridge/evmBridge.ts";
import type { StoredBlock } from "../../src/chain/types.ts";
import { ChainSimulator } from "../../src/node/simulator.ts";
import { depositLog } from "../helpers/depositLog.ts";

/**
 * A JSON-RPC node on 127.0.0.1 whose deposit contract emitted one DepositEvent (index 0). `logsDelayMs` slows its
 * `eth_getLogs` as a loaded host does; `advancing` makes each `eth_blockNumber` a new block whose log range still
 * returns that same event (a node repeating a log).
 */
function nodeWithOneDeposit(opts: { logsDelayMs?: number; advancing?: boolean } = {}) {
  let head = 1;
  return createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += String(d);
    });
    req.on("end", () => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      const result: Record<string, unknown> = {
        eth_chainId: "0x7a69",
        eth_getCode: "0x60",
        eth_blockNumber: `0x${(opts.advancing === true ? head++ : head).toString(16)}`,
        eth_getBlockByNumber: { number: "0x1", timestamp: "0x0", hash: `0x${"11".repeat(32)}`, transactions: [] },
      };
      if (method === "eth_getLogs") {
        const params = (JSON.parse(body) as { params: { address: string }[] }).params[0];
        const logs =
          params?.address === `0x${"22".repeat(20)}` ? [{ ...depositLog(48, 0n), transactionHash: "0x" }] : [];
        setTimeout(() => res.end(JSON.stringify({ jsonrpc: "2.0", id, result: logs })), opts.logsDelayMs ?? 0);
        return;
      }
      res.end(JSON.stringify({ jsonrpc: "2.0", id, result: result[method] ?? null }));
    });
  });
}

/** An imported block as the bridge's `noteBlock` sees it: its root, its parent and the deposits it included. */
function block(rootHex: string, parentRootHex: string, depositIndices: bigint[]): StoredBlock {
  return {
    rootHex,
    signedBlock: {
      message: {
        parentRoot: hexToBytes(parentRootHex as `0x${string}`),
        body: { executionRequests: { deposits: depositIndices.map((index) => ({ index })) } },
      },
    },
  } as unknown as StoredBlock;
}

async function bridgeOn(server: ReturnType<typeof createServer>) {
  if (!server.listening) await once(server, "listening");
  const { port } = server.address() as { port: number };
  return createEvmBridge({
    chain: new ChainSimulator({ validators: 16 }).chain,
    logger: pino({ level: "silent" }),
    rpcUrl: `http://127.0.0.1:${port}`,
    depositContract: `0x${"22".repeat(20)}`,
  });
}

describe("EVM bridge deposit requests", () => {
  const server = nodeWithOneDeposit().listen(0, "127.0.0.1");
  const slowServer = nodeWithOneDeposit({ logsDelayMs: 150 }).listen(0, "127.0.0.1");
  const repeatingServer = nodeWithOneDeposit({ advancing: true }).listen(0, "127.0.0.1");
  after(async () => {
    for (const s of [server, slowServer, repeatingServer]) {
      s.close();
      s.closeAllConnections();
      await once(s, "close");
    }
  });
  const genesis = bytesToHex(new Uint8Array(32));

  it("queues a deposit once when a slot's poll outlasts the slot and the next slot polls too", async () => {
    // Seen in CI on a loaded host: two overlapping polls read the same EL range, the predeposit was queued twice and
    // its validator credited 33 ETH (1 ETH swept to the withdrawal vault as if it were a reward).
    const bridge = await bridgeOn(slowServer);
    await Promise.all([bridge.beforeSlot(), bridge.beforeSlot(), bridge.beforeSlot()]);
    assert.equal(bridge.pendingDepositRequests, 1);
    assert.equal(bridge.getExecutionRequests(hexToBytes(genesis)).deposits.length, 1);
  });

  it("skips a DepositEvent whose index it already queued", async () => {
    const bridge = await bridgeOn(repeatingServer);
    await bridge.beforeSlot();
    await bridge.beforeSlot();
    assert.equal(bridge.pendingDepositRequests, 1);
  });

  it("never hands a deposit its parent chain already included to the next block, even before afterBlock ran", async () => {
    const bridge = await bridgeOn(server);
    await bridge.beforeSlot();
    assert.equal(bridge.getExecutionRequests(hexToBytes(genesis)).deposits.length, 1, "queued for the next block");

    // Block A includes the deposit; its EL reflection (afterBlock) lags behind, as when the EVM node is busy.
    const a = `0x${"aa".repeat(32)}` as const;
    bridge.noteBlock(block(a, genesis, [0n]));
    assert.equal(bridge.getExecutionRequests(hexToBytes(a)).deposits.length, 0, "a child of A does not repeat it");
    const b = `0x${"bb".repeat(32)}` as const;
    bridge.noteBlock(block(b, a, []));
    assert.equal(bridge.getExecutionRequests(hexToBytes(b)).deposits.length, 0, "nor does a grandchild");
    // A sibling of A (a fork from genesis) has not included it: it still may.
    assert.equal(bridge.getExecutionRequests(hexToBytes(genesis)).deposits.length, 1);
  });
});
