// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IWithdrawalVault
/// @notice Target of the protocol's 0x01 withdrawal credentials and execution-layer fee recipient: it receives beacon
/// chain withdrawals and execution-layer rewards. Only the staking pool can move ether out, and only into itself, at an
/// accounting report. Being the credentials' address, it is also the only account that may ask the beacon chain to
/// exit a protocol validator through EIP-7002; it does so only when the exit manager asks.
interface IWithdrawalVault {
    /// @notice `amount` wei moved from the vault into the staking pool's buffer.
    /// @param amount Ether moved, in wei.
    event EtherWithdrawnToPool(uint256 amount);
    /// @notice An EIP-7002 full-withdrawal (exit) request for `pubkey` was sent, paying `fee` wei.
    /// @param pubkey The validator public key.
    /// @param fee Fee paid to the EIP-7002 contract, in wei (the rest of the value sent was refunded).
    event FullWithdrawalRequested(bytes pubkey, uint256 fee);

    /// @notice The caller is not the staking pool.
    error NotStakingPool(address caller);
    /// @notice The caller is not the exit manager.
    error NotExitManager(address caller);
    /// @notice `exitManager` does not name this vault's pool as its staking pool.
    error ExitManagerNotBoundToPool(address exitManager);
    /// @notice The vault holds `balance` wei but `requested` were asked for.
    error InsufficientVaultBalance(uint256 balance, uint256 requested);
    /// @notice A validator public key must be 48 bytes, not `length`.
    error InvalidPubkeyLength(uint256 length);
    /// @notice The EIP-7002 contract did not report a fee (no code at its address, or it reverted: the fee overflowed).
    error WithdrawalRequestFeeUnavailable();
    /// @notice `paid` wei were sent but the EIP-7002 contract asks `fee` wei.
    error InsufficientWithdrawalRequestFee(uint256 paid, uint256 fee);
    /// @notice The EIP-7002 contract refused the request.
    error WithdrawalRequestFailed();
    /// @notice Refunding `amount` wei of excess fee to `recipient` failed.
    error RefundFailed(address recipient, uint256 amount);

    /// @notice Moves `amount` wei to the staking pool. Only the staking pool can call this.
    /// @param amount Ether to move, in wei.
    function withdrawToPool(uint256 amount) external;

    /// @notice Sends an EIP-7002 full-withdrawal request (`pubkey ‖ uint64 0`) for a validator whose credentials
    /// point here, paying the fee the EIP-7002 contract reports out of `msg.value` and refunding the excess to
    /// `refundRecipient`. Only the exit manager.
    /// @param pubkey The validator public key (48 bytes).
    /// @param refundRecipient Receives `msg.value - fee`.
    /// @return fee The fee paid, in wei.
    function requestFullWithdrawal(bytes calldata pubkey, address refundRecipient)
        external
        payable
        returns (uint256 fee);

    /// @notice The fee the EIP-7002 contract currently asks for one request, in wei.
    /// @return The fee.
    function withdrawalRequestFee() external view returns (uint256);

    /// @notice The staking pool this vault belongs to.
    /// @return The pool address.
    function stakingPool() external view returns (address);

    /// @notice The exit manager allowed to send EIP-7002 requests through this vault.
    /// @return The exit manager address.
    function exitManager() external view returns (address);
}
