// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IExitManager} from "../interfaces/IExitManager.sol";
import {IOperatorRegistry} from "../interfaces/IOperatorRegistry.sol";
import {IStakingPool} from "../interfaces/IStakingPool.sol";
import {IWithdrawalQueue} from "../interfaces/IWithdrawalQueue.sol";
import {IWithdrawalVault} from "../interfaces/IWithdrawalVault.sol";

/// @title ExitManager
/// @notice Permissionless exits of protocol validators: checks each trigger's condition on-chain, asks the cluster for a
/// voluntary exit (event), and after a window lets anyone send the EIP-7002 request through the withdrawal vault.
/// @dev Kept out of the operator registry, which is at the contract size limit: it only reads the registry. The pool's
/// components are read at call time, so the manager can be deployed before the vault that trusts it.
contract ExitManager is IExitManager {
    /// @notice Upper bound on `voluntaryExitWindow` (a longer wait would leave withdrawals unserved for too long).
    uint256 public constant MAX_VOLUNTARY_EXIT_WINDOW = 30 days;
    /// @notice Ether an exit in flight is expected to bring back (a full validator's deposit). A validator that lost
    /// balance brings less, so the demand trigger can only under-estimate the need, never exit too many validators.
    uint256 public constant EXPECTED_EXIT_ETHER = 32 ether;
    /// @notice Operators per cluster.
    uint256 private constant _CLUSTER_SIZE = 16;

    IStakingPool private immutable _POOL;
    uint256 private immutable _VOLUNTARY_EXIT_WINDOW;

    mapping(uint256 validatorId => ExitRecord) private _exits;
    uint256 private _pendingExits;
    uint256 private _demandCursor = 1;

    /// @param stakingPool_ The staking pool whose validators are exited.
    /// @param voluntaryExitWindow_ Seconds the cluster has to publish a voluntary exit before the EIP-7002 fallback.
    constructor(address stakingPool_, uint256 voluntaryExitWindow_) {
        if (stakingPool_ == address(0)) revert ZeroStakingPool();
        if (voluntaryExitWindow_ == 0 || voluntaryExitWindow_ > MAX_VOLUNTARY_EXIT_WINDOW) {
            revert InvalidVoluntaryExitWindow(voluntaryExitWindow_, MAX_VOLUNTARY_EXIT_WINDOW);
        }
        _POOL = IStakingPool(stakingPool_);
        _VOLUNTARY_EXIT_WINDOW = voluntaryExitWindow_;
    }

    // ------------------------------------------------------------------ triggers

    /// @inheritdoc IExitManager
    function requestExitForDemand(uint256 validatorId) external override {
        IOperatorRegistry registry = _registry();
        (uint256 demand, uint256 available) = _shortfall();
        if (demand <= available) revert DemandCovered(demand, available);
        _requireExitable(validatorId, registry.getRequest(validatorId).status);
        // Oldest first: every id between the cursor and `validatorId` must be ineligible. The cursor moves past the
        // prefix of ids that can never become eligible again, so each id is scanned to the end of its life once.
        uint256 cursor = _demandCursor;
        bool prefixFinal = true;
        for (uint256 id = cursor; id < validatorId; ++id) {
            (bool eligible, bool final_) = _classify(registry, id);
            if (eligible) revert NotNextInLine(validatorId, id);
            if (prefixFinal && final_) cursor = id + 1;
            else prefixFinal = false;
        }
        if (prefixFinal && validatorId >= cursor) cursor = validatorId + 1;
        _demandCursor = cursor;
        _requestExit(registry, validatorId, ExitReason.WithdrawalDemand);
    }

    /// @inheritdoc IExitManager
    function requestExitForLostBond(uint256 validatorId, uint256 position) external override {
        if (position >= _CLUSTER_SIZE) revert InvalidClusterPosition(position);
        IOperatorRegistry registry = _registry();
        IOperatorRegistry.ValidatorRequest memory v = registry.getRequest(validatorId);
        _requireExitable(validatorId, v.status);
        uint256 operatorId = v.operatorIds[position];
        if (!registry.getOperator(operatorId).ejected) revert OperatorNotEjected(validatorId, position, operatorId);
        _requestExit(registry, validatorId, ExitReason.LostBond);
    }

    /// @inheritdoc IExitManager
    function sendWithdrawalRequest(uint256 validatorId) external payable override {
        ExitRecord storage exit = _exits[validatorId];
        if (exit.reason == ExitReason.None) revert ExitNotRequested(validatorId);
        if (exit.settled) revert ExitAlreadySettled(validatorId);
        IOperatorRegistry registry = _registry();
        IOperatorRegistry.ValidatorStatus status = registry.getRequest(validatorId).status;
        if (status >= IOperatorRegistry.ValidatorStatus.Exiting) revert AlreadyExiting(validatorId, uint8(status));
        uint256 last = exit.lastWithdrawalRequestAt > exit.requestedAt ? exit.lastWithdrawalRequestAt : exit.requestedAt;
        uint256 notBefore = last + _VOLUNTARY_EXIT_WINDOW;
        if (block.timestamp < notBefore) revert WithdrawalRequestTooEarly(validatorId, notBefore);
        exit.lastWithdrawalRequestAt = uint64(block.timestamp);
        (bytes memory pubkey,) = registry.validatorKeys(validatorId);
        uint256 fee = IWithdrawalVault(_component(_POOL.withdrawalVault())).requestFullWithdrawal{value: msg.value}(
            pubkey, msg.sender
        );
        emit WithdrawalRequestSent(validatorId, msg.sender, fee);
    }

    /// @inheritdoc IExitManager
    function settleExit(uint256 validatorId) external override {
        ExitRecord storage exit = _exits[validatorId];
        if (exit.reason == ExitReason.None) revert ExitNotRequested(validatorId);
        if (exit.settled) revert ExitAlreadySettled(validatorId);
        IOperatorRegistry.ValidatorStatus status = _registry().getRequest(validatorId).status;
        if (status != IOperatorRegistry.ValidatorStatus.Withdrawn) revert NotWithdrawn(validatorId, uint8(status));
        exit.settled = true;
        uint256 pending = _pendingExits - 1;
        _pendingExits = pending;
        emit ExitSettled(validatorId, pending);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IExitManager
    function nextDemandExit(uint256 maxScan) external view override returns (uint256 validatorId) {
        IOperatorRegistry registry = _registry();
        uint256 count = registry.requestCount();
        uint256 end = _demandCursor + maxScan;
        if (end > count + 1) end = count + 1;
        for (uint256 id = _demandCursor; id < end; ++id) {
            (bool eligible,) = _classify(registry, id);
            if (eligible) return id;
        }
        return 0;
    }

    /// @inheritdoc IExitManager
    function withdrawalShortfall() external view override returns (uint256 demand, uint256 available) {
        return _shortfall();
    }

    /// @inheritdoc IExitManager
    function exitOf(uint256 validatorId) external view override returns (ExitRecord memory) {
        return _exits[validatorId];
    }

    /// @inheritdoc IExitManager
    function pendingExits() external view override returns (uint256) {
        return _pendingExits;
    }

    /// @inheritdoc IExitManager
    function demandCursor() external view override returns (uint256) {
        return _demandCursor;
    }

    /// @inheritdoc IExitManager
    function voluntaryExitWindow() external view override returns (uint256) {
        return _VOLUNTARY_EXIT_WINDOW;
    }

    /// @inheritdoc IExitManager
    function stakingPool() external view override returns (address) {
        return address(_POOL);
    }

    // ------------------------------------------------------------------ internals

    function _requestExit(IOperatorRegistry registry, uint256 validatorId, ExitReason reason) private {
        _exits[validatorId] = ExitRecord({
            reason: reason, requestedAt: uint64(block.timestamp), lastWithdrawalRequestAt: 0, settled: false
        });
        ++_pendingExits;
        (bytes memory pubkey,) = registry.validatorKeys(validatorId);
        emit ValidatorExitRequested(validatorId, pubkey, reason, block.timestamp + _VOLUNTARY_EXIT_WINDOW);
    }

    /// @dev Only validators holding their full deposit and not yet exiting can be asked to exit, once.
    function _requireExitable(uint256 validatorId, IOperatorRegistry.ValidatorStatus status) private view {
        ExitRecord storage exit = _exits[validatorId];
        if (exit.reason != ExitReason.None) revert ExitAlreadyRequested(validatorId, exit.requestedAt);
        if (status != IOperatorRegistry.ValidatorStatus.Deposited && status != IOperatorRegistry.ValidatorStatus.Active)
        {
            revert NotExitable(validatorId, uint8(status));
        }
    }

    /// @dev `eligible`: the demand trigger may exit it now. `final_`: it can never become eligible again (already asked
    /// to exit, exiting or gone on the beacon chain, expired or unusable).
    /// A request whose cluster was never drawn is unknown to `getRequest`: while its draw is pending it may still
    /// become a validator; otherwise (expired before its draw) it never will.
    function _classify(IOperatorRegistry registry, uint256 id) private view returns (bool eligible, bool final_) {
        if (_exits[id].reason != ExitReason.None) return (false, true);
        IOperatorRegistry.ValidatorStatus s;
        try registry.getRequest(id) returns (IOperatorRegistry.ValidatorRequest memory r) {
            s = r.status;
        } catch {
            (uint256 pending,,) = registry.pendingDraw();
            return (false, pending != id);
        }
        if (s == IOperatorRegistry.ValidatorStatus.Deposited || s == IOperatorRegistry.ValidatorStatus.Active) {
            return (true, false);
        }
        return (false, s >= IOperatorRegistry.ValidatorStatus.Exiting);
    }

    function _shortfall() private view returns (uint256 demand, uint256 available) {
        demand = IWithdrawalQueue(_component(_POOL.withdrawalQueue())).unfinalizedEther();
        available = _POOL.unreservedBufferedEther() + _component(_POOL.withdrawalVault()).balance
            + _pendingExits * EXPECTED_EXIT_ETHER;
    }

    function _registry() private view returns (IOperatorRegistry) {
        return IOperatorRegistry(_component(_POOL.validatorRegistry()));
    }

    function _component(address component) private pure returns (address) {
        if (component == address(0)) revert NotWired();
        return component;
    }
}
