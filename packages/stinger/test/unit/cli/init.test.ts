import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadIdentity } from "../../../src/identity/identity.ts";

const BIN = new URL("../../../bin/stinger.js", import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), "stinger-cli-"));
after(() => rmSync(root, { recursive: true, force: true }));

function stinger(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

describe("stinger init", () => {
  it("creates an identity from a password file, imports a seed, and refuses to overwrite", async () => {
    const dataDir = join(root, "node");
    const pw = join(root, "pw");
    writeFileSync(pw, "cli test password\n");
    const seedFile = join(root, "seed");
    writeFileSync(seedFile, "33".repeat(32));
    const args = [
      "init",
      "--data-dir",
      dataDir,
      "--password-file",
      pw,
      "--el-address",
      "0x52908400098527886e0f7030069857d2e4169ee7",
    ];
    const first = stinger([...args, "--import-key", seedFile]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /peer id: +12D3KooW/);
    const identity = await loadIdentity(dataDir, "cli test password");
    assert.match(first.stdout, new RegExp(identity.peerId.toString()));
    assert.ok(!readFileSync(join(dataDir, "identity-keystore.json"), "utf8").includes("33".repeat(32)));
    const again = stinger(args);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /^error: an operator identity already exists at .*\nhint: Use that identity/);
    const noPassword = stinger([
      "init",
      "--data-dir",
      join(root, "other"),
      "--el-address",
      "0x52908400098527886e0f7030069857d2e4169ee7",
    ]);
    assert.equal(noPassword.status, 2);
    assert.match(noPassword.stderr, /^error: no identity keystore password: .*\nhint: Pass --password-file/);
  });
});
