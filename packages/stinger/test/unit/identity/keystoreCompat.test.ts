import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { SecretKey } from "@chainsafe/blst";
import { decryptKeyShare } from "@nektar/crypto";
import { loadIdentity, readOperatorRecord } from "../../../src/identity/identity.ts";

/**
 * Keystores written by Stinger before it used @nektar/crypto's keystore (its own `identity/keystore.ts`): an operator
 * identity (Ed25519 seed 0x11…11) and a key share (BLS key from keygen seed 0x07…07), both under this password.
 * Operators have such files on disk; they must keep loading.
 */
const FIXTURES = fileURLToPath(new URL("../../fixtures/keystores/", import.meta.url));
const PASSWORD = "correct horse battery";

const root = mkdtempSync(join(tmpdir(), "stinger-keystore-compat-"));
after(() => rmSync(root, { recursive: true, force: true }));

describe("keystores written by earlier Stinger versions", () => {
  it("loads an operator identity", async () => {
    const dataDir = join(root, "identity");
    cpSync(join(FIXTURES, "identity-v1"), dataDir, { recursive: true });
    const identity = await loadIdentity(dataDir, PASSWORD);
    assert.equal(identity.peerId.toString(), readOperatorRecord(dataDir).peerId);
    assert.deepEqual(identity.privateKey.raw.subarray(0, 32), new Uint8Array(32).fill(0x11));
    await assert.rejects(loadIdentity(dataDir, "wrong horse battery"));
  });

  it("decrypts a key share", async () => {
    const text = readFileSync(join(FIXTURES, "keystore-share-v1.json"), "utf8");
    const expected = SecretKey.fromKeygen(new Uint8Array(32).fill(7)).toBytes();
    assert.deepEqual(await decryptKeyShare(text, PASSWORD), expected);
  });
});
