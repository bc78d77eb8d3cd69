// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IAccountingOracle} from "../interfaces/IAccountingOracle.sol";
import {IStakingPool} from "../interfaces/IStakingPool.sol";

/// @title AccountingOracle
/// @notice Role-gated reporter: accounts with `REPORTER_ROLE` submit beacon-chain accounting, which is applied to the
/// staking pool and then checked against immutable sanity limits on the share rate (ether per share). A report that
/// raises the rate by more than `maxShareRateIncreaseBpPerDay` per elapsed day, or lowers it by more than
/// `maxShareRateDecreaseBpPerReport`, reverts entirely, so a bad report cannot drain holders.
/// @dev The limits are immutable on purpose: no role can loosen them. A later version replaces this contract with
/// trustless beacon-state proofs behind the same `IStakingPool.handleOracleReport` entry point.
contract AccountingOracle is AccessControl, IAccountingOracle {
    /// @notice Role allowed to submit reports; granted and revoked by `DEFAULT_ADMIN_ROLE`.
    bytes32 public constant REPORTER_ROLE = keccak256("REPORTER_ROLE");

    uint256 private constant _BASIS_POINTS = 10_000;
    uint256 private constant _RATE_PRECISION = 1e27;

    IStakingPool private immutable _STAKING_POOL;
    uint256 private immutable _MAX_INCREASE_BP_PER_DAY;
    uint256 private immutable _MAX_DECREASE_BP_PER_REPORT;

    uint256 private _lastReportTimestamp;

    /// @param stakingPool_ The staking pool reports are applied to.
    /// @param admin Holder of `DEFAULT_ADMIN_ROLE` (manages reporters only).
    /// @param maxIncreaseBpPerDay Maximum share-rate increase per elapsed day, in basis points (at most 10,000).
    /// @param maxDecreaseBpPerReport Maximum share-rate decrease per report, in basis points (at most 10,000).
    constructor(IStakingPool stakingPool_, address admin, uint256 maxIncreaseBpPerDay, uint256 maxDecreaseBpPerReport) {
        if (address(stakingPool_) == address(0) || admin == address(0)) revert ZeroAddress();
        if (maxIncreaseBpPerDay > _BASIS_POINTS) revert InvalidLimit(maxIncreaseBpPerDay, _BASIS_POINTS);
        if (maxDecreaseBpPerReport > _BASIS_POINTS) revert InvalidLimit(maxDecreaseBpPerReport, _BASIS_POINTS);
        _STAKING_POOL = stakingPool_;
        _MAX_INCREASE_BP_PER_DAY = maxIncreaseBpPerDay;
        _MAX_DECREASE_BP_PER_REPORT = maxDecreaseBpPerReport;
        _lastReportTimestamp = block.timestamp;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IAccountingOracle
    function submitReport(Report calldata report) external override onlyRole(REPORTER_ROLE) {
        uint256 elapsed = block.timestamp - _lastReportTimestamp;
        if (elapsed == 0) revert ReportInSameBlock(block.timestamp);
        _lastReportTimestamp = block.timestamp;
        IStakingPool.ReportResult memory result = _STAKING_POOL.handleOracleReport(
            report.beaconValidators, report.beaconBalance, report.withdrawalVaultBalance, report.refTimestamp
        );
        uint256 preRate = Math.mulDiv(result.preTotalPooledEther, _RATE_PRECISION, result.preTotalShares);
        uint256 postRate = Math.mulDiv(result.postTotalPooledEther, _RATE_PRECISION, result.postTotalShares);
        if (postRate > preRate) {
            uint256 maxRate =
                preRate + Math.mulDiv(preRate, _MAX_INCREASE_BP_PER_DAY * elapsed, _BASIS_POINTS * 1 days);
            if (postRate > maxRate) revert ShareRateIncreaseTooHigh(preRate, postRate, maxRate);
        } else {
            uint256 minRate = preRate - Math.mulDiv(preRate, _MAX_DECREASE_BP_PER_REPORT, _BASIS_POINTS);
            if (postRate < minRate) revert ShareRateDecreaseTooHigh(preRate, postRate, minRate);
        }
        emit ReportSubmitted(
            msg.sender,
            report.beaconValidators,
            report.beaconBalance,
            report.withdrawalVaultBalance,
            preRate,
            postRate
        );
    }

    /// @inheritdoc IAccountingOracle
    function stakingPool() external view override returns (address) {
        return address(_STAKING_POOL);
    }

    /// @inheritdoc IAccountingOracle
    function lastReportTimestamp() external view override returns (uint256) {
        return _lastReportTimestamp;
    }

    /// @inheritdoc IAccountingOracle
    function maxShareRateIncreaseBpPerDay() external view override returns (uint256) {
        return _MAX_INCREASE_BP_PER_DAY;
    }

    /// @inheritdoc IAccountingOracle
    function maxShareRateDecreaseBpPerReport() external view override returns (uint256) {
        return _MAX_DECREASE_BP_PER_REPORT;
    }
}
