import { Signature } from "@chainsafe/blst";
import { bls12_381 } from "@noble/curves/bls12-381.js";

/*
 * The GLS endomorphism ψ of G2 (untwist, Frobenius, twist) on affine coordinates: ψ(x, y) = (x̄·c_x, ȳ·c_y) with
 * c_x = (1+u)^(-(p-1)/3) and c_y = (1+u)^(-(p-1)/2). On the r-order subgroup ψ acts as multiplication by p ≡ x_BLS
 * (mod r), x_BLS = −0xd201000000010000, which lets a full-width scalar multiplication run on four 64-bit scalars.
 * The coordinates are reached through blst's uncompressed encoding (ZCash layout: x.c1 | x.c0 | y.c1 | y.c0, flags in
 * the top 3 bits). Only for PUBLIC points and scalars; noble's field arithmetic is not constant time.
 */

const Fp = bls12_381.fields.Fp;
const Fp2 = bls12_381.fields.Fp2;
type Fp2Element = ReturnType<typeof Fp2.create>;

/** |x_BLS|: r = x⁴ − x² + 1 and ψ(Q) = −[|x|]Q on G2. */
export const BLS_X_ABS = 0xd201000000010000n;

const onePlusU = Fp2.fromBigTuple([1n, 1n]); // 1 + u
const COEFF_X = Fp2.inv(Fp2.pow(onePlusU, (Fp.ORDER - 1n) / 3n));
const COEFF_Y = Fp2.inv(Fp2.pow(onePlusU, (Fp.ORDER - 1n) / 2n));

const FP_BYTES = 48;
const UNCOMPRESSED_G2_BYTES = 192;
const FLAGS_MASK = 0x1f;
const INFINITY_FLAG = 0x40;

function readFp(bytes: Uint8Array, offset: number, masked: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < FP_BYTES; i++) {
    const b = bytes[offset + i] as number;
    v = (v << 8n) | BigInt(i === 0 && masked ? b & FLAGS_MASK : b);
  }
  return v;
}

function writeFp(out: Uint8Array, offset: number, value: bigint): void {
  let v = value;
  for (let i = FP_BYTES - 1; i >= 0; i--) {
    out[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

type Affine = { x: Fp2Element; y: Fp2Element };

function toAffine(point: Signature): Affine | undefined {
  const b = point.toBytes(false);
  if (b.length !== UNCOMPRESSED_G2_BYTES || ((b[0] as number) & INFINITY_FLAG) !== 0) return undefined;
  return {
    x: Fp2.fromBigTuple([readFp(b, FP_BYTES, false), readFp(b, 0, true)]),
    y: Fp2.fromBigTuple([readFp(b, 3 * FP_BYTES, false), readFp(b, 2 * FP_BYTES, false)]),
  };
}

function fromAffine(p: Affine): Signature {
  const out = new Uint8Array(UNCOMPRESSED_G2_BYTES);
  writeFp(out, 0, p.x.c1);
  writeFp(out, FP_BYTES, p.x.c0);
  writeFp(out, 2 * FP_BYTES, p.y.c1);
  writeFp(out, 3 * FP_BYTES, p.y.c0);
  // blst checks that the point is on the curve; ψ and negation keep it in the r-order subgroup.
  return Signature.fromBytes(out, false);
}

function conjugate(a: Fp2Element): Fp2Element {
  return Fp2.fromBigTuple([a.c0, Fp.neg(a.c1)]);
}

function psi(p: Affine): Affine {
  return { x: Fp2.mul(conjugate(p.x), COEFF_X), y: Fp2.mul(conjugate(p.y), COEFF_Y) };
}

function negate(p: Affine): Affine {
  return { x: p.x, y: Fp2.neg(p.y) };
}

/** ψ(Q) for a G2 point (undefined for infinity). */
export function psiG2(point: Signature): Signature | undefined {
  const a = toAffine(point);
  return a === undefined ? undefined : fromAffine(psi(a));
}

/** −Q for a G2 point (undefined for infinity). */
export function negateG2(point: Signature): Signature | undefined {
  const a = toAffine(point);
  return a === undefined ? undefined : fromAffine(negate(a));
}

/**
 * The points and 64-bit scalars of a GLS decomposition: k·Q = d0·Q + d1·(−ψQ) + d2·ψ²Q + d3·(−ψ³Q) where
 * k = d0 + d1·|x| + d2·|x|² + d3·|x|³ (base-|x| digits; k < r < |x|⁴). Undefined for the point at infinity.
 */
export function glsDecomposition(point: Signature, k: bigint): { points: Signature[]; scalars: bigint[] } | undefined {
  const a = toAffine(point);
  if (a === undefined) return undefined;
  const p1 = psi(a);
  const p2 = psi(p1);
  const p3 = psi(p2);
  const scalars: bigint[] = [];
  let rest = k;
  for (let i = 0; i < 4; i++) {
    scalars.push(rest % BLS_X_ABS);
    rest /= BLS_X_ABS;
  }
  return { points: [point, fromAffine(negate(p1)), fromAffine(p2), fromAffine(negate(p3))], scalars };
}
