// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IStakingPool} from "../interfaces/IStakingPool.sol";
import {IWithdrawalVault} from "../interfaces/IWithdrawalVault.sol";

/// @title WithdrawalVault
/// @notice Receives beacon-chain withdrawals (the protocol's 0x01 withdrawal credentials point here) and execution-layer
/// rewards (validators use it as fee recipient). Only the staking pool can pull ether, into itself, at a report.
contract WithdrawalVault is IWithdrawalVault {
    address private immutable _STAKING_POOL;

    /// @param stakingPool_ The staking pool allowed to pull ether.
    constructor(address stakingPool_) {
        if (stakingPool_ == address(0)) revert NotStakingPool(stakingPool_);
        _STAKING_POOL = stakingPool_;
    }

    /// @notice Accepts execution-layer rewards and any other plain transfer (beacon withdrawals arrive without a call).
    receive() external payable {}

    /// @inheritdoc IWithdrawalVault
    function withdrawToPool(uint256 amount) external override {
        if (msg.sender != _STAKING_POOL) revert NotStakingPool(msg.sender);
        uint256 balance = address(this).balance;
        if (amount > balance) revert InsufficientVaultBalance(balance, amount);
        emit EtherWithdrawnToPool(amount);
        IStakingPool(_STAKING_POOL).receiveWithdrawalVaultEther{value: amount}();
    }

    /// @inheritdoc IWithdrawalVault
    function stakingPool() external view override returns (address) {
        return _STAKING_POOL;
    }
}
