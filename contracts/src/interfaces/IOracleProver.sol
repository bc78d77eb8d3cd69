// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BeaconProofs} from "../libraries/BeaconProofs.sol";
import {IAccountingOracle} from "./IAccountingOracle.sol";

/// @title IOracleProver
/// @notice The accounting oracle's proof-only paths, in a contract of their own that the oracle deploys (one contract
/// would exceed the 24 KB code limit): finalizing a frame by proving every validator (liveness without reporters),
/// and moving a validator's registry lifecycle forward from a beacon proof (replaces the lifecycle reporter role).
interface IOracleProver {
    /// @notice A frame is being finalized by proofs, anchored at `blockRoot`; `expectedCount` validators must be proven.
    event ProofFrameStarted(uint256 indexed frame, bytes32 blockRoot, uint256 expectedCount);
    /// @notice `count` validators of the frame are proven so far, worth `balanceSum` gwei.
    event ValidatorsProven(uint256 indexed frame, uint256 count, uint256 balanceSum);
    /// @notice A validator's lifecycle status was proven from a beacon state.
    event ValidatorStatusProven(uint256 indexed validatorId, uint256 beaconIndex, uint256 epoch);

    /// @notice The report claims more ether from the withdrawal vault than it holds.
    error VaultBalanceExceeded(uint256 claimed, uint256 available);
    /// @notice No proof session is open for this frame.
    error NoProofFrame(uint256 frame);
    /// @notice Validators of a proof-finalized frame must be proven in strictly increasing beacon index order.
    error ValidatorOutOfOrder(uint256 beaconIndex, uint256 previousIndex);
    /// @notice More validators proven than the frame expects.
    error TooManyValidators(uint256 expected);
    /// @notice An empty batch.
    error EmptyBatch();
    /// @notice The validator record is not one of the protocol's (unknown public key or foreign credentials).
    error NotProtocolValidator(uint256 beaconIndex);
    /// @notice The validator id has no deposited public key in the registry.
    error UnknownValidator(uint256 validatorId);
    /// @notice The proven record is not the validator `validatorId`.
    error ValidatorMismatch(uint256 validatorId, uint256 beaconIndex);
    /// @notice The proven state shows no status change for the validator.
    error NoStatusChange(uint256 validatorId);
    /// @notice A number does not fit its field.
    error ValueTooLarge(uint256 value);

    /// @notice Opens the proof finalization of the current frame (anyone): anchors it and proves the state's
    /// `validators` and `balances` list roots; every deposited validator must then be proven with `proveValidators`.
    /// @param frame The current frame, without a pending report.
    /// @param anchorTimestamp As for `postReport`.
    /// @param validatorsRoot `hash_tree_root(state.validators)`.
    /// @param validatorsRootProof Its proof (9 hashes).
    /// @param balancesRoot `hash_tree_root(state.balances)`.
    /// @param balancesRootProof Its proof (9 hashes).
    /// @param withdrawalVaultBalance Ether to pull from the vault (at most its balance).
    function startProofFrame(
        uint256 frame,
        uint256 anchorTimestamp,
        bytes32 validatorsRoot,
        bytes32[] calldata validatorsRootProof,
        bytes32 balancesRoot,
        bytes32[] calldata balancesRootProof,
        uint256 withdrawalVaultBalance
    ) external;

    /// @notice Proves a batch of the frame's validators in increasing beacon index order; the last batch applies the
    /// frame (share-rate limits enforced).
    /// @param frame The frame.
    /// @param batch The validators.
    function proveValidators(uint256 frame, IAccountingOracle.ValidatorProof[] calldata batch) external;

    /// @notice Moves a deposited validator forward in the registry's lifecycle from a beacon proof (anyone): Active
    /// once activated, Exiting once an exit is initiated, Exited after the exit epoch, Withdrawn once withdrawable with
    /// a zero effective balance (which unlocks its operators' bonds).
    /// @param validatorId The registry's validator id.
    /// @param anchorTimestamp An execution-block timestamp whose EIP-4788 root anchors the proof.
    /// @param slot The anchored block's slot.
    /// @param slotProof Proof of `slot` in the block (3 hashes).
    /// @param beaconIndex The validator's beacon index.
    /// @param validator Its record.
    /// @param validatorProof Its proof from the block root (50 hashes).
    function proveValidatorStatus(
        uint256 validatorId,
        uint256 anchorTimestamp,
        uint256 slot,
        bytes32[] calldata slotProof,
        uint256 beaconIndex,
        BeaconProofs.Validator calldata validator,
        bytes32[] calldata validatorProof
    ) external;

    /// @notice The frame being finalized by proofs (frame 0 when none was started).
    /// @return The session.
    function proofFrame() external view returns (IAccountingOracle.ProofFrame memory);

    /// @notice The oracle this prover serves.
    /// @return The oracle.
    function oracle() external view returns (address);
}
