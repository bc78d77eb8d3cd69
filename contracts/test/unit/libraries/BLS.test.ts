import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { aggregatePublicKeys, aggregateSignatures, SecretKey } from "@chainsafe/blst";
import { computeDepositMessageSigningRoot, verifyDepositSignature } from "@nektar/crypto";
import { network } from "hardhat";
import { bytesToHex, concatHex, type Hex, hexToBytes, stringToHex, toHex } from "viem";
import { g1Point, g2FromCoordinates, g2Point } from "../../helpers/bls.ts";

const { viem } = await network.create();
const bls = await viem.deployContract("BLSHarness");

const ETH_DST = stringToHex("BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_");
const P = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaabn;

type Rfc9380Vectors = {
  dst: string;
  vectors: { msg: string; P: { x: [Hex, Hex]; y: [Hex, Hex] } }[];
  expandMessageXmd: { dst: string; vectors: { msg: string; uniform: Hex }[] };
};
const rfc = JSON.parse(
  readFileSync(new URL("../../fixtures/rfc9380-bls12381g2-sswu-ro.json", import.meta.url), "utf8"),
) as Rfc9380Vectors;

function secretKey(seed: number): SecretKey {
  return SecretKey.deriveMasterEip2333(new Uint8Array(32).fill(seed + 1));
}

/** Replaces 64-byte word `index` of an EIP-2537 point with the field element `value`. */
function withCoordinate(point: Hex, index: number, value: bigint): Hex {
  const hex = point.slice(2);
  return `0x${hex.slice(0, 128 * index)}${value.toString(16).padStart(128, "0")}${hex.slice(128 * (index + 1))}`;
}
function coordinate(point: Hex, index: number): bigint {
  return BigInt(`0x${point.slice(2 + 128 * index, 2 + 128 * (index + 1))}`);
}

describe("BLS: hash to G2 (RFC 9380)", () => {
  it("matches every BLS12381G2_XMD:SHA-256_SSWU_RO_ vector of RFC 9380 appendix J.10.1", async () => {
    assert.equal(rfc.vectors.length, 5);
    for (const v of rfc.vectors) {
      const point = await bls.read.hashToG2([stringToHex(v.msg), stringToHex(rfc.dst)]);
      assert.equal(point, g2FromCoordinates(v.P.x, v.P.y), `msg "${v.msg.slice(0, 12)}…"`);
    }
  });

  it("matches the expand_message_xmd(SHA-256) vectors of RFC 9380 appendix K.1", async () => {
    const { dst, vectors } = rfc.expandMessageXmd;
    for (const v of vectors) {
      assert.equal(await bls.read.expandMessageXmd([stringToHex(v.msg), stringToHex(dst), 32n]), v.uniform);
    }
  });

  it("hashes an oversize DST first and refuses lengths outside 1..8160", async () => {
    const long = new Uint8Array(300).fill(7);
    const hashed = createHash("sha256").update("H2C-OVERSIZE-DST-").update(long).digest();
    assert.equal(
      await bls.read.expandMessageXmd(["0x616263", toHex(long), 96n]),
      await bls.read.expandMessageXmd(["0x616263", bytesToHex(hashed), 96n]),
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      bls.read.expandMessageXmd(["0x", "0x01", 0n]),
      bls,
      "BLSInvalidExpandLength",
      [0n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      bls.read.expandMessageXmd(["0x", "0x01", 8161n]),
      bls,
      "BLSInvalidExpandLength",
      [8161n],
    );
  });
});

describe("BLS: verify against @chainsafe/blst signatures", () => {
  const sk = secretKey(1);
  const pk = sk.toPublicKey();
  const message = hexToBytes("0x5f3c0e2a7d4b918c6e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f");
  const sig = sk.sign(message);

  it("accepts a valid signature, uncompressed and compressed", async () => {
    assert.equal(await bls.read.verify([g1Point(pk), bytesToHex(message), g2Point(sig), ETH_DST]), true);
    assert.equal(
      await bls.read.verifyCompressed([
        bytesToHex(pk.toBytes()),
        g1Point(pk),
        bytesToHex(message),
        bytesToHex(sig.toBytes()),
        g2Point(sig),
        ETH_DST,
      ]),
      true,
    );
  });

  it("accepts signatures over random messages of any length by random keys", async () => {
    for (let i = 0; i < 4; i++) {
      const key = secretKey(10 + i);
      const msg = new Uint8Array(i * 37).map((_, j) => (j * 13 + i) & 0xff);
      const s = key.sign(msg);
      assert.equal(await bls.read.verify([g1Point(key.toPublicKey()), bytesToHex(msg), g2Point(s), ETH_DST]), true);
    }
  });

  it("rejects a wrong message, key, signature or DST", async () => {
    const other = secretKey(2);
    const otherMessage = new Uint8Array(message);
    otherMessage[0] = (otherMessage[0] ?? 0) ^ 1;
    const rejects = [
      [g1Point(pk), bytesToHex(otherMessage), g2Point(sig), ETH_DST],
      [g1Point(other.toPublicKey()), bytesToHex(message), g2Point(sig), ETH_DST],
      [g1Point(pk), bytesToHex(message), g2Point(other.sign(message)), ETH_DST],
      [g1Point(pk), bytesToHex(message), g2Point(sk.sign(otherMessage)), ETH_DST],
      [g1Point(pk), bytesToHex(message), g2Point(sig), stringToHex("BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_")],
    ] as const;
    for (const args of rejects) assert.equal(await bls.read.verify([...args]), false);
  });

  it("returns false for the signature at infinity", async () => {
    const infinity = bytesToHex(new Uint8Array(256));
    const compressed = concatHex(["0xc0", bytesToHex(new Uint8Array(95))]);
    await bls.read.checkG2([compressed, infinity]);
    assert.equal(await bls.read.verify([g1Point(pk), bytesToHex(message), infinity, ETH_DST]), false);
  });

  it("aggregates public keys: the sum verifies an aggregate signature and equals blst's aggregate", async () => {
    const keys = [secretKey(3), secretKey(4), secretKey(5)];
    const points = concatHex(keys.map((k) => g1Point(k.toPublicKey())));
    const sum = await bls.read.aggregateG1([points]);
    assert.equal(sum, g1Point(aggregatePublicKeys(keys.map((k) => k.toPublicKey()))));
    const aggregate = aggregateSignatures(keys.map((k) => k.sign(message)));
    assert.equal(await bls.read.verify([sum, bytesToHex(message), g2Point(aggregate), ETH_DST]), true);
    assert.equal(await bls.read.aggregateG1([g1Point(pk)]), g1Point(pk));
    for (const bad of ["0x", concatHex([points, "0x00"])] as const) {
      await viem.assertions.revertWithCustomError(bls.read.aggregateG1([bad]), bls, "BLSInvalidAggregate");
    }
  });
});

describe("BLS: malformed encodings revert with custom errors", () => {
  const sk = secretKey(6);
  const pk = sk.toPublicKey();
  const message = "0x01020304" as const;
  const sig = sk.sign(hexToBytes(message));
  const pkPoint = g1Point(pk);
  const sigPoint = g2Point(sig);
  const pkCompressed = bytesToHex(pk.toBytes());
  const sigCompressed = bytesToHex(sig.toBytes());

  it("wrong lengths", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(
      bls.read.verify([pkPoint.slice(0, -2) as Hex, message, sigPoint, ETH_DST]),
      bls,
      "BLSInvalidLength",
      [127n, 128n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      bls.read.verify([pkPoint, message, concatHex([sigPoint, "0x00"]), ETH_DST]),
      bls,
      "BLSInvalidLength",
      [257n, 256n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      bls.read.checkG1([concatHex([pkCompressed, "0x00"]), pkPoint]),
      bls,
      "BLSInvalidLength",
      [49n, 48n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      bls.read.checkG2([sigCompressed.slice(0, -2) as Hex, sigPoint]),
      bls,
      "BLSInvalidLength",
      [95n, 96n],
    );
  });

  it("a public key at infinity", async () => {
    const zero = bytesToHex(new Uint8Array(128));
    await viem.assertions.revertWithCustomError(
      bls.read.verify([zero, message, sigPoint, ETH_DST]),
      bls,
      "BLSPubkeyAtInfinity",
    );
    const compressedInfinity = concatHex(["0xc0", bytesToHex(new Uint8Array(47))]);
    await bls.read.checkG1([compressedInfinity, zero]);
    await viem.assertions.revertWithCustomError(
      bls.read.verifyCompressed([compressedInfinity, zero, message, sigCompressed, sigPoint, ETH_DST]),
      bls,
      "BLSPubkeyAtInfinity",
    );
  });

  it("compressed bytes without the compression flag or with a dirty infinity", async () => {
    const uncompressedFlag =
      `0x${(Number.parseInt(pkCompressed.slice(2, 4), 16) & 0x7f).toString(16).padStart(2, "0")}${pkCompressed.slice(4)}` as Hex;
    await viem.assertions.revertWithCustomError(
      bls.read.checkG1([uncompressedFlag, pkPoint]),
      bls,
      "BLSInvalidCompressedEncoding",
    );
    const dirtyInfinity = concatHex(["0xc0", bytesToHex(new Uint8Array(46)), "0x01"]);
    await viem.assertions.revertWithCustomError(
      bls.read.checkG1([dirtyInfinity, bytesToHex(new Uint8Array(128))]),
      bls,
      "BLSInvalidCompressedEncoding",
    );
    const signedInfinity = concatHex(["0xe0", bytesToHex(new Uint8Array(95))]);
    await viem.assertions.revertWithCustomError(
      bls.read.checkG2([signedInfinity, bytesToHex(new Uint8Array(256))]),
      bls,
      "BLSInvalidCompressedEncoding",
    );
  });

  it("an uncompressed point that is not the compressed one (other x, negated y, infinity)", async () => {
    const other = secretKey(7);
    await bls.read.checkG1([pkCompressed, pkPoint]);
    await bls.read.checkG2([sigCompressed, sigPoint]);
    const cases: [Hex, Hex, "checkG1" | "checkG2"][] = [
      [pkCompressed, g1Point(other.toPublicKey()), "checkG1"],
      [pkCompressed, withCoordinate(pkPoint, 1, P - coordinate(pkPoint, 1)), "checkG1"],
      [pkCompressed, bytesToHex(new Uint8Array(128)), "checkG1"],
      [sigCompressed, g2Point(other.sign(hexToBytes(message))), "checkG2"],
      [
        sigCompressed,
        withCoordinate(withCoordinate(sigPoint, 2, P - coordinate(sigPoint, 2)), 3, P - coordinate(sigPoint, 3)),
        "checkG2",
      ],
    ];
    for (const [compressed, point, fn] of cases) {
      await viem.assertions.revertWithCustomError(bls.read[fn]([compressed, point]), bls, "BLSPointMismatch");
    }
    const g1Infinity = concatHex(["0xc0", bytesToHex(new Uint8Array(47))]);
    await viem.assertions.revertWithCustomError(bls.read.checkG1([g1Infinity, pkPoint]), bls, "BLSPointMismatch");
  });

  it("a point off the curve is refused by the pairing precompile", async () => {
    // Same x and sign as the real key, another y: the compressed check passes, the curve check does not.
    const offCurve = withCoordinate(pkPoint, 1, coordinate(pkPoint, 1) ^ 2n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      bls.read.verify([offCurve, message, sigPoint, ETH_DST]),
      bls,
      "BLSPrecompileFailed",
      ["0x000000000000000000000000000000000000000F"],
    );
    const tooLarge = withCoordinate(sigPoint, 0, coordinate(sigPoint, 0) + P);
    await viem.assertions.revertWithCustomError(
      bls.read.verify([pkPoint, message, tooLarge, ETH_DST]),
      bls,
      "BLSPrecompileFailed",
    );
  });
});

/** base^exponent mod P. */
function powModP(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = base % P;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}

/**
 * A point of E(Fp): y² = x³ + 4 with the smallest x ≥ `from` that has one. The curve's group has order h·r with a
 * cofactor h ≈ 2^126, so such a point is outside the r-order subgroup G1 (with overwhelming probability; the test
 * asserts that the precompile agrees).
 */
function pointOutsideG1(from: bigint): { x: bigint; y: bigint } {
  for (let x = from; ; x++) {
    const rhs = (x ** 3n + 4n) % P;
    const y = powModP(rhs, (P + 1n) / 4n); // p ≡ 3 (mod 4)
    if ((y * y) % P === rhs) return { x, y };
  }
}

describe("BLS: subgroup checks", () => {
  const { x, y } = pointOutsideG1(5n);
  const point = `0x${x.toString(16).padStart(128, "0")}${y.toString(16).padStart(128, "0")}` as Hex;
  const sign = y > (P - 1n) / 2n ? 0x20 : 0;
  const compressedBytes = hexToBytes(`0x${x.toString(16).padStart(96, "0")}`);
  compressedBytes[0] = (compressedBytes[0] ?? 0) | 0x80 | sign;
  const compressed = bytesToHex(compressedBytes);
  const sk = secretKey(9);
  const sig = sk.sign(new Uint8Array([1]));

  it("a public key on the curve but outside G1 passes the encoding check and is refused by the pairing", async () => {
    await bls.read.checkG1([compressed, point]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      bls.read.verifyCompressed([compressed, point, "0x01", bytesToHex(sig.toBytes()), g2Point(sig), ETH_DST]),
      bls,
      "BLSPrecompileFailed",
      ["0x000000000000000000000000000000000000000F"],
    );
  });

  it("G1ADD sums it without a subgroup check (aggregate only registered keys)", async () => {
    const sum = await bls.read.aggregateG1([concatHex([point, g1Point(sk.toPublicKey())])]);
    assert.equal(sum.length, 2 + 256);
  });
});

describe("BeaconSigning: deposit signatures", () => {
  const sk = secretKey(8);
  const pubkey = sk.toPublicKey();
  const withdrawalCredentials = concatHex([
    "0x01",
    bytesToHex(new Uint8Array(11)),
    "0x00000000219ab540356cbb839cbe05303d7705fa",
  ]);
  const forkVersion = "0x10000038" as const;
  const amountGwei = 32_000_000_000n;
  const params = {
    pubkey: pubkey.toBytes(),
    withdrawalCredentials: hexToBytes(withdrawalCredentials),
    amountGwei,
    forkVersion: hexToBytes(forkVersion),
  };
  const signingRoot = computeDepositMessageSigningRoot(params);
  const signature = sk.sign(signingRoot);
  const args = (overrides: { credentials?: Hex; amount?: bigint; fork?: Hex } = {}) =>
    [
      bytesToHex(params.pubkey),
      g1Point(pubkey),
      overrides.credentials ?? withdrawalCredentials,
      overrides.amount ?? amountGwei,
      bytesToHex(signature.toBytes()),
      g2Point(signature),
      overrides.fork ?? forkVersion,
    ] as const;

  it("computes the signing root @nektar/crypto computes", async () => {
    assert.equal(
      await bls.read.depositSigningRoot([bytesToHex(params.pubkey), withdrawalCredentials, amountGwei, forkVersion]),
      bytesToHex(signingRoot),
    );
    const devnet = computeDepositMessageSigningRoot({
      ...params,
      amountGwei: 1_000_000_000n,
      forkVersion: new Uint8Array(4),
    });
    assert.equal(
      await bls.read.depositSigningRoot([
        bytesToHex(params.pubkey),
        withdrawalCredentials,
        1_000_000_000n,
        "0x00000000",
      ]),
      bytesToHex(devnet),
    );
  });

  it("verifies a deposit signature @nektar/crypto accepts, and refuses it for other data", async () => {
    assert.equal(verifyDepositSignature({ ...params, signature: signature.toBytes() }), true);
    assert.equal(await bls.read.verifyDepositSignature([...args()]), true);
    const foreign = concatHex(["0x01", bytesToHex(new Uint8Array(11)), "0x1111111111111111111111111111111111111111"]);
    assert.equal(await bls.read.verifyDepositSignature([...args({ credentials: foreign })]), false);
    assert.equal(await bls.read.verifyDepositSignature([...args({ amount: 1_000_000_000n })]), false);
    assert.equal(await bls.read.verifyDepositSignature([...args({ fork: "0x00000000" })]), false);
  });

  it("refuses a pubkey that is not 48 bytes", async () => {
    const a = args();
    await viem.assertions.revertWithCustomError(
      bls.read.verifyDepositSignature([concatHex([a[0], "0x00"]), a[1], a[2], a[3], a[4], a[5], a[6]]),
      bls,
      "InvalidPubkeyLength",
    );
  });
});
