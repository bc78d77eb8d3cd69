import type { RandomSource } from "./types.ts";

/** The platform CSPRNG (WebCrypto), the default randomness of every ceremony. */
export const secureRandom: RandomSource = (n) => {
  const out = new Uint8Array(n);
  // getRandomValues fills at most 65536 bytes per call.
  for (let o = 0; o < n; o += 65536) globalThis.crypto.getRandomValues(out.subarray(o, Math.min(n, o + 65536)));
  return out;
};
