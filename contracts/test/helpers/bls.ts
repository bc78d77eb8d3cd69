import type { PublicKey, Signature } from "@chainsafe/blst";
import { bytesToHex, concatBytes, type Hex } from "viem";

/** An Fp element (48 bytes big-endian) in the EIP-2537 encoding: 16 zero bytes, then the value. */
function fp(bytes: Uint8Array): Uint8Array {
  return concatBytes([new Uint8Array(16), bytes]);
}

/** A public key as the uncompressed EIP-2537 G1 point (x ‖ y, 128 bytes) the BLS library takes. */
export function g1Point(pk: PublicKey): Hex {
  const raw = pk.toBytes(false);
  return bytesToHex(concatBytes([fp(raw.subarray(0, 48)), fp(raw.subarray(48, 96))]));
}

/**
 * A signature as the uncompressed EIP-2537 G2 point (x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1, 256 bytes). blst serializes Fp2
 * elements c1 first (ZCash format), EIP-2537 c0 first.
 */
export function g2Point(sig: Signature): Hex {
  const raw = sig.toBytes(false);
  const part = (i: number) => fp(raw.subarray(48 * i, 48 * (i + 1)));
  return bytesToHex(concatBytes([part(1), part(0), part(3), part(2)]));
}

/** An EIP-2537 G2 point from big-endian coordinates given as [c0, c1] (the RFC 9380 vector format). */
export function g2FromCoordinates(x: readonly [Hex, Hex], y: readonly [Hex, Hex]): Hex {
  const word = (h: Hex) => h.slice(2).padStart(128, "0");
  return `0x${word(x[0])}${word(x[1])}${word(y[0])}${word(y[1])}`;
}
