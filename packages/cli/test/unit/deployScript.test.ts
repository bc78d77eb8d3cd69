import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { CONTRACTS_DIR, DEPLOY_SCRIPT } from "../../src/devnet/paths.ts";
import { runProcess } from "../../src/devnet/processes.ts";

const dir = mkdtempSync(join(tmpdir(), "nektar-deploy-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function deployFails(args: string[], env: NodeJS.ProcessEnv, pattern: RegExp) {
  await assert.rejects(
    runProcess({ role: "deploy", args: [DEPLOY_SCRIPT, ...args], cwd: CONTRACTS_DIR, logsDir: join(dir, "logs"), env }),
    (e: unknown) => e instanceof Error && pattern.test(e.message),
  );
}

describe("contracts/scripts/deploy.ts refuses bad input without writing a manifest", () => {
  const manifest = join(dir, "manifest.json");
  it("an unreachable RPC", () =>
    deployFails(["--rpc", "http://127.0.0.1:1", "--manifest", manifest], {}, /cannot reach/));
  it("a malformed deployer key", () =>
    deployFails(
      ["--rpc", "http://127.0.0.1:1", "--manifest", manifest],
      { DEPLOYER_PRIVATE_KEY: "0x12" },
      /not a 32-byte hex key/,
    ));
  it("a bad address option", () =>
    deployFails(["--rpc", "http://127.0.0.1:1", "--manifest", manifest, "--reporter", "0x12"], {}, /not an address/));
  it("a missing required option", () =>
    deployFails(["--rpc", "http://127.0.0.1:1"], {}, /required option '--manifest <file>'/));
  it("left nothing behind", () => assert.deepEqual(readdirSync(dir), ["logs"]));
});
