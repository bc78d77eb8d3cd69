// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IStakingPool} from "../interfaces/IStakingPool.sol";
import {IValidatorRegistry} from "../interfaces/IValidatorRegistry.sol";

/// @notice Test double of the future validator registry: forwards the pool's registry entry points.
contract ValidatorRegistryDouble is IValidatorRegistry {
    address private immutable _POOL;

    constructor(address pool) {
        _POOL = pool;
    }

    /// @inheritdoc IValidatorRegistry
    function stakingPool() external view returns (address) {
        return _POOL;
    }

    /// @notice Forwards `reserveValidatorDeposit`.
    function reserve() external {
        IStakingPool(_POOL).reserveValidatorDeposit();
    }

    /// @notice Forwards `releaseValidatorDeposit`.
    function release() external {
        IStakingPool(_POOL).releaseValidatorDeposit();
    }

    /// @notice Forwards `depositValidator`.
    /// @param pubkey Validator public key.
    /// @param signature Deposit signature.
    /// @param depositDataRoot Deposit data root.
    function deposit(bytes calldata pubkey, bytes calldata signature, bytes32 depositDataRoot) external {
        IStakingPool(_POOL).depositValidator(pubkey, signature, depositDataRoot);
    }
}
