// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BeaconSigning} from "../libraries/BeaconSigning.sol";
import {BLS} from "../libraries/BLS.sol";
import {GasMeter} from "./GasMeter.sol";

/// @notice Test harness exposing the BLS and BeaconSigning libraries (tests and benchmarks only, never deployed on a
/// network).
contract BLSHarness is GasMeter {
    /// @notice `BLS.verify`.
    function verify(bytes calldata pubkey, bytes calldata message, bytes calldata signature, bytes calldata dst)
        external
        view
        returns (bool)
    {
        return BLS.verify(pubkey, message, signature, dst);
    }

    /// @notice `BLS.verifyCompressed`.
    function verifyCompressed(
        bytes calldata pubkeyCompressed,
        bytes calldata pubkey,
        bytes calldata message,
        bytes calldata signatureCompressed,
        bytes calldata signature,
        bytes calldata dst
    ) external view returns (bool) {
        return BLS.verifyCompressed(pubkeyCompressed, pubkey, message, signatureCompressed, signature, dst);
    }

    /// @notice `BLS.hashToG2`.
    function hashToG2(bytes calldata message, bytes calldata dst) external view returns (bytes memory) {
        return BLS.hashToG2(message, dst);
    }

    /// @notice `BLS.expandMessageXmd`.
    function expandMessageXmd(bytes calldata message, bytes calldata dst, uint256 lenInBytes)
        external
        pure
        returns (bytes memory)
    {
        return BLS.expandMessageXmd(message, dst, lenInBytes);
    }

    /// @notice `BLS.aggregateG1`.
    function aggregateG1(bytes calldata points) external view returns (bytes memory) {
        return BLS.aggregateG1(points);
    }

    /// @notice `BLS.checkG1`.
    function checkG1(bytes calldata compressed, bytes calldata point) external pure {
        BLS.checkG1(compressed, point);
    }

    /// @notice `BLS.checkG2`.
    function checkG2(bytes calldata compressed, bytes calldata point) external pure {
        BLS.checkG2(compressed, point);
    }

    /// @notice `BeaconSigning.computeDomain`.
    function computeDomain(bytes4 domainType, bytes4 forkVersion, bytes32 genesisValidatorsRoot)
        external
        view
        returns (bytes32)
    {
        return BeaconSigning.computeDomain(domainType, forkVersion, genesisValidatorsRoot);
    }

    /// @notice `BeaconSigning.depositSigningRoot`.
    function depositSigningRoot(
        bytes calldata pubkey,
        bytes32 withdrawalCredentials,
        uint64 amountGwei,
        bytes4 genesisForkVersion
    ) external view returns (bytes32) {
        return BeaconSigning.depositSigningRoot(pubkey, withdrawalCredentials, amountGwei, genesisForkVersion);
    }

    /// @notice `BeaconSigning.verifyDepositSignature`.
    function verifyDepositSignature(
        bytes calldata pubkey,
        bytes calldata pubkeyPoint,
        bytes32 withdrawalCredentials,
        uint64 amountGwei,
        bytes calldata signature,
        bytes calldata signaturePoint,
        bytes4 genesisForkVersion
    ) external view returns (bool) {
        return BeaconSigning.verifyDepositSignature(
            pubkey, pubkeyPoint, withdrawalCredentials, amountGwei, signature, signaturePoint, genesisForkVersion
        );
    }
}
