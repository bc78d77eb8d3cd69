// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IValidatorRegistry
/// @notice The staking pool's view of the validator registry (built by the operator-registry issue). The registry
/// selects operator clusters and drives the pool's validator deposit flow through `IStakingPool`:
/// `reserveValidatorDeposit()` when it assigns a validator to a cluster (locks 32 ETH of the buffer),
/// `releaseValidatorDeposit()` if the assignment is abandoned, and `depositValidator(pubkey, signature, root)` once the
/// cluster's distributed key and deposit signature are ready (consumes the reservation, sends 32 ETH).
interface IValidatorRegistry {
    /// @notice The staking pool the registry drives; the pool checks it equals itself when the registry is wired.
    /// @return The pool address.
    function stakingPool() external view returns (address);
}
