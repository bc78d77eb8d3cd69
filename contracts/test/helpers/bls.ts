import type { PublicKey, Signature } from "@chainsafe/blst";
import { g1PointFromPublicKey, g2PointFromSignature } from "@nektar/crypto";
import { bytesToHex, type Hex } from "viem";

/** A public key as the uncompressed EIP-2537 G1 point (x ‖ y, 128 bytes) the BLS library takes. */
export function g1Point(pk: PublicKey): Hex {
  return bytesToHex(g1PointFromPublicKey(pk.toBytes()));
}

/** A signature as the uncompressed EIP-2537 G2 point (x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1, 256 bytes). */
export function g2Point(sig: Signature): Hex {
  return bytesToHex(g2PointFromSignature(sig.toBytes()));
}

/** An EIP-2537 G2 point from big-endian coordinates given as [c0, c1] (the RFC 9380 vector format). */
export function g2FromCoordinates(x: readonly [Hex, Hex], y: readonly [Hex, Hex]): Hex {
  const word = (h: Hex) => h.slice(2).padStart(128, "0");
  return `0x${word(x[0])}${word(x[1])}${word(y[0])}${word(y[1])}`;
}
