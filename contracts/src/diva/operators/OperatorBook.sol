// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDivETH} from "../../interfaces/IDivETH.sol";
import {IOperatorRegistry} from "../../interfaces/IOperatorRegistry.sol";
import {IStakingPool} from "../../interfaces/IStakingPool.sol";
import {IWrappedDivETH} from "../../interfaces/IWrappedDivETH.sol";
import {OperatorIdentities} from "./OperatorIdentities.sol";
import {WeightedSelection} from "../../libraries/WeightedSelection.sol";

/// @title OperatorBook
/// @notice Operator records and their divETH bonds: registration, updates, pause, bond and unbond (ejection is
/// permissionless and evidence-driven: `StrikeBook`). The
/// selection tree's lane of operator `id` IS its free bond in units while it is drawable; a paused or ejected operator
/// has lane 0 and its free units are parked in its record, so it is never drawn yet can still withdraw them.
/// @dev Part of `OperatorRegistry`; split out so each file has one reason to change.
abstract contract OperatorBook is IOperatorRegistry {
    using WeightedSelection for WeightedSelection.Tree;

    /// @notice Longest metadata URI accepted, in bytes.
    uint256 public constant MAX_METADATA_URI_LENGTH = OperatorIdentities.MAX_METADATA_URI_LENGTH;
    /// @notice Highest operator id (the selection tree's capacity minus the unused leaf 0).
    uint256 public constant MAX_OPERATORS = WeightedSelection.CAPACITY - 1;
    /// @notice Highest bond of one operator, in units (a tree lane is 32 bits).
    uint256 public constant MAX_BOND_UNITS = type(uint32).max;

    /// @notice divETH shares per bond unit.
    uint256 public immutable BOND_UNIT_SHARES;

    IStakingPool internal immutable _POOL;
    IDivETH internal immutable _DIV_ETH;
    IWrappedDivETH internal immutable _WDIV_ETH;
    /// @dev The pool's accounting oracle, which locks, releases and slashes reporter bonds.
    address internal immutable _ORACLE;

    /// @dev One slot per operator, read by every bond change and every lock/unlock.
    struct OperatorRecord {
        address owner;
        uint32 bondUnits;
        // Free units of a paused or ejected operator (its tree lane is then 0); zero while drawable.
        uint32 parkedFreeUnits;
        bool paused;
        bool ejected;
    }

    WeightedSelection.Tree internal _tree;
    mapping(uint256 operatorId => OperatorRecord) internal _operators;
    // Signers, node identities, metadata URIs and their reverse lookups (written by the linked `OperatorIdentities`).
    OperatorIdentities.Book internal _identities;

    // Hot counters in one slot: operator count, request count, the request waiting for its draw (0: none), and the
    // total bond of all operators in units. Capping the total bond (not only the tree total) at the tree's maximum
    // guarantees an unlock can never overflow the tree, so expiry and withdrawal can never be blocked.
    uint64 internal _operatorCount;
    uint64 internal _requestCount;
    uint64 internal _pendingDrawId;
    uint64 internal _totalBondUnits;

    /// @dev While a draw is pending the tree is frozen: the draw's block and lock (`info = drawBlock | lockUnits << 64`),
    /// and the free units of drawable operators whose bond changed since the freeze (`free + 1`; 0: unchanged, read
    /// the tree), listed in `ids[0..count)` for the draw to write into the tree.
    struct Freeze {
        uint256 info;
        uint256 count;
        mapping(uint256 index => uint256 operatorId) ids;
        mapping(uint256 operatorId => uint256 freePlusOne) deferredFree;
    }

    Freeze internal _freeze;

    /// @param pool The staking pool (also the divETH token).
    /// @param wrappedDivETH The wdivETH vault over the pool's divETH.
    /// @param bondUnitShares divETH shares per bond unit.
    constructor(address pool, address wrappedDivETH, uint256 bondUnitShares) {
        if (pool == address(0) || wrappedDivETH == address(0)) revert ZeroAddress();
        if (bondUnitShares == 0) revert InvalidConfiguration("bondUnitShares");
        _POOL = IStakingPool(pool);
        _DIV_ETH = IDivETH(pool);
        _WDIV_ETH = IWrappedDivETH(wrappedDivETH);
        // The pool is wired before the registry is deployed (the registry needs its withdrawal credentials).
        _ORACLE = IStakingPool(pool).accountingOracle();
        BOND_UNIT_SHARES = bondUnitShares;
    }

    // ------------------------------------------------------------------ registration

    /// @inheritdoc IOperatorRegistry
    function registerOperator(address signer, bytes32 nodeIdentity, string calldata metadataURI)
        external
        override
        returns (uint256 operatorId)
    {
        operatorId = _operatorCount + 1;
        OperatorIdentities.register(
            _identities, operatorId, MAX_OPERATORS, msg.sender, signer, nodeIdentity, metadataURI
        );
        _operatorCount = uint64(operatorId);
        _operators[operatorId].owner = msg.sender;
        emit OperatorRegistered(operatorId, msg.sender, signer, nodeIdentity, metadataURI);
    }

    /// @inheritdoc IOperatorRegistry
    function updateOperator(uint256 operatorId, address signer, bytes32 nodeIdentity, string calldata metadataURI)
        external
        override
    {
        _requireOwner(operatorId);
        OperatorIdentities.update(_identities, operatorId, signer, nodeIdentity, metadataURI);
        emit OperatorUpdated(operatorId, signer, nodeIdentity, metadataURI);
    }

    /// @inheritdoc IOperatorRegistry
    function setOperatorPaused(uint256 operatorId, bool paused) external override {
        OperatorRecord memory op = _requireOwner(operatorId);
        if (op.paused == paused) revert PauseUnchanged(operatorId, paused);
        _setDrawState(operatorId, op, paused, op.ejected);
    }

    // ------------------------------------------------------------------ bond

    /// @inheritdoc IOperatorRegistry
    function bond(uint256 operatorId, uint256 amount) external override returns (uint256 units) {
        _requireOwner(operatorId);
        units = _DIV_ETH.getSharesByPooledEth(amount) / BOND_UNIT_SHARES;
        if (units == 0) revert BondTooSmall(amount, _DIV_ETH.getPooledEthByShares(BOND_UNIT_SHARES) + 1);
        _addBond(operatorId, units);
        _DIV_ETH.transferSharesFrom(msg.sender, address(this), units * BOND_UNIT_SHARES);
    }

    /// @inheritdoc IOperatorRegistry
    function bondWrapped(uint256 operatorId, uint256 wdivETHAmount) external override returns (uint256 units) {
        _requireOwner(operatorId);
        units = wdivETHAmount / BOND_UNIT_SHARES;
        if (units == 0) revert BondTooSmall(wdivETHAmount, BOND_UNIT_SHARES);
        _addBond(operatorId, units);
        // One wdivETH is one divETH share: redeeming exactly `units * BOND_UNIT_SHARES` sends exactly that many shares.
        _WDIV_ETH.redeem(units * BOND_UNIT_SHARES, address(this), msg.sender);
    }

    /// @inheritdoc IOperatorRegistry
    function bondEther(uint256 operatorId) external payable override returns (uint256 units) {
        _requireOwner(operatorId);
        uint256 shares = _POOL.stake{value: msg.value}();
        units = shares / BOND_UNIT_SHARES;
        if (units == 0) revert BondTooSmall(msg.value, _DIV_ETH.getPooledEthByShares(BOND_UNIT_SHARES) + 1);
        _addBond(operatorId, units);
        uint256 remainder = shares - units * BOND_UNIT_SHARES;
        if (remainder != 0) _DIV_ETH.transferShares(msg.sender, remainder);
    }

    /// @inheritdoc IOperatorRegistry
    function unbond(uint256 operatorId, uint256 units, address recipient) external override {
        OperatorRecord memory op = _requireOwner(operatorId);
        if (units == 0) revert ZeroUnits();
        if (recipient == address(0)) revert ZeroAddress();
        uint256 free = _freeUnits(operatorId, op);
        if (units > free) revert InsufficientFreeBond(operatorId, free, units);
        // Safe: units ≤ free ≤ bondUnits (free units are part of the bond).
        unchecked {
            op.bondUnits -= uint32(units);
            free -= units;
        }
        _operators[operatorId].bondUnits = op.bondUnits;
        // Safe: the total includes this operator's bond, which is at least `units`.
        unchecked {
            _totalBondUnits -= uint64(units);
        }
        _storeFree(operatorId, op, free);
        emit BondChanged(operatorId, op.bondUnits, free);
        _DIV_ETH.transferShares(recipient, units * BOND_UNIT_SHARES);
    }

    // ------------------------------------------------------------------ reporter bonds (oracle)

    /// @inheritdoc IOperatorRegistry
    function lockReporterBond(uint256 operatorId, uint256 units) external override {
        _onlyOracle();
        OperatorRecord memory op = _requireOperator(operatorId);
        if (op.ejected) revert OperatorIsEjected(operatorId);
        uint256 free = _freeUnits(operatorId, op);
        if (units > free) revert InsufficientFreeBond(operatorId, free, units);
        // Safe: checked above.
        unchecked {
            free -= units;
        }
        _storeFree(operatorId, op, free);
        emit ReporterBondLocked(operatorId, units);
    }

    /// @inheritdoc IOperatorRegistry
    function releaseReporterBond(uint256 operatorId, uint256 units) external override {
        _onlyOracle();
        _releaseLock(operatorId, 0, units);
        emit ReporterBondReleased(operatorId, units);
    }

    /// @inheritdoc IOperatorRegistry
    function slashReporterBond(uint256 operatorId, uint256 units, address disputer, uint256 rewardUnits)
        external
        override
        returns (uint256 paidShares, uint256 burnedShares)
    {
        _onlyOracle();
        // The oracle only slashes units it locked, which are part of the bond and of the total.
        _releaseLock(operatorId, units, 0);
        paidShares = rewardUnits * BOND_UNIT_SHARES;
        // Checked: the oracle pays at most the units it slashes (a larger reward would underflow and revert).
        burnedShares = (units - rewardUnits) * BOND_UNIT_SHARES;
        emit ReporterBondSlashed(operatorId, units, disputer, paidShares, burnedShares);
        if (paidShares != 0) _DIV_ETH.transferShares(disputer, paidShares);
        if (burnedShares != 0) _POOL.burnShares(burnedShares);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IOperatorRegistry
    function getOperator(uint256 operatorId) external view override returns (Operator memory info) {
        OperatorRecord memory op = _requireOperator(operatorId);
        info.owner = op.owner;
        info.signer = _identities.signers[operatorId];
        info.nodeIdentity = _identities.nodeIdentities[operatorId];
        info.bondUnits = op.bondUnits;
        info.freeUnits = _freeUnits(operatorId, op);
        info.paused = op.paused;
        info.ejected = op.ejected;
        info.metadataURI = _identities.metadataURIs[operatorId];
    }

    /// @inheritdoc IOperatorRegistry
    function operatorIdByOwner(address owner) external view override returns (uint256) {
        return _identities.idByOwner[owner];
    }

    /// @inheritdoc IOperatorRegistry
    function operatorIdBySigner(address signer) external view override returns (uint256) {
        return _identities.idBySigner[signer];
    }

    /// @inheritdoc IOperatorRegistry
    function operatorIdByNodeIdentity(bytes32 nodeIdentity) external view override returns (uint256) {
        return _identities.idByNodeIdentity[nodeIdentity];
    }

    /// @inheritdoc IOperatorRegistry
    function operatorCount() external view override returns (uint256) {
        return _operatorCount;
    }

    /// @notice Sum of all operators' bonds, in units (capped at the selection tree's maximum total weight).
    /// @return The total.
    function totalBondUnits() external view returns (uint256) {
        return _totalBondUnits;
    }

    /// @inheritdoc IOperatorRegistry
    function totalDrawableUnits() external view override returns (uint256) {
        return _tree.totalWeight();
    }

    // ------------------------------------------------------------------ internal

    /// @dev Takes `slashed` locked units out of an operator's bond (the caller burns their shares) and frees
    /// `unlocked` more of its locked units.
    function _releaseLock(uint256 operatorId, uint256 slashed, uint256 unlocked) internal {
        OperatorRecord memory op = _operators[operatorId];
        if (slashed != 0) {
            // Safe: the slashed units are part of the operator's lock, hence of its bond and of the total.
            unchecked {
                op.bondUnits -= uint32(slashed);
                _totalBondUnits -= uint64(slashed);
            }
            _operators[operatorId].bondUnits = op.bondUnits;
        }
        uint256 free = _freeUnits(operatorId, op) + unlocked;
        _storeFree(operatorId, op, free);
        emit BondChanged(operatorId, op.bondUnits, free);
    }

    /// @dev Free units: the tree lane while drawable (or the deferred value while a draw is pending), the parked units
    /// otherwise.
    function _freeUnits(uint256 operatorId, OperatorRecord memory op) internal view returns (uint256) {
        if (!_isDrawable(op)) return op.parkedFreeUnits;
        if (_pendingDrawId != 0) {
            uint256 deferred = _freeze.deferredFree[operatorId];
            if (deferred != 0) return deferred - 1;
        }
        return _tree.weightOf(operatorId);
    }

    /// @dev Writes an operator's free units where they live (tree lane, deferred value while a draw is pending, or
    /// parked field). While a draw is pending, an operator whose frozen lane covers one lock must keep one lock free,
    /// so that whoever the draw picks can be locked.
    function _storeFree(uint256 operatorId, OperatorRecord memory op, uint256 free) internal {
        if (_isDrawable(op)) {
            uint256 pendingId = _pendingDrawId;
            if (pendingId == 0) {
                _tree.set(operatorId, free);
                return;
            }
            uint256 info = _freeze.info;
            uint256 lockUnits = info >> 64;
            if (free < lockUnits && _tree.weightOf(operatorId) >= lockUnits) {
                revert DrawPending(pendingId, uint64(info));
            }
            if (_freeze.deferredFree[operatorId] == 0) {
                uint256 count = _freeze.count;
                _freeze.ids[count] = operatorId;
                _freeze.count = count + 1;
            }
            _freeze.deferredFree[operatorId] = free + 1;
        } else {
            // Free units never exceed the bond, which is capped at 32 bits.
            _operators[operatorId].parkedFreeUnits = uint32(free);
        }
    }

    /// @dev Ends the freeze: writes the deferred free units into the tree, less `lockUnits` for the operators in
    /// `picked` (the draw already took the lock off their frozen lanes).
    function _applyDeferred(uint256[] memory picked, uint256 lockUnits) internal {
        uint256 count = _freeze.count;
        for (uint256 i; i < count; ++i) {
            uint256 id = _freeze.ids[i];
            uint256 free = _freeze.deferredFree[id] - 1;
            for (uint256 j; j < picked.length; ++j) {
                // Safe: a picked operator's frozen lane covered the lock, so it kept at least one lock free.
                if (picked[j] == id) free -= lockUnits;
            }
            delete _freeze.deferredFree[id];
            _tree.set(id, free);
        }
        _freeze.count = 0;
    }

    function _requireNoPendingDraw() internal view {
        uint256 pendingId = _pendingDrawId;
        if (pendingId != 0) revert DrawPending(pendingId, uint64(_freeze.info));
    }

    function _isDrawable(OperatorRecord memory op) internal pure returns (bool) {
        return !op.paused && !op.ejected;
    }

    function _requireOperator(uint256 operatorId) internal view returns (OperatorRecord memory op) {
        op = _operators[operatorId];
        if (op.owner == address(0)) revert UnknownOperator(operatorId);
    }

    function _onlyOracle() internal view {
        if (msg.sender != _ORACLE) revert NotAccountingOracle(msg.sender);
    }

    function _requireOwner(uint256 operatorId) private view returns (OperatorRecord memory op) {
        op = _requireOperator(operatorId);
        if (op.owner != msg.sender) revert NotOperatorOwner(operatorId, msg.sender);
    }

    function _addBond(uint256 operatorId, uint256 units) private {
        OperatorRecord memory op = _operators[operatorId];
        uint256 bondUnits = op.bondUnits + units;
        if (bondUnits > MAX_BOND_UNITS) revert BondLimitExceeded(bondUnits, MAX_BOND_UNITS);
        uint256 total = _totalBondUnits + units;
        if (total > WeightedSelection.MAX_TOTAL_WEIGHT) {
            revert BondLimitExceeded(total, WeightedSelection.MAX_TOTAL_WEIGHT);
        }
        _totalBondUnits = uint64(total);
        uint256 free = _freeUnits(operatorId, op) + units;
        op.bondUnits = uint32(bondUnits);
        _operators[operatorId].bondUnits = op.bondUnits;
        _storeFree(operatorId, op, free);
        emit BondChanged(operatorId, bondUnits, free);
    }

    function _setDrawState(uint256 operatorId, OperatorRecord memory op, bool paused, bool ejected) internal {
        _requireNoPendingDraw();
        uint256 free = _freeUnits(operatorId, op);
        bool wasDrawable = _isDrawable(op);
        op.paused = paused;
        op.ejected = ejected;
        bool drawable = _isDrawable(op);
        if (wasDrawable && !drawable) {
            _tree.set(operatorId, 0);
            op.parkedFreeUnits = uint32(free);
        } else if (!wasDrawable && drawable) {
            _tree.set(operatorId, free);
            op.parkedFreeUnits = 0;
        }
        _operators[operatorId] = op;
        emit OperatorStatusChanged(operatorId, paused, ejected);
    }
}
