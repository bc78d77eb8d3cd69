import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { privateKeyToAccount } from "viem/accounts";
import { KeyFileError, loadKeyFile } from "../../src/index.ts";

const dir = mkdtempSync(join(tmpdir(), "nektar-sdk-keyfile-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const KEY = `0x${"11".repeat(32)}` as const;

function file(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, mode); // explicit: the mode given at creation is filtered by the umask
  return path;
}

function keyFileError(reason: RegExp, secret?: string) {
  return (e: unknown) =>
    e instanceof KeyFileError &&
    e.type.code === "ERR_KEY_FILE" &&
    reason.test(e.type.reason) &&
    e.hint !== undefined &&
    (secret === undefined || !e.message.includes(secret));
}

describe("loadKeyFile", () => {
  it("loads the account of a 0600 file holding one hex key (surrounding whitespace allowed)", () => {
    const account = loadKeyFile(file("ok", `${KEY}\n`));
    assert.equal(account.address, privateKeyToAccount(KEY).address);
    assert.equal(loadKeyFile(file("owner-only", ` ${KEY} `, 0o400)).address, account.address);
  });

  it("refuses a file group or others may read or write, before reading it", () => {
    for (const mode of [0o644, 0o640, 0o604, 0o620, 0o602]) {
      assert.throws(
        () => loadKeyFile(file(`open-${mode.toString(8)}`, KEY, mode)),
        keyFileError(/permissions too open \(mode 0\d{3}\): run chmod 600/, KEY.slice(2)),
        mode.toString(8),
      );
    }
  });

  it("refuses a missing file", () => {
    assert.throws(() => loadKeyFile(join(dir, "missing")), keyFileError(/^not found$/));
  });

  it("refuses content that is not one private key, without echoing it", () => {
    const cases: [string, string][] = [
      ["short", `0x${"ab".repeat(31)}`],
      ["no-prefix", "ab".repeat(32)],
      ["two-keys", `${KEY}\n${KEY}`],
      ["mnemonic", "test test test test test test test test test test test junk"],
    ];
    for (const [name, text] of cases) {
      assert.throws(() => loadKeyFile(file(name, text)), keyFileError(/0x-prefixed 32-byte hex/, text), name);
    }
    assert.throws(
      () => loadKeyFile(file("zero", `0x${"00".repeat(32)}`)),
      keyFileError(/not a valid secp256k1 private key/, "0".repeat(64)),
    );
  });
});
