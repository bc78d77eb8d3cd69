import { createHmac } from "node:crypto";

/**
 * The dealer's randomness for one ceremony, derived from the operator's identity secret and the session id
 * (HMAC-SHA256 in counter mode, as in RFC 6979's deterministic nonces). A participant that crashes and restarts
 * re-creates exactly the polynomial and messages it already sent, so peers see duplicates rather than equivocation
 * and the ceremony goes on. A different session id gives independent randomness.
 */
export function ceremonyRandomSource(identitySeed: Uint8Array, sessionId: Uint8Array): (n: number) => Uint8Array {
  const key = createHmac("sha256", identitySeed).update("nektar/stinger/dkg-rng/v1").update(sessionId).digest();
  let counter = 0n;
  let buffer = Buffer.alloc(0);
  return (n: number) => {
    while (buffer.length < n) {
      const block = Buffer.alloc(8);
      block.writeBigUInt64BE(counter++);
      buffer = Buffer.concat([buffer, createHmac("sha256", key).update(block).digest()]);
    }
    const out = Uint8Array.from(buffer.subarray(0, n));
    buffer = buffer.subarray(n);
    return out;
  };
}
