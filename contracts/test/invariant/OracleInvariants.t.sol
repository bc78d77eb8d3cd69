// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {OracleProver} from "../../src/diva/OracleProver.sol";
import {OracleHandler} from "./OracleHandler.sol";
import {VM} from "./Vm.sol";

/// @notice Invariant suite of the report/dispute state machine on the real contracts: each fuzz run deploys a fresh
/// system and makes `STEPS` random calls (post honest or lying reports, dispute, warp, apply, stake, vault inflow),
/// checking after every call that the share rate moved only through applied reports (or bond burns and stakes, which
/// cannot lower it), that every dispute succeeded exactly when it should, that bond accounting is exact, that no
/// ether was created and that every wei that reached the withdrawal vault was pulled at most once. 256 runs × 40 steps = 10,240 calls per `hardhat test solidity`; `npm run test:slow` sets
/// `DIVA_INVARIANT_STEPS=400`.
contract OracleInvariantsTest {
    uint256 internal constant DEFAULT_STEPS = 40;
    uint256 internal constant BOND_UNIT_SHARES = 1e16;

    error UnexplainedRateMove(uint256 count);
    error BondUnitsMismatch(uint256 registryTotal, uint256 expected);
    error LockedUnitsMismatch(uint256 locked, uint256 expected);
    error RegistrySharesMismatch(uint256 shares, uint256 expected);
    error DisputerPaidWrong(uint256 shares, uint256 expected);
    error EtherCreated(uint256 held, uint256 expected);
    error ActionNeverExecuted(uint256 action);
    error VaultPulledWrong(uint256 pulledPlusHeld, uint256 arrived);
    error PooledNotHeld(uint256 pooled, uint256 held);

    OracleHandler internal handler;

    function setUp() public {
        VM.deal(address(this), 100 ether);
        VM.warp(1_800_000_000);
        handler = new OracleHandler{value: 60.001 ether}();
    }

    function testFuzz_reportDisputeStateMachine(uint256 seed) public {
        uint256 steps = VM.envOr("DIVA_INVARIANT_STEPS", DEFAULT_STEPS);
        for (uint256 i = 0; i < steps; ++i) {
            handler.step(uint256(keccak256(abi.encode(seed, i))));
            _checkInvariants();
        }
    }

    /// @notice The random sequences are not vacuous: over a fixed 2,000-call sequence every action executes.
    function test_everyActionExecutes() public {
        for (uint256 i = 0; i < 2000; ++i) {
            handler.step(uint256(keccak256(abi.encode("oracle", i))));
            _checkInvariants();
        }
        for (uint256 action = 0; action < 6; ++action) {
            if (handler.executed(action) == 0) revert ActionNeverExecuted(action);
        }
    }

    function _checkInvariants() internal view {
        OracleHandler h = handler;
        if (h.unexplainedRateMoves() != 0) revert UnexplainedRateMove(h.unexplainedRateMoves());
        uint256 total;
        uint256 locked;
        for (uint256 i = 1; i <= h.REPORTERS(); ++i) {
            total += h.registry().getOperator(i).bondUnits;
            locked += h.registry().getOperator(i).bondUnits - h.registry().getOperator(i).freeUnits;
        }
        uint256 initial = 2000 * h.REPORTERS();
        if (total != initial - h.ghostSlashedUnits()) revert BondUnitsMismatch(total, initial - h.ghostSlashedUnits());
        if (h.registry().totalBondUnits() != total) revert BondUnitsMismatch(h.registry().totalBondUnits(), total);
        if (locked != h.ghostLockedUnits()) revert LockedUnitsMismatch(locked, h.ghostLockedUnits());
        uint256 shares = h.pool().sharesOf(address(h.registry()));
        if (shares != total * BOND_UNIT_SHARES) revert RegistrySharesMismatch(shares, total * BOND_UNIT_SHARES);
        uint256 paid = h.ghostSlashedUnits() / 2 * BOND_UNIT_SHARES;
        if (h.pool().sharesOf(h.DISPUTER()) != paid) revert DisputerPaidWrong(h.pool().sharesOf(h.DISPUTER()), paid);
        uint256 held = address(h.pool()).balance + address(h.vault()).balance + address(h.queue()).balance;
        if (held != h.ghostIn()) revert EtherCreated(held, h.ghostIn());
        // Every wei that reached the vault is either still there or was pulled exactly once (never twice).
        uint256 pulled = OracleProver(h.oracle().prover()).vaultPulled() + address(h.vault()).balance;
        if (pulled != h.ghostVaultIn()) revert VaultPulledWrong(pulled, h.ghostVaultIn());
        // No validators here: the pool's pooled ether is exactly the ether it holds plus the beacon balance of the
        // last applied report (non-zero only after an undisputed lie) — a pull counted twice, or vault ether counted
        // before it arrived, would show here.
        (, uint256 beaconBalance) = h.pool().beaconStats();
        uint256 pooled = h.pool().getTotalPooledEther();
        uint256 backed = address(h.pool()).balance + beaconBalance;
        if (pooled != backed) revert PooledNotHeld(pooled, backed);
    }
}
