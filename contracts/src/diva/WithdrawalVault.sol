// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IExitManager} from "../interfaces/IExitManager.sol";
import {IStakingPool} from "../interfaces/IStakingPool.sol";
import {IWithdrawalVault} from "../interfaces/IWithdrawalVault.sol";

/// @title WithdrawalVault
/// @notice Receives beacon-chain withdrawals (the protocol's 0x01 withdrawal credentials point here) and execution-layer
/// rewards (validators use it as fee recipient). Only the staking pool can pull ether, into itself, at a report. Only
/// the exit manager can make it send EIP-7002 exit requests, and the caller of the exit manager pays their fee: the
/// vault's own ether never leaves except into the pool.
contract WithdrawalVault is IWithdrawalVault {
    /// @notice The EIP-7002 withdrawal request contract (same address on every chain that has it).
    address public constant WITHDRAWAL_REQUEST_PREDEPLOY = 0x00000961Ef480Eb55e80D19ad83579A64c007002;
    /// @notice Validator public key length (BLS12-381 G1, compressed).
    uint256 private constant _PUBKEY_LENGTH = 48;

    address private immutable _STAKING_POOL;
    address private immutable _EXIT_MANAGER;

    /// @param stakingPool_ The staking pool allowed to pull ether.
    /// @param exitManager_ The exit manager allowed to send EIP-7002 requests (its `stakingPool()` must match).
    constructor(address stakingPool_, address exitManager_) {
        if (stakingPool_ == address(0)) revert NotStakingPool(stakingPool_);
        if (exitManager_.code.length == 0 || IExitManager(exitManager_).stakingPool() != stakingPool_) {
            revert ExitManagerNotBoundToPool(exitManager_);
        }
        _STAKING_POOL = stakingPool_;
        _EXIT_MANAGER = exitManager_;
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
    function requestFullWithdrawal(bytes calldata pubkey, address refundRecipient)
        external
        payable
        override
        returns (uint256 fee)
    {
        if (msg.sender != _EXIT_MANAGER) revert NotExitManager(msg.sender);
        if (pubkey.length != _PUBKEY_LENGTH) revert InvalidPubkeyLength(pubkey.length);
        fee = _withdrawalRequestFee();
        if (msg.value < fee) revert InsufficientWithdrawalRequestFee(msg.value, fee);
        // EIP-7002 calldata: validator pubkey (48 bytes) ‖ amount in gwei (big-endian uint64); amount 0 = full exit.
        (bool ok,) = WITHDRAWAL_REQUEST_PREDEPLOY.call{value: fee}(abi.encodePacked(pubkey, uint64(0)));
        if (!ok) revert WithdrawalRequestFailed();
        emit FullWithdrawalRequested(pubkey, fee);
        uint256 refund = msg.value - fee;
        if (refund != 0) {
            (bool refunded,) = refundRecipient.call{value: refund}("");
            if (!refunded) revert RefundFailed(refundRecipient, refund);
        }
    }

    /// @inheritdoc IWithdrawalVault
    function withdrawalRequestFee() external view override returns (uint256) {
        return _withdrawalRequestFee();
    }

    /// @inheritdoc IWithdrawalVault
    function stakingPool() external view override returns (address) {
        return _STAKING_POOL;
    }

    /// @inheritdoc IWithdrawalVault
    function exitManager() external view override returns (address) {
        return _EXIT_MANAGER;
    }

    /// @dev EIP-7002: a call with empty calldata returns the current fee as a 32-byte word. A call to an address without
    /// code also succeeds (with no data), so the length check is what detects a chain without the contract.
    function _withdrawalRequestFee() private view returns (uint256) {
        (bool ok, bytes memory data) = WITHDRAWAL_REQUEST_PREDEPLOY.staticcall("");
        if (!ok || data.length != 32) revert WithdrawalRequestFeeUnavailable();
        return abi.decode(data, (uint256));
    }
}
