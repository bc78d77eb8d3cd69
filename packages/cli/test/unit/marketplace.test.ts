import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startNetwork } from "@nektar/sdk/testing";
import { DEVNET_MNEMONIC } from "../../src/devnet/accounts.ts";
import { marketplaceAccounts, startMarketplace } from "../../src/devnet/marketplace.ts";

let net: Awaited<ReturnType<typeof startNetwork>>;
let rpc: { url: string; close: () => Promise<void> };
let dist: string;

before(async () => {
  net = await startNetwork();
  rpc = await net.serveHttp();
  dist = mkdtempSync(join(tmpdir(), "marketplace-"));
  writeFileSync(join(dist, "index.html"), "<!doctype html>");
});
after(async () => {
  await rpc.close();
  await net.close();
});

describe("devnet marketplace", () => {
  it("labels the devnet accounts by role", () => {
    assert.deepEqual(marketplaceAccounts(1, 2), [
      { index: 0, label: "deployer, Distributor curator" },
      { index: 1, label: "staker 1" },
      { index: 19, label: "Distributor holder" },
      { index: 20, label: "operator #1 owner" },
      { index: 21, label: "operator #2 owner" },
    ]);
  });

  it("serves the app's config (manifest, development mode) and proxies the devnet's JSON-RPC", async () => {
    const manifest = { ...net.manifest, rpcUrl: rpc.url };
    const server = await startMarketplace(manifest, { port: 0, stakers: 2, operators: 16, dist });
    assert.ok(server);
    try {
      const config = (await (await fetch(`${server.url}/config.json`)).json()) as {
        manifest: { chainId: number; contracts: Record<string, string> };
        rpcUrl: string;
        devnet: { mnemonic: string; accounts: unknown[] };
      };
      assert.equal(config.manifest.chainId, manifest.chainId);
      assert.equal(config.manifest.contracts.stakingPool, manifest.contracts.stakingPool);
      assert.equal(config.rpcUrl, `${server.url}/rpc`);
      assert.equal(config.devnet.mnemonic, DEVNET_MNEMONIC);
      assert.equal(config.devnet.accounts.length, 1 + 2 + 1 + 16);
      const reply = await fetch(config.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      assert.deepEqual(await reply.json(), { jsonrpc: "2.0", id: 1, result: "0x7a69" });
    } finally {
      await server.close();
    }
  });

  it("says so and serves nothing when the build is missing", async () => {
    const events: string[] = [];
    const server = await startMarketplace(net.manifest, {
      port: 0,
      stakers: 1,
      operators: 16,
      dist: join(dist, "missing"),
      onEvent: (e) => events.push(e),
    });
    assert.equal(server, undefined);
    assert.match(events.join("\n"), /npm run build -w apps\/marketplace/);
  });
});
