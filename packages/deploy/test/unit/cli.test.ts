import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { runDeploy } from "../../src/cli.ts";

const BIN = fileURLToPath(new URL("../../bin/nektar-deploy.js", import.meta.url));
const KEY = `0x${"11".repeat(32)}`;
const dir = mkdtempSync(join(tmpdir(), "nektar-deploy-"));
const manifest = join(dir, "manifest.json");

/** A JSON-RPC endpoint on 127.0.0.1 that serves `chainId` and records every method it is asked for. */
let chainId = 1;
const methods: string[] = [];
let server: Server;
let rpc: string;
before(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      const calls = [JSON.parse(body)].flat() as { id: number; method: string }[];
      const replies = calls.map(({ id, method }) => {
        methods.push(method);
        return method === "eth_chainId"
          ? { jsonrpc: "2.0", id, result: `0x${chainId.toString(16)}` }
          : { jsonrpc: "2.0", id, error: { code: -32601, message: `${method} is not served here` } };
      });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(Array.isArray(JSON.parse(body)) ? replies : replies[0]));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  rpc = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  methods.length = 0;
  chainId = 1;
});

async function deploy(...argv: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await runDeploy(argv, { out: () => {}, err: (l) => err.push(l) });
  return { code, err: err.join("\n") };
}

function keyFile(name: string, content: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

describe("nektar-deploy refuses bad flags without writing a manifest", () => {
  it("--private-key does not exist: keys come from a file", async () => {
    const r = await deploy("--rpc", rpc, "--manifest", manifest, "--private-key", KEY);
    assert.equal(r.code, 1);
    assert.match(r.err, /unknown option '--private-key'/);
  });
  it("a missing required option", async () => {
    const r = await deploy("--rpc", rpc);
    assert.equal(r.code, 1);
    assert.match(r.err, /required option '--manifest <file>'/);
  });
  it("a bad address option", async () => {
    const r = await deploy("--rpc", rpc, "--manifest", manifest, "--deposit-contract", "0x12");
    assert.equal(r.code, 1);
    assert.match(r.err, /--deposit-contract <address>' argument '0x12' is invalid. not an address/);
  });
  it("an unreachable RPC", async () => {
    const r = await deploy("--rpc", "http://127.0.0.1:1", "--manifest", manifest);
    assert.equal(r.code, 1);
    assert.match(r.err, /^error: cannot reach http:\/\/127\.0\.0\.1:1\nhint: Check the JSON-RPC URL/);
  });
  it("no request reached the chain and no manifest was written", () => {
    assert.deepEqual(methods, []);
    assert.equal(existsSync(manifest), false);
  });
});

describe("nektar-deploy reads the deployer's key only from a private file", () => {
  it("refuses a group- or world-readable key file before contacting the chain", async () => {
    for (const mode of [0o640, 0o604]) {
      const path = keyFile(`open-${mode.toString(8)}.key`, `${KEY}\n`, mode);
      const r = await deploy("--rpc", rpc, "--manifest", manifest, "--deployer-key-file", path);
      assert.equal(r.code, 2);
      assert.equal(
        r.err,
        `error: key file ${path}: permissions too open (mode 0${mode.toString(8)}): run chmod 600 on it\nhint: Run \`chmod 600 ${path}\`: only its owner may read a private key.`,
      );
    }
    assert.deepEqual(methods, []);
  });
  it("refuses a file that does not hold one private key, without echoing its content", async () => {
    const secret = `0x${"ab".repeat(31)}`;
    const path = keyFile("short.key", secret, 0o600);
    const r = await deploy("--rpc", rpc, "--manifest", manifest, "--deployer-key-file", path);
    assert.equal(r.code, 2);
    assert.match(r.err, /must hold one 0x-prefixed 32-byte hex private key\nhint: The file must hold one line/);
    assert.equal(r.err.includes(secret), false);
  });
  it("refuses a missing file", async () => {
    const r = await deploy("--rpc", rpc, "--manifest", manifest, "--deployer-key-file", join(dir, "absent.key"));
    assert.equal(r.code, 2);
    assert.match(r.err, /absent\.key: not found\nhint: Check the path/);
  });
  it("accepts a mode-600 key file and goes on to the chain", async () => {
    const path = keyFile("good.key", `${KEY}\n`, 0o600);
    chainId = 31_337;
    const r = await deploy("--rpc", rpc, "--manifest", manifest, "--deployer-key-file", path);
    // The fake node serves only eth_chainId: the deployment gets past the key and the chain id, then fails there.
    assert.equal(r.code, 1);
    assert.deepEqual(methods.slice(0, 2), ["eth_chainId", "eth_blockNumber"]);
    assert.equal(existsSync(manifest), false);
  });
});

describe("nektar-deploy deploys the devnet deposit contract only on a local chain", () => {
  for (const id of [1, 17_000, 11_155_111]) {
    it(`refuses chain ${id} before sending anything`, async () => {
      chainId = id;
      const r = await deploy("--rpc", rpc, "--manifest", manifest);
      // A missing --deposit-contract is bad input: exit 2, as every CLI of the project reports it.
      assert.equal(r.code, 2);
      assert.match(
        r.err,
        new RegExp(
          `^error: refusing to deploy the devnet deposit contract on chain ${id}: it is not a local chain \\(31337, 1337\\)\nhint: .*--deposit-contract <address>`,
        ),
      );
      assert.deepEqual(methods, ["eth_chainId"]);
      assert.equal(existsSync(manifest), false);
    });
  }
  it("goes on with the network's own deposit contract on that chain", async () => {
    const r = await deploy(
      "--rpc",
      rpc,
      "--manifest",
      manifest,
      "--deposit-contract",
      "0x00000000219ab540356cBB839Cbe05303d7705Fa",
    );
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.err, /refusing/);
    assert.ok(methods.length > 1, `only ${methods.join(", ")} was asked`);
  });
  it("the bin exits 2 with the error and its hint on stderr", async () => {
    const child = spawn(process.execPath, [BIN, "--rpc", rpc, "--manifest", manifest], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 2);
    assert.match(stderr, /^error: refusing to deploy the devnet deposit contract on chain 1/);
    assert.match(stderr, /\nhint: /);
  });
});
