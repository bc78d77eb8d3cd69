// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IWithdrawalVault
/// @notice Target of the protocol's 0x01 withdrawal credentials and execution-layer fee recipient: it receives beacon
/// chain withdrawals and execution-layer rewards. Only the staking pool can move ether out, and only into itself, at an
/// accounting report.
interface IWithdrawalVault {
    /// @notice `amount` wei moved from the vault into the staking pool's buffer.
    /// @param amount Ether moved, in wei.
    event EtherWithdrawnToPool(uint256 amount);

    /// @notice The caller is not the staking pool.
    error NotStakingPool(address caller);
    /// @notice The vault holds `balance` wei but `requested` were asked for.
    error InsufficientVaultBalance(uint256 balance, uint256 requested);

    /// @notice Moves `amount` wei to the staking pool. Only the staking pool can call this.
    /// @param amount Ether to move, in wei.
    function withdrawToPool(uint256 amount) external;

    /// @notice The staking pool this vault belongs to.
    /// @return The pool address.
    function stakingPool() external view returns (address);
}
