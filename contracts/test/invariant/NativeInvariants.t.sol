// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {NativeHandler} from "./NativeHandler.sol";
import {VM} from "./Vm.sol";

/// @notice Native restaking invariant suite: each fuzz run deploys a fresh native vault with a restaking vault and
/// network registry over it and makes `STEPS` random calls (native deposit, delegate, undelegate, claim withdrawal,
/// direct withdrawal, validator creation, oracle report with reward or penalty, beacon withdrawal, Network slash,
/// payout settlement, EIP-7002 request for the shortfall with the ether arriving, warp), checking after every call:
/// - ether conserved: the vault's balance is exactly what stakers deposited − what went to the deposit contract −
///   what was paid out + what the beacon chain sent; the deposit contract holds 32 ETH per validator;
/// - accounting conserved: pooled ether + owed + paid out = deposited + reported rewards − reported penalties (exact);
/// - no claim exceeds the stake: all native shares together are worth at most the pooled ether, the restaking vault
///   holds exactly the shares it accounts, and its positions (active, pending, withdrawals) never exceed them;
/// - slashed ether is owed or paid: payouts owed + paid ≥ the ether of every slash.
/// The handler checks per call that a slash becomes the receiver's ether claim at once, at the rate of the moment.
/// 256 runs × 40 steps = 10,240 calls per `hardhat test solidity`; `NATIVE_INVARIANT_STEPS` raises it.
contract NativeInvariantsTest {
    uint256 internal constant DEFAULT_STEPS = 40;
    /// @dev Rounding dust tolerated per position (wei or shares).
    uint256 internal constant DUST = 4;

    error EtherNotConserved(uint256 balance, uint256 expected);
    error DepositContractMismatch(uint256 held, uint256 expected);
    error AccountingNotConserved(uint256 accounted, uint256 expected);
    error SharesOverclaim(uint256 worth, uint256 pooled);
    error RestakedSharesMismatch(uint256 held, uint256 accounted);
    error PositionsExceedShares(uint256 positions, uint256 shares);
    error SlashesNotOwed(uint256 owedAndPaid, uint256 slashed);
    error ActionNeverExecuted(uint256 action);

    NativeHandler internal handler;

    function setUp() public {
        VM.warp(1_800_000_000);
        handler = new NativeHandler();
    }

    function testFuzz_randomNativeCallsKeepInvariants(uint256 seed) public {
        uint256 steps = VM.envOr("NATIVE_INVARIANT_STEPS", DEFAULT_STEPS);
        for (uint256 i = 0; i < steps; ++i) {
            handler.step(uint256(keccak256(abi.encode(seed, i))));
            _checkInvariants();
        }
    }

    /// @notice The random sequences are not vacuous: over a fixed 1,500-call sequence every action really executes.
    function test_everyNativeActionExecutes() public {
        for (uint256 i = 0; i < 1500; ++i) {
            handler.step(uint256(keccak256(abi.encode("coverage", i))));
            if (i % 25 == 0) _checkInvariants();
        }
        _checkInvariants();
        for (uint256 action = 0; action < 12; ++action) {
            if (handler.executed(action) == 0) revert ActionNeverExecuted(action);
        }
    }

    function _checkInvariants() internal view {
        NativeHandler h = handler;
        uint256 balance = address(h.native()).balance;
        uint256 held = address(h.depositContract()).balance;
        uint256 expected = h.ghostStakerIn() + h.ghostArrivals() - held - h.ghostPaid();
        if (balance != expected) revert EtherNotConserved(balance, expected);
        (uint256 deposited,,) = h.native().validatorStats();
        if (held != deposited * 32 ether) revert DepositContractMismatch(held, deposited * 32 ether);

        uint256 pooled = h.native().getTotalPooledEther();
        uint256 owed = h.native().owedEther();
        uint256 accounted = pooled + owed + h.ghostPaid();
        uint256 conserved = h.ghostStakerIn() + h.ghostRewards() - h.ghostPenalties();
        if (accounted != conserved) revert AccountingNotConserved(accounted, conserved);

        uint256 worth = h.native().getPooledEthByShares(h.native().getTotalShares());
        if (worth > pooled) revert SharesOverclaim(worth, pooled);

        _checkPositions(h);
        if (owed + h.ghostPaid() < h.ghostSlashedEther()) revert SlashesNotOwed(owed + h.ghostPaid(), h.ghostSlashedEther());
    }

    function _checkPositions(NativeHandler h) internal view {
        uint256 rvShares = h.native().sharesOf(address(h.rv()));
        if (rvShares != h.rv().totalStakeShares()) revert RestakedSharesMismatch(rvShares, h.rv().totalStakeShares());
        uint256 positions;
        for (uint256 i = 0; i < 5; ++i) {
            for (uint256 j = 0; j < 2; ++j) {
                (uint256 active, uint256 pending,) = h.rv().positionOf(h.actor(i), h.operator(j));
                positions += active + pending;
            }
        }
        uint256 n = h.entryCount();
        for (uint256 i = 0; i < n; ++i) {
            (address restaker, address op, uint256 epoch) = h.entry(i);
            if (_seenBefore(h, i, restaker, op, epoch)) continue;
            positions += h.rv().withdrawalOf(restaker, op, epoch);
        }
        if (positions > rvShares) revert PositionsExceedShares(positions, rvShares);
    }

    function _seenBefore(NativeHandler h, uint256 i, address restaker, address op, uint256 epoch)
        internal
        view
        returns (bool)
    {
        for (uint256 k = 0; k < i; ++k) {
            (address r, address o, uint256 e) = h.entry(k);
            if (r == restaker && o == op && e == epoch) return true;
        }
        return false;
    }
}
