// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BeaconSigning} from "./BeaconSigning.sol";
import {BLS} from "./BLS.sol";

/// @title PerformanceStatement
/// @notice The per-share performance statement of one distributed validator for one oracle frame: for each share index
/// 1..n, how many of the validator's duties were expected of it and how many it contributed a partial signature to.
/// The cluster agrees on it and signs it with the **validator's own key** (an 11-of-16 threshold signature), so it is
/// evidence a contract can check: a report-tree leaf that contradicts a validator's signed statement is disputed with
/// it. The TypeScript encoding is `packages/crypto/src/performance/message.ts` (a test checks both give the same bytes);
/// Stinger builds and signs statements in `packages/stinger/src/performance/`.
/// @dev `statementRoot = keccak256(abi.encode(STATEMENT_TAG, chainId, oracle, validatorPubkey, frame, expected,
/// contributed))` and the BLS signing root is the consensus specs' `compute_signing_root(statementRoot,
/// compute_domain(DOMAIN_NEKTAR_PERFORMANCE, genesisForkVersion, 0x00…00))`. The domain type sets the specs'
/// application bit (`DOMAIN_APPLICATION_MASK` 0x00000001), which no beacon-chain domain type (0xNN000000) sets, and a
/// domain starts with its type: no beacon message has this signing root, so signing statements can never be
/// slashable nor replayed on the beacon chain.
library PerformanceStatement {
    /// @notice Domain type of the validator key's performance statements (application domain, like the builder API's).
    bytes4 internal constant DOMAIN_NEKTAR_PERFORMANCE = 0x4e4b5203;
    /// @notice First word of the encoding.
    bytes32 internal constant STATEMENT_TAG = keccak256("NEKTAR_PERFORMANCE_STATEMENT_V1");
    /// @notice Length of a compressed BLS public key.
    uint256 internal constant PUBKEY_LENGTH = 48;
    /// @notice Most shares a statement can list.
    uint256 internal constant MAX_SHARES = 255;

    /// @notice A validator's performance in one frame, per share index (array position i is share index i + 1).
    /// @param chainId The chain the protocol lives on.
    /// @param oracle The accounting oracle whose frame `frame` is.
    /// @param validatorPubkey The validator key (48 bytes compressed) that signs the statement.
    /// @param frame The oracle frame.
    /// @param expected Duties expected of each share in the frame.
    /// @param contributed Duties each share contributed a combined partial signature to (≤ expected).
    struct Statement {
        uint256 chainId;
        address oracle;
        bytes validatorPubkey;
        uint256 frame;
        uint32[] expected;
        uint32[] contributed;
    }

    /// @notice The validator key is not 48 bytes.
    error PerformanceInvalidValidatorPubkey(uint256 length);
    /// @notice `expected` and `contributed` do not list the same 1..255 shares.
    error PerformanceInvalidShareCount(uint256 expected, uint256 contributed);
    /// @notice Share `shareIndex` is said to have contributed to more duties than were expected of it.
    error PerformanceContributedExceedsExpected(uint256 shareIndex, uint32 contributed, uint32 expected);

    /// @notice Reverts unless `s` is well formed: a 48-byte validator key, one count pair per share (1..255 shares),
    /// and no share contributing to more duties than expected of it.
    function check(Statement memory s) internal pure {
        if (s.validatorPubkey.length != PUBKEY_LENGTH) revert PerformanceInvalidValidatorPubkey(s.validatorPubkey.length);
        uint256 n = s.expected.length;
        if (n == 0 || n > MAX_SHARES || s.contributed.length != n) {
            revert PerformanceInvalidShareCount(n, s.contributed.length);
        }
        for (uint256 i; i < n; ++i) {
            if (s.contributed[i] > s.expected[i]) {
                revert PerformanceContributedExceedsExpected(i + 1, s.contributed[i], s.expected[i]);
            }
        }
    }

    /// @notice The ABI encoding the statement root hashes (reverts for a malformed statement, see `check`).
    function encode(Statement memory s) internal pure returns (bytes memory) {
        check(s);
        return abi.encode(STATEMENT_TAG, s.chainId, s.oracle, s.validatorPubkey, s.frame, s.expected, s.contributed);
    }

    /// @notice keccak256 of `encode(s)`.
    function statementRoot(Statement memory s) internal pure returns (bytes32) {
        return keccak256(encode(s));
    }

    /// @notice The root the validator key signs on the network with `genesisForkVersion`.
    function signingRoot(Statement memory s, bytes4 genesisForkVersion) internal view returns (bytes32) {
        return BeaconSigning.computeSigningRoot(
            statementRoot(s), BeaconSigning.computeDomain(DOMAIN_NEKTAR_PERFORMANCE, genesisForkVersion, bytes32(0))
        );
    }

    /// @notice Whether `signature` is the validator key's signature of `s` (the threshold signature of its shares).
    /// @param pubkeyPoint `s.validatorPubkey` uncompressed (EIP-2537 G1, 128 bytes), checked against it.
    /// @param signature The signature compressed (96 bytes).
    /// @param signaturePoint The same signature uncompressed (EIP-2537 G2, 256 bytes), checked against it.
    /// @dev Reverts for malformed statements and encodings (`BLS` errors); false for a well-formed wrong signature.
    function verify(
        Statement memory s,
        bytes4 genesisForkVersion,
        bytes memory pubkeyPoint,
        bytes memory signature,
        bytes memory signaturePoint
    ) internal view returns (bool) {
        bytes32 root = signingRoot(s, genesisForkVersion);
        return BLS.verifyCompressed(
            s.validatorPubkey, pubkeyPoint, abi.encodePacked(root), signature, signaturePoint, BeaconSigning.DST
        );
    }
}
