import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runStinger } from "../../../src/cli/main.ts";

const dir = mkdtempSync(join(tmpdir(), "stinger-operator-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const key = join(dir, "owner.key");
writeFileSync(key, `0x${"11".repeat(32)}\n`, { mode: 0o600 });
const openKey = join(dir, "open.key");
writeFileSync(openKey, `0x${"11".repeat(32)}\n`, { mode: 0o644 });

/** Runs `stinger` in-process with captured output. */
async function stinger(args: string[]): Promise<{ code: number; out: string; stdout: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runStinger(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: [...out, ...err].join("\n"), stdout: out.join("\n") };
}

describe("stinger operator: bad input is refused before anything reaches the chain", () => {
  it("lists its subcommands in --help", async () => {
    const r = await stinger(["operator", "--help"]);
    assert.equal(r.code, 0);
    for (const c of [
      "register",
      "bond",
      "unbond",
      "pause",
      "unpause",
      "status",
      "strikes",
      "eject",
      "rewards",
      "claim",
      "leave",
      "follow",
    ])
      assert.match(r.out, new RegExp(`\\b${c}\\b`));
  });

  it("rejects amounts, ids, addresses, fork versions and open key files with clear errors", async () => {
    const cases: [string[], RegExp][] = [
      [["bond", "--owner-key-file", key, "--amount", "abc"], /error: invalid amount "abc": not a decimal number/],
      [["bond", "--owner-key-file", key, "--amount", "0"], /greater than zero/],
      [
        ["bond", "--owner-key-file", key, "--amount", "1", "--asset", "DOGE"],
        /Allowed choices are ETH, divETH, wdivETH/,
      ],
      [["unbond", "--owner-key-file", key, "--units", "0"], /invalid number of bond units "0"/],
      [["unbond", "--owner-key-file", key], /give exactly one of --units <n> or --all/],
      [["unbond", "--owner-key-file", key, "--units", "1", "--all"], /give exactly one of --units <n> or --all/],
      [["unbond", "--owner-key-file", key, "--units", "1", "--recipient", "0x1234"], /invalid recipient address/],
      [["pause", "--owner-key-file", key, "--operator-id", "x"], /invalid operator id "x"/],
      [["unpause", "--owner-key-file", key, "--operator-id", "-1"], /invalid operator id/],
      [["status", "--operator-id", "1.5"], /invalid operator id "1.5"/],
      [["strikes"], /required option '--operator-id <id>' not specified/],
      [["strikes", "--operator-id", "0x"], /invalid operator id "0x"/],
      [["eject", "--operator-id", "1"], /required option '--key-file <file>' not specified/],
      [["leave", "--owner-key-file", key], /required option '--validator <id>' not specified/],
      [["leave", "--owner-key-file", key, "--validator", "x"], /invalid validator id "x"/],
      [["leave", "--validator", "1"], /required option '--owner-key-file <file>' not specified/],
      [["rewards"], /required option '--operator-id <id>' not specified/],
      [["rewards", "--operator-id", "x"], /invalid operator id "x"/],
      [
        ["claim", "--operator-id", "1", "--owner-key-file", key],
        /required option '--distribution <file>' not specified/,
      ],
      [
        ["claim", "--operator-id", "1", "--owner-key-file", key, "--distribution", join(dir, "missing.json")],
        /cannot read the distribution file .*missing\.json.*\nhint: It is JSON/,
      ],
      [["eject", "--key-file", key, "--operator-id", "-2"], /invalid operator id/],
      [["eject", "--key-file", openKey, "--operator-id", "1"], /permissions too open.*\nhint: .*chmod 600/],
      [["register", "--owner-key-file", key, "--signer", "bob"], /invalid signer address "bob"/],
      [["register", "--owner-key-file", key, "--signer", key, "--signer-key-file", key], /not both/],
      [["register", "--owner-key-file", key, "--metadata-uri", "x".repeat(513)], /longer than 512 bytes/],
      [["register", "--owner-key-file", key, "--data-dir", dir], /error: no operator identity at .*\nhint: Create one/],
      [["bond", "--owner-key-file", openKey, "--amount", "1"], /permissions too open.*\nhint: .*chmod 600/],
      [["bond", "--amount", "1"], /required option '--owner-key-file <file>' not specified/],
      [["status", "--chain-id", "-3"], /expected a positive integer/],
      [["follow", "--signer-key-file", key, "--fork-version", "0x01"], /must be 0x-prefixed hex of 4 bytes/],
      [["status", "--operator-id", "1", "--manifest", join(dir, "missing.json")], /error: manifest .*missing\.json/],
    ];
    for (const [args, expected] of cases) {
      const r = await stinger(["operator", ...args]);
      assert.equal(r.code, 2, `${args.join(" ")} is bad input: ${r.out}`);
      assert.match(r.out, expected, `${args.join(" ")}: ${r.out}`);
      assert.doesNotMatch(r.out, /1111111111111111/, "never echoes key material");
    }
  });

  it("--json answers a failure with one JSON object on stdout", async () => {
    const r = await stinger(["operator", "bond", "--owner-key-file", openKey, "--amount", "1", "--json"]);
    assert.equal(r.code, 2);
    const { error } = JSON.parse(r.stdout);
    assert.equal(error.code, "ERR_KEY_FILE");
    assert.equal(error.path, openKey);
    assert.match(error.hint, /chmod 600/);
  });
});
