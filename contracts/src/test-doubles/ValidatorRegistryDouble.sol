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

    /// @notice Forwards `topUpValidator`.
    /// @param pubkey Validator public key.
    function topUp(bytes calldata pubkey) external {
        IStakingPool(_POOL).topUpValidator(pubkey);
    }

    /// @notice Forwards `writeOffPredeposit`, burning `bondShares` of the divETH shares this double holds.
    /// @param pubkey Validator public key.
    /// @param bondShares Shares to burn.
    function writeOff(bytes calldata pubkey, uint256 bondShares) external {
        IStakingPool(_POOL).writeOffPredeposit(pubkey, bondShares);
    }

    /// @notice Forwards `depositValidator`.
    /// @param pubkey Validator public key.
    /// @param signature Deposit signature.
    /// @param depositDataRoot Deposit data root.
    function deposit(bytes calldata pubkey, bytes calldata signature, bytes32 depositDataRoot) external {
        IStakingPool(_POOL).depositValidator(pubkey, signature, depositDataRoot);
    }
}
