import { PublicKey, Signature } from "@chainsafe/blst";
import { CryptoInputError } from "../errors.ts";

/**
 * EIP-2537 encodings of BLS12-381 points, as the precompiles (and the contracts' `BLS` library) take them: every Fp
 * element is 64 bytes (16 zero bytes, then the 48-byte big-endian value); a G1 point is x ‖ y (128 bytes), a G2 point
 * x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1 (256 bytes). blst serializes Fp2 elements c1 first (ZCash format), EIP-2537 c0 first.
 */
function fp(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(64);
  out.set(bytes, 16);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A compressed public key (48 bytes, subgroup-checked) as the uncompressed EIP-2537 G1 point (128 bytes). */
export function g1PointFromPublicKey(pubkey: Uint8Array): Uint8Array {
  let pk: PublicKey;
  try {
    pk = PublicKey.fromBytes(pubkey, true);
  } catch (e) {
    throw new CryptoInputError({ code: "ERR_CRYPTO_INVALID_POINT", kind: "G1", reason: String(e) });
  }
  const raw = pk.toBytes(false);
  return concat([fp(raw.subarray(0, 48)), fp(raw.subarray(48, 96))]);
}

/** A compressed signature (96 bytes, subgroup-checked) as the uncompressed EIP-2537 G2 point (256 bytes). */
export function g2PointFromSignature(signature: Uint8Array): Uint8Array {
  let sig: Signature;
  try {
    sig = Signature.fromBytes(signature, true);
  } catch (e) {
    throw new CryptoInputError({ code: "ERR_CRYPTO_INVALID_POINT", kind: "G2", reason: String(e) });
  }
  const raw = sig.toBytes(false);
  const part = (i: number) => fp(raw.subarray(48 * i, 48 * (i + 1)));
  return concat([part(1), part(0), part(3), part(2)]);
}
