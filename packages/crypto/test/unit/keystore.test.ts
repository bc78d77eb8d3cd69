import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { ed25519 } from "@noble/curves/ed25519.js";
import { decryptKeyShare, decryptKeystore, encryptKeyShare, encryptKeystore, KeystoreError } from "../../src/index.ts";

const vectors = JSON.parse(readFileSync(new URL("../fixtures/eip2335-vectors.json", import.meta.url), "utf8"));
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KeystoreError) return e.type.code;
    throw e;
  }
  return "no error";
}

describe("EIP-2335 keystores", () => {
  it("decrypts the EIP's pbkdf2 test vector", async () => {
    const secret = await decryptKeyShare(JSON.stringify(vectors.pbkdf2), vectors.password);
    assert.equal(hex(secret), vectors.secret);
  });

  it("round-trips a key share and rejects a wrong password, a wrong pubkey and malformed JSON", async () => {
    const sk = SecretKey.fromKeygen(new Uint8Array(32).fill(3));
    const secret = sk.toBytes();
    const pubkey = sk.toPublicKey().toBytes();
    const ks = await encryptKeyShare(secret, "correct horse", { pubkey, description: "share 3 of validator 0xab" });
    assert.equal(ks.version, 4);
    assert.equal(ks.pubkey, hex(pubkey));
    assert.equal(ks.crypto.kdf.function, "pbkdf2");
    assert.deepEqual(await decryptKeyShare(ks, "correct horse"), secret);
    assert.equal(await code(decryptKeyShare(ks, "wrong")), "ERR_KEYSTORE_WRONG_PASSWORD");
    const other = SecretKey.fromKeygen(new Uint8Array(32).fill(4)).toPublicKey().toBytes();
    assert.equal(await code(encryptKeyShare(secret, "x", { pubkey: other })), "ERR_KEYSTORE_PUBKEY_MISMATCH");
    assert.equal(
      await code(decryptKeyShare({ ...ks, pubkey: hex(other) }, "correct horse")),
      "ERR_KEYSTORE_PUBKEY_MISMATCH",
    );
    assert.equal(await code(decryptKeyShare("{not json", "x")), "ERR_KEYSTORE_INVALID");
    assert.equal(await code(decryptKeyShare({ version: 4 }, "x")), "ERR_KEYSTORE_INVALID");
    assert.equal(await code(encryptKeyShare(new Uint8Array(32), "x", { pubkey })), "ERR_KEYSTORE_INVALID_SECRET");
  });
});

describe("Ed25519 identity keystores", () => {
  const seed = new Uint8Array(32).fill(0x11);
  const pubkey = ed25519.getPublicKey(seed);

  it("round-trip an Ed25519 seed and check it against the recorded public key", async () => {
    const ks = await encryptKeystore("ed25519", seed, "correct horse", { pubkey, description: "identity" });
    assert.equal(ks.pubkey, hex(pubkey));
    assert.deepEqual(await decryptKeystore("ed25519", JSON.stringify(ks), "correct horse"), seed);
    assert.equal(await code(decryptKeystore("ed25519", ks, "wrong")), "ERR_KEYSTORE_WRONG_PASSWORD");
    const other = ed25519.getPublicKey(new Uint8Array(32).fill(0x12));
    assert.equal(
      await code(decryptKeystore("ed25519", { ...ks, pubkey: hex(other) }, "correct horse")),
      "ERR_KEYSTORE_PUBKEY_MISMATCH",
    );
    assert.equal(await code(encryptKeystore("ed25519", seed, "x", { pubkey: other })), "ERR_KEYSTORE_PUBKEY_MISMATCH");
    assert.equal(
      await code(encryptKeystore("ed25519", new Uint8Array(31), "x", { pubkey })),
      "ERR_KEYSTORE_INVALID_SECRET",
    );
  });

  it("refuse a keystore of the other key type and a malformed one", async () => {
    const ks = await encryptKeystore("ed25519", seed, "pw", { pubkey });
    assert.equal(await code(decryptKeyShare(ks, "pw")), "ERR_KEYSTORE_INVALID");
    const sk = SecretKey.fromKeygen(new Uint8Array(32).fill(3));
    const share = await encryptKeyShare(sk.toBytes(), "pw", { pubkey: sk.toPublicKey().toBytes() });
    assert.equal(await code(decryptKeystore("ed25519", share, "pw")), "ERR_KEYSTORE_INVALID");
    const { checksum: _, ...crypto } = ks.crypto;
    assert.equal(await code(decryptKeystore("ed25519", { ...ks, crypto }, "pw")), "ERR_KEYSTORE_INVALID");
  });
});
