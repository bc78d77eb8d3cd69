// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {IDivETH} from "../interfaces/IDivETH.sol";
import {IWrappedDivETH} from "../interfaces/IWrappedDivETH.sol";
import {INetworkRegistry} from "./interfaces/INetworkRegistry.sol";
import {IRestakingVault} from "./interfaces/IRestakingVault.sol";

/// @title RestakingVault
/// @notice divETH restaking: deposits, delegation, the epoch withdrawal queue, slashing and on-chain rewards. See
/// `IRestakingVault` for the rules.
/// @dev Each operator has an *active pool* `(shares, units)`: a restaker's active stake is `units × shares / units`
/// of the pool, so a slash lowers every delegator pro-rata in O(1). Deposits wait in one of two *pending buckets*
/// (keyed by activation epoch parity: at any time only epochs `current + 1` and `current + 2` can be pending) and join
/// the pool lazily, at the first touch after their epoch starts, at the pool's rate then (nothing changes the rate
/// without touching the pool first); the bucket's `(shares, units)` is recorded so each restaker converts its own
/// pending shares exactly. Withdrawals wait in per-epoch buckets `(shares, units)` that slashes reduce pro-rata.
/// Rewards: per `(operator, generation, token)` an accumulator of reward per unit (a checkpoint trace keyed by time,
/// so a deposit converted late still earns exactly from its activation); per `(restaker, operator, token)` one debt
/// and one claimable amount.
contract RestakingVault is IRestakingVault, ReentrancyGuardTransient {
    using Checkpoints for Checkpoints.Trace208;
    using SafeCast for uint256;
    using SafeERC20 for IERC20;

    /// @notice Length of an epoch in seconds.
    uint256 public immutable EPOCH_DURATION;
    /// @notice Start of epoch 0.
    uint256 public immutable GENESIS;
    /// @notice Delay before a commission change applies.
    uint256 public immutable COMMISSION_DELAY;
    /// @notice Most reward tokens one operator can be paid in.
    uint256 public constant MAX_REWARD_TOKENS = 8;
    /// @notice Where burnt divETH shares go (the pool's locked-shares holder; shares there never move).
    address public constant BURN_ADDRESS = address(0xdEaD);

    uint256 private constant _BPS = 10_000;
    uint256 private constant _ACC_SCALE = 1e27;
    /// @dev Units per share above which a slash rebases the operator's pool (see `_rebase`). 2^8 keeps every position's
    /// units below 2^8 × (all divETH shares) < 2^96 for any supply under 2^88 shares (3 × 10^8 ether).
    uint256 private constant _MAX_UNITS_PER_SHARE = 1 << 8;

    IDivETH private immutable _DIV_ETH;
    IWrappedDivETH private immutable _WDIV_ETH;
    address private immutable _DEPLOYER;
    INetworkRegistry private _registry;

    /// @dev Two pending deposit buckets per operator in one slot, selected by activation epoch parity.
    struct Pending {
        uint32 epochA;
        uint96 sharesA;
        uint32 epochB;
        uint96 sharesB;
    }

    struct Pool {
        uint128 shares;
        uint128 units;
    }

    struct Activation {
        uint96 shares;
        uint128 units;
        uint32 generation;
    }

    struct Bucket {
        uint96 shares;
        uint128 units;
        uint32 generation;
    }

    struct Withdrawal {
        uint128 units;
        uint32 generation;
    }

    /// @dev An operator's active stake and cumulative slashed shares over time, and per generation ended by a rebase
    /// the divisor that turns its units into the next generation's (zero for a generation ended by a wipe: its units
    /// are worth nothing in the next one).
    struct History {
        Checkpoints.Trace208 stake;
        Checkpoints.Trace208 slashed;
        mapping(uint256 generation => uint256 divisor) rebases;
    }

    struct RewardAccount {
        uint256 debt;
        uint256 claimable;
    }

    /// @dev What `_settle` needs to bring one reward account to date.
    struct Settlement {
        address restaker;
        address operator;
        uint256 units;
        uint256 unitsGeneration;
        uint256 generation;
        uint256 converted;
        uint256 convertedGeneration;
        uint256 activationStart;
    }

    mapping(address operator => Operator) private _operators;
    mapping(address operator => Pool) private _pools;
    mapping(address operator => Pending) private _pending;
    mapping(address operator => mapping(uint256 epoch => Activation)) private _activations;
    mapping(address operator => mapping(uint256 epoch => Bucket)) private _buckets;
    mapping(address restaker => mapping(address operator => Position)) private _positions;
    mapping(address restaker => mapping(address operator => mapping(uint256 epoch => Withdrawal))) private _withdrawals;
    mapping(address operator => History) private _history;
    mapping(address operator => address[]) private _rewardTokens;
    mapping(address operator => mapping(uint256 generation => mapping(address token => Checkpoints.Trace208)))
        private _acc;
    /// @dev The latest value of each `_acc` trace, read by every claim (one slot instead of the trace's two).
    mapping(address operator => mapping(uint256 generation => mapping(address token => uint256))) private _accLatest;
    mapping(address restaker => mapping(address operator => mapping(address token => RewardAccount))) private _rewards;
    mapping(address operator => mapping(address token => uint256)) private _commissions;
    uint256 private _stakeShares;

    modifier onlyRegistry() {
        if (msg.sender != address(_registry)) revert OnlyNetworkRegistry(msg.sender);
        _;
    }

    /// @param divETH The divETH token (the staking pool).
    /// @param wdivETH The wdivETH wrapper.
    /// @param epochDuration Epoch length in seconds (> 0).
    /// @param commissionDelay Seconds before a commission change applies.
    constructor(IDivETH divETH, IWrappedDivETH wdivETH, uint256 epochDuration, uint256 commissionDelay) {
        if (epochDuration == 0) revert ZeroAmount();
        _DIV_ETH = divETH;
        _WDIV_ETH = wdivETH;
        EPOCH_DURATION = epochDuration;
        GENESIS = block.timestamp;
        COMMISSION_DELAY = commissionDelay;
        _DEPLOYER = msg.sender;
    }

    /// @inheritdoc IRestakingVault
    function wireNetworkRegistry(address registry) external override {
        if (
            msg.sender != _DEPLOYER || address(_registry) != address(0)
                || INetworkRegistry(registry).vault() != address(this)
        ) {
            revert RegistryWiring(msg.sender, registry);
        }
        _registry = INetworkRegistry(registry);
        emit NetworkRegistryWired(registry);
    }

    // ------------------------------------------------------------------ operators

    /// @inheritdoc IRestakingVault
    function registerOperator(uint256 commissionBps) external override {
        Operator storage o = _operators[msg.sender];
        if (o.registered) revert OperatorAlreadyRegistered(msg.sender);
        if (commissionBps > _BPS) revert CommissionTooHigh(commissionBps);
        o.registered = true;
        o.commissionBps = uint16(commissionBps);
        emit OperatorRegistered(msg.sender, commissionBps);
    }

    /// @inheritdoc IRestakingVault
    function setCommission(uint256 commissionBps) external override {
        Operator storage o = _operators[msg.sender];
        if (!o.registered) revert UnknownOperator(msg.sender);
        if (commissionBps > _BPS) revert CommissionTooHigh(commissionBps);
        o.commissionBps = uint16(_commissionOf(o));
        o.pendingCommissionBps = uint16(commissionBps);
        uint256 effectiveAt = block.timestamp + COMMISSION_DELAY;
        o.commissionEffectiveAt = uint48(effectiveAt);
        emit CommissionChangeScheduled(msg.sender, commissionBps, effectiveAt);
    }

    // ------------------------------------------------------------------ deposits and withdrawals

    /// @inheritdoc IRestakingVault
    function deposit(address operator, uint256 shares) external override {
        _deposit(msg.sender, operator, shares);
        _DIV_ETH.transferSharesFrom(msg.sender, address(this), shares);
    }

    /// @inheritdoc IRestakingVault
    function depositWithPermit(
        address operator,
        uint256 shares,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external override {
        // A permit front-run by a third party still leaves the allowance in place: only its failure is tolerated.
        try _DIV_ETH.permit(msg.sender, address(this), value, deadline, v, r, s) {} catch {}
        _deposit(msg.sender, operator, shares);
        _DIV_ETH.transferSharesFrom(msg.sender, address(this), shares);
    }

    /// @inheritdoc IRestakingVault
    function depositWrapped(address operator, uint256 wdivETHAmount) external override {
        _deposit(msg.sender, operator, wdivETHAmount);
        IERC20(address(_WDIV_ETH)).safeTransferFrom(msg.sender, address(this), wdivETHAmount);
        // One wdivETH is exactly one divETH share: unwrapping returns `wdivETHAmount` shares.
        _WDIV_ETH.unwrap(wdivETHAmount);
    }

    /// @inheritdoc IRestakingVault
    function undelegate(address operator, uint256 shares) external override returns (uint256 claimEpoch) {
        if (shares == 0) revert ZeroAmount();
        Operator storage o = _knownOperator(operator);
        uint256 epoch = _currentEpoch();
        _activateDue(operator, epoch);
        Position memory p = _sync(msg.sender, operator, o.generation, epoch);
        Pool memory pool = _pools[operator];
        uint256 available = pool.units == 0 ? 0 : Math.mulDiv(p.units, pool.shares, pool.units);
        if (shares > available) revert InsufficientStake(operator, available, shares);
        // Units are rounded up against the caller; the last units of the pool take its last shares.
        uint256 units = Math.mulDiv(shares, pool.units, pool.shares, Math.Rounding.Ceil);
        if (units > p.units) units = p.units;
        if (units == pool.units) shares = pool.shares;
        p.units -= uint96(units);
        pool.units -= uint128(units);
        pool.shares -= uint128(shares);
        _positions[msg.sender][operator] = p;
        _pools[operator] = pool;
        _history[operator].stake.push(uint48(block.timestamp), pool.shares);

        claimEpoch = epoch + 2;
        Bucket memory b = _buckets[operator][claimEpoch];
        if (b.shares == 0 && b.units != 0) b = Bucket(0, 0, b.generation + 1); // wiped by a slash: start afresh
        uint256 bucketUnits = b.units == 0 ? shares : Math.mulDiv(shares, b.units, b.shares);
        b.shares += shares.toUint96();
        b.units += bucketUnits.toUint128();
        _buckets[operator][claimEpoch] = b;
        Withdrawal storage w = _withdrawals[msg.sender][operator][claimEpoch];
        if (w.generation != b.generation) (w.units, w.generation) = (0, b.generation);
        w.units += uint128(bucketUnits);
        emit Undelegated(msg.sender, operator, shares, claimEpoch);
    }

    /// @inheritdoc IRestakingVault
    function claimWithdrawal(address operator, uint256 claimEpoch, address recipient)
        external
        override
        returns (uint256 shares)
    {
        if (recipient == address(0)) revert ZeroRecipient();
        uint256 epoch = _currentEpoch();
        if (claimEpoch > epoch) revert WithdrawalNotClaimable(claimEpoch, epoch);
        Withdrawal memory w = _withdrawals[msg.sender][operator][claimEpoch];
        Bucket memory b = _buckets[operator][claimEpoch];
        if (w.units == 0 || w.generation != b.generation) revert NothingToClaim(operator, claimEpoch);
        shares = Math.mulDiv(w.units, b.shares, b.units);
        b.shares -= uint96(shares);
        b.units -= w.units;
        _buckets[operator][claimEpoch] = b;
        delete _withdrawals[msg.sender][operator][claimEpoch];
        _stakeShares -= shares;
        emit WithdrawalClaimed(msg.sender, operator, claimEpoch, recipient, shares);
        if (shares != 0) _DIV_ETH.transferShares(recipient, shares);
    }

    // ------------------------------------------------------------------ slashing

    /// @inheritdoc IRestakingVault
    function slash(address operator, uint256 shares, address receiver)
        external
        override
        onlyRegistry
        returns (uint256 slashed)
    {
        Operator storage o = _operators[operator];
        uint256 epoch = _currentEpoch();
        _activateDue(operator, epoch);
        Pool memory pool = _pools[operator];
        uint256 selfTaken = _slashSelf(operator, o.generation, epoch, pool, shares);
        uint256 rest = _slashProRata(operator, epoch, pool, shares - selfTaken);
        if (pool.shares == 0 && pool.units != 0) {
            // The whole active stake is gone: older positions are worth nothing; a new generation starts.
            pool.units = 0;
            ++o.generation;
        } else if (pool.units > uint256(pool.shares) * _MAX_UNITS_PER_SHARE) {
            _rebase(operator, o, pool);
        }
        _pools[operator] = pool;
        slashed = selfTaken + rest;
        _history[operator].stake.push(uint48(block.timestamp), pool.shares);
        _history[operator].slashed.push(uint48(block.timestamp), (_history[operator].slashed.latest() + slashed).toUint208());
        _stakeShares -= slashed;
        address to = receiver == address(0) ? BURN_ADDRESS : receiver;
        emit Slashed(operator, slashed, selfTaken, to);
        if (slashed != 0) _DIV_ETH.transferShares(to, slashed);
    }

    /// @dev Rebases a pool whose units per share passed `_MAX_UNITS_PER_SHARE` (deep slashes lower its shares, never its
    /// units; left alone, a few deep slashes would make later deposits' units overflow `uint96`/`uint128` and revert
    /// every call that activates them — deposits, undelegations, slashes — locking the operator's stake). A new
    /// generation starts whose units are the old ones divided by `divisor = ⌊units / shares⌋` (so it starts at 1 to 2
    /// units per share); positions of the old generation convert lazily at their next touch, each rounded down
    /// (`_carry`), so Σ converted units ≤ the pool's new units and no share is created: a position loses less than one
    /// new unit (at most two wei). The alternatives were rejected: a wider unit type only postpones the overflow
    /// (each deep slash multiplies units per share by up to 10^20), and capping slash depth would let a Network
    /// slash less than its evidence warrants. Updates `pool` in memory.
    function _rebase(address operator, Operator storage o, Pool memory pool) private {
        uint256 divisor = pool.units / pool.shares;
        uint32 generation = o.generation;
        _history[operator].rebases[generation] = divisor;
        pool.units = uint128(pool.units / divisor);
        o.generation = generation + 1;
        emit PoolRebased(operator, generation + 1, divisor);
    }

    /// @dev `units` of generation `from` as units of generation `to` (≥ `from`): divided by each rebase's divisor,
    /// rounded down; zero past a wipe. At most ⌈96 / 8⌉ rebases leave any position's units non-zero.
    function _carry(address operator, uint256 units, uint256 from, uint256 to) private view returns (uint256) {
        for (uint256 g = from; g < to && units != 0; ++g) {
            uint256 divisor = _history[operator].rebases[g];
            units = divisor == 0 ? 0 : units / divisor;
        }
        return units;
    }

    /// @dev Token rewards `units` of generation `from` earned since the accumulator stood at `accFrom`, followed
    /// through each later rebase up to generation `to` (each later generation's accumulator starts at zero).
    function _earned(address operator, address token, uint256 units, uint256 from, uint256 accFrom, uint256 to)
        private
        view
        returns (uint256 earned)
    {
        earned = Math.mulDiv(units, _accLatest[operator][from][token] - accFrom, _ACC_SCALE);
        for (uint256 g = from; g < to;) {
            uint256 divisor = _history[operator].rebases[g];
            units = divisor == 0 ? 0 : units / divisor;
            if (units == 0) break;
            ++g;
            earned += Math.mulDiv(units, _accLatest[operator][g][token], _ACC_SCALE);
        }
    }

    /// @dev Takes up to `shares` from the operator's own active stake (its delegation to itself): burning its units
    /// keeps every other delegator's rate unchanged. Updates `pool` in memory.
    function _slashSelf(address operator, uint32 generation, uint256 epoch, Pool memory pool, uint256 shares)
        private
        returns (uint256 taken)
    {
        if (pool.units == 0 || shares == 0) return 0;
        Position memory p = _sync(operator, operator, generation, epoch);
        uint256 own = Math.mulDiv(p.units, pool.shares, pool.units);
        taken = Math.min(own, shares);
        if (taken == 0) return 0;
        uint256 units = taken == own ? p.units : Math.mulDiv(taken, pool.units, pool.shares, Math.Rounding.Ceil);
        // Rounding up must not burn the pool's last unit while shares remain (they would be orphaned): the operator
        // keeps one unit, worth less than one unit's shares.
        if (units == pool.units && taken != pool.shares) units = pool.units - 1;
        p.units -= uint96(units);
        pool.units -= uint128(units);
        pool.shares -= uint128(taken);
        _positions[operator][operator] = p;
    }

    /// @dev Takes up to `shares` pro-rata from the active pool (in memory) and the two unclaimable withdrawal buckets,
    /// each part rounded down so the sum never exceeds what was asked; all of it when `shares` covers everything.
    function _slashProRata(address operator, uint256 epoch, Pool memory pool, uint256 shares)
        private
        returns (uint256 taken)
    {
        Bucket storage b1 = _buckets[operator][epoch + 1];
        Bucket storage b2 = _buckets[operator][epoch + 2];
        uint256 total = uint256(pool.shares) + b1.shares + b2.shares;
        if (shares >= total) shares = total;
        if (shares == 0) return 0;
        uint256 fromPool = Math.mulDiv(shares, pool.shares, total);
        uint256 from1 = Math.mulDiv(shares, b1.shares, total);
        uint256 from2 = Math.mulDiv(shares, b2.shares, total);
        if (shares == total) (fromPool, from1, from2) = (pool.shares, b1.shares, b2.shares);
        pool.shares -= uint128(fromPool);
        b1.shares -= uint96(from1);
        b2.shares -= uint96(from2);
        return fromPool + from1 + from2;
    }

    // ------------------------------------------------------------------ rewards

    /// @inheritdoc IRestakingVault
    function distributeRewards(
        uint256 networkId,
        address token,
        uint256 epoch,
        address[] calldata operators,
        uint256[] calldata amounts
    ) external payable override nonReentrant {
        if (operators.length == 0 || operators.length != amounts.length) {
            revert LengthMismatch(operators.length, amounts.length);
        }
        uint256 snapshot = _checkRewardCall(networkId, token, epoch);
        uint256 total;
        for (uint256 i = 0; i < operators.length; ++i) {
            total += amounts[i];
        }
        _collect(token, total);
        for (uint256 i = 0; i < operators.length; ++i) {
            if (_registry.stakeAt(networkId, operators[i], snapshot) == 0) {
                revert OperatorNotStaked(networkId, operators[i], epoch);
            }
            _credit(networkId, operators[i], token, epoch, amounts[i]);
        }
    }

    /// @inheritdoc IRestakingVault
    function distributeRewardsByStake(
        uint256 networkId,
        address token,
        uint256 epoch,
        address[] calldata operators,
        uint256 total
    ) external payable override nonReentrant {
        if (operators.length == 0) revert LengthMismatch(0, 0);
        if (total == 0) revert ZeroAmount();
        uint256 snapshot = _checkRewardCall(networkId, token, epoch);
        uint256[] memory weights = new uint256[](operators.length);
        uint256 sum;
        for (uint256 i = 0; i < operators.length; ++i) {
            uint256 w = _registry.stakeAt(networkId, operators[i], snapshot);
            if (w == 0) revert OperatorNotStaked(networkId, operators[i], epoch);
            weights[i] = w;
            sum += w;
        }
        _collect(token, total);
        uint256 paid;
        uint256[] memory amounts = new uint256[](operators.length);
        for (uint256 i = 0; i < operators.length; ++i) {
            amounts[i] = Math.mulDiv(total, weights[i], sum);
            paid += amounts[i];
        }
        amounts[0] += total - paid;
        for (uint256 i = 0; i < operators.length; ++i) {
            _credit(networkId, operators[i], token, epoch, amounts[i]);
        }
    }

    /// @inheritdoc IRestakingVault
    function claimRewards(address operator, address token, address recipient)
        external
        override
        nonReentrant
        returns (uint256 amount)
    {
        if (recipient == address(0)) revert ZeroRecipient();
        Operator storage o = _knownOperator(operator);
        uint32 generation = o.generation;
        uint256 epoch = _currentEpoch();
        Position memory p = _positions[msg.sender][operator];
        RewardAccount storage account = _rewards[msg.sender][operator][token];
        if ((p.pendingShares == 0 || p.pendingEpoch > epoch) && p.generation == generation) {
            // Units unchanged since the last settlement: only this token needs settling.
            uint256 accNow = _accLatest[operator][generation][token];
            amount = account.claimable;
            if (p.units != 0) amount += Math.mulDiv(p.units, accNow - account.debt, _ACC_SCALE);
            if (account.debt != accNow) account.debt = accNow;
        } else {
            _activateDue(operator, epoch);
            _sync(msg.sender, operator, generation, epoch);
            amount = account.claimable;
        }
        if (amount == 0) revert ZeroAmount();
        if (account.claimable != 0) account.claimable = 0;
        emit RewardsClaimed(msg.sender, operator, token, recipient, amount);
        _pay(token, recipient, amount);
    }

    /// @inheritdoc IRestakingVault
    function claimOperatorRewards(address token, address recipient)
        external
        override
        nonReentrant
        returns (uint256 amount)
    {
        if (recipient == address(0)) revert ZeroRecipient();
        amount = _commissions[msg.sender][token];
        if (amount == 0) revert ZeroAmount();
        _commissions[msg.sender][token] = 0;
        emit RewardsClaimed(msg.sender, msg.sender, token, recipient, amount);
        _pay(token, recipient, amount);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IRestakingVault
    function epochAt(uint256 timestamp) public view override returns (uint256) {
        return (timestamp - GENESIS) / EPOCH_DURATION;
    }

    /// @inheritdoc IRestakingVault
    function currentEpoch() external view override returns (uint256) {
        return _currentEpoch();
    }

    /// @inheritdoc IRestakingVault
    function epochStart(uint256 epoch) public view override returns (uint256) {
        return GENESIS + epoch * EPOCH_DURATION;
    }

    /// @inheritdoc IRestakingVault
    function stakeAt(address operator, uint256 timestamp) public view override returns (uint256 stake) {
        stake = _history[operator].stake.upperLookupRecent(timestamp.toUint48());
        // Matured buckets not yet processed activate at their epoch start (every write processes them first, so
        // their start is after the last checkpoint).
        Pending memory pd = _pending[operator];
        if (pd.sharesA != 0 && epochStart(pd.epochA) <= timestamp) stake += pd.sharesA;
        if (pd.sharesB != 0 && epochStart(pd.epochB) <= timestamp) stake += pd.sharesB;
    }

    /// @inheritdoc IRestakingVault
    function slashedSince(address operator, uint256 timestamp) external view override returns (uint256) {
        Checkpoints.Trace208 storage t = _history[operator].slashed;
        return t.latest() - t.upperLookupRecent(timestamp.toUint48());
    }

    /// @inheritdoc IRestakingVault
    function operatorStake(address operator) external view override returns (uint256) {
        return stakeAt(operator, block.timestamp);
    }

    /// @inheritdoc IRestakingVault
    function positionOf(address restaker, address operator)
        external
        view
        override
        returns (uint256 active, uint256 pending, uint256 activationEpoch)
    {
        Position memory p = _positions[restaker][operator];
        (uint256 units, uint256 pendingShares, uint256 converted) = _viewUnits(p, operator);
        Pool memory pool = _pools[operator];
        uint256 poolShares = pool.shares;
        uint256 poolUnits = pool.units;
        // Add the matured, unprocessed buckets to the pool as `_activateDue` would.
        (poolShares, poolUnits) = _viewActivate(operator, poolShares, poolUnits);
        if (converted != 0) units += converted;
        active = poolUnits == 0 ? 0 : Math.mulDiv(units, poolShares, poolUnits);
        pending = pendingShares;
        activationEpoch = pendingShares == 0 ? 0 : p.pendingEpoch;
    }

    /// @inheritdoc IRestakingVault
    function withdrawalOf(address restaker, address operator, uint256 claimEpoch)
        external
        view
        override
        returns (uint256)
    {
        Withdrawal memory w = _withdrawals[restaker][operator][claimEpoch];
        Bucket memory b = _buckets[operator][claimEpoch];
        if (w.units == 0 || w.generation != b.generation) return 0;
        return Math.mulDiv(w.units, b.shares, b.units);
    }

    /// @inheritdoc IRestakingVault
    function rewardsOf(address restaker, address operator, address token) external view override returns (uint256) {
        Position memory p = _positions[restaker][operator];
        RewardAccount memory account = _rewards[restaker][operator][token];
        uint256 amount = account.claimable;
        uint256 current = _operators[operator].generation;
        if (p.units != 0) amount += _earned(operator, token, p.units, p.generation, account.debt, current);
        uint256 epoch = _currentEpoch();
        if (p.pendingShares != 0 && p.pendingEpoch <= epoch) {
            (uint256 units, uint256 generation) = _pendingUnits(operator, p);
            Checkpoints.Trace208 storage acc = _acc[operator][generation][token];
            uint256 accAt = acc.upperLookupRecent(uint48(epochStart(p.pendingEpoch)));
            amount += _earned(operator, token, units, generation, accAt, current);
        }
        return amount;
    }

    /// @inheritdoc IRestakingVault
    function operatorRewardsOf(address operator, address token) external view override returns (uint256) {
        return _commissions[operator][token];
    }

    /// @inheritdoc IRestakingVault
    function getOperator(address operator) external view override returns (Operator memory) {
        return _operators[operator];
    }

    /// @inheritdoc IRestakingVault
    function commissionOf(address operator) external view override returns (uint256) {
        return _commissionOf(_operators[operator]);
    }

    /// @inheritdoc IRestakingVault
    function rewardTokensOf(address operator) external view override returns (address[] memory) {
        return _rewardTokens[operator];
    }

    /// @inheritdoc IRestakingVault
    function totalStakeShares() external view override returns (uint256) {
        return _stakeShares;
    }

    /// @notice The network registry.
    /// @return The registry address (zero until wired).
    function networkRegistry() external view returns (address) {
        return address(_registry);
    }

    // ------------------------------------------------------------------ internals

    function _currentEpoch() private view returns (uint256) {
        return (block.timestamp - GENESIS) / EPOCH_DURATION;
    }

    function _knownOperator(address operator) private view returns (Operator storage o) {
        o = _operators[operator];
        if (!o.registered) revert UnknownOperator(operator);
    }

    function _commissionOf(Operator storage o) private view returns (uint256) {
        uint256 at = o.commissionEffectiveAt;
        return at != 0 && block.timestamp >= at ? o.pendingCommissionBps : o.commissionBps;
    }

    /// @dev Books a deposit into the pending bucket of `current + 2`; the caller pulls the tokens afterwards.
    function _deposit(address restaker, address operator, uint256 shares) private {
        if (shares == 0) revert ZeroAmount();
        Operator storage o = _knownOperator(operator);
        uint256 epoch = _currentEpoch();
        _activateDue(operator, epoch);
        Position memory p = _sync(restaker, operator, o.generation, epoch);
        uint256 activation = epoch + 2;
        Pending memory pd = _pending[operator];
        uint256 added = shares;
        if (p.pendingShares != 0 && p.pendingEpoch != activation) {
            // Still pending for `epoch + 1`: moves with the new deposit to `epoch + 2` (one position, one bucket).
            _removePending(pd, p.pendingEpoch, p.pendingShares);
            added += p.pendingShares;
        }
        _addPending(pd, activation, added);
        _pending[operator] = pd;
        p.pendingShares = (uint256(p.pendingShares) + shares).toUint96();
        p.pendingEpoch = uint32(activation);
        _positions[restaker][operator] = p;
        _stakeShares += shares;
        emit Deposited(restaker, operator, shares, activation);
    }

    function _addPending(Pending memory pd, uint256 epoch, uint256 shares) private pure {
        if (epoch & 1 == 0) {
            // The slot of this parity holds either this epoch or an already processed one (cleared to zero).
            pd.epochA = uint32(epoch);
            pd.sharesA = (uint256(pd.sharesA) + shares).toUint96();
        } else {
            pd.epochB = uint32(epoch);
            pd.sharesB = (uint256(pd.sharesB) + shares).toUint96();
        }
    }

    function _removePending(Pending memory pd, uint256 epoch, uint256 shares) private pure {
        if (epoch & 1 == 0) pd.sharesA -= uint96(shares);
        else pd.sharesB -= uint96(shares);
    }

    /// @dev Moves matured pending buckets (activation epoch ≤ `epoch`) into the active pool, older first, recording
    /// each bucket's rate and a stake checkpoint at its epoch start.
    function _activateDue(address operator, uint256 epoch) private {
        Pending memory pd = _pending[operator];
        bool dueA = pd.sharesA != 0 && pd.epochA <= epoch;
        bool dueB = pd.sharesB != 0 && pd.epochB <= epoch;
        if (!dueA && !dueB) return;
        if (dueA && dueB && pd.epochB < pd.epochA) {
            _activate(operator, pd.epochB, pd.sharesB);
            _activate(operator, pd.epochA, pd.sharesA);
        } else {
            if (dueA) _activate(operator, pd.epochA, pd.sharesA);
            if (dueB) _activate(operator, pd.epochB, pd.sharesB);
        }
        if (dueA) (pd.epochA, pd.sharesA) = (0, 0);
        if (dueB) (pd.epochB, pd.sharesB) = (0, 0);
        _pending[operator] = pd;
    }

    function _activate(address operator, uint256 epoch, uint256 shares) private {
        Pool memory pool = _pools[operator];
        uint256 units = pool.units == 0 ? shares : Math.mulDiv(shares, pool.units, pool.shares);
        pool.shares += uint128(shares);
        pool.units = (uint256(pool.units) + units).toUint128();
        _pools[operator] = pool;
        _activations[operator][epoch] = Activation(uint96(shares), uint128(units), _operators[operator].generation);
        _history[operator].stake.push(uint48(epochStart(epoch)), pool.shares);
    }

    /// @dev Units `p`'s matured pending shares converted to, and the generation they joined.
    function _pendingUnits(address operator, Position memory p) private view returns (uint256, uint256) {
        Activation memory a = _activations[operator][p.pendingEpoch];
        if (a.shares == 0) {
            // Matured but the pool was not touched since: it would join now at the current rate.
            Pool memory pool = _pools[operator];
            (uint256 poolShares, uint256 poolUnits) = _viewActivateBefore(operator, p.pendingEpoch, pool);
            uint256 units = poolUnits == 0 ? p.pendingShares : Math.mulDiv(p.pendingShares, poolUnits, poolShares);
            return (units, _operators[operator].generation);
        }
        return (Math.mulDiv(p.pendingShares, a.units, a.shares), a.generation);
    }

    /// @dev Brings `restaker`'s position to date: settles its rewards on every token of the operator, drops units of a
    /// wiped generation, converts its matured pending shares. The pool must be up to date (`_activateDue`).
    function _sync(address restaker, address operator, uint32 generation, uint256 epoch)
        private
        returns (Position memory p)
    {
        p = _positions[restaker][operator];
        uint256 converted;
        uint256 convertedGeneration = generation;
        bool matured = p.pendingShares != 0 && p.pendingEpoch <= epoch;
        if (matured) (converted, convertedGeneration) = _pendingUnits(operator, p);
        if (p.units == 0 && !matured) {
            p.generation = generation;
            return p;
        }
        address[] storage tokens = _rewardTokens[operator];
        uint256 count = tokens.length;
        Settlement memory st = Settlement(
            restaker,
            operator,
            p.units,
            p.generation,
            generation,
            converted,
            convertedGeneration,
            epochStart(p.pendingEpoch)
        );
        for (uint256 i = 0; i < count; ++i) {
            _settle(st, tokens[i]);
        }
        if (p.generation != generation) p.units = uint96(_carry(operator, p.units, p.generation, generation));
        if (matured) {
            converted = _carry(operator, converted, convertedGeneration, generation);
            p.units = (uint256(p.units) + converted).toUint96();
            p.pendingShares = 0;
            p.pendingEpoch = 0;
        }
        if (matured || p.generation != generation) {
            p.generation = generation;
            _positions[restaker][operator] = p;
        }
    }

    /// @dev Credits what `st.units` (of `st.unitsGeneration`) earned since the last settlement and what the
    /// converted pending units earned since their activation, then resets the debt to the current accumulator.
    function _settle(Settlement memory st, address token) private {
        RewardAccount storage account = _rewards[st.restaker][st.operator][token];
        uint256 earned;
        if (st.units != 0) {
            earned = _earned(st.operator, token, st.units, st.unitsGeneration, account.debt, st.generation);
        }
        if (st.converted != 0) {
            // Converted units earned from their activation, in the generation they joined, then carried through
            // later rebases (nothing past a wipe).
            Checkpoints.Trace208 storage accOfConverted = _acc[st.operator][st.convertedGeneration][token];
            uint256 accAt = accOfConverted.upperLookupRecent(uint48(st.activationStart));
            earned += _earned(st.operator, token, st.converted, st.convertedGeneration, accAt, st.generation);
        }
        if (earned != 0) account.claimable += earned;
        account.debt = _accLatest[st.operator][st.generation][token];
    }

    function _checkRewardCall(uint256 networkId, address token, uint256 epoch) private view returns (uint256) {
        (address middleware, bool registered) = _registry.rewardAuthority(networkId, token);
        if (msg.sender != middleware) revert NotNetworkMiddleware(networkId, msg.sender);
        if (!registered) revert RewardTokenNotRegistered(networkId, token);
        uint256 current = _currentEpoch();
        if (epoch >= current) revert EpochNotFinished(epoch, current);
        // The stake the network saw at the epoch's last second.
        return epochStart(epoch + 1) - 1;
    }

    /// @dev Takes `total` of `token` from the caller (ether: `msg.value`; divETH: shares).
    function _collect(address token, uint256 total) private {
        if (token == address(0)) {
            if (msg.value != total) revert WrongEtherAmount(msg.value, total);
            return;
        }
        if (msg.value != 0) revert WrongEtherAmount(msg.value, 0);
        if (token == address(_DIV_ETH)) {
            _DIV_ETH.transferSharesFrom(msg.sender, address(this), total);
            return;
        }
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), total);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received != total) revert WrongTokenAmount(received, total);
    }

    /// @dev Splits `amount` between `operator`'s commission and its active delegators' accumulator.
    function _credit(uint256 networkId, address operator, address token, uint256 epoch, uint256 amount) private {
        Operator storage o = _operators[operator];
        _activateDue(operator, _currentEpoch());
        uint256 commission = Math.mulDiv(amount, _commissionOf(o), _BPS);
        uint256 units = _pools[operator].units;
        if (units == 0) {
            commission = amount;
        } else if (amount != commission) {
            _addRewardToken(operator, o, token);
            uint256 generation = o.generation;
            uint256 accNow = _accLatest[operator][generation][token] + Math.mulDiv(amount - commission, _ACC_SCALE, units);
            _accLatest[operator][generation][token] = accNow;
            _acc[operator][generation][token].push(uint48(block.timestamp), accNow.toUint208());
        }
        if (commission != 0) _commissions[operator][token] += commission;
        emit RewardsDistributed(networkId, operator, token, epoch, amount, commission);
    }

    function _addRewardToken(address operator, Operator storage o, address token) private {
        address[] storage tokens = _rewardTokens[operator];
        uint256 count = tokens.length;
        for (uint256 i = 0; i < count; ++i) {
            if (tokens[i] == token) return;
        }
        if (count == MAX_REWARD_TOKENS) revert TooManyRewardTokens(operator, token);
        tokens.push(token);
        o.rewardTokenCount = uint8(count + 1);
    }

    function _pay(address token, address recipient, uint256 amount) private {
        if (token == address(0)) {
            (bool ok,) = recipient.call{value: amount}("");
            if (!ok) revert EtherTransferFailed(recipient, amount);
        } else if (token == address(_DIV_ETH)) {
            _DIV_ETH.transferShares(recipient, amount);
        } else {
            IERC20(token).safeTransfer(recipient, amount);
        }
    }

    function _viewUnits(Position memory p, address operator)
        private
        view
        returns (uint256 units, uint256 pendingShares, uint256 converted)
    {
        uint32 generation = _operators[operator].generation;
        units = _carry(operator, p.units, p.generation, generation);
        pendingShares = p.pendingShares;
        if (pendingShares != 0 && p.pendingEpoch <= _currentEpoch()) {
            (uint256 u, uint256 g) = _pendingUnits(operator, p);
            converted = _carry(operator, u, g, generation);
            pendingShares = 0;
        }
    }

    function _viewActivate(address operator, uint256 poolShares, uint256 poolUnits)
        private
        view
        returns (uint256, uint256)
    {
        Pending memory pd = _pending[operator];
        uint256 epoch = _currentEpoch();
        if (pd.sharesA != 0 && pd.epochA <= epoch) {
            poolUnits += poolUnits == 0 ? pd.sharesA : Math.mulDiv(pd.sharesA, poolUnits, poolShares);
            poolShares += pd.sharesA;
        }
        if (pd.sharesB != 0 && pd.epochB <= epoch) {
            poolUnits += poolUnits == 0 ? pd.sharesB : Math.mulDiv(pd.sharesB, poolUnits, poolShares);
            poolShares += pd.sharesB;
        }
        return (poolShares, poolUnits);
    }

    /// @dev The pool as it will be just before the (unprocessed) bucket of `epoch` joins: with the other matured
    /// bucket added when that one is older.
    function _viewActivateBefore(address operator, uint256 epoch, Pool memory pool)
        private
        view
        returns (uint256 poolShares, uint256 poolUnits)
    {
        (poolShares, poolUnits) = (pool.shares, pool.units);
        Pending memory pd = _pending[operator];
        (uint256 otherEpoch, uint256 otherShares) = epoch & 1 == 0 ? (pd.epochB, pd.sharesB) : (pd.epochA, pd.sharesA);
        if (otherShares != 0 && otherEpoch < epoch) {
            poolUnits += poolUnits == 0 ? otherShares : Math.mulDiv(otherShares, poolUnits, poolShares);
            poolShares += otherShares;
        }
    }
}
