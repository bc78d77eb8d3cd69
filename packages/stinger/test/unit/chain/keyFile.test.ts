import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ChainError } from "../../../src/chain/errors.ts";
import { loadKeyFile } from "../../../src/chain/keyFile.ts";

const dir = mkdtempSync(join(tmpdir(), "stinger-keyfile-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text, { mode });
  return path;
}

const isCode = (code: string) => (e: unknown) => e instanceof ChainError && e.type.code === code;

describe("signer key file", () => {
  it("loads a 0x hex private key", () => {
    const account = loadKeyFile(file("ok", `0x${"11".repeat(32)}\n`));
    assert.equal(account.address, "0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A");
  });

  it("refuses a key readable by others", () => {
    assert.throws(
      () => loadKeyFile(file("open", `0x${"11".repeat(32)}`, 0o644)),
      isCode("ERR_CHAIN_SIGNER_KEY_INVALID"),
    );
  });

  it("refuses malformed or out-of-range keys and missing files, without echoing the content", () => {
    for (const [name, text] of [
      ["short", "0x1234"],
      ["nohex", "zz".repeat(32)],
      ["zero", `0x${"00".repeat(32)}`],
    ] as const) {
      assert.throws(
        () => loadKeyFile(file(name, text)),
        (e: unknown) => isCode("ERR_CHAIN_SIGNER_KEY_INVALID")(e) && !(e as Error).message.includes(text),
      );
    }
    assert.throws(() => loadKeyFile(join(dir, "missing")), isCode("ERR_CHAIN_SIGNER_KEY_INVALID"));
  });
});
