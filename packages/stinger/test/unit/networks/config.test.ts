import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseNetworksConfig } from "../../../src/networks/config.ts";
import { NetworkModuleError } from "../../../src/networks/errors.ts";
import { loadModuleDefinition } from "../../../src/networks/load.ts";

const contract = "0x00000000000000000000000000000000000000c0";
const reason = (e: unknown) =>
  e instanceof NetworkModuleError && e.type.code === "ERR_NETWORK_MODULE_INVALID" ? e.type.reason : "";

describe("networks.json and module loading", () => {
  it("parses enabled and disabled entries with their options", () => {
    const entries = parseNetworksConfig({
      networks: [
        { module: "@nektar/finality-network/module", contract, networkId: "3", options: { registerKey: true } },
        { module: "./other.ts", name: "other", contract, networkId: 4, enabled: false },
      ],
    });
    assert.equal(entries.length, 2);
    assert.equal(entries[0]?.networkId, 3n);
    assert.equal(entries[0]?.enabled, true);
    assert.deepEqual(entries[0]?.options, { registerKey: true });
    assert.equal(entries[1]?.enabled, false);
    assert.equal(entries[1]?.name, "other");
  });

  it("names what to fix in a bad entry", () => {
    assert.throws(
      () => parseNetworksConfig({}),
      (e) => /"networks"/.test(reason(e)),
    );
    assert.throws(
      () => parseNetworksConfig({ networks: [{ module: "m", contract: "0x12", networkId: "1" }] }),
      (e) => /"contract"/.test(reason(e)),
    );
    assert.throws(
      () => parseNetworksConfig({ networks: [{ module: "m", contract, networkId: "0" }] }),
      (e) => /"networkId"/.test(reason(e)),
    );
    assert.throws(
      () => parseNetworksConfig({ networks: [{ module: "m", contract, networkId: "1", enabled: "yes" }] }),
      (e) => /"enabled"/.test(reason(e)),
    );
  });

  it("loads a module file's definition and refuses a file that is not one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netmod-"));
    try {
      writeFileSync(
        join(dir, "good.mjs"),
        'export default { name: "good", description: "d", create: async () => ({}) };\n',
      );
      writeFileSync(join(dir, "bad.mjs"), "export default 42;\n");
      assert.equal((await loadModuleDefinition("./good.mjs", dir)).name, "good");
      await assert.rejects(loadModuleDefinition("./bad.mjs", dir), (e) => /NetworkModuleDefinition/.test(reason(e)));
      await assert.rejects(loadModuleDefinition("./missing.mjs", dir), (e) => /cannot import/.test(reason(e)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
