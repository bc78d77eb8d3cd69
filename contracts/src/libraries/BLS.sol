// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title BLS
/// @notice BLS12-381 signatures in Ethereum's scheme (public keys in G1, signatures in G2, "minimal-pubkey-size")
/// verified with the EIP-2537 precompiles: hash-to-G2 per RFC 9380 (`BLS12381G2_XMD:SHA-256_SSWU_RO_` with the
/// caller's DST), a two-pair pairing check, and a G1 sum for aggregate public keys.
/// @dev Point encodings. Ethereum carries keys and signatures compressed (48 / 96 bytes, ZCash flags); the precompiles
/// take uncompressed EIP-2537 points (an Fp element is 64 bytes: 16 zero bytes and the 48-byte big-endian value;
/// G1 = x ‖ y = 128 bytes, G2 = x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1 = 256 bytes). This library does not decompress on-chain:
/// the caller supplies both encodings and `checkG1`/`checkG2` verify that the uncompressed point is the one the
/// compressed bytes name (same x, same sign of y, same infinity flag), which costs a few hundred gas. Decompressing
/// instead needs a square root: in Fp one MODEXP with a 381-bit exponent (≈ 5k gas at EIP-2565 prices) plus checks,
/// in Fp2 several MODEXPs and 381-bit multiplications done as MODEXPs (≈ 20–30k gas), versus 80 (G1) or 160 (G2)
/// extra calldata bytes (≤ 1.3k / 2.6k gas). A wrong y for a matching x and sign is not on the curve, so the
/// precompile that consumes the point rejects it (`BLSPrecompileFailed`).
///
/// Subgroup and infinity rules are the precompiles': PAIRING_CHECK (0x0f) checks that every input is on its curve and
/// in the r-order subgroup and accepts infinity; G1ADD/G2ADD check only that inputs are on the curve; the MAP
/// precompiles return subgroup points. `verify` therefore subgroup-checks the public key and the signature through the
/// pairing, and rejects an infinity public key explicitly (Ethereum's KeyValidate). A failing precompile consumes the
/// gas given to it; calls forward all remaining gas, so malformed points are expensive for the caller that sends them.
library BLS {
    /// @notice Length of an uncompressed EIP-2537 G1 point.
    uint256 internal constant G1_POINT_LENGTH = 128;
    /// @notice Length of an uncompressed EIP-2537 G2 point.
    uint256 internal constant G2_POINT_LENGTH = 256;
    /// @notice Length of a compressed G1 point (a public key).
    uint256 internal constant G1_COMPRESSED_LENGTH = 48;
    /// @notice Length of a compressed G2 point (a signature).
    uint256 internal constant G2_COMPRESSED_LENGTH = 96;

    address private constant SHA256 = address(0x02);
    address private constant MODEXP = address(0x05);
    address private constant G1ADD = address(0x0b);
    address private constant G2ADD = address(0x0d);
    address private constant PAIRING_CHECK = address(0x0f);
    address private constant MAP_FP2_TO_G2 = address(0x11);

    // The base field modulus p (381 bits) and (p - 1) / 2, split as in the EIP-2537 encoding: the high word holds the
    // top 128 bits, the low word the other 256.
    uint256 private constant P_HI = 0x1a0111ea397fe69a4b1ba7b6434bacd7;
    uint256 private constant P_LO = 0x64774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab;
    uint256 private constant HALF_P_HI = 0x0d0088f51cbff34d258dd3db21a5d66b;
    uint256 private constant HALF_P_LO = 0xb23ba5c279c2895fb39869507b587b120f55ffff58a9ffffdcff7fffffffd555;
    // −G1 (the negated generator), so that e(pk, H(m)) · e(−G1, sig) = 1 is one PAIRING_CHECK.
    uint256 private constant NEG_G1_X_HI = 0x17f1d3a73197d7942695638c4fa9ac0f;
    uint256 private constant NEG_G1_X_LO = 0xc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb;
    uint256 private constant NEG_G1_Y_HI = 0x114d1d6855d545a8aa7d76c8cf2e21f2;
    uint256 private constant NEG_G1_Y_LO = 0x67816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca;

    // Flag bits of the first byte of a compressed point (ZCash serialization), as bits 255..253 of the first word.
    uint256 private constant FLAG_COMPRESSED = 1 << 255;
    uint256 private constant FLAG_INFINITY = 1 << 254;
    uint256 private constant FLAG_SIGN = 1 << 253;
    uint256 private constant FLAGS = FLAG_COMPRESSED | FLAG_INFINITY | FLAG_SIGN;

    /// @notice An encoding has `length` bytes where `expected` are required.
    error BLSInvalidLength(uint256 length, uint256 expected);
    /// @notice A compressed point lacks the compression flag, or is an infinity with stray bits.
    error BLSInvalidCompressedEncoding();
    /// @notice The uncompressed point is not the one the compressed bytes name (x, sign of y or infinity differ).
    error BLSPointMismatch();
    /// @notice The public key is the point at infinity (rejected by Ethereum's KeyValidate).
    error BLSPubkeyAtInfinity();
    /// @notice An EIP-2537 precompile (or MODEXP) rejected its input: a coordinate ≥ p, a point off the curve or, for
    /// the pairing, outside the subgroup.
    error BLSPrecompileFailed(address precompile);
    /// @notice `expandMessageXmd` was asked for 0 or more than 255 · 32 bytes.
    error BLSInvalidExpandLength(uint256 lenInBytes);
    /// @notice `aggregateG1` got no points or a length that is not a multiple of 128.
    error BLSInvalidAggregate(uint256 length);

    /// @notice Whether `signature` (uncompressed G2) is a valid signature of `message` by `pubkey` (uncompressed G1)
    /// under domain separation tag `dst`: e(pubkey, hashToG2(message, dst)) == e(G1, signature).
    /// @dev Reverts for malformed inputs (lengths, infinity public key, points off the curve or outside the subgroup);
    /// returns false only for a well-formed signature that does not verify. Ethereum's proof-of-possession scheme
    /// uses `dst = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_"`.
    function verify(
        bytes memory pubkey,
        bytes memory message,
        bytes memory signature,
        bytes memory dst
    ) internal view returns (bool) {
        requireLength(pubkey, G1_POINT_LENGTH);
        requireLength(signature, G2_POINT_LENGTH);
        if (isZero(pubkey)) revert BLSPubkeyAtInfinity();
        bytes memory input = abi.encodePacked(
            pubkey, hashToG2(message, dst), NEG_G1_X_HI, NEG_G1_X_LO, NEG_G1_Y_HI, NEG_G1_Y_LO, signature
        );
        bytes memory result = callPrecompile(PAIRING_CHECK, input, 32);
        return uint256(bytes32(result)) == 1;
    }

    /// @notice `verify` for keys and signatures that arrive compressed: checks that `pubkey`/`signature` (uncompressed,
    /// supplied by the caller) are the points named by `pubkeyCompressed` (48 bytes) and `signatureCompressed`
    /// (96 bytes), then verifies.
    function verifyCompressed(
        bytes memory pubkeyCompressed,
        bytes memory pubkey,
        bytes memory message,
        bytes memory signatureCompressed,
        bytes memory signature,
        bytes memory dst
    ) internal view returns (bool) {
        checkG1(pubkeyCompressed, pubkey);
        checkG2(signatureCompressed, signature);
        return verify(pubkey, message, signature, dst);
    }

    /// @notice The sum of `points`, concatenated uncompressed G1 points (n × 128 bytes, n ≥ 1): the aggregate public
    /// key of an aggregate signature over one message.
    /// @dev G1ADD (375 gas per point) checks that each point is on the curve, not that it is in the subgroup; the
    /// pairing that consumes the sum checks the sum only. Aggregate only keys that were validated when they were
    /// registered (subgroup-checked, with a proof of possession against rogue keys). G1MSM with scalar 1 would
    /// subgroup-check each key but costs ~12k gas per key.
    function aggregateG1(bytes memory points) internal view returns (bytes memory sum) {
        uint256 length = points.length;
        if (length == 0 || length % G1_POINT_LENGTH != 0) revert BLSInvalidAggregate(length);
        sum = new bytes(G1_POINT_LENGTH);
        bytes memory pair = new bytes(2 * G1_POINT_LENGTH);
        bool ok = true;
        assembly ("memory-safe") {
            let acc := add(pair, 0x20)
            let src := add(points, 0x20)
            mcopy(acc, src, 128)
            let end := add(src, length)
            for { let p := add(src, 128) } lt(p, end) { p := add(p, 128) } {
                mcopy(add(acc, 128), p, 128)
                // The output overwrites the accumulator: the precompile's input was copied before it ran.
                ok := and(ok, staticcall(gas(), 0x0b, acc, 256, acc, 128))
            }
            mcopy(add(sum, 0x20), acc, 128)
        }
        if (!ok) revert BLSPrecompileFailed(G1ADD);
    }

    /// @notice Checks that `point` (uncompressed EIP-2537 G1) is the point named by `compressed` (48 bytes, ZCash
    /// flags); reverts with `BLSInvalidLength`, `BLSInvalidCompressedEncoding` or `BLSPointMismatch`.
    function checkG1(bytes memory compressed, bytes memory point) internal pure {
        requireLength(compressed, G1_COMPRESSED_LENGTH);
        requireLength(point, G1_POINT_LENGTH);
        uint256 w0;
        uint256 xLo;
        uint256[4] memory p;
        assembly ("memory-safe") {
            w0 := mload(add(compressed, 0x20))
            xLo := mload(add(compressed, 0x30))
            mcopy(p, add(point, 0x20), 128)
        }
        uint256 xHi = (w0 & ~FLAGS) >> 128;
        if (!checkFlags(w0, xHi | xLo, isZero(point))) return;
        if (p[0] != xHi || p[1] != xLo) revert BLSPointMismatch();
        if (((w0 & FLAG_SIGN) != 0) != greaterThanHalf(p[2], p[3])) revert BLSPointMismatch();
    }

    /// @notice Checks that `point` (uncompressed EIP-2537 G2) is the point named by `compressed` (96 bytes: x.c1 with
    /// the flags, then x.c0); the sign of y is that of y.c1, or of y.c0 when y.c1 is zero.
    function checkG2(bytes memory compressed, bytes memory point) internal pure {
        requireLength(compressed, G2_COMPRESSED_LENGTH);
        requireLength(point, G2_POINT_LENGTH);
        uint256 w0;
        uint256 x1Lo;
        uint256 x0Hi;
        uint256 x0Lo;
        uint256[8] memory p;
        assembly ("memory-safe") {
            w0 := mload(add(compressed, 0x20))
            x1Lo := mload(add(compressed, 0x30))
            x0Hi := shr(128, mload(add(compressed, 0x50)))
            x0Lo := mload(add(compressed, 0x60))
            mcopy(p, add(point, 0x20), 256)
        }
        uint256 x1Hi = (w0 & ~FLAGS) >> 128;
        if (!checkFlags(w0, x1Hi | x1Lo | x0Hi | x0Lo, isZero(point))) return;
        if (p[0] != x0Hi || p[1] != x0Lo || p[2] != x1Hi || p[3] != x1Lo) revert BLSPointMismatch();
        bool sign = (p[6] | p[7]) != 0 ? greaterThanHalf(p[6], p[7]) : greaterThanHalf(p[4], p[5]);
        if (((w0 & FLAG_SIGN) != 0) != sign) revert BLSPointMismatch();
    }

    /// @notice RFC 9380 `hash_to_curve` for the suite `BLS12381G2_XMD:SHA-256_SSWU_RO_` with domain separation tag
    /// `dst`: an uncompressed EIP-2537 G2 point (256 bytes).
    /// @dev hash_to_field (expand_message_xmd, 256 bytes → four 64-byte values reduced mod p with MODEXP), then
    /// MAP_FP2_TO_G2 (which includes clear_cofactor) on u0 and u1 and G2ADD of the two: clear_cofactor is linear, so
    /// clear(Q0) + clear(Q1) = clear(Q0 + Q1).
    function hashToG2(bytes memory message, bytes memory dst) internal view returns (bytes memory point) {
        bytes memory uniform = expandMessageXmd(message, dst, 256);
        bytes memory u = new bytes(256);
        bool ok = true;
        assembly ("memory-safe") {
            // MODEXP(base = 64 uniform bytes, exponent = 1, modulus = p as 64 bytes): the 64-byte result is already
            // the EIP-2537 encoding of the field element.
            let buf := mload(0x40)
            mstore(buf, 64)
            mstore(add(buf, 0x20), 1)
            mstore(add(buf, 0x40), 64)
            mstore8(add(buf, 0xa0), 1)
            mstore(add(buf, 0xa1), P_HI)
            mstore(add(buf, 0xc1), P_LO)
            for { let i := 0 } lt(i, 4) { i := add(i, 1) } {
                let chunk := add(add(uniform, 0x20), shl(6, i))
                mstore(add(buf, 0x60), mload(chunk))
                mstore(add(buf, 0x80), mload(add(chunk, 0x20)))
                ok := and(ok, staticcall(gas(), 0x05, buf, 0xe1, add(add(u, 0x20), shl(6, i)), 64))
            }
        }
        if (!ok) revert BLSPrecompileFailed(MODEXP);
        bytes memory q = new bytes(512);
        assembly ("memory-safe") {
            ok := staticcall(gas(), 0x11, add(u, 0x20), 128, add(q, 0x20), 256)
            ok := and(ok, staticcall(gas(), 0x11, add(u, 0xa0), 128, add(q, 0x120), 256))
        }
        if (!ok) revert BLSPrecompileFailed(MAP_FP2_TO_G2);
        point = callPrecompile(G2ADD, q, G2_POINT_LENGTH);
    }

    /// @notice RFC 9380 `expand_message_xmd` with SHA-256: `lenInBytes` uniform bytes from `message` and `dst`
    /// (a DST over 255 bytes is first hashed, as the RFC prescribes).
    function expandMessageXmd(
        bytes memory message,
        bytes memory dst,
        uint256 lenInBytes
    ) internal pure returns (bytes memory uniform) {
        uint256 ell = (lenInBytes + 31) / 32;
        if (lenInBytes == 0 || ell > 255) revert BLSInvalidExpandLength(lenInBytes);
        if (dst.length > 255) dst = abi.encodePacked(sha256(abi.encodePacked("H2C-OVERSIZE-DST-", dst)));
        bytes memory dstPrime = abi.encodePacked(dst, uint8(dst.length));
        // msg_prime = Z_pad (64 zero bytes) ‖ msg ‖ I2OSP(len, 2) ‖ I2OSP(0, 1) ‖ DST_prime
        bytes32 b0 = sha256(abi.encodePacked(bytes32(0), bytes32(0), message, uint16(lenInBytes), uint8(0), dstPrime));
        bytes32 bi = sha256(abi.encodePacked(b0, uint8(1), dstPrime));
        uniform = new bytes(ell * 32);
        assembly ("memory-safe") {
            mstore(add(uniform, 0x20), bi)
        }
        for (uint256 i = 2; i <= ell; ++i) {
            bi = sha256(abi.encodePacked(b0 ^ bi, uint8(i), dstPrime));
            assembly ("memory-safe") {
                mstore(add(uniform, shl(5, i)), bi)
            }
        }
        // Trim to the requested length (the buffer was allocated in whole 32-byte blocks).
        assembly ("memory-safe") {
            mstore(uniform, lenInBytes)
        }
    }

    /// @dev Validates the flag bits of a compressed point's first word and returns whether it names a finite point
    /// (false for a well-formed infinity, after checking that the uncompressed point is infinity too).
    function checkFlags(uint256 w0, uint256 xBits, bool pointIsZero) private pure returns (bool finite) {
        if (w0 & FLAG_COMPRESSED == 0) revert BLSInvalidCompressedEncoding();
        if (w0 & FLAG_INFINITY != 0) {
            if (w0 & FLAG_SIGN != 0 || xBits != 0) revert BLSInvalidCompressedEncoding();
            if (!pointIsZero) revert BLSPointMismatch();
            return false;
        }
        return true;
    }

    /// @dev Whether the Fp element (hi, lo) is lexicographically larger than (p − 1) / 2 (the "sign" flag).
    function greaterThanHalf(uint256 hi, uint256 lo) private pure returns (bool) {
        return hi > HALF_P_HI || (hi == HALF_P_HI && lo > HALF_P_LO);
    }

    /// @dev Whether every byte of `data` is zero (the EIP-2537 encoding of the point at infinity).
    function isZero(bytes memory data) private pure returns (bool zero) {
        assembly ("memory-safe") {
            let acc := 0
            let start := add(data, 0x20)
            let end := add(start, mload(data))
            for { let p := start } lt(p, end) { p := add(p, 0x20) } {
                acc := or(acc, mload(p))
            }
            zero := iszero(acc)
        }
    }

    function requireLength(bytes memory data, uint256 expected) private pure {
        if (data.length != expected) revert BLSInvalidLength(data.length, expected);
    }

    function callPrecompile(
        address precompile,
        bytes memory input,
        uint256 outputLength
    ) private view returns (bytes memory output) {
        output = new bytes(outputLength);
        bool ok;
        assembly ("memory-safe") {
            ok := staticcall(gas(), precompile, add(input, 0x20), mload(input), add(output, 0x20), outputLength)
        }
        if (!ok) revert BLSPrecompileFailed(precompile);
    }
}
