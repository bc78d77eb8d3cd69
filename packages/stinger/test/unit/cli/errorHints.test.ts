import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LodestarError } from "@lodestar/utils";
import { formatCliError } from "@nektar/sdk";
import { STINGER_ERROR_HINTS } from "../../../src/cli/errorHints.ts";

const PACKAGES = new URL("../../../../", import.meta.url).pathname;

/** Every `code: "ERR_…"` an error type of these source trees declares: the list a new code joins by being written. */
function declaredCodes(...dirs: string[]): Set<string> {
  const codes = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) {
        for (const m of readFileSync(path, "utf8").matchAll(/\{\s*code: "(ERR_[A-Z0-9_]+)"/g))
          codes.add(m[1] as string);
      }
    }
  };
  for (const dir of dirs) walk(join(PACKAGES, dir));
  return codes;
}

// Errors of the SDK (BaseError) carry their own hints and are checked in the SDK; these are the Lodestar-style ones.
const codes = declaredCodes("stinger/src", "crypto/src");

describe("STINGER_ERROR_HINTS: no code without a next step", () => {
  it("finds the codes it checks (the scan works)", () => {
    for (const code of ["ERR_IDENTITY_NOT_FOUND", "ERR_CHAIN_CURSOR_INVALID", "ERR_KEYSTORE_WRONG_PASSWORD"]) {
      assert.ok(codes.has(code), code);
    }
    assert.ok(codes.size >= 60, `${codes.size} codes`);
  });

  it("has an entry for every code Stinger and the crypto package declare, and none for a code that is gone", () => {
    const table = new Set(Object.keys(STINGER_ERROR_HINTS));
    assert.deepEqual([...codes].filter((c) => !table.has(c)).sort(), [], "codes without a hint");
    assert.deepEqual([...table].filter((c) => !codes.has(c)).sort(), [], "hints of codes that no longer exist");
  });

  it("every hint is a sentence and every message renders from metadata", () => {
    for (const [code, entry] of Object.entries(STINGER_ERROR_HINTS)) {
      assert.match(entry.hint, /^[A-Z`].{10,}[.)]$/, `${code}: hint "${entry.hint}"`);
      // Any metadata shape renders (missing fields read as "undefined", never throw): the printer must not fail.
      const metadata = new Proxy({}, { get: (_, key) => (key === "missing" ? [1, 2] : `<${String(key)}>`) });
      const message = (entry.message as (m: unknown) => string)(metadata);
      assert.ok(message.length > 5 && !message.includes("ERR_"), `${code}: "${message}"`);
    }
  });

  it("prints a typed Stinger error as message and hint, bad input with exit 2", () => {
    const notFound = new LodestarError({ code: "ERR_IDENTITY_NOT_FOUND", path: "/d/operator.json" });
    const r = formatCliError(notFound, { json: false, verbose: false, hints: STINGER_ERROR_HINTS });
    assert.deepEqual(r.stderr, [
      "error: no operator identity at /d/operator.json",
      `hint: ${STINGER_ERROR_HINTS.ERR_IDENTITY_NOT_FOUND.hint}`,
    ]);
    assert.equal(r.exitCode, 2);
    const timeout = new LodestarError({ code: "ERR_CEREMONY_TIMEOUT", phase: "deal", missing: [2, 5], timeoutMs: 9 });
    const t = formatCliError(timeout, { json: true, verbose: false, hints: STINGER_ERROR_HINTS });
    assert.equal(t.exitCode, 1);
    assert.deepEqual(JSON.parse(t.stdout[0] as string).error, {
      code: "ERR_CEREMONY_TIMEOUT",
      message: "ceremony deal timed out after 9 ms, missing operators 2,5",
      hint: STINGER_ERROR_HINTS.ERR_CEREMONY_TIMEOUT.hint,
      phase: "deal",
      missing: [2, 5],
      timeoutMs: 9,
    });
  });
});
