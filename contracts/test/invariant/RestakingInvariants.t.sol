// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {RestakingHandler} from "./RestakingHandler.sol";
import {VM} from "./Vm.sol";

/// @notice Restaking invariant suite: each fuzz run deploys a fresh Diva pool and restaking system and makes `STEPS`
/// random calls (deposit, undelegate, claim withdrawal, warp, objective slash, veto slash request, veto/execute,
/// distribute rewards, claim rewards, claim commission, opt in/out, commission change), checking after every call:
/// the vault's divETH shares equal the ghost sum of deposits − withdrawals − slashes and cover every position
/// (Σ positions = vault shares up to rounding dust); reward tokens held equal deposited − claimed and cover every
/// claimable amount. The handler checks per call that a slash never exceeds the captured slashable stake (all networks
/// together), never touches pending deposits or claimable withdrawals, that withdrawals are claimable exactly once
/// and not before their epoch, and that claims pay exactly what the views promised.
/// Deep slashes (each leaving a few wei) reach the state where units per share used to overflow later deposits: every
/// handler deposit, undelegation and claim is a plain call, so any overflow revert fails the run.
/// 256 runs × 40 steps = 10,240 calls per `hardhat test solidity`; `RESTAKING_INVARIANT_STEPS` raises it.
contract RestakingInvariantsTest {
    uint256 internal constant DEFAULT_STEPS = 40;
    /// @dev Rounding dust tolerated per position or distribution (shares or token wei).
    uint256 internal constant DUST = 4;

    error VaultSharesMismatch(uint256 held, uint256 expected, uint256 accounted);
    error PositionsExceedShares(uint256 positions, uint256 shares);
    error PositionDustTooLarge(uint256 positions, uint256 shares);
    error RewardsNotConserved(uint256 held, uint256 expected);
    error RewardsOwedExceedHeld(uint256 owed, uint256 held);
    error RewardDustTooLarge(uint256 owed, uint256 held, uint256 distributions);
    error ActionNeverExecuted(uint256 action);

    RestakingHandler internal handler;

    function setUp() public {
        VM.deal(address(this), 1 ether);
        VM.warp(1_800_000_000); // a realistic clock: captures reach one epoch back
        handler = new RestakingHandler{value: 0.001 ether}();
    }

    function testFuzz_randomRestakingCallsKeepInvariants(uint256 seed) public {
        uint256 steps = VM.envOr("RESTAKING_INVARIANT_STEPS", DEFAULT_STEPS);
        for (uint256 i = 0; i < steps; ++i) {
            handler.step(uint256(keccak256(abi.encode(seed, i))));
            _checkInvariants();
        }
    }

    /// @notice The random sequences are not vacuous: over a fixed 1,500-call sequence every action really executes.
    function test_everyRestakingActionExecutes() public {
        for (uint256 i = 0; i < 1500; ++i) {
            handler.step(uint256(keccak256(abi.encode("coverage", i))));
            if (i % 50 == 0) _checkInvariants();
        }
        _checkInvariants();
        for (uint256 action = 0; action < 13; ++action) {
            if (action == 1) continue; // a second deposit slot, counted under 0
            if (handler.executed(action) == 0) revert ActionNeverExecuted(action);
        }
    }

    function _checkInvariants() internal view {
        RestakingHandler h = handler;
        uint256 held = h.pool().sharesOf(address(h.rv()));
        uint256 expected = h.ghostDeposited() - h.ghostWithdrawn() - h.ghostSlashed();
        uint256 accounted = h.rv().totalStakeShares();
        if (held != expected || accounted != expected) revert VaultSharesMismatch(held, expected, accounted);

        uint256 positions;
        uint256 count;
        for (uint256 i = 0; i < 5; ++i) {
            for (uint256 j = 0; j < 2; ++j) {
                (uint256 active, uint256 pending,) = h.rv().positionOf(h.actor(i), h.operator(j));
                positions += active + pending;
                ++count;
            }
        }
        uint256 n = h.entryCount();
        for (uint256 i = 0; i < n; ++i) {
            (address restaker, address op, uint256 epoch, bool claimed) = h.entries(i);
            if (claimed || _seenBefore(h, i, restaker, op, epoch)) continue;
            positions += h.rv().withdrawalOf(restaker, op, epoch);
            ++count;
        }
        if (positions > held) revert PositionsExceedShares(positions, held);
        if (held - positions > DUST * count) revert PositionDustTooLarge(positions, held);

        uint256 tokensHeld = h.token().balanceOf(address(h.rv()));
        if (tokensHeld != h.ghostRewardsDeposited() - h.ghostRewardsClaimed()) {
            revert RewardsNotConserved(tokensHeld, h.ghostRewardsDeposited() - h.ghostRewardsClaimed());
        }
        uint256 owed;
        for (uint256 j = 0; j < 2; ++j) {
            owed += h.rv().operatorRewardsOf(h.operator(j), address(h.token()));
            for (uint256 i = 0; i < 5; ++i) {
                owed += h.rv().rewardsOf(h.actor(i), h.operator(j), address(h.token()));
            }
        }
        if (owed > tokensHeld) revert RewardsOwedExceedHeld(owed, tokensHeld);
        // After a deep-slash rebase, positions' units are rounded down (< 1 unit each): the pool's unowned units keep
        // their part of later rewards in the vault (never paid out), bounded by the handler's `ghostOrphanBound`.
        if (tokensHeld - owed > DUST * 10 * (h.ghostDistributions() + 1) + h.ghostOrphanBound()) {
            revert RewardDustTooLarge(owed, tokensHeld, h.ghostDistributions());
        }
    }

    /// @dev Entries of the same restaker, operator and epoch share one withdrawal: count it once.
    function _seenBefore(RestakingHandler h, uint256 index, address restaker, address op, uint256 epoch)
        internal
        view
        returns (bool)
    {
        for (uint256 i = 0; i < index; ++i) {
            (address r, address o, uint256 e, bool claimed) = h.entries(i);
            if (!claimed && r == restaker && o == op && e == epoch) return true;
        }
        return false;
    }
}
