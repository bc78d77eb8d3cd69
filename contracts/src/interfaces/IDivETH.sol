// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @title IDivETH
/// @notice Diva staked ether: a rebasing ERC-20 whose balances are `shares * totalPooledEther / totalShares`, with
/// EIP-2612 permits. Share amounts are exact; ether amounts are derived from shares and rounded down, so the sum of all
/// balances never exceeds the total pooled ether.
interface IDivETH is IERC20Metadata, IERC20Permit {
    /// @notice `sharesValue` shares moved from `from` to `to` (zero address for mints and burns). Emitted next to the
    /// ERC-20 `Transfer` event, which carries the ether amount.
    /// @param from Sender of the shares, zero for a mint.
    /// @param to Recipient of the shares, zero for a burn.
    /// @param sharesValue Number of shares moved.
    event TransferShares(address indexed from, address indexed to, uint256 sharesValue);

    /// @notice The recipient may not receive divETH (zero address or the divETH contract itself).
    error InvalidRecipient(address recipient);
    /// @notice The approval owner or spender is the zero address.
    error InvalidApproval(address owner, address spender);
    /// @notice `account` holds `balance` shares but `needed` are required.
    error InsufficientShares(address account, uint256 balance, uint256 needed);
    /// @notice `spender` may spend `allowance` of `owner`'s divETH but `needed` is required.
    error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);
    /// @notice The permit deadline has passed.
    error PermitExpired(uint256 deadline);
    /// @notice The permit was not signed by `owner` (it recovers to `signer`).
    error InvalidPermitSigner(address signer, address owner);

    /// @notice Shares held by `account`.
    /// @param account The holder.
    /// @return The number of shares.
    function sharesOf(address account) external view returns (uint256);

    /// @notice Total shares in existence, including the shares locked at deployment.
    /// @return The total number of shares.
    function getTotalShares() external view returns (uint256);

    /// @notice Total ether controlled by the protocol on behalf of divETH holders (equals `totalSupply()`).
    /// @return The total pooled ether in wei.
    function getTotalPooledEther() external view returns (uint256);

    /// @notice Ether value of `sharesAmount` shares, rounded down.
    /// @param sharesAmount Number of shares.
    /// @return The ether amount in wei.
    function getPooledEthByShares(uint256 sharesAmount) external view returns (uint256);

    /// @notice Shares worth `ethAmount` ether, rounded down.
    /// @param ethAmount Ether amount in wei.
    /// @return The number of shares.
    function getSharesByPooledEth(uint256 ethAmount) external view returns (uint256);

    /// @notice Moves `sharesAmount` of the caller's shares to `recipient`.
    /// @param recipient The receiver; not zero and not the divETH contract.
    /// @param sharesAmount Number of shares to move.
    /// @return The ether value of the moved shares (rounded down), as emitted in `Transfer`.
    function transferShares(address recipient, uint256 sharesAmount) external returns (uint256);

    /// @notice Moves `sharesAmount` shares from `sender` to `recipient` using the caller's allowance. The allowance is
    /// counted in divETH (ether) and is charged the ether value of the shares rounded up, so rounding never favours
    /// the caller.
    /// @param sender The holder whose shares move.
    /// @param recipient The receiver; not zero and not the divETH contract.
    /// @param sharesAmount Number of shares to move.
    /// @return The ether value of the moved shares (rounded down), as emitted in `Transfer`.
    function transferSharesFrom(address sender, address recipient, uint256 sharesAmount) external returns (uint256);
}
