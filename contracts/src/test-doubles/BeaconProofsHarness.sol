// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BeaconProofs} from "../libraries/BeaconProofs.sol";
import {SSZ} from "../libraries/SSZ.sol";
import {GasMeter} from "./GasMeter.sol";

/// @notice Test harness exposing the BeaconProofs library (tests and benchmarks only, never deployed on a network).
/// The `...AtTimestamp` functions read the trusted root from the EIP-4788 contract, as a real consumer does.
contract BeaconProofsHarness is GasMeter {
    /// @notice `BeaconProofs.beaconBlockRoot`.
    function beaconBlockRoot(uint256 timestamp) external view returns (bytes32) {
        return BeaconProofs.beaconBlockRoot(timestamp);
    }

    /// @notice `BeaconProofs.verifyStateRoot`.
    function verifyStateRoot(bytes32 blockRoot, bytes32 stateRoot, bytes32[] calldata proof) external view {
        BeaconProofs.verifyStateRoot(blockRoot, stateRoot, proof);
    }

    /// @notice `BeaconProofs.verifyValidator`.
    function verifyValidator(
        bytes32 blockRoot,
        uint256 index,
        BeaconProofs.Validator calldata validator,
        bytes32[] calldata proof
    ) external view {
        BeaconProofs.verifyValidator(blockRoot, index, validator, proof);
    }

    /// @notice `BeaconProofs.verifyValidator` against the EIP-4788 root of `timestamp`.
    function verifyValidatorAtTimestamp(
        uint256 timestamp,
        uint256 index,
        BeaconProofs.Validator calldata validator,
        bytes32[] calldata proof
    ) external view {
        BeaconProofs.verifyValidator(BeaconProofs.beaconBlockRoot(timestamp), index, validator, proof);
    }

    /// @notice `BeaconProofs.verifyValidatorField`.
    function verifyValidatorField(
        bytes32 blockRoot,
        uint256 index,
        BeaconProofs.ValidatorField field,
        bytes32 leaf,
        bytes32[] calldata proof
    ) external view {
        BeaconProofs.verifyValidatorField(blockRoot, index, field, leaf, proof);
    }

    /// @notice `BeaconProofs.verifyValidatorField` for the withdrawal credentials against the EIP-4788 root of
    /// `timestamp`.
    function verifyCredentialsAtTimestamp(
        uint256 timestamp,
        uint256 index,
        bytes32 withdrawalCredentials,
        bytes32[] calldata proof
    ) external view {
        BeaconProofs.verifyValidatorField(
            BeaconProofs.beaconBlockRoot(timestamp),
            index,
            BeaconProofs.ValidatorField.WithdrawalCredentials,
            withdrawalCredentials,
            proof
        );
    }

    /// @notice `BeaconProofs.verifyBalance`.
    function verifyBalance(bytes32 blockRoot, uint256 index, bytes32 balancesChunk, bytes32[] calldata proof)
        external
        view
        returns (uint64)
    {
        return BeaconProofs.verifyBalance(blockRoot, index, balancesChunk, proof);
    }

    /// @notice `BeaconProofs.verifyBalance` against the EIP-4788 root of `timestamp`.
    function verifyBalanceAtTimestamp(
        uint256 timestamp,
        uint256 index,
        bytes32 balancesChunk,
        bytes32[] calldata proof
    ) external view returns (uint64) {
        return BeaconProofs.verifyBalance(BeaconProofs.beaconBlockRoot(timestamp), index, balancesChunk, proof);
    }

    /// @notice Balances of `indices` against the EIP-4788 root of `timestamp`: the `balances` list root is proved once
    /// (`rootProof`), then each chunk from it (`proofs[k]` for `indices[k]`), as a checkpoint batch does.
    function verifyBalancesAtTimestamp(
        uint256 timestamp,
        bytes32 balancesRoot,
        bytes32[] calldata rootProof,
        uint256[] calldata indices,
        bytes32[] calldata chunks,
        bytes32[][] calldata proofs
    ) external view returns (uint64[] memory balances) {
        BeaconProofs.verifyBalancesRoot(BeaconProofs.beaconBlockRoot(timestamp), balancesRoot, rootProof);
        balances = new uint64[](indices.length);
        for (uint256 k; k < indices.length; ++k) {
            balances[k] = BeaconProofs.verifyBalanceInList(balancesRoot, indices[k], chunks[k], proofs[k]);
        }
    }

    /// @notice `BeaconProofs.verifyValidatorsRoot` then `BeaconProofs.verifyValidatorInRegistry`.
    function verifyValidatorInRegistry(
        bytes32 blockRoot,
        bytes32 validatorsRoot,
        bytes32[] calldata rootProof,
        uint256 index,
        BeaconProofs.Validator calldata validator,
        bytes32[] calldata proof
    ) external view {
        BeaconProofs.verifyValidatorsRoot(blockRoot, validatorsRoot, rootProof);
        BeaconProofs.verifyValidatorInRegistry(validatorsRoot, index, validator, proof);
    }

    /// @notice `BeaconProofs.validatorRoot`.
    function validatorRoot(BeaconProofs.Validator calldata validator) external view returns (bytes32) {
        return BeaconProofs.validatorRoot(validator);
    }

    /// @notice The generalized indices the library uses, from the block root.
    function gindices(uint256 index)
        external
        pure
        returns (uint256 validator, uint256[8] memory fields, uint256 balance)
    {
        validator = BeaconProofs.validatorGindex(index);
        for (uint256 f; f < 8; ++f) {
            fields[f] = BeaconProofs.validatorFieldGindex(index, BeaconProofs.ValidatorField(f));
        }
        balance = BeaconProofs.balanceGindex(index);
    }

    /// @notice The layout constants, for the test that derives them from Lodestar's SSZ types.
    function layout()
        external
        pure
        returns (uint256 stateRoot, uint256 validators, uint256 balances, uint256 stateDepth)
    {
        return (
            BeaconProofs.STATE_ROOT_GINDEX,
            BeaconProofs.VALIDATORS_GINDEX,
            BeaconProofs.BALANCES_GINDEX,
            BeaconProofs.STATE_FIELDS_DEPTH
        );
    }

    /// @notice `SSZ.uint64At`.
    function uint64At(bytes32 chunk, uint256 slot) external pure returns (uint64) {
        return SSZ.uint64At(chunk, slot);
    }
}
