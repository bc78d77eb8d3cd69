import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ConfigError, DEFAULT_CONFIG, resolveConfig } from "../../../src/config/config.ts";

const dir = mkdtempSync(join(tmpdir(), "stinger-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("resolveConfig", () => {
  it("applies defaults < file < environment < flags", () => {
    const file = join(dir, "c.json");
    writeFileSync(file, JSON.stringify({ dataDir: "/from/file", metricsPort: 9100, logLevel: "debug" }));
    const cfg = resolveConfig({
      file,
      env: { STINGER_DATA_DIR: "/from/env", STINGER_DKG_ROUND_TIMEOUT_MS: "2500" },
      flags: { dataDir: "/from/flags" },
    });
    assert.equal(cfg.dataDir, "/from/flags");
    assert.equal(cfg.metrics.port, 9100);
    assert.equal(cfg.logLevel, "debug");
    assert.equal(cfg.dkg.roundTimeoutMs, 2500);
    assert.equal(cfg.dkg.joinTimeoutMs, DEFAULT_CONFIG.dkg.joinTimeoutMs);
    assert.deepEqual(resolveConfig({ env: { STINGER_LISTEN: "/ip4/127.0.0.1/tcp/1, /ip4/127.0.0.1/tcp/2" } }).listen, [
      "/ip4/127.0.0.1/tcp/1",
      "/ip4/127.0.0.1/tcp/2",
    ]);
  });

  it("rejects unknown keys and bad values with the key and source named", () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ dataDirr: "x" }));
    const is = (key: string, source: string) => (e: unknown) =>
      e instanceof ConfigError && e.type.key === key && e.type.source === source;
    assert.throws(() => resolveConfig({ file }), is("dataDirr", file));
    assert.throws(() => resolveConfig({ env: { STINGER_METRICS_PORT: "70000" } }), is("metricsPort", "environment"));
    assert.throws(() => resolveConfig({ env: {}, flags: { listen: "not-a-multiaddr" } }), is("listen", "flags"));
    assert.throws(() => resolveConfig({ env: {}, flags: { logLevel: "loud" } }), is("logLevel", "flags"));
    assert.throws(() => resolveConfig({ env: {}, flags: { keystoreKdf: "md5" } }), is("keystoreKdf", "flags"));
  });
});
