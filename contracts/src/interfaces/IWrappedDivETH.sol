// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

/// @title IWrappedDivETH
/// @notice wdivETH: a non-rebasing ERC-4626 vault over divETH. One wdivETH is backed by exactly one divETH share, so
/// its price in ether is the pool's share rate (pooled ether per share) and rises with staking rewards.
interface IWrappedDivETH is IERC4626, IERC20Permit {
    /// @notice The amount to wrap or unwrap is zero.
    error ZeroAmount();

    /// @notice Wraps `divETHAmount` divETH of the caller into wdivETH (ERC-4626 `deposit` to the caller).
    /// @param divETHAmount divETH to wrap; the caller must have approved this vault.
    /// @return wdivETHAmount wdivETH minted, equal to the divETH shares received.
    function wrap(uint256 divETHAmount) external returns (uint256 wdivETHAmount);

    /// @notice Unwraps `wdivETHAmount` wdivETH of the caller into divETH (ERC-4626 `redeem` to the caller).
    /// @param wdivETHAmount wdivETH to burn.
    /// @return divETHAmount divETH value of the shares sent, rounded down.
    function unwrap(uint256 wdivETHAmount) external returns (uint256 divETHAmount);

    /// @notice divETH (ether) value of one wdivETH (1e18 units), rounded down: the pool's share rate.
    /// @return Ether per wdivETH, scaled by 1e18.
    function divETHPerToken() external view returns (uint256);

    /// @notice wdivETH per one divETH (1e18 units), rounded down.
    /// @return wdivETH per divETH, scaled by 1e18.
    function tokensPerDivETH() external view returns (uint256);
}
