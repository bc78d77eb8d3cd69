// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IDepositVerifier
/// @notice The beacon-chain checks of the deposit guarantee for one network and one set of withdrawal credentials:
/// deposit signatures (EIP-2537 BLS precompiles), so a contract can refuse a deposit the beacon chain would ignore, and
/// withdrawal-credentials proofs (SSZ Merkle proofs against an EIP-4788 beacon block root). Deployed by the operator
/// registry in its constructor: this code lives in its own contract because the registry would otherwise exceed the
/// 24,576-byte code limit.
interface IDepositVerifier {
    /// @notice The proof's validator record at `beaconIndex` has another public key than the one given.
    /// @param beaconIndex The validator index the proof is for.
    error PubkeyNotAtBeaconIndex(uint256 beaconIndex);

    /// @notice The network's genesis fork version: signatures are checked in its `DOMAIN_DEPOSIT` (consensus specs:
    /// deposits are always signed with the genesis fork version and a zero genesis validators root).
    /// @return The 4-byte fork version.
    function genesisForkVersion() external view returns (bytes4);

    /// @notice The protocol's withdrawal credentials (0x01 form) that deposits are signed for.
    /// @return The credentials.
    function withdrawalCredentials() external view returns (bytes32);

    /// @notice Whether `signature` is a valid deposit signature of `pubkey` over
    /// `DepositMessage(pubkey, withdrawalCredentials(), amountGwei)` on this network.
    /// @dev Reverts (`BLS`/`SSZ` custom errors) when an uncompressed point does not match its compressed form or is
    /// malformed; returns false for a well-formed wrong signature.
    /// @param pubkey The validator key (48 bytes compressed).
    /// @param pubkeyPoint The same key uncompressed (EIP-2537 G1, 128 bytes).
    /// @param amountGwei The deposit amount in gwei.
    /// @param signature The deposit signature (96 bytes compressed).
    /// @param signaturePoint The same signature uncompressed (EIP-2537 G2, 256 bytes).
    /// @return valid True for a valid signature.
    function verifyDepositSignature(
        bytes calldata pubkey,
        bytes calldata pubkeyPoint,
        uint64 amountGwei,
        bytes calldata signature,
        bytes calldata signaturePoint
    ) external view returns (bool valid);

    /// @notice Checks that `validators[beaconIndex]` has key `pubkey` and `credentials` in the state of the beacon
    /// block whose root the EIP-4788 contract holds for `beaconTimestamp`, and tells whether those are the protocol's
    /// credentials (0x01 or 0x02 prefix, same address). Reverts when the proof fails
    /// (`BeaconProofs.BeaconRootNotFound` for an unknown or overwritten timestamp, `BeaconProofs.InvalidMerkleProof`,
    /// `SSZ.InvalidProofLength`, `PubkeyNotAtBeaconIndex`).
    /// @param pubkey The validator key (48 bytes compressed).
    /// @param beaconTimestamp Timestamp of an execution block within the EIP-4788 buffer (8191 blocks).
    /// @param beaconIndex The validator's index in the beacon state's registry.
    /// @param credentials The withdrawal credentials of `validators[beaconIndex]`.
    /// @param proof The 53 sibling hashes of the credentials leaf from the block root, bottom-up; the first is the
    /// record's pubkey root, so one proof shows both fields.
    /// @return ours True if `credentials` are the protocol's.
    function proveWithdrawalCredentials(
        bytes calldata pubkey,
        uint256 beaconTimestamp,
        uint256 beaconIndex,
        bytes32 credentials,
        bytes32[] calldata proof
    ) external view returns (bool ours);
}
