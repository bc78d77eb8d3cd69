import { bls12_381 } from "@noble/curves/bls12-381.js";
import { CryptoInputError } from "../errors.ts";

/** The scalar field of BLS12-381 (integers mod the group order r), from @noble/curves. */
export const Fr = bls12_381.fields.Fr;

/** The order r of the BLS12-381 G1/G2 prime-order subgroups. */
export const CURVE_ORDER: bigint = Fr.ORDER;

export const SCALAR_BYTES = 32;

/** Big-endian 32-byte encoding of a scalar in [0, r) (the layout blst uses for secret keys). */
export function scalarToBytes(value: bigint): Uint8Array {
  if (value < 0n || value >= CURVE_ORDER) {
    throw new CryptoInputError({ code: "ERR_CRYPTO_INVALID_SCALAR", reason: "scalar out of range [0, r)" });
  }
  const out = new Uint8Array(SCALAR_BYTES);
  let v = value;
  for (let i = SCALAR_BYTES - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Decode a big-endian 32-byte scalar; rejects wrong lengths and values >= r (no silent reduction). */
export function scalarFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length !== SCALAR_BYTES) {
    throw new CryptoInputError({
      code: "ERR_CRYPTO_INVALID_SCALAR",
      reason: `expected ${SCALAR_BYTES} bytes, got ${bytes.length}`,
    });
  }
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  if (v >= CURVE_ORDER) {
    throw new CryptoInputError({ code: "ERR_CRYPTO_INVALID_SCALAR", reason: "scalar is not reduced mod r" });
  }
  return v;
}

/**
 * Uniform scalar in [1, r) from an injected randomness source. 64 bytes are reduced mod r so the bias is < 2^-250.
 */
export function randomScalar(random: (n: number) => Uint8Array): bigint {
  for (;;) {
    const bytes = random(64);
    if (bytes.length !== 64) {
      throw new CryptoInputError({
        code: "ERR_CRYPTO_INVALID_SCALAR",
        reason: "randomness source returned wrong length",
      });
    }
    let v = 0n;
    for (const b of bytes) v = (v << 8n) | BigInt(b);
    const s = v % CURVE_ORDER;
    if (s !== 0n) return s;
  }
}
