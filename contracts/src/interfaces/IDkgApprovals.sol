// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IDkgApprovals
/// @notice The operator registry's EIP-712 digest of a DKG result (domain "Nektar Operator Registry", version "1", the
/// registry as verifying contract) and the check of the operators' signatures over it (ECDSA for EOA signers,
/// ERC-1271 for contract signers), in one call.
interface IDkgApprovals {
    /// @notice EIP-712 type of the DKG result operators approve (`bytes` fields are hashed, as EIP-712 specifies).
    /// @return The type hash.
    // solhint-disable-next-line func-name-mixedcase
    function DKG_RESULT_TYPEHASH() external view returns (bytes32);

    /// @notice The registry that deployed this contract (the EIP-712 verifying contract).
    /// @return The registry.
    function registry() external view returns (address);

    /// @notice The EIP-712 digest operators sign to approve a DKG result of `requestId`.
    /// @param requestId The request.
    /// @param groupPubkey The distributed validator's public key (48 bytes).
    /// @param sharePubkeys The 16 key shares' public keys, concatenated.
    /// @param depositSignature The 1 ETH deposit's signature.
    /// @param depositDataRoot The deposit data root.
    /// @return The digest.
    function resultDigest(
        uint256 requestId,
        bytes calldata groupPubkey,
        bytes calldata sharePubkeys,
        bytes calldata depositSignature,
        bytes32 depositDataRoot
    ) external view returns (bytes32);

    /// @notice The position of the first signature that is not a valid signature of `digest` by its signer.
    /// @param signers The signer of each position; `address(0)` skips the position (approved otherwise, e.g. on-chain).
    /// @param digest The digest every signer approves.
    /// @param signatures One signature per position (same length as `signers`).
    /// @return position The first invalid position, or `signers.length` if all are valid.
    function firstInvalidSignature(address[] calldata signers, bytes32 digest, bytes[] calldata signatures)
        external
        view
        returns (uint256 position);
}
