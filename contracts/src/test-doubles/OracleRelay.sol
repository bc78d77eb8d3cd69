// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IOperatorRegistry} from "../interfaces/IOperatorRegistry.sol";
import {IStakingPool} from "../interfaces/IStakingPool.sol";

/// @notice Test double of the accounting oracle for pool-level tests: forwards numbers straight to
/// `IStakingPool.handleOracleReport` (no tree, no disputes, no rate limits). The real oracle is tested on its own
/// (test/unit/oracle, test/invariant/OracleInvariants.t.sol). Registry-level tests also drive lifecycle statuses
/// through it (the real oracle proves them from beacon states).
contract OracleRelay {
    /// @notice Beacon-chain accounting at the report's reference time (see `IStakingPool.handleOracleReport`).
    struct Report {
        uint256 beaconValidators;
        uint256 beaconBalance;
        uint256 withdrawalVaultBalance;
        uint256 refTimestamp;
    }

    address private immutable _POOL;
    uint256 private _lastAppliedFrame;

    constructor(address pool) {
        _POOL = pool;
    }

    /// @notice The pool (checked by `wireComponents`).
    /// @return The pool address.
    function stakingPool() external view returns (address) {
        return _POOL;
    }

    /// @notice The frame clock registry-level tests see (the registry's strike window): one frame per day.
    /// @return The current frame.
    function currentFrame() external view returns (uint256) {
        return block.timestamp / 1 days;
    }

    /// @notice The frame of the last report forwarded (as `AccountingOracle.lastAppliedFrame`).
    /// @return The frame.
    function lastAppliedFrame() external view returns (uint256) {
        return _lastAppliedFrame;
    }

    /// @notice Forwards a report to the pool.
    /// @param report The numbers.
    /// @return result The pool's result.
    function submitReport(Report calldata report) external returns (IStakingPool.ReportResult memory result) {
        // The frame of a report is its reference day, like `currentFrame` (read by the operator-rewards recipient).
        _lastAppliedFrame = report.refTimestamp / 1 days;
        return IStakingPool(_POOL).handleOracleReport(
            report.beaconValidators, report.beaconBalance, report.withdrawalVaultBalance, report.refTimestamp
        );
    }

    /// @notice Forwards a lifecycle status to the registry, as the oracle does after a beacon proof.
    /// @param registry The registry.
    /// @param validatorId The validator.
    /// @param status The new status.
    function recordValidatorStatus(IOperatorRegistry registry, uint256 validatorId, IOperatorRegistry.ValidatorStatus status)
        external
    {
        registry.recordValidatorStatus(validatorId, status);
    }
}
