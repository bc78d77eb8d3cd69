import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { pureJsCrypto } from "@chainsafe/libp2p-noise";
import { nodeNoiseCrypto } from "../../../src/p2p/noiseCrypto.ts";

describe("Noise crypto on node:crypto", () => {
  it("derives the same HKDF keys as the reference (pure JS) implementation", () => {
    for (const ikmLength of [0, 32, 57]) {
      const ck = randomBytes(32);
      const ikm = randomBytes(ikmLength);
      assert.deepEqual(
        nodeNoiseCrypto.getHKDF(ck, ikm).map((k) => Buffer.from(k).toString("hex")),
        pureJsCrypto.getHKDF(ck, ikm).map((k) => Buffer.from(k).toString("hex")),
      );
    }
  });
});
