// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {DivaHandler} from "./DivaHandler.sol";
import {VM} from "./Vm.sol";

/// @notice Invariant suite: each fuzz run deploys a fresh system and makes `STEPS` random calls (stake, transfer,
/// transferShares(From), wrap, unwrap, request, finalize, claim, validator predeposit, EL rewards, report, top-up,
/// front-run write-off, EIP-7002 exit request through the vault), checking the
/// global invariants after every call. 256 runs × 40 steps = 10,240 calls per `hardhat test solidity`;
/// `npm run test:slow` sets `DIVA_INVARIANT_STEPS=400` for 102,400 calls.
contract DivaInvariantsTest {
    uint256 internal constant DEFAULT_STEPS = 40;

    error BalancesExceedPooledEther(uint256 sumOfBalances, uint256 totalPooledEther);
    error SharesMismatch(uint256 sumOfShares, uint256 totalShares);
    error EtherNotConserved(uint256 held, uint256 expected);
    error BufferMismatch(uint256 poolBalance, uint256 buffered);
    error LockedEtherMismatch(uint256 queueBalance, uint256 locked);
    error FinalizedBeyondLast(uint256 lastFinalized, uint256 lastRequest);
    error ActionNeverExecuted(uint256 action);
    error PendingDemandMismatch(uint256 sumOfPending, uint256 unfinalizedEther);
    error ReservationMismatch(uint256 reservedEther, uint256 pendingTopUps, uint256 ghostPending);

    DivaHandler internal handler;

    function setUp() public {
        VM.deal(address(this), 1 ether);
        handler = new DivaHandler{value: 0.001 ether}();
    }

    function testFuzz_randomCallsKeepInvariants(uint256 seed) public {
        uint256 steps = VM.envOr("DIVA_INVARIANT_STEPS", DEFAULT_STEPS);
        for (uint256 i = 0; i < steps; ++i) {
            handler.step(uint256(keccak256(abi.encode(seed, i))));
            _checkInvariants();
        }
    }

    /// @notice The random sequences are not vacuous: over a fixed 2,000-call sequence every action really executes.
    function test_everyActionExecutes() public {
        for (uint256 i = 0; i < 2000; ++i) {
            handler.step(uint256(keccak256(abi.encode("coverage", i))));
        }
        _checkInvariants();
        for (uint256 action = 0; action < 14; ++action) {
            if (handler.executed(action) == 0) revert ActionNeverExecuted(action);
        }
    }

    function _checkInvariants() internal view {
        DivaHandler h = handler;
        uint256 totalPooledEther = h.pool().getTotalPooledEther();
        address[10] memory holders = [
            h.actor(0),
            h.actor(1),
            h.actor(2),
            h.actor(3),
            address(h.wrapper()),
            address(h.queue()),
            h.operators(),
            h.pool().LOCKED_SHARES_HOLDER(),
            address(h.registry()),
            address(h) // keeps the change of the bond it stakes for front-run write-offs
        ];
        uint256 sumOfBalances;
        uint256 sumOfShares;
        for (uint256 i = 0; i < holders.length; ++i) {
            sumOfBalances += h.pool().balanceOf(holders[i]);
            sumOfShares += h.pool().sharesOf(holders[i]);
        }
        if (sumOfBalances > totalPooledEther) revert BalancesExceedPooledEther(sumOfBalances, totalPooledEther);
        if (sumOfShares != h.pool().getTotalShares()) revert SharesMismatch(sumOfShares, h.pool().getTotalShares());
        // wdivETH is fully backed by the wrapper's divETH shares.
        if (h.pool().sharesOf(address(h.wrapper())) < h.wrapper().totalSupply()) {
            revert SharesMismatch(h.pool().sharesOf(address(h.wrapper())), h.wrapper().totalSupply());
        }

        uint256 poolBalance = address(h.pool()).balance;
        if (poolBalance != h.pool().bufferedEther()) revert BufferMismatch(poolBalance, h.pool().bufferedEther());
        uint256 queueBalance = address(h.queue()).balance;
        if (queueBalance != h.queue().lockedEther()) revert LockedEtherMismatch(queueBalance, h.queue().lockedEther());
        uint256 held = poolBalance + queueBalance + address(h.vault()).balance + address(h.depositContract()).balance;
        uint256 expected = h.ghostStaked() + h.ghostVaultInflows() - h.ghostClaimed();
        if (held != expected) revert EtherNotConserved(held, expected);
        // Two-step deposits: every predeposit keeps exactly 31 ETH reserved until its top-up or write-off, and the
        // reservations never exceed the buffer.
        uint256 pendingTopUps = h.pool().pendingTopUps();
        uint256 reserved = h.pool().reservedEther();
        if (pendingTopUps != h.ghostPendingTopUps() || reserved != pendingTopUps * 31 ether) {
            revert ReservationMismatch(reserved, pendingTopUps, h.ghostPendingTopUps());
        }
        if (reserved > h.pool().bufferedEther()) revert ReservationMismatch(reserved, pendingTopUps, h.pool().bufferedEther());
        uint256 lastFinalized = h.queue().lastFinalizedRequestId();
        uint256 lastRequest = h.queue().lastRequestId();
        if (lastFinalized > lastRequest) revert FinalizedBeyondLast(lastFinalized, lastRequest);
        // The pending withdrawal demand is the sum of the pending requests' values.
        uint256 pending;
        for (uint256 id = lastFinalized + 1; id <= lastRequest; ++id) {
            (uint256 amountOfEther,) = h.requestAmounts(id);
            pending += amountOfEther;
        }
        if (pending != h.queue().unfinalizedEther()) revert PendingDemandMismatch(pending, h.queue().unfinalizedEther());
    }
}
