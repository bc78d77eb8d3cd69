// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDepositVerifier} from "../interfaces/IDepositVerifier.sol";
import {BeaconProofs} from "../libraries/BeaconProofs.sol";
import {BeaconSigning} from "../libraries/BeaconSigning.sol";
import {SSZ} from "../libraries/SSZ.sol";

/// @title DepositVerifier
/// @notice Deposit-signature checks (`BeaconSigning` over the EIP-2537 precompiles) and withdrawal-credentials proofs
/// (`BeaconProofs`) of one network. Stateless. See `IDepositVerifier`.
contract DepositVerifier is IDepositVerifier {
    /// @dev The credentials without their prefix byte: the 0x01 and 0x02 (compounding) forms name the same address.
    uint256 private constant _ADDRESS_MASK = (1 << 248) - 1;

    bytes4 private immutable _GENESIS_FORK_VERSION;
    bytes32 private immutable _WITHDRAWAL_CREDENTIALS;

    /// @param genesisForkVersion_ The network's genesis fork version (mainnet 0x00000000).
    /// @param withdrawalCredentials_ The protocol's withdrawal credentials (0x01 form).
    constructor(bytes4 genesisForkVersion_, bytes32 withdrawalCredentials_) {
        _GENESIS_FORK_VERSION = genesisForkVersion_;
        _WITHDRAWAL_CREDENTIALS = withdrawalCredentials_;
    }

    /// @inheritdoc IDepositVerifier
    function genesisForkVersion() external view override returns (bytes4) {
        return _GENESIS_FORK_VERSION;
    }

    /// @inheritdoc IDepositVerifier
    function withdrawalCredentials() external view override returns (bytes32) {
        return _WITHDRAWAL_CREDENTIALS;
    }

    /// @inheritdoc IDepositVerifier
    function verifyDepositSignature(
        bytes calldata pubkey,
        bytes calldata pubkeyPoint,
        uint64 amountGwei,
        bytes calldata signature,
        bytes calldata signaturePoint
    ) external view override returns (bool) {
        return BeaconSigning.verifyDepositSignature(
            pubkey, pubkeyPoint, _WITHDRAWAL_CREDENTIALS, amountGwei, signature, signaturePoint, _GENESIS_FORK_VERSION
        );
    }

    /// @inheritdoc IDepositVerifier
    function proveWithdrawalCredentials(
        bytes calldata pubkey,
        uint256 beaconTimestamp,
        uint256 beaconIndex,
        bytes32 credentials,
        bytes32[] calldata proof
    ) external view override returns (bool) {
        // The credentials' sibling at the bottom of the proof is the record's pubkey root (`SSZ.processProof` then
        // checks the length is exactly 53).
        if (proof.length == 0 || proof[0] != SSZ.pubkeyRoot(pubkey)) revert PubkeyNotAtBeaconIndex(beaconIndex);
        BeaconProofs.verifyValidatorField(
            BeaconProofs.beaconBlockRoot(beaconTimestamp),
            beaconIndex,
            BeaconProofs.ValidatorField.WithdrawalCredentials,
            credentials,
            proof
        );
        uint256 prefix = uint256(credentials) >> 248;
        return (prefix == 1 || prefix == 2)
            && uint256(credentials) & _ADDRESS_MASK == uint256(_WITHDRAWAL_CREDENTIALS) & _ADDRESS_MASK;
    }
}
