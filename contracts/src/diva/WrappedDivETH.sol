// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IDivETH} from "../interfaces/IDivETH.sol";
import {IWrappedDivETH} from "../interfaces/IWrappedDivETH.sol";

/// @title WrappedDivETH
/// @notice wdivETH: ERC-4626 vault over divETH where one wdivETH is exactly one divETH share. Conversions use the pool's
/// share rate (not the vault's own balance), so divETH donated to the vault cannot move the price; the vault's divETH
/// shares always cover the wdivETH supply.
/// @dev Rounding follows ERC-4626: deposit/redeem round down for the user, mint/withdraw round up against the user.
contract WrappedDivETH is ERC4626, ERC20Permit, IWrappedDivETH {
    IDivETH private immutable _DIV_ETH;

    /// @param divETH_ The divETH token (the staking pool).
    constructor(IDivETH divETH_)
        ERC20("Wrapped Diva Staked Ether", "wdivETH")
        ERC4626(IERC20(address(divETH_)))
        ERC20Permit("Wrapped Diva Staked Ether")
    {
        _DIV_ETH = divETH_;
    }

    /// @inheritdoc IWrappedDivETH
    function wrap(uint256 divETHAmount) external override returns (uint256 wdivETHAmount) {
        if (divETHAmount == 0) revert ZeroAmount();
        return deposit(divETHAmount, msg.sender);
    }

    /// @inheritdoc IWrappedDivETH
    function unwrap(uint256 wdivETHAmount) external override returns (uint256 divETHAmount) {
        if (wdivETHAmount == 0) revert ZeroAmount();
        return redeem(wdivETHAmount, msg.sender, msg.sender);
    }

    /// @inheritdoc IWrappedDivETH
    function divETHPerToken() external view override returns (uint256) {
        return _DIV_ETH.getPooledEthByShares(1 ether);
    }

    /// @inheritdoc IWrappedDivETH
    function tokensPerDivETH() external view override returns (uint256) {
        return _DIV_ETH.getSharesByPooledEth(1 ether);
    }

    /// @inheritdoc IERC20Metadata
    function decimals() public view override(ERC20, ERC4626, IERC20Metadata) returns (uint8) {
        return ERC4626.decimals();
    }

    /// @inheritdoc IERC20Permit
    function nonces(address owner) public view override(ERC20Permit, IERC20Permit) returns (uint256) {
        return ERC20Permit.nonces(owner);
    }

    function _convertToShares(uint256 assets, Math.Rounding rounding) internal view override returns (uint256) {
        return Math.mulDiv(assets, _DIV_ETH.getTotalShares(), _DIV_ETH.getTotalPooledEther(), rounding);
    }

    function _convertToAssets(uint256 shares, Math.Rounding rounding) internal view override returns (uint256) {
        return Math.mulDiv(shares, _DIV_ETH.getTotalPooledEther(), _DIV_ETH.getTotalShares(), rounding);
    }

    /// @dev Pulls exactly `shares` divETH shares (the allowance is charged their value rounded up, never more than
    /// `assets`), so the vault's share balance grows by exactly the wdivETH minted.
    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        _DIV_ETH.transferSharesFrom(caller, address(this), shares);
        _mint(receiver, shares);
        emit Deposit(caller, receiver, assets, shares);
    }

    /// @dev Sends exactly `shares` divETH shares, worth at least `assets` (shares were rounded up from `assets`).
    function _withdraw(address caller, address receiver, address owner, uint256 assets, uint256 shares)
        internal
        override
    {
        if (caller != owner) _spendAllowance(owner, caller, shares);
        _burn(owner, shares);
        _DIV_ETH.transferShares(receiver, shares);
        emit Withdraw(caller, receiver, owner, assets, shares);
    }
}
