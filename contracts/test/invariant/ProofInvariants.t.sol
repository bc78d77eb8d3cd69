// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ProofHandler} from "./ProofHandler.sol";
import {VM} from "./Vm.sol";

/// @notice Invariant suite of finalize-by-proofs (`OracleProver.startProofFrame` / `proveValidators`) on the real
/// oracle, prover, pool, queue and vault over a synthetic beacon state built with SSZ in the handler: each fuzz run
/// deploys a fresh system and makes `STEPS` random calls (open frames, start sessions, prove batches, skip a validator,
/// send refused batches, stake, vault inflow, warp), checking after every call that a frame finalized by proofs has
/// the anchored state's count and balance sum, that no session counts a validator twice or more than it proved, that
/// no bad batch is accepted, that the share rate moves only when a frame is finalized, that no ether was created and
/// that vault ether is pulled at most once; at the end of each run a fresh honest prover finishes a frame.
/// 256 runs × 40 steps = 10,240 calls per `hardhat test solidity`; `npm run test:slow` sets `DIVA_INVARIANT_STEPS=400`.
contract ProofInvariantsTest {
    uint256 internal constant DEFAULT_STEPS = 40;

    error UnexplainedRateMove(uint256 count);
    error WrongFinalization(uint256 count);
    error LieAccepted(uint256 count);
    error SessionCountMismatch(uint256 count);
    error EtherCreated(uint256 held, uint256 expected);
    error VaultPulledWrong(uint256 pulledPlusHeld, uint256 arrived);
    error HonestProverCouldNotFinish(uint256 seed);
    error ActionNeverExecuted(uint256 action);
    error NoFrameFinalized();

    ProofHandler internal handler;

    function setUp() public {
        VM.deal(address(this), 1000 ether);
        VM.warp(1_800_000_000);
        handler = new ProofHandler{value: 192.001 ether}();
    }

    function testFuzz_finalizeByProofs(uint256 seed) public {
        uint256 steps = VM.envOr("DIVA_INVARIANT_STEPS", DEFAULT_STEPS);
        for (uint256 i = 0; i < steps; ++i) {
            handler.step(uint256(keccak256(abi.encode(seed, i))));
            _checkInvariants();
        }
        // Whatever the fuzzed provers left behind (skipped validators, abandoned sessions), an honest prover can
        // always finish a frame from scratch.
        if (!handler.finish(seed)) revert HonestProverCouldNotFinish(seed);
        _checkInvariants();
    }

    /// @notice The random sequences are not vacuous: over a fixed 1,500-call sequence every action executes and
    /// frames are finalized by the fuzzed provers themselves.
    function test_everyActionExecutes() public {
        for (uint256 i = 0; i < 1500; ++i) {
            handler.step(uint256(keccak256(abi.encode("proofs", i))));
            _checkInvariants();
        }
        for (uint256 action = 0; action < 7; ++action) {
            if (handler.executed(action) == 0) revert ActionNeverExecuted(action);
        }
        if (handler.framesFinalized() == 0) revert NoFrameFinalized();
    }

    function _checkInvariants() internal view {
        ProofHandler h = handler;
        if (h.unexplainedRateMoves() != 0) revert UnexplainedRateMove(h.unexplainedRateMoves());
        if (h.wrongFinalizations() != 0) revert WrongFinalization(h.wrongFinalizations());
        if (h.liesAccepted() != 0) revert LieAccepted(h.liesAccepted());
        if (h.countMismatches() != 0) revert SessionCountMismatch(h.countMismatches());
        uint256 held = address(h.pool()).balance + address(h.vault()).balance + address(h.queue()).balance
            + address(h.depositContract()).balance;
        if (held != h.ghostIn()) revert EtherCreated(held, h.ghostIn());
        uint256 pulled = h.prover().vaultPulled() + address(h.vault()).balance;
        if (pulled != h.ghostVaultIn()) revert VaultPulledWrong(pulled, h.ghostVaultIn());
    }
}
