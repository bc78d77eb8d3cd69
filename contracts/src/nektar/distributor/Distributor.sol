// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IDivETH} from "../../interfaces/IDivETH.sol";
import {IWrappedDivETH} from "../../interfaces/IWrappedDivETH.sol";
import {IDistributor} from "../interfaces/IDistributor.sol";
import {IDistributorStrategy} from "../interfaces/IDistributorStrategy.sol";
import {IRestakingVault} from "../interfaces/IRestakingVault.sol";

/// @title Distributor
/// @notice ERC-4626 liquid restaking vault over wdivETH delegating by a strategy. See `IDistributor`.
/// @dev Inflation protection: OpenZeppelin's virtual shares with a decimals offset of 6 make a first-depositor
/// donation attack cost a million times what it could steal; ERC-4626 rounding (shares down on deposit, up on
/// withdraw) always favours the vault. Every loop is bounded by `MAX_OPERATORS`.
contract Distributor is ERC4626, ReentrancyGuardTransient, IDistributor {
    using SafeERC20 for IERC20;

    /// @notice Most operators one Distributor delegates to.
    uint256 public constant MAX_OPERATORS = 16;
    /// @notice Gas the strategy may use per `rebalance`.
    uint256 public constant STRATEGY_GAS = 1_000_000;
    uint256 private constant _BPS = 10_000;

    IRestakingVault private immutable _VAULT;
    IDivETH private immutable _DIV_ETH;
    IDistributorStrategy private immutable _STRATEGY;
    address private immutable _CURATOR;

    address[] private _operators;
    uint256 private _cursor;
    uint256 private _inFlight;
    mapping(uint256 claimEpoch => Bucket) private _buckets;
    mapping(uint256 claimEpoch => address[]) private _bucketOperators;
    mapping(uint256 claimEpoch => mapping(address operator => bool)) private _inBucket;
    mapping(address account => mapping(uint256 claimEpoch => uint256)) private _requests;

    /// @param vault The restaking vault (over divETH).
    /// @param wdivETH The wdivETH token (the asset).
    /// @param strategy_ The allocation strategy.
    /// @param curator_ Who may add operators.
    /// @param name_ Share token name.
    /// @param symbol_ Share token symbol.
    constructor(
        IRestakingVault vault,
        IWrappedDivETH wdivETH,
        IDistributorStrategy strategy_,
        address curator_,
        string memory name_,
        string memory symbol_
    ) ERC20(name_, symbol_) ERC4626(IERC20(address(wdivETH))) {
        if (address(vault) == address(0) || address(strategy_) == address(0) || curator_ == address(0)) {
            revert ZeroAddress();
        }
        _VAULT = vault;
        _DIV_ETH = IDivETH(IERC4626Like(address(wdivETH)).asset());
        _STRATEGY = strategy_;
        _CURATOR = curator_;
        IERC20(address(wdivETH)).forceApprove(address(vault), type(uint256).max);
    }

    /// @inheritdoc IDistributor
    function addOperator(address operator) external override {
        if (msg.sender != _CURATOR) revert NotCurator(msg.sender);
        uint256 n = _operators.length;
        if (n == MAX_OPERATORS) revert TooManyOperators(MAX_OPERATORS);
        if (operator == address(0) || !_VAULT.getOperator(operator).registered) revert InvalidOperator(operator);
        for (uint256 i = 0; i < n; ++i) {
            if (_operators[i] == operator) revert InvalidOperator(operator);
        }
        _operators.push(operator);
        emit OperatorAdded(operator);
    }

    /// @inheritdoc IDistributor
    function rebalance(uint256 maxOperators) external override nonReentrant returns (uint256 touched) {
        address[] memory ops = _operators;
        uint256 n = ops.length;
        if (n == 0 || maxOperators == 0) return 0;
        uint256[] memory w = _weights(ops);
        uint256 total = totalAssets();
        uint256 idle = IERC20(asset()).balanceOf(address(this));
        uint256 cursor = _cursor;
        touched = Math.min(maxOperators, n);
        for (uint256 k = 0; k < touched; ++k) {
            uint256 i = (cursor + k) % n;
            address op = ops[i];
            (uint256 active, uint256 pending,) = _VAULT.positionOf(address(this), op);
            uint256 current = active + pending;
            uint256 target = Math.mulDiv(total, w[i], _BPS);
            if (current < target && idle != 0) {
                uint256 amount = Math.min(target - current, idle);
                idle -= amount;
                _VAULT.depositWrapped(op, amount);
                emit Rebalanced(op, amount, 0, 0);
            } else if (current > target && active != 0) {
                uint256 amount = Math.min(current - target, active);
                uint256 claimEpoch = _undelegate(op, amount, address(this));
                _inFlight += amount;
                emit Rebalanced(op, 0, amount, claimEpoch);
            }
        }
        _cursor = (cursor + touched) % n;
    }

    /// @notice Collects rebalancing's part of `claimEpoch` back into idle wdivETH. Anyone.
    /// @return assets wdivETH added to idle assets.
    function collectRebalance(uint256 claimEpoch) external nonReentrant returns (uint256 assets) {
        uint256 requested = _requests[address(this)][claimEpoch];
        uint256 shares = _claimFor(address(this), claimEpoch);
        _inFlight -= requested;
        if (shares == 0) return 0;
        // wdivETH mints shares 1:1 for divETH; wrapping by ether value may leave a wei of divETH behind.
        uint256 amount = _DIV_ETH.getPooledEthByShares(shares);
        IERC20(address(_DIV_ETH)).forceApprove(asset(), amount);
        assets = IWrappedDivETH(asset()).wrap(amount);
    }

    /// @inheritdoc IDistributor
    function requestRedeem(uint256 shares, address receiver, address owner)
        external
        override
        nonReentrant
        returns (uint256 claimEpoch)
    {
        if (shares == 0) revert ZeroAmount();
        if (receiver == address(0)) revert ZeroAddress();
        if (msg.sender != owner) _spendAllowance(owner, msg.sender, shares);
        uint256 assets = previewRedeem(shares);
        _burn(owner, shares);
        uint256 idle = IERC20(asset()).balanceOf(address(this));
        uint256 paidNow = Math.min(idle, assets);
        uint256 rest = assets - paidNow;
        if (rest != 0) claimEpoch = _undelegateAcross(rest, receiver);
        emit RedeemRequested(owner, receiver, shares, assets, paidNow, claimEpoch);
        if (paidNow != 0) IERC20(asset()).safeTransfer(receiver, paidNow);
    }

    /// @inheritdoc IDistributor
    function claim(uint256 claimEpoch, address receiver) external override nonReentrant returns (uint256 divETHShares) {
        if (receiver == address(0)) revert ZeroAddress();
        divETHShares = _claimFor(msg.sender, claimEpoch);
        emit Claimed(msg.sender, receiver, claimEpoch, divETHShares);
        if (divETHShares != 0) _DIV_ETH.transferShares(receiver, divETHShares);
    }

    // ------------------------------------------------------------------ ERC-4626

    /// @notice Idle wdivETH + delegations (active and pending, after slashes) + rebalancing in flight.
    function totalAssets() public view override returns (uint256 total) {
        total = IERC20(asset()).balanceOf(address(this)) + _inFlight;
        uint256 n = _operators.length;
        for (uint256 i = 0; i < n; ++i) {
            (uint256 active, uint256 pending,) = _VAULT.positionOf(address(this), _operators[i]);
            total += active + pending;
        }
    }

    /// @notice Synchronous withdrawals are limited to idle assets; the rest leaves through `requestRedeem`.
    function maxWithdraw(address owner) public view override returns (uint256) {
        return Math.min(super.maxWithdraw(owner), IERC20(asset()).balanceOf(address(this)));
    }

    /// @notice Synchronous redemptions are limited to idle assets; the rest leaves through `requestRedeem`.
    function maxRedeem(address owner) public view override returns (uint256) {
        uint256 idleShares = _convertToShares(IERC20(asset()).balanceOf(address(this)), Math.Rounding.Floor);
        return Math.min(super.maxRedeem(owner), idleShares);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IDistributor
    function restakingVault() external view override returns (address) {
        return address(_VAULT);
    }

    /// @inheritdoc IDistributor
    function strategy() external view override returns (address) {
        return address(_STRATEGY);
    }

    /// @inheritdoc IDistributor
    function curator() external view override returns (address) {
        return _CURATOR;
    }

    /// @inheritdoc IDistributor
    function operators() external view override returns (address[] memory) {
        return _operators;
    }

    /// @inheritdoc IDistributor
    function delegations() external view override returns (uint256[] memory out) {
        uint256 n = _operators.length;
        out = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            (uint256 active, uint256 pending,) = _VAULT.positionOf(address(this), _operators[i]);
            out[i] = active + pending;
        }
    }

    /// @inheritdoc IDistributor
    function requestOf(address account, uint256 claimEpoch) external view override returns (uint256) {
        return _requests[account][claimEpoch];
    }

    /// @inheritdoc IDistributor
    function bucketOf(uint256 claimEpoch) external view override returns (Bucket memory) {
        return _buckets[claimEpoch];
    }

    /// @inheritdoc IDistributor
    function rebalancingInFlight() external view override returns (uint256) {
        return _inFlight;
    }

    // ------------------------------------------------------------------ internals

    function _decimalsOffset() internal pure override returns (uint8) {
        return 6;
    }

    /// @dev The strategy's weights, validated. A reverting or gas-hungry strategy fails only the rebalance.
    function _weights(address[] memory ops) private view returns (uint256[] memory w) {
        try _STRATEGY.weights{gas: STRATEGY_GAS}(address(this), ops) returns (uint256[] memory out) {
            w = out;
        } catch {
            revert StrategyFailed();
        }
        uint256 sum;
        uint256 n = w.length;
        for (uint256 i = 0; i < n; ++i) {
            if (w[i] > _BPS) revert InvalidWeights(n, w[i]);
            sum += w[i];
        }
        if (n != ops.length || sum > _BPS) revert InvalidWeights(n, sum);
    }

    /// @dev Undelegates `amount` from operators starting at the cursor, booked for `account`.
    function _undelegateAcross(uint256 amount, address account) private returns (uint256 claimEpoch) {
        uint256 n = _operators.length;
        uint256 cursor = _cursor;
        uint256 remaining = amount;
        for (uint256 k = 0; k < n && remaining != 0; ++k) {
            address op = _operators[(cursor + k) % n];
            (uint256 active,,) = _VAULT.positionOf(address(this), op);
            uint256 take = Math.min(active, remaining);
            if (take == 0) continue;
            remaining -= take;
            claimEpoch = _undelegate(op, take, account);
        }
        if (remaining != 0) revert InsufficientLiquidity(amount - remaining, amount);
    }

    function _undelegate(address op, uint256 amount, address account) private returns (uint256 claimEpoch) {
        claimEpoch = _VAULT.undelegate(op, amount);
        Bucket storage b = _buckets[claimEpoch];
        b.requested += uint128(amount);
        _requests[account][claimEpoch] += amount;
        if (!_inBucket[claimEpoch][op]) {
            _inBucket[claimEpoch][op] = true;
            _bucketOperators[claimEpoch].push(op);
        }
    }

    /// @dev Collects the epoch's restaking withdrawals once, then pays `account`'s pro-rata share (rounded down).
    function _claimFor(address account, uint256 claimEpoch) private returns (uint256 shares) {
        uint256 requested = _requests[account][claimEpoch];
        if (requested == 0 || _VAULT.currentEpoch() < claimEpoch) revert NothingToClaim(account, claimEpoch);
        Bucket memory b = _buckets[claimEpoch];
        if (!b.collected) {
            address[] storage ops = _bucketOperators[claimEpoch];
            uint256 n = ops.length;
            uint256 received;
            for (uint256 i = 0; i < n; ++i) {
                // A withdrawal a slash wiped has nothing to claim: it pays zero.
                try _VAULT.claimWithdrawal(ops[i], claimEpoch, address(this)) returns (uint256 s) {
                    received += s;
                } catch {}
            }
            b.received = uint128(received);
            b.collected = true;
        }
        shares = Math.mulDiv(b.received, requested, b.requested);
        b.paid += uint128(shares);
        _buckets[claimEpoch] = b;
        delete _requests[account][claimEpoch];
    }
}

/// @dev The one ERC-4626 view the constructor reads from wdivETH.
interface IERC4626Like {
    function asset() external view returns (address);
}
