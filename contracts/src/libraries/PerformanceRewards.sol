// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title PerformanceRewards
/// @notice The reward-split math of per-share performance (issue 13, item 2), pure: a report's operator fee is split
/// across validators by their measured rewards, and a validator's part among its shares by their performance in the
/// frame (its signed `PerformanceStatement`). A share whose performance is below the threshold (e.g. the network
/// average − 3 %) earns nothing for the frame; everything not paid to a share — its unearned part and every rounding
/// remainder — goes to the holders, so paid + to holders is the fee to the wei.
/// @dev `OperatorRewards` applies this rule leaf by leaf (`contracts/README.md`, "Per-share operator rewards").
library PerformanceRewards {
    /// @notice Basis points: performance and thresholds are in 1/10,000.
    uint256 internal constant BPS = 10_000;

    /// @notice `expected` and `contributed` do not list the same 1..255 shares.
    error RewardsInvalidShareCount(uint256 expected, uint256 contributed);
    /// @notice A threshold above 100 %.
    error RewardsInvalidThreshold(uint256 thresholdBps);

    /// @notice A share's performance in basis points: contributed / expected (0 when nothing was expected of it;
    /// contributions above expected count as expected).
    function performanceBps(uint32 expected, uint32 contributed) internal pure returns (uint256) {
        if (expected == 0) return 0;
        return Math.min(contributed, expected) * BPS / expected;
    }

    /// @notice The threshold `averageBps − marginBps`, or 0 when the margin exceeds the average.
    function thresholdBelowAverage(uint256 averageBps, uint256 marginBps) internal pure returns (uint256) {
        return averageBps > marginBps ? averageBps - marginBps : 0;
    }

    /// @notice Splits one validator's operator fee among its shares. Each share's seat is `fee / n`; a share at or
    /// above the threshold (and above 0) is paid its seat × its performance, rounded down; the rest goes to holders.
    /// @param fee The validator's part of the report's operator fee, in wei (or divETH shares).
    /// @param expected Duties expected of each share (from the statement).
    /// @param contributed Duties each share contributed to (from the statement).
    /// @param thresholdBps Minimum performance that earns anything.
    /// @return paid Per share index (position i is share i + 1), what it earns.
    /// @return toHolders `fee − Σ paid`.
    function splitValidator(uint256 fee, uint32[] memory expected, uint32[] memory contributed, uint256 thresholdBps)
        internal
        pure
        returns (uint256[] memory paid, uint256 toHolders)
    {
        uint256 n = expected.length;
        if (n == 0 || n > 255 || contributed.length != n) revert RewardsInvalidShareCount(n, contributed.length);
        if (thresholdBps > BPS) revert RewardsInvalidThreshold(thresholdBps);
        paid = new uint256[](n);
        uint256 seat = fee / n;
        uint256 total;
        for (uint256 i; i < n; ++i) {
            uint256 p = performanceBps(expected[i], contributed[i]);
            if (p == 0 || p < thresholdBps) continue;
            // seat × p / BPS ≤ seat ≤ fee / n, so Σ paid ≤ fee and the subtraction below cannot underflow.
            paid[i] = Math.mulDiv(seat, p, BPS);
            total += paid[i];
        }
        toHolders = fee - total;
    }

    /// @notice Splits a report's operator fee across validators in proportion to their rewards in the frame,
    /// rounded down; the remainder (and the whole fee when no validator earned) goes to holders.
    /// @return fees Per validator, its part of the fee.
    /// @return toHolders `operatorFee − Σ fees`.
    function splitReport(uint256 operatorFee, uint256[] memory validatorRewards)
        internal
        pure
        returns (uint256[] memory fees, uint256 toHolders)
    {
        uint256 n = validatorRewards.length;
        fees = new uint256[](n);
        uint256 totalRewards;
        for (uint256 i; i < n; ++i) {
            totalRewards += validatorRewards[i];
        }
        if (totalRewards == 0) return (fees, operatorFee);
        uint256 total;
        for (uint256 i; i < n; ++i) {
            // Σ rewards_i / totalRewards = 1, each term rounded down: Σ fees ≤ operatorFee.
            fees[i] = Math.mulDiv(operatorFee, validatorRewards[i], totalRewards);
            total += fees[i];
        }
        toHolders = operatorFee - total;
    }
}
