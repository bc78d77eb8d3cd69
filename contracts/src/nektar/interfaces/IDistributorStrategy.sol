// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IDistributorStrategy
/// @notice Allocation policy of a `Distributor`: target weights over the Distributor's operators.
interface IDistributorStrategy {
    /// @notice Target weights, in basis points of the Distributor's delegatable assets, one per operator in order.
    /// Each at most 10,000 and together at most 10,000 (the rest stays idle); the Distributor rejects anything else.
    /// @param distributor The Distributor asking.
    /// @param operators Its operators.
    function weights(address distributor, address[] calldata operators) external view returns (uint256[] memory);
}

/// @title IPerformanceSource
/// @notice Per-operator performance in basis points (10,000 = perfect). Per-share performance is recorded by Stinger
/// and signed into statements but not yet on-chain; a source implementing this reads it once it is.
interface IPerformanceSource {
    /// @notice Performance of `operator`, 0..10,000.
    function performanceBps(address operator) external view returns (uint256);
}
