import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type MarketplaceServer, serveMarketplace } from "../../server/serve.ts";

let dist: string;
let server: MarketplaceServer;
const calls: unknown[] = [];

before(async () => {
  dist = mkdtempSync(join(tmpdir(), "marketplace-dist-"));
  mkdirSync(join(dist, "assets"));
  writeFileSync(join(dist, "index.html"), "<!doctype html><title>t</title>");
  writeFileSync(join(dist, "assets", "app.js"), "export {};");
  server = await serveMarketplace({
    port: 0,
    dist,
    config: { manifest: { network: "devnet" } },
    rpc: async (body) => {
      calls.push(body);
      return Array.isArray(body)
        ? body.map((c: { id: number }) => ({ jsonrpc: "2.0", id: c.id, result: "0x1" }))
        : { jsonrpc: "2.0", id: 1, result: "0x1" };
    },
  });
});
after(() => server.close());

describe("serveMarketplace", () => {
  it("serves the build and a config.json whose rpcUrl is its own same-origin proxy", async () => {
    const index = await fetch(`${server.url}/`);
    assert.equal(index.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(
      (await fetch(`${server.url}/assets/app.js`)).headers.get("content-type"),
      "text/javascript; charset=utf-8",
    );
    const config = (await (await fetch(`${server.url}/config.json`)).json()) as Record<string, unknown>;
    assert.deepEqual(config, { manifest: { network: "devnet" }, rpcUrl: `${server.url}/rpc` });
    assert.equal((await fetch(`${server.url}/missing.js`)).status, 404);
  });

  it("proxies JSON-RPC calls and batches, refuses bad bodies and other methods", async () => {
    const post = (body: string) =>
      fetch(`${server.url}/rpc`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const batch = await post(JSON.stringify([{ jsonrpc: "2.0", id: 7, method: "eth_chainId" }]));
    assert.deepEqual(await batch.json(), [{ jsonrpc: "2.0", id: 7, result: "0x1" }]);
    assert.equal(calls.length, 1);
    const bad = await post("{not json");
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: number } }).error.code, -32700);
    assert.equal((await fetch(`${server.url}/index.html`, { method: "DELETE" })).status, 405);
  });

  it("never serves a file outside the build", async () => {
    const res = await fetch(`${server.url}/..%2f..%2fetc%2fpasswd`);
    assert.ok(res.status === 403 || res.status === 404, `status ${res.status}`);
    assert.notEqual(res.status, 200);
  });

  it("refuses to start without a build", async () => {
    await assert.rejects(
      serveMarketplace({ port: 0, dist: join(dist, "nope"), config: {}, rpc: "http://127.0.0.1:1" }),
      /npm run build -w apps\/marketplace/,
    );
  });
});
