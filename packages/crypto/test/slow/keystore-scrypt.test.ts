import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { decryptKeyShare, encryptKeyShare } from "../../src/index.ts";

const vectors = JSON.parse(readFileSync(new URL("../fixtures/eip2335-vectors.json", import.meta.url), "utf8"));

// scrypt with n = 2^18 needs 256 MiB and about a second per run: too heavy for the default suite.
describe("EIP-2335 keystores (scrypt)", () => {
  it("decrypts the EIP's scrypt test vector", async () => {
    const secret = await decryptKeyShare(vectors.scrypt, vectors.password);
    assert.equal(Buffer.from(secret).toString("hex"), vectors.secret);
  });

  it("round-trips with scrypt", async () => {
    const sk = SecretKey.fromKeygen(new Uint8Array(32).fill(9));
    const ks = await encryptKeyShare(sk.toBytes(), "pw", { pubkey: sk.toPublicKey().toBytes(), kdf: "scrypt" });
    assert.equal(ks.crypto.kdf.function, "scrypt");
    assert.deepEqual(await decryptKeyShare(ks, "pw"), sk.toBytes());
  });
});
