// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IAccountingOracle
/// @notice Delivers beacon-chain accounting to the staking pool through `IStakingPool.handleOracleReport`, the only
/// entry point it needs. This version is a role-gated reporter with sanity limits on the share rate; a later version
/// replaces it with trustless beacon-state proofs behind the same pool entry point.
interface IAccountingOracle {
    /// @notice Beacon-chain accounting at the report's reference time.
    /// @param beaconValidators Protocol validators seen by the beacon chain (never decreases).
    /// @param beaconBalance Their total balance in wei.
    /// @param withdrawalVaultBalance Ether in the withdrawal vault to move into the pool's buffer, in wei.
    /// @param refTimestamp Time of the beacon state the numbers come from (its slot's time), Unix seconds: later than
    /// the previous report's and not in the future. Only withdrawal requests made before it become finalizable.
    struct Report {
        uint256 beaconValidators;
        uint256 beaconBalance;
        uint256 withdrawalVaultBalance;
        uint256 refTimestamp;
    }

    /// @notice A report was applied to the pool.
    /// @param reporter The account that submitted it.
    /// @param beaconValidators Reported validator count.
    /// @param beaconBalance Reported beacon balance in wei.
    /// @param withdrawalVaultBalance Ether moved from the vault in wei.
    /// @param preShareRate Ether per share before the report, scaled by 1e27.
    /// @param postShareRate Ether per share after the report, scaled by 1e27.
    event ReportSubmitted(
        address indexed reporter,
        uint256 beaconValidators,
        uint256 beaconBalance,
        uint256 withdrawalVaultBalance,
        uint256 preShareRate,
        uint256 postShareRate
    );

    /// @notice The share rate would rise above `maxRate` (limit per elapsed day).
    error ShareRateIncreaseTooHigh(uint256 preRate, uint256 postRate, uint256 maxRate);
    /// @notice The share rate would fall below `minRate` (limit per report).
    error ShareRateDecreaseTooHigh(uint256 preRate, uint256 postRate, uint256 minRate);
    /// @notice A constructor limit is out of range.
    error InvalidLimit(uint256 value, uint256 max);
    /// @notice A constructor address is zero.
    error ZeroAddress();
    /// @notice A report was already applied in this block (the per-day allowance would be zero anyway).
    error ReportInSameBlock(uint256 timestamp);

    /// @notice Applies `report` to the staking pool, then reverts everything if the share rate moved beyond the limits.
    /// Only accounts with `REPORTER_ROLE`.
    /// @param report The beacon-chain accounting.
    function submitReport(Report calldata report) external;

    /// @notice The staking pool reports are delivered to.
    /// @return The pool address.
    function stakingPool() external view returns (address);

    /// @notice Timestamp of the last applied report (deployment time before the first).
    /// @return Unix seconds.
    function lastReportTimestamp() external view returns (uint256);

    /// @notice Maximum share-rate increase per elapsed day since the last report, in basis points.
    /// @return Basis points per day.
    function maxShareRateIncreaseBpPerDay() external view returns (uint256);

    /// @notice Maximum share-rate decrease per report, in basis points.
    /// @return Basis points.
    function maxShareRateDecreaseBpPerReport() external view returns (uint256);
}
