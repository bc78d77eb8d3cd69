import "../../src/preset.ts";
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { after, before, describe, it } from "node:test";
import { interopSecretKey } from "@lodestar/state-transition";
import { pino } from "pino";
import { createEvmBridge } from "../../src/bridge/evmBridge.ts";
import type { DevnetError } from "../../src/errors.ts";
import { ChainSimulator } from "../../src/node/simulator.ts";

/** A scripted JSON-RPC node on 127.0.0.1 that records calls and fails the first `hardhat_setBalance`. */
function fakeNode() {
  const calls: { method: string; params: unknown[] }[] = [];
  const balances = new Map<string, bigint>();
  let failNextSetBalance = true;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += String(d);
    });
    req.on("end", () => {
      const { id, method, params } = JSON.parse(body) as { id: number; method: string; params: unknown[] };
      calls.push({ method, params });
      const reply = (result: unknown) => res.end(JSON.stringify({ jsonrpc: "2.0", id, result }));
      const fail = (message: string) =>
        res.end(JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32000, message } }));
      switch (method) {
        case "eth_chainId":
          return reply("0x7a69");
        case "eth_getCode":
          return reply("0x60");
        case "eth_blockNumber":
          return reply("0x1");
        case "eth_getLogs":
          return reply([]);
        case "eth_getBlockByNumber":
          return reply({ number: "0x1", timestamp: "0x0", hash: `0x${"11".repeat(32)}`, transactions: [] });
        case "evm_mine":
          return reply("0x0");
        case "eth_getBalance":
          return reply(`0x${(balances.get(String(params[0]).toLowerCase()) ?? 0n).toString(16)}`);
        case "hardhat_setBalance":
          if (failNextSetBalance) {
            failNextSetBalance = false;
            return fail("node busy");
          }
          balances.set(String(params[0]).toLowerCase(), BigInt(String(params[1])));
          return reply(true);
        case "hardhat_setStorageAt":
          return reply(true);
        default:
          return fail(`unexpected ${method}`);
      }
    });
  });
  return { server, calls, balances };
}

describe("EVM bridge backlog", () => {
  let node: ReturnType<typeof fakeNode>;
  let server: Server;
  before(async () => {
    node = fakeNode();
    server = node.server.listen(0, "127.0.0.1");
    await once(server, "listening");
  });
  after(async () => {
    server.close();
    await once(server, "close");
  });

  it("retries a block whose withdrawal credit failed, crediting each withdrawal exactly once", async () => {
    const payee = new Uint8Array(32);
    payee[0] = 0x01;
    payee.fill(0xaa, 12);
    const sim = new ChainSimulator({
      validators: 16,
      extraValidators: [
        { pubkey: interopSecretKey(900).toPublicKey().toBytes(), withdrawalCredentials: payee, balance: 33e9 },
      ],
    });
    const { port } = server.address() as { port: number };
    const bridge = await createEvmBridge({
      chain: sim.chain,
      logger: pino({ level: "silent" }),
      rpcUrl: `http://127.0.0.1:${port}`,
      depositContract: `0x${"22".repeat(20)}`,
    });
    assert.equal(bridge.withdrawalRequestSupport, "native", "code present at the 7002 address");
    let block = sim.chain.head;
    while (block.signedBlock.message.body.executionPayload.withdrawals.length === 0) {
      sim.step();
      block = sim.chain.head;
    }
    const withdrawals = block.signedBlock.message.body.executionPayload.withdrawals;
    assert.equal(withdrawals.length, 1);
    await assert.rejects(bridge.afterBlock(block), (e: DevnetError) => {
      assert.equal(e.type.code, "ERR_DEVNET_EL_RPC");
      assert.equal((e.type as { method: string }).method, "hardhat_setBalance");
      return true;
    });
    assert.equal(bridge.unreflectedBlocks, 1);
    await bridge.beforeSlot();
    assert.equal(bridge.unreflectedBlocks, 0);
    const amountWei = BigInt((withdrawals[0] as { amount: bigint | number }).amount) * 1_000_000_000n;
    assert.ok(amountWei > 9n * 10n ** 17n, "the ~1 ETH excess is withdrawn");
    assert.equal(node.balances.get(`0x${"aa".repeat(20)}`), amountWei, "credited exactly once");
    const storageWrites = node.calls.filter((c) => c.method === "hardhat_setStorageAt");
    assert.equal(storageWrites.length, 2, "timestamp and root written once");
    assert.equal(storageWrites[1]?.params[2], block.parentRootHex);
  });
});
