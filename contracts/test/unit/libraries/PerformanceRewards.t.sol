// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {PerformanceRewards} from "../../../src/libraries/PerformanceRewards.sol";

/// @notice Property tests of the per-share reward split: for random reports (1..64 validators with random rewards,
/// 1..16 shares each with random statements, random thresholds and fees up to 10^27 wei), Σ paid + Σ to holders is the
/// report's operator fee to the wei, no share below the threshold earns anything, and no share earns more than its
/// seat. Each fuzz run checks one whole report (hundreds of splits).
contract PerformanceRewardsTest {
    error SumMismatch(uint256 paidPlusHolders, uint256 fee);
    error BelowThresholdPaid(uint256 validator, uint256 share, uint256 performanceBps, uint256 paid);
    error PaidAboveSeat(uint256 validator, uint256 share, uint256 paid, uint256 seat);
    error FullPerformanceUnderpaid(uint256 paid, uint256 seat);
    error WrongExample(uint256 index, uint256 got, uint256 want);

    function _draw(uint256 seed, uint256 i) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, i)));
    }

    function testFuzz_reportSplitSumsToTheFeeToTheWei(uint256 seed) public pure {
        uint256 fee = _draw(seed, 0) % 1e27;
        uint256 validators = 1 + (_draw(seed, 1) % 64);
        uint256[] memory rewards = new uint256[](validators);
        for (uint256 v; v < validators; ++v) {
            // Some validators earned nothing; rewards up to 10^21 wei.
            rewards[v] = _draw(seed, 2 + v) % 4 == 0 ? 0 : _draw(seed, 100 + v) % 1e21;
        }
        (uint256[] memory fees, uint256 toHolders) = PerformanceRewards.splitReport(fee, rewards);
        uint256 threshold = _draw(seed, 200) % (PerformanceRewards.BPS + 1);
        uint256 total = toHolders;
        for (uint256 v; v < validators; ++v) {
            total += _checkValidator(seed, v, fees[v], threshold);
        }
        if (total != fee) revert SumMismatch(total, fee);
    }

    /// @dev Splits one validator's fee with a random statement; returns Σ paid + to holders, checking each share.
    function _checkValidator(uint256 seed, uint256 v, uint256 fee, uint256 threshold) private pure returns (uint256) {
        uint256 n = 1 + (_draw(seed, 300 + v) % 16);
        uint32[] memory expected = new uint32[](n);
        uint32[] memory contributed = new uint32[](n);
        for (uint256 i; i < n; ++i) {
            uint256 r = _draw(seed, 1000 + v * 16 + i);
            expected[i] = uint32(r % 7201);
            contributed[i] = expected[i] == 0 ? 0 : uint32((r >> 32) % (uint256(expected[i]) + 1));
        }
        (uint256[] memory paid, uint256 toHolders) =
            PerformanceRewards.splitValidator(fee, expected, contributed, threshold);
        uint256 sum = toHolders;
        for (uint256 i; i < n; ++i) {
            uint256 p = PerformanceRewards.performanceBps(expected[i], contributed[i]);
            if (p < threshold && paid[i] != 0) revert BelowThresholdPaid(v, i + 1, p, paid[i]);
            if (paid[i] > fee / n) revert PaidAboveSeat(v, i + 1, paid[i], fee / n);
            if (p == PerformanceRewards.BPS && p >= threshold && paid[i] != fee / n) {
                revert FullPerformanceUnderpaid(paid[i], fee / n);
            }
            sum += paid[i];
        }
        return sum;
    }

    /// @notice A worked example: 16 shares, 1.6 ETH + 5 wei of fee, threshold 90 % (e.g. average 93 % − 3 %).
    function test_workedExample() public pure {
        uint32[] memory expected = new uint32[](16);
        uint32[] memory contributed = new uint32[](16);
        for (uint256 i; i < 16; ++i) {
            expected[i] = 200;
            contributed[i] = 200;
        }
        contributed[3] = 0; // offline all frame: earns nothing
        contributed[8] = 179; // 89.5 %: below 90 %, earns nothing
        contributed[9] = 180; // 90 %: at the threshold, paid 90 % of its seat
        uint256 fee = 1.6 ether + 5;
        (uint256[] memory paid, uint256 toHolders) = PerformanceRewards.splitValidator(
            fee, expected, contributed, PerformanceRewards.thresholdBelowAverage(9300, 300)
        );
        uint256 seat = 0.1 ether;
        uint256[4] memory want = [seat, 0, 0, seat * 9 / 10];
        uint256[4] memory at = [uint256(0), 3, 8, 9];
        for (uint256 k; k < 4; ++k) {
            if (paid[at[k]] != want[k]) revert WrongExample(at[k] + 1, paid[at[k]], want[k]);
        }
        // Two seats unearned, a tenth of one seat, and the 5 wei that do not divide by 16.
        uint256 holders = 2 * seat + seat / 10 + 5;
        if (toHolders != holders) revert WrongExample(0, toHolders, holders);
    }

    function test_noRewardsSendsTheWholeFeeToHolders() public pure {
        (uint256[] memory fees, uint256 toHolders) = PerformanceRewards.splitReport(1 ether, new uint256[](3));
        if (toHolders != 1 ether || fees[0] != 0) revert WrongExample(0, toHolders, 1 ether);
    }

    /// @notice `splitValidator` behind an external call, so its reverts can be caught.
    function split(uint256 fee, uint32[] memory expected, uint32[] memory contributed, uint256 threshold)
        external
        pure
        returns (uint256[] memory paid, uint256 toHolders)
    {
        return PerformanceRewards.splitValidator(fee, expected, contributed, threshold);
    }

    function test_rejectsMalformedStatementsAndThresholds() public view {
        _expectRevert(new uint32[](0), new uint32[](0), 0, PerformanceRewards.RewardsInvalidShareCount.selector);
        _expectRevert(new uint32[](3), new uint32[](2), 0, PerformanceRewards.RewardsInvalidShareCount.selector);
        _expectRevert(new uint32[](256), new uint32[](256), 0, PerformanceRewards.RewardsInvalidShareCount.selector);
        _expectRevert(new uint32[](2), new uint32[](2), 10_001, PerformanceRewards.RewardsInvalidThreshold.selector);
    }

    function _expectRevert(uint32[] memory e, uint32[] memory c, uint256 threshold, bytes4 selector) private view {
        try this.split(1 ether, e, c, threshold) {
            revert WrongExample(0, 0, uint32(selector));
        } catch (bytes memory reason) {
            if (bytes4(reason) != selector) revert WrongExample(1, uint32(bytes4(reason)), uint32(selector));
        }
    }
}
