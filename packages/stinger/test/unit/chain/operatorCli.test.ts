import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";

const STINGER_BIN = new URL("../../../bin/stinger.js", import.meta.url).pathname;
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "stinger-operator-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const key = join(dir, "owner.key");
writeFileSync(key, `0x${"11".repeat(32)}\n`, { mode: 0o600 });
const openKey = join(dir, "open.key");
writeFileSync(openKey, `0x${"11".repeat(32)}\n`, { mode: 0o644 });

async function stinger(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run(process.execPath, [STINGER_BIN, ...args], { encoding: "utf8" });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : 1, out: (err.stdout ?? "") + (err.stderr ?? "") };
  }
}

describe("stinger operator: bad input is refused before anything reaches the chain", () => {
  it("lists its subcommands in --help", async () => {
    const r = await stinger(["operator", "--help"]);
    assert.equal(r.code, 0);
    for (const c of ["register", "bond", "unbond", "status", "follow"]) assert.match(r.out, new RegExp(`\\b${c}\\b`));
  });

  it("rejects amounts, ids, addresses, fork versions and open key files with clear errors", async () => {
    const cases: [string[], RegExp][] = [
      [["bond", "--owner-key-file", key, "--amount", "abc"], /ERR_INVALID_AMOUNT|not a decimal number/],
      [["bond", "--owner-key-file", key, "--amount", "0"], /ERR_INVALID_AMOUNT|greater than zero/],
      [
        ["bond", "--owner-key-file", key, "--amount", "1", "--asset", "DOGE"],
        /Allowed choices are ETH, divETH, wdivETH/,
      ],
      [["unbond", "--owner-key-file", key, "--units", "0"], /ERR_INVALID_ID|bond units/],
      [["unbond", "--owner-key-file", key, "--units", "1", "--recipient", "0x1234"], /ERR_INVALID_ADDRESS|recipient/],
      [["bond", "--owner-key-file", openKey, "--amount", "1"], /ERR_KEY_FILE.*chmod 600/],
      [["bond", "--amount", "1"], /required option '--owner-key-file <file>' not specified/],
      [["status", "--chain-id", "-3"], /must be a positive integer/],
      [["follow", "--signer-key-file", key, "--fork-version", "0x01"], /must be 0x-prefixed hex of 4 bytes/],
      [["status", "--manifest", join(dir, "missing.json")], /ERR_MANIFEST|manifest/i],
    ];
    for (const [args, expected] of cases) {
      const r = await stinger(["operator", ...args]);
      assert.notEqual(r.code, 0, `${args.join(" ")} must fail`);
      assert.match(r.out, expected, `${args.join(" ")}: ${r.out}`);
      assert.doesNotMatch(r.out, /1111111111111111/, "never echoes key material");
    }
  });
});
