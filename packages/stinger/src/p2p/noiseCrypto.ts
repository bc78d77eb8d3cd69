import { hkdfSync } from "node:crypto";
import type { ICryptoInterface } from "@chainsafe/libp2p-noise";
import { defaultCrypto } from "@chainsafe/libp2p-noise/crypto";

/**
 * Noise's default crypto for Node with HKDF on node:crypto: the default derives handshake keys with a pure-JS
 * HMAC-SHA256, which showed up as a large share of connection set-up CPU when 16 operators connect to each other at
 * once. `HKDF(salt = chaining key, ikm, info = "", 96 bytes)` split in three is exactly what the Noise spec (and the
 * default implementation) computes; only the hash implementation differs.
 */
export const nodeNoiseCrypto: ICryptoInterface = {
  ...defaultCrypto,
  getHKDF(ck, ikm) {
    const okm = new Uint8Array(hkdfSync("sha256", ikm, ck, new Uint8Array(0), 96));
    return [okm.subarray(0, 32), okm.subarray(32, 64), okm.subarray(64, 96)];
  },
};
