import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { SDK_ERROR_HINTS } from "@nektar/sdk";
import { runStinger } from "@nektar/stinger/cli";
import { NEKTAR_ERROR_HINTS } from "../../src/errors.ts";
import { runCli } from "../../src/main.ts";

const dir = mkdtempSync(join(tmpdir(), "nektar-operator-alias-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const key = join(dir, "owner.key");
writeFileSync(key, `0x${"11".repeat(32)}\n`, { mode: 0o600 });
const openKey = join(dir, "open.key");
writeFileSync(openKey, `0x${"11".repeat(32)}\n`, { mode: 0o644 });

type Run = { code: number; out: string; err: string };
const capture = async (run: (io: { out(l: string): void; err(l: string): void }) => Promise<number>): Promise<Run> => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run({ out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
};
const nektar = (...argv: string[]) => capture((io) => runCli(argv, io));
const stinger = (...argv: string[]) => capture((io) => runStinger(argv, io));

const SUBCOMMANDS = ["register", "bond", "unbond", "pause", "unpause", "status", "follow"];

describe("nektar operator is stinger operator", () => {
  it("every subcommand has the same flags and help (only the program name differs)", async () => {
    for (const sub of SUBCOMMANDS) {
      const n = await nektar("operator", sub, "--help");
      const s = await stinger("operator", sub, "--help");
      assert.equal(n.code, 0, n.err);
      assert.equal(s.code, 0, s.err);
      assert.match(n.out, new RegExp(`^Usage: nektar operator ${sub} `));
      assert.equal(n.out.replace(/^Usage: nektar /, "Usage: stinger "), s.out, sub);
    }
    const list = await nektar("operator", "--help");
    for (const sub of SUBCOMMANDS) assert.match(list.out, new RegExp(`\\b${sub}\\b`));
  });

  it("answers bad input identically, with exit code 2, before any key file is read or chain reached", async () => {
    const manifest = join(dir, "absent-manifest.json");
    const cases: [string[], RegExp][] = [
      [
        ["bond", "--owner-key-file", key, "--amount", "abc"],
        /^error: invalid amount "abc": not a decimal number\nhint: /,
      ],
      [
        ["bond", "--owner-key-file", key, "--amount", "1", "--asset", "BTC"],
        /Allowed choices are ETH, divETH, wdivETH/,
      ],
      [["bond", "--amount", "1"], /required option '--owner-key-file <file>' not specified/],
      [["unbond", "--owner-key-file", key], /^error: give exactly one of --units <n> or --all\nhint: /],
      [["unbond", "--owner-key-file", key, "--units", "0"], /invalid number of bond units "0"/],
      [["pause", "--owner-key-file", key, "--operator-id", "abc"], /invalid operator id "abc"/],
      [["status", "--operator-id", "1.5"], /invalid operator id "1.5"/],
      [["register", "--owner-key-file", key, "--signer", "bob"], /invalid signer address "bob"/],
      [["bond", "--owner-key-file", openKey, "--amount", "1"], /permissions too open.*\nhint: .*chmod 600/],
      [["status", "--operator-id", "1", "--manifest", manifest], /^error: manifest .*absent-manifest\.json/],
      [["nope"], /unknown command 'nope'/],
    ];
    for (const [args, expected] of cases) {
      const n = await nektar("operator", ...args);
      const s = await stinger("operator", ...args);
      assert.equal(n.code, 2, `nektar operator ${args.join(" ")}: ${n.err}`);
      assert.equal(s.code, 2, `stinger operator ${args.join(" ")}: ${s.err}`);
      assert.match(n.err, expected);
      assert.equal(n.err, s.err.replaceAll("stinger", "nektar"), args.join(" "));
      assert.doesNotMatch(n.err + n.out, /1111111111111111/, "never echoes key material");
    }
  });

  it("hands nektar's own --manifest, --rpc and --json back to the command", async () => {
    const manifest = join(dir, "given.json");
    const r = await nektar("--json", "--manifest", manifest, "operator", "status", "--operator-id", "1");
    assert.equal(r.code, 2);
    assert.equal(r.err, "");
    const { error } = JSON.parse(r.out);
    assert.equal(error.code, "ERR_MANIFEST");
    assert.equal(error.path, manifest);
  });

  it("refuses nektar's signing-account flags: the operator commands sign with --owner-key-file", async () => {
    for (const flags of [
      ["--account", "3"],
      ["--private-key-file", key],
    ]) {
      const r = await nektar(...flags, "operator", "bond", "--owner-key-file", key, "--amount", "1");
      assert.equal(r.code, 2);
      assert.match(r.err, new RegExp(`^error: nektar operator does not take ${flags[0]}\nhint: .*--owner-key-file`));
    }
  });
});

describe("nektar's error codes", () => {
  it("every code the SDK and the nektar CLI declare has a next step", () => {
    const codes = new Set<string>();
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const path = join(d, e.name);
        if (e.isDirectory()) walk(path);
        else if (e.name.endsWith(".ts")) {
          for (const m of readFileSync(path, "utf8").matchAll(/\{\s*code: "(ERR_[A-Z0-9_]+)"/g))
            codes.add(m[1] as string);
        }
      }
    };
    for (const d of ["../../src", "../../../sdk/src"]) walk(new URL(d, import.meta.url).pathname);
    assert.ok(codes.has("ERR_DEVNET_RUNNING") && codes.has("ERR_INVALID_AMOUNT"), "the scan finds codes");
    const hinted = new Set([...Object.keys(SDK_ERROR_HINTS), ...Object.keys(NEKTAR_ERROR_HINTS)]);
    assert.deepEqual([...codes].filter((c) => !hinted.has(c)).sort(), []);
  });
});
