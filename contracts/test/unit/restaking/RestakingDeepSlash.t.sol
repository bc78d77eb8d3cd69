// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {RestakingVault} from "../../../src/nektar/RestakingVault.sol";
import {StakingPool} from "../../../src/diva/StakingPool.sol";
import {RestakingHandler} from "../../invariant/RestakingHandler.sol";
import {VM} from "../../invariant/Vm.sol";

/// @notice Reproduction of the fuzz finding "deep partial slashes inflate an operator's units per share until later
/// deposits overflow": deep objective slashes (each leaving a few wei of the operator's stake), each followed by a
/// new delegation, then withdrawals. Before the pool rebase, the second delegation's activation overflowed `uint128`
/// (`SafeCast`) and every call that activates pending deposits — undelegate, deposit, slash — reverted: the operator's
/// delegators could no longer withdraw. With the rebase every call succeeds and every restaker gets back its stake,
/// less at most a few wei of rounding, never more.
contract RestakingDeepSlashTest {
    error Mismatch(string what, uint256 got, uint256 expected);

    RestakingHandler internal h;
    RestakingVault internal rv;
    StakingPool internal pool;
    address internal op;

    function setUp() public {
        VM.deal(address(this), 1 ether);
        VM.warp(1_800_000_000);
        h = new RestakingHandler{value: 0.001 ether}();
        rv = h.rv();
        pool = h.pool();
        op = h.operator(0);
    }

    function test_depositsAndWithdrawalsWorkAfterRepeatedDeepSlashes() public {
        uint256 epoch = h.EPOCH();
        _deposit(h.actor(0), 100 ether);
        VM.warp(block.timestamp + 2 * epoch + 1);
        for (uint256 round = 1; round <= 6; ++round) {
            // Leaves `round` wei of the operator's active stake: units per share × ~10^20 each time.
            h.deepSlash(0, round);
            address restaker = h.actor(round % 3);
            (uint256 activeBefore,,) = rv.positionOf(restaker, op);
            _deposit(restaker, 1_000 ether);
            VM.warp(block.timestamp + 2 * epoch + 1);
            (uint256 active,,) = rv.positionOf(restaker, op);
            // The new stake is active and worth what was deposited, up to rounding against the restaker.
            if (active > activeBefore + 1_000 ether || activeBefore + 1_000 ether - active > 4) {
                revert Mismatch("active after deposit", active, activeBefore + 1_000 ether);
            }
            // Another delegation to the same operator (activates at once on the next touch) and a partial withdrawal.
            _deposit(h.actor((round + 1) % 3), 7 ether + round);
            VM.prank(restaker);
            uint256 claimEpoch = rv.undelegate(op, active / 2);
            VM.warp(block.timestamp + 2 * epoch + 1);
            uint256 before = pool.sharesOf(restaker);
            VM.prank(restaker);
            uint256 got = rv.claimWithdrawal(op, claimEpoch, restaker);
            if (got > active / 2 || active / 2 - got > 4) revert Mismatch("withdrawn", got, active / 2);
            if (pool.sharesOf(restaker) - before != got) revert Mismatch("paid", pool.sharesOf(restaker) - before, got);
        }
        // Everyone can leave: every position undelegates in full and the vault still covers every claim.
        uint256 owed;
        for (uint256 i = 0; i < 3; ++i) {
            (uint256 active,,) = rv.positionOf(h.actor(i), op);
            owed += active;
            if (active != 0) {
                VM.prank(h.actor(i));
                rv.undelegate(op, active);
            }
        }
        uint256 held = pool.sharesOf(address(rv));
        if (owed > held) revert Mismatch("owed exceeds held", owed, held);
    }

    /// @notice Positions untouched since a rebase still earn the rewards paid before it (old generation) and after it
    /// (carried through the rebase), and claims pay exactly what the views show; only the pool's unowned units (at
    /// most one per position, of ~4,096) keep their part in the vault.
    function test_rewardsFollowPositionsThroughARebase() public {
        uint256 epoch = h.EPOCH();
        _deposit(h.actor(0), 100 ether);
        _deposit(h.actor(1), 50 ether);
        VM.warp(block.timestamp + 3 * epoch);
        h.distribute(0, uint256(keccak256("before"))); // before the rebase
        uint256 generation = rv.getOperator(op).generation;
        h.deepSlash(0, 4096); // leaves 4,096 wei: ~2.4e16 units per share, rebased to 1-2
        if (rv.getOperator(op).generation != generation + 1) {
            revert Mismatch("generation", rv.getOperator(op).generation, generation + 1);
        }
        VM.warp(block.timestamp + epoch);
        uint256 before = h.ghostRewardsDeposited();
        h.distribute(0, uint256(keccak256("after"))); // after the rebase: credited to the new generation's units
        uint256 deposited = h.ghostRewardsDeposited();
        if (before == 0 || deposited == before) revert Mismatch("distributions", before, deposited);
        address token = address(h.token());
        uint256 owed = rv.operatorRewardsOf(op, token);
        uint256[2] memory views;
        for (uint256 i = 0; i < 2; ++i) {
            views[i] = rv.rewardsOf(h.actor(i), op, token);
            owed += views[i];
        }
        if (owed > deposited) revert Mismatch("owed exceeds deposited", owed, deposited);
        // Unowned units: at most 3 of the pool's >= 4,096 after the rebase.
        if (deposited - owed > deposited * 3 / 4096) revert Mismatch("rewards lost", owed, deposited);
        // The second reward is shared 2:1 as the stake was (up to the rounding of 4,096 wei of stake).
        if (views[1] == 0) revert Mismatch("views", views[0], views[1]);
        for (uint256 i = 0; i < 2; ++i) {
            address who = h.actor(i);
            VM.prank(who);
            uint256 got = rv.claimRewards(op, token, who);
            if (got != views[i]) revert Mismatch("claim", got, views[i]);
        }
        if (views[0] < views[1] * 2 - views[1] / 500 || views[0] > views[1] * 2 + views[1] / 500) {
            revert Mismatch("pro rata", views[0], views[1] * 2);
        }
    }

    function _deposit(address who, uint256 shares) internal {
        VM.prank(who);
        rv.deposit(op, shares);
    }
}
