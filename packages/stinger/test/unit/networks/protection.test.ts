import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import { SecretKey } from "@chainsafe/blst";
import { NetworkModuleError } from "../../../src/networks/errors.ts";
import { loadNetworkKey, loadOrCreateNetworkKey, NETWORK_KEYSTORE_FILE } from "../../../src/networks/networkKey.ts";
import { NETWORK_PROTECTION_FILE, StatementProtection } from "../../../src/networks/protection.ts";

const root = (b: number) => `0x${b.toString(16).padStart(2, "0").repeat(32)}` as const;

function code(e: unknown) {
  return e instanceof NetworkModuleError ? e.type.code : undefined;
}

describe("Network-key slashing protection", () => {
  it("refuses a conflicting root for a signed epoch after a restart, re-allows the same root", () => {
    const dir = mkdtempSync(join(tmpdir(), "netprot-"));
    try {
      const first = StatementProtection.open(dir, "relay");
      first.check(10n, root(1));
      first.check(11n, root(2));
      // Restart: a new process opens the same file.
      const second = StatementProtection.open(dir, "relay");
      assert.doesNotThrow(() => second.check(10n, root(1)));
      assert.throws(
        () => second.check(10n, root(3)),
        (e) => code(e) === "ERR_NETWORK_CONFLICTING_SIGNATURE",
      );
      assert.equal(second.signedRoot(11n), root(2));
      assert.equal(statSync(join(dir, NETWORK_PROTECTION_FILE)).mode & 0o777, 0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("folds old epochs into a watermark and refuses anything at or below it", () => {
    const dir = mkdtempSync(join(tmpdir(), "netprot-"));
    try {
      const p = StatementProtection.open(dir, "relay", { retain: 2n });
      p.check(1n, root(1));
      p.check(5n, root(5));
      const reopened = StatementProtection.open(dir, "relay", { retain: 2n });
      assert.equal(reopened.signedRoot(1n), undefined);
      assert.throws(
        () => reopened.check(1n, root(1)),
        (e) => code(e) === "ERR_NETWORK_EPOCH_BELOW_WATERMARK",
      );
      assert.doesNotThrow(() => reopened.check(4n, root(4)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to start over a damaged file instead of forgetting what was signed", () => {
    const dir = mkdtempSync(join(tmpdir(), "netprot-"));
    try {
      writeFileSync(join(dir, NETWORK_PROTECTION_FILE), "{ not json");
      assert.throws(
        () => StatementProtection.open(dir, "relay"),
        (e) => code(e) === "ERR_NETWORK_PROTECTION_CORRUPT",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Network key", () => {
  it("is created once as an encrypted 0600 keystore, loads back, and never prints its secret", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netkey-"));
    try {
      const { key, created } = await loadOrCreateNetworkKey(dir, "correct horse", { ikm: new Uint8Array(32).fill(3) });
      assert.equal(created, true);
      const again = await loadOrCreateNetworkKey(dir, "correct horse");
      assert.equal(again.created, false);
      assert.deepEqual(again.key.publicKey, key.publicKey);
      const path = join(dir, NETWORK_KEYSTORE_FILE);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      const text = readFileSync(path, "utf8");
      assert.match(text, /"crypto"/);
      const msg = new Uint8Array(32).fill(9);
      assert.deepEqual(again.key.sign(msg), key.sign(msg));
      const printed = `${JSON.stringify(key)} ${inspect(key)} ${inspect(key, { showHidden: true })} ${String(Object.keys(key))}`;
      const secretHex = Buffer.from(SecretKey.fromKeygen(new Uint8Array(32).fill(3)).toBytes()).toString("hex");
      assert.ok(!printed.includes(secretHex) && !printed.includes("secret"), printed);
      assert.ok(!text.includes(secretHex), "the keystore holds the key encrypted only");
      assert.match(inspect(key), /^NetworkKey\(0x[0-9a-f]{96}\)$/);
      await assert.rejects(loadNetworkKey(dir, "wrong password"), (e) => code(e) === "ERR_NETWORK_KEY_WRONG_PASSWORD");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
