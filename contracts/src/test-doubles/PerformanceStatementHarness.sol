// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {PerformanceStatement} from "../libraries/PerformanceStatement.sol";
import {GasMeter} from "./GasMeter.sol";

/// @notice Test harness exposing the PerformanceStatement library (tests and benchmarks only, never deployed on a
/// network).
contract PerformanceStatementHarness is GasMeter {
    /// @notice `PerformanceStatement.encode`.
    function encode(PerformanceStatement.Statement calldata s) external pure returns (bytes memory) {
        return PerformanceStatement.encode(s);
    }

    /// @notice `PerformanceStatement.statementRoot`.
    function statementRoot(PerformanceStatement.Statement calldata s) external pure returns (bytes32) {
        return PerformanceStatement.statementRoot(s);
    }

    /// @notice `PerformanceStatement.signingRoot`.
    function signingRoot(PerformanceStatement.Statement calldata s, bytes4 genesisForkVersion)
        external
        view
        returns (bytes32)
    {
        return PerformanceStatement.signingRoot(s, genesisForkVersion);
    }

    /// @notice `PerformanceStatement.verify` (what the gas benchmark measures).
    function verify(
        PerformanceStatement.Statement calldata s,
        bytes4 genesisForkVersion,
        bytes calldata pubkeyPoint,
        bytes calldata signature,
        bytes calldata signaturePoint
    ) external view returns (bool) {
        return PerformanceStatement.verify(s, genesisForkVersion, pubkeyPoint, signature, signaturePoint);
    }
}
