// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title ISlashVerifier
/// @notice A Network's on-chain evidence checker for *objective* slashing: the `NetworkRegistry` executes the slash at
/// once for the amount this returns (bounded by the slashable stake).
interface ISlashVerifier {
    /// @notice Checks `evidence` against `operator` for stake captured at `captureTimestamp`.
    /// @param networkId The network.
    /// @param operator The accused operator.
    /// @param captureTimestamp The capture timestamp the slash targets.
    /// @param evidence Network-specific proof (an equivocation, a wrong result with its proof…).
    /// @return amount divETH shares to slash; zero (or a revert) when the evidence does not hold.
    function verifySlash(uint256 networkId, address operator, uint48 captureTimestamp, bytes calldata evidence)
        external
        returns (uint256 amount);
}
