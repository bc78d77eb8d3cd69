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

/** A JSON-RPC node on 127.0.0.1 whose deposit contract emitted one DepositEvent (index 0). */
function nodeWithOneDeposit() {
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
        eth_blockNumber: "0x1",
        eth_getBlockByNumber: { number: "0x1", timestamp: "0x0", hash: `0x${"11".repeat(32)}`, transactions: [] },
      };
      if (method === "eth_getLogs") {
        const params = (JSON.parse(body) as { params: { address: string }[] }).params[0];
        const logs =
          params?.address === `0x${"22".repeat(20)}` ? [{ ...depositLog(48, 0n), transactionHash: "0x" }] : [];
        res.end(JSON.stringify({ jsonrpc: "2.0", id, result: logs }));
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

describe("EVM bridge deposit requests", () => {
  const server = nodeWithOneDeposit().listen(0, "127.0.0.1");
  after(async () => {
    server.close();
    await once(server, "close");
  });

  it("never hands a deposit its parent chain already included to the next block, even before afterBlock ran", async () => {
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    const sim = new ChainSimulator({ validators: 16 });
    const bridge = await createEvmBridge({
      chain: sim.chain,
      logger: pino({ level: "silent" }),
      rpcUrl: `http://127.0.0.1:${port}`,
      depositContract: `0x${"22".repeat(20)}`,
    });
    await bridge.beforeSlot();
    const genesis = bytesToHex(new Uint8Array(32));
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
