// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BeaconSigning} from "./BeaconSigning.sol";
import {BLS} from "./BLS.sol";

/// @title ReshareMessage
/// @notice The message a resharing result is accepted on: when one operator of a distributed validator is replaced,
/// the **validator's own key** (an 11-of-16 threshold signature of the old shares) signs the new share public keys,
/// the new membership, the validator key and the request's nonce, and the newcomer approves the same result with its
/// registered signer (EIP-712). The TypeScript encoding is `packages/crypto/src/reshare/message.ts`; a test checks
/// that both produce the same bytes.
/// @dev `resultRoot = keccak256(abi.encode(RESULT_TAG, chainId, registry, validatorPubkey, nonce, leavingIndex,
/// newcomer, members, sharePublicKeys))` and the BLS signing root is the consensus specs'
/// `compute_signing_root(resultRoot, compute_domain(DOMAIN_NEKTAR_RESHARE, genesisForkVersion, 0x00…00))`. The domain
/// type has the specs' application bit (`0x00000001`), so no beacon-chain message shares this signing root.
library ReshareMessage {
    /// @notice Domain type of the validator key's approval of a reshare (application domain, like the builder API's).
    bytes4 internal constant DOMAIN_NEKTAR_RESHARE = 0x4e4b5201;
    /// @notice First word of the encoding.
    bytes32 internal constant RESULT_TAG = keccak256("NEKTAR_RESHARE_RESULT_V1");
    /// @notice EIP-712 type of the newcomer's approval, hashed under the requesting contract's domain.
    // solhint-disable-next-line gas-small-strings
    bytes32 internal constant APPROVAL_TYPEHASH = keccak256("ReshareApproval(bytes32 resultRoot)");
    /// @notice Length of a compressed BLS public key.
    uint256 internal constant PUBKEY_LENGTH = 48;

    /// @notice A reshare result: the seat `leavingIndex` (1-based) of `validatorPubkey` now belongs to `newcomer`.
    /// @param chainId The chain the request lives on.
    /// @param registry The contract that requested the reshare.
    /// @param validatorPubkey The validator key (48 bytes compressed), unchanged.
    /// @param nonce The request's nonce; a result is bound to one request.
    /// @param leavingIndex The replaced seat, 1-based.
    /// @param newcomer The operator that took the seat (`members[leavingIndex - 1]`).
    /// @param members The new membership in seat order.
    /// @param sharePublicKeys The new share public keys, 48 bytes each, concatenated in seat order.
    struct Result {
        uint256 chainId;
        address registry;
        bytes validatorPubkey;
        uint256 nonce;
        uint8 leavingIndex;
        address newcomer;
        address[] members;
        bytes sharePublicKeys;
    }

    /// @notice The validator key is not 48 bytes.
    error ReshareInvalidValidatorPubkey(uint256 length);
    /// @notice `sharePublicKeys` does not hold one 48-byte key per member.
    error ReshareInvalidSharePublicKeys(uint256 length, uint256 members);
    /// @notice The replaced seat is outside 1..members, or does not hold the newcomer.
    error ReshareInvalidSeat(uint8 leavingIndex, address newcomer);

    /// @notice Reverts unless `r` is well formed: a 48-byte validator key, one 48-byte share key per member, and the
    /// newcomer in the replaced seat.
    function check(Result memory r) internal pure {
        if (r.validatorPubkey.length != PUBKEY_LENGTH) revert ReshareInvalidValidatorPubkey(r.validatorPubkey.length);
        if (r.members.length == 0 || r.sharePublicKeys.length != r.members.length * PUBKEY_LENGTH) {
            revert ReshareInvalidSharePublicKeys(r.sharePublicKeys.length, r.members.length);
        }
        if (r.leavingIndex == 0 || r.leavingIndex > r.members.length || r.members[r.leavingIndex - 1] != r.newcomer) {
            revert ReshareInvalidSeat(r.leavingIndex, r.newcomer);
        }
    }

    /// @notice The ABI encoding the result root hashes (reverts for a malformed result, see `check`).
    function encode(Result memory r) internal pure returns (bytes memory) {
        check(r);
        return abi.encode(
            RESULT_TAG,
            r.chainId,
            r.registry,
            r.validatorPubkey,
            r.nonce,
            r.leavingIndex,
            r.newcomer,
            r.members,
            r.sharePublicKeys
        );
    }

    /// @notice keccak256 of `encode(r)`.
    function resultRoot(Result memory r) internal pure returns (bytes32) {
        return keccak256(encode(r));
    }

    /// @notice The root the validator key signs on the network with `genesisForkVersion`.
    function signingRoot(Result memory r, bytes4 genesisForkVersion) internal view returns (bytes32) {
        return BeaconSigning.computeSigningRoot(
            resultRoot(r), BeaconSigning.computeDomain(DOMAIN_NEKTAR_RESHARE, genesisForkVersion, bytes32(0))
        );
    }

    /// @notice EIP-712 struct hash of the newcomer's approval of the result with root `root`; the requesting contract
    /// turns it into a digest with its own domain (`_hashTypedDataV4`).
    function approvalStructHash(bytes32 root) internal pure returns (bytes32) {
        return keccak256(abi.encode(APPROVAL_TYPEHASH, root));
    }

    /// @notice Whether `signature` is the validator key's signature of `r`: the threshold signature of the old shares.
    /// @param pubkeyPoint `r.validatorPubkey` uncompressed (EIP-2537 G1, 128 bytes), checked against it.
    /// @param signature The signature compressed (96 bytes).
    /// @param signaturePoint The same signature uncompressed (EIP-2537 G2, 256 bytes), checked against it.
    /// @dev Reverts for malformed results and encodings (`BLS` errors); false for a well-formed wrong signature.
    function verifyValidatorSignature(
        Result memory r,
        bytes4 genesisForkVersion,
        bytes memory pubkeyPoint,
        bytes memory signature,
        bytes memory signaturePoint
    ) internal view returns (bool) {
        bytes32 root = signingRoot(r, genesisForkVersion);
        return BLS.verifyCompressed(
            r.validatorPubkey, pubkeyPoint, abi.encodePacked(root), signature, signaturePoint, BeaconSigning.DST
        );
    }
}
