// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IDivETH} from "../interfaces/IDivETH.sol";

/// @title DivETH
/// @notice Share-based rebasing ERC-20 (like stETH): balances are `shares * totalPooledEther / totalShares`. The staking
/// pool inherits it and supplies `_getTotalPooledEther()`.
/// @dev Rounding policy: ether → shares and shares → ether both round down, so a holder never receives more than the
/// ether they asked to move and the sum of all balances never exceeds the total pooled ether; allowances spent by
/// `transferSharesFrom` round up (against the caller).
abstract contract DivETH is IDivETH, EIP712, Nonces {
    bytes32 private constant _PERMIT_TYPEHASH =
        // solhint-disable-next-line gas-small-strings
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    mapping(address account => uint256) private _shares;
    mapping(address owner => mapping(address spender => uint256)) private _allowances;
    uint256 private _totalShares;

    constructor() EIP712("Diva Staked Ether", "1") {}

    // ---------------------------------------------------------------- ERC-20 metadata and views

    /// @inheritdoc IERC20Metadata
    function name() external pure override returns (string memory) {
        return "Diva Staked Ether";
    }

    /// @inheritdoc IERC20Metadata
    function symbol() external pure override returns (string memory) {
        return "divETH";
    }

    /// @inheritdoc IERC20Metadata
    function decimals() external pure override returns (uint8) {
        return 18;
    }

    /// @inheritdoc IERC20
    function totalSupply() external view override returns (uint256) {
        return _getTotalPooledEther();
    }

    /// @inheritdoc IERC20
    function balanceOf(address account) external view override returns (uint256) {
        return getPooledEthByShares(_shares[account]);
    }

    /// @inheritdoc IERC20
    function allowance(address owner, address spender) external view override returns (uint256) {
        return _allowances[owner][spender];
    }

    /// @inheritdoc IDivETH
    function sharesOf(address account) external view override returns (uint256) {
        return _shares[account];
    }

    /// @inheritdoc IDivETH
    function getTotalShares() public view override returns (uint256) {
        return _totalShares;
    }

    /// @inheritdoc IDivETH
    function getTotalPooledEther() external view override returns (uint256) {
        return _getTotalPooledEther();
    }

    /// @inheritdoc IDivETH
    function getPooledEthByShares(uint256 sharesAmount) public view override returns (uint256) {
        return Math.mulDiv(sharesAmount, _getTotalPooledEther(), _totalShares);
    }

    /// @inheritdoc IDivETH
    function getSharesByPooledEth(uint256 ethAmount) public view override returns (uint256) {
        return Math.mulDiv(ethAmount, _totalShares, _getTotalPooledEther());
    }

    // ---------------------------------------------------------------- transfers

    /// @inheritdoc IERC20
    function transfer(address to, uint256 value) external override returns (bool) {
        _transferShares(msg.sender, to, getSharesByPooledEth(value), value);
        return true;
    }

    /// @inheritdoc IERC20
    function transferFrom(address from, address to, uint256 value) external override returns (bool) {
        _spendAllowance(from, msg.sender, value);
        _transferShares(from, to, getSharesByPooledEth(value), value);
        return true;
    }

    /// @inheritdoc IDivETH
    function transferShares(address recipient, uint256 sharesAmount) external override returns (uint256 amount) {
        amount = getPooledEthByShares(sharesAmount);
        _transferShares(msg.sender, recipient, sharesAmount, amount);
    }

    /// @inheritdoc IDivETH
    function transferSharesFrom(address sender, address recipient, uint256 sharesAmount)
        external
        override
        returns (uint256 amount)
    {
        uint256 totalPooledEther = _getTotalPooledEther();
        _spendAllowance(
            sender, msg.sender, Math.mulDiv(sharesAmount, totalPooledEther, _totalShares, Math.Rounding.Ceil)
        );
        amount = Math.mulDiv(sharesAmount, totalPooledEther, _totalShares);
        _transferShares(sender, recipient, sharesAmount, amount);
    }

    // ---------------------------------------------------------------- approvals and permits

    /// @inheritdoc IERC20
    function approve(address spender, uint256 value) external override returns (bool) {
        _approve(msg.sender, spender, value);
        return true;
    }

    /// @inheritdoc IERC20Permit
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        override
    {
        if (block.timestamp > deadline) revert PermitExpired(deadline);
        bytes32 structHash = keccak256(abi.encode(_PERMIT_TYPEHASH, owner, spender, value, _useNonce(owner), deadline));
        address signer = ECDSA.recover(_hashTypedDataV4(structHash), v, r, s);
        if (signer != owner) revert InvalidPermitSigner(signer, owner);
        _approve(owner, spender, value);
    }

    /// @inheritdoc IERC20Permit
    function nonces(address owner) public view override(IERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    /// @inheritdoc IERC20Permit
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view override returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ---------------------------------------------------------------- internal

    /// @dev Total ether backing all shares; supplied by the staking pool.
    function _getTotalPooledEther() internal view virtual returns (uint256);

    /// @dev Mints `sharesAmount` shares to `recipient` and emits both transfer events with `amount` as ether value.
    function _mintShares(address recipient, uint256 sharesAmount, uint256 amount) internal {
        _totalShares += sharesAmount;
        // Safe: a holder's shares never exceed `_totalShares`, which was just checked not to overflow.
        unchecked {
            _shares[recipient] += sharesAmount;
        }
        emit Transfer(address(0), recipient, amount);
        emit TransferShares(address(0), recipient, sharesAmount);
    }

    /// @dev Burns `sharesAmount` shares of `account`. Only `TransferShares` is emitted: burns happen at withdrawal
    /// finalization, where the withdrawal queue emits the ether paid.
    function _burnShares(address account, uint256 sharesAmount) internal {
        uint256 balance = _shares[account];
        if (balance < sharesAmount) revert InsufficientShares(account, balance, sharesAmount);
        // Safe: checked above, and `_totalShares` is the sum of all balances.
        unchecked {
            _shares[account] = balance - sharesAmount;
            _totalShares -= sharesAmount;
        }
        emit TransferShares(account, address(0), sharesAmount);
    }

    function _transferShares(address from, address to, uint256 sharesAmount, uint256 amount) private {
        if (to == address(0) || to == address(this)) revert InvalidRecipient(to);
        uint256 balance = _shares[from];
        if (balance < sharesAmount) revert InsufficientShares(from, balance, sharesAmount);
        // Safe: checked above; the recipient's shares plus the moved shares never exceed `_totalShares`.
        unchecked {
            _shares[from] = balance - sharesAmount;
            _shares[to] += sharesAmount;
        }
        emit Transfer(from, to, amount);
        emit TransferShares(from, to, sharesAmount);
    }

    function _approve(address owner, address spender, uint256 value) private {
        if (owner == address(0) || spender == address(0)) revert InvalidApproval(owner, spender);
        _allowances[owner][spender] = value;
        emit Approval(owner, spender, value);
    }

    function _spendAllowance(address owner, address spender, uint256 value) private {
        uint256 current = _allowances[owner][spender];
        if (current == type(uint256).max) return;
        if (current < value) revert InsufficientAllowance(owner, spender, current, value);
        // Safe: checked above.
        unchecked {
            _allowances[owner][spender] = current - value;
        }
    }
}
