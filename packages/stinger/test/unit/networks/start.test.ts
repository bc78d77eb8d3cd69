import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Registry } from "prom-client";
import type { PublicClient, WalletClient } from "viem";
import { createLogger } from "../../../src/logger/logger.ts";
import { parseNetworksConfig } from "../../../src/networks/config.ts";
import { NETWORK_KEYSTORE_FILE } from "../../../src/networks/networkKey.ts";
import { NETWORK_PROTECTION_FILE } from "../../../src/networks/protection.ts";
import { startNetworkModules } from "../../../src/networks/start.ts";
import { MemoryBus } from "./memoryBus.ts";

const PASSWORD = "correct horse battery";

/** A module file that records what its context carried, and one whose creation throws. */
const GOOD = `export default {
  name: "good",
  description: "records its context",
  create: async (ctx) => {
    globalThis.__started = { name: ctx.name, publicKey: ctx.key.publicKey, topic: ctx.topic.name };
    ctx.protection.check(5n, "0x${"ab".repeat(32)}");
    return { onEpoch: async () => {} };
  },
};
`;
const CRASHING = `export default { name: "crashing", description: "d", create: async () => { throw new Error("boom"); } };\n`;

describe("startNetworkModules: networks.json to running modules", () => {
  it("starts enabled modules with a keystore and protection of their own; a broken one is left out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netstart-"));
    try {
      writeFileSync(join(dir, "good.mjs"), GOOD);
      writeFileSync(join(dir, "crashing.mjs"), CRASHING);
      const contract = "0x00000000000000000000000000000000000000c0";
      const entries = parseNetworksConfig({
        networks: [
          { module: join(dir, "good.mjs"), contract, networkId: "1" },
          { module: join(dir, "crashing.mjs"), contract, networkId: "2" },
          { module: join(dir, "missing.mjs"), contract, networkId: "3" },
          { module: join(dir, "good.mjs"), name: "off", contract, networkId: "4", enabled: false },
        ],
      });
      const lines: string[] = [];
      const start = () =>
        startNetworkModules({
          entries,
          dataDir: join(dir, "data"),
          password: PASSWORD,
          pubsub: new MemoryBus().join("me"),
          publicClient: {} as PublicClient,
          walletClient: {} as WalletClient,
          operator: "0x0000000000000000000000000000000000000001",
          registry: "0x00000000000000000000000000000000000000aa",
          chainId: 31337,
          logger: createLogger({ level: "info", destination: { write: (s: string) => void lines.push(s) } }),
          metrics: new Registry(),
          resolvePeer: async () => undefined,
        });
      const host = await start();
      assert.deepEqual(
        host.status().map((s) => s.name),
        ["good"],
        "the crashing, missing and disabled modules are not running",
      );
      const started = (globalThis as { __started?: { name: string; publicKey: Uint8Array; topic: string } }).__started;
      assert.equal(started?.name, "good");
      assert.match(started?.topic ?? "", /^\/nektar\/network\/31337\/0x0+aa\/1\/good\/1$/);
      const moduleDir = join(dir, "data", "networks", "good");
      assert.equal(statSync(join(moduleDir, NETWORK_KEYSTORE_FILE)).mode & 0o777, 0o600);
      assert.ok(existsSync(join(moduleDir, NETWORK_PROTECTION_FILE)), "the module's own slashing protection");
      assert.ok(!existsSync(join(dir, "data", "networks", "off")), "a disabled module gets no key");
      const keystore = JSON.parse(readFileSync(join(moduleDir, NETWORK_KEYSTORE_FILE), "utf8")) as { pubkey: string };
      assert.equal(keystore.pubkey, Buffer.from(started?.publicKey ?? []).toString("hex"));
      const log = lines.join("");
      assert.match(log, /Network key created/);
      assert.match(log, /"module":"crashing"/, "the crashing module is reported under its name");
      assert.match(log, /"module":"networks"/);
      await host.stop();

      // Restarted: the same key is loaded (not created again) and the recorded statement still binds.
      lines.length = 0;
      const again = await start();
      assert.deepEqual(
        (globalThis as { __started?: { publicKey: Uint8Array } }).__started?.publicKey,
        started?.publicKey,
      );
      assert.doesNotMatch(lines.join(""), /Network key created/);
      await again.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
