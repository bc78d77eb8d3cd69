// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BeaconProofs} from "../libraries/BeaconProofs.sol";
import {IAccountingOracle} from "./IAccountingOracle.sol";

/// @title IOracleProver
/// @notice The accounting oracle's proof-only paths, in a contract of their own that the oracle deploys (one contract
/// would exceed the 24 KB code limit): finalizing a frame by proving every validator (liveness without reporters),
/// and moving a validator's registry lifecycle forward from a beacon proof (replaces the lifecycle reporter role).
interface IOracleProver {
    /// @notice One prover account's finalization of a frame by proofs. Sessions are per account, so nobody can spoil
    /// another prover's progress (e.g. by proving a batch that skips a validator, which makes that session unable to
    /// finish).
    /// @param proof The oracle-facing progress (subtree roots, count, sum, next beacon index).
    /// @param listLength The anchored state's validator count (the `validators` and `balances` list length).
    struct Session {
        IAccountingOracle.ProofFrame proof;
        uint64 listLength;
    }

    /// @notice A frame's anchor and the withdrawal vault's cumulative inflow at that moment (`snapshotFrame`).
    /// @param anchorTimestamp The slot time whose EIP-4788 root anchors every report of the frame (0: none yet).
    /// @param vaultInflow The vault's balance plus all ether ever pulled from it into the pool, at the snapshot.
    struct FrameSnapshot {
        uint64 anchorTimestamp;
        uint192 vaultInflow;
    }

    /// @notice `frame` was anchored at `anchorTimestamp`; the vault held `vaultBalance` wei then (`vaultInflow`
    /// counting everything pulled from it before).
    event FrameSnapshotted(uint256 indexed frame, uint256 anchorTimestamp, uint256 vaultBalance, uint256 vaultInflow);
    /// @notice `prover` opened a session finalizing `frame` by proofs, anchored at `blockRoot`; `expectedCount`
    /// validators must be proven.
    event ProofFrameStarted(uint256 indexed frame, address indexed prover, bytes32 blockRoot, uint256 expectedCount);
    /// @notice `prover`'s session has proven `count` validators of the frame so far, worth `balanceSum` gwei.
    event ValidatorsProven(uint256 indexed frame, address indexed prover, uint256 count, uint256 balanceSum);
    /// @notice A validator's lifecycle status was proven from a beacon state.
    event ValidatorStatusProven(uint256 indexed validatorId, uint256 beaconIndex, uint256 epoch);

    /// @notice Only the current frame, after the last applied one, can be snapshotted.
    error NotCurrentFrame(uint256 frame, uint256 current);
    /// @notice The frame is at or before the last applied frame.
    error FrameAlreadyFinalized(uint256 frame, uint256 lastAppliedFrame);
    /// @notice The frame already has its anchor.
    error FrameAlreadySnapshotted(uint256 frame, uint256 anchorTimestamp);
    /// @notice The slot time of this block is not in the frame's anchor window (the first slot after the reference
    /// time up to the frame's last second).
    error AnchorOutsideFrame(uint256 anchorTimestamp, uint256 earliest, uint256 latest);
    /// @notice Nobody has anchored the frame yet (raised by the oracle when a proof session opens; listed here so the
    /// prover's callers can decode it).
    error FrameNotSnapshotted(uint256 frame);
    /// @notice Only the oracle takes a frame's vault pull.
    error OnlyOracle(address caller);
    /// @notice No proof session of the caller is open for this frame.
    error NoProofFrame(uint256 frame);
    /// @notice Validators of a proof-finalized frame must be proven in strictly increasing beacon index order (a
    /// validator cannot be counted twice).
    error ValidatorOutOfOrder(uint256 beaconIndex, uint256 previousIndex);
    /// @notice More validators proven than the frame expects.
    error TooManyValidators(uint256 expected);
    /// @notice An empty batch.
    error EmptyBatch();
    /// @notice `records` is not a whole number of `RECORD_SIZE`-byte validator records.
    error MalformedRecords(uint256 length);
    /// @notice A beacon index at or past the anchored state's validator count.
    error ValidatorBeyondList(uint256 beaconIndex, uint256 listLength);
    /// @notice A list length beyond `VALIDATOR_REGISTRY_LIMIT` (2^40).
    error ListTooLong(uint256 listLength);
    /// @notice The batch needs `needed` distinct balance chunks (one per chunk its validators fall in), not `given`.
    error BalanceChunkCount(uint256 given, uint256 needed);
    /// @notice A multiproof ran out of sibling hashes (`given`).
    error MultiproofTooShort(uint256 given);
    /// @notice A multiproof has sibling hashes left over: `given` supplied, `used` needed.
    error MultiproofTooLong(uint256 given, uint256 used);
    /// @notice A later session of a frame must use the frame's anchor, chosen by its first session.
    error AnchorMismatch(uint256 anchorTimestamp, uint256 frameAnchorTimestamp);
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

    /// @notice Opens the caller's session finalizing the current frame by proofs (anyone): anchors the frame (the
    /// first session of a frame picks the anchor; later ones must use the same) and proves the roots of the subtrees of
    /// the state's `validators` and `balances` data trees that hold every validator: the contract hashes them up with
    /// zero subtrees, mixes in `listLength` and checks both list roots against the anchored block root. Every
    /// deposited validator must then be proven with `proveValidators` from these subtree roots, so each validator's
    /// proof is `subtreeDepth(listLength)` levels deep instead of 40.
    /// @param frame The current frame, without a pending report.
    /// @param anchorTimestamp As for `postReport`.
    /// @param listLength `len(state.validators)` (= `len(state.balances)`).
    /// @param validatorsSubtreeRoot Root of the first `2^subtreeDepth(listLength)` leaves of the validators data tree.
    /// @param validatorsRootProof Proof of `hash_tree_root(state.validators)` from the block root (9 hashes).
    /// @param balancesSubtreeRoot Root of the first `2^(subtreeDepth(listLength) - 2)` chunks of the balances data tree.
    /// @param balancesRootProof Proof of `hash_tree_root(state.balances)` from the block root (9 hashes).
    function startProofFrame(
        uint256 frame,
        uint256 anchorTimestamp,
        uint256 listLength,
        bytes32 validatorsSubtreeRoot,
        bytes32[] calldata validatorsRootProof,
        bytes32 balancesSubtreeRoot,
        bytes32[] calldata balancesRootProof
    ) external;

    /// @notice Proves a batch of the frame's validators in the caller's session, in strictly increasing beacon index
    /// order; the batch that completes the count applies the frame (share-rate limits enforced).
    /// @dev Compact calldata (the EIP-7623 calldata floor is most of a proof's cost): `records` packs one
    /// `RECORD_SIZE` (129)-byte record per validator — beacon index (8 bytes, big-endian), then the `Validator` fields
    /// as their SSZ bytes: pubkey (48), withdrawal credentials (32), effective balance (8, little-endian), slashed (1),
    /// activation eligibility, activation, exit and withdrawable epochs (8 each, little-endian). `balancesChunks` holds
    /// each distinct `balances` chunk the batch's validators fall in, in order (four validators share one chunk).
    /// `proof` holds two multiproofs from the session's subtree roots, the records' then the chunks': the sibling
    /// hashes that the batch's own nodes do not supply, level by level from the leaves up, left to right within a
    /// level (neighbouring validators share their upper siblings).
    /// @param frame The frame.
    /// @param records The validator records.
    /// @param balancesChunks The balance chunks.
    /// @param proof The records' multiproof followed by the chunks'.
    function proveValidators(
        uint256 frame,
        bytes calldata records,
        bytes32[] calldata balancesChunks,
        bytes32[] calldata proof
    ) external;

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

    /// @notice Anchors the current frame (anyone, once per frame, inside its anchor window) and reads the withdrawal
    /// vault's balance in the same transaction: no report carries a vault figure, so none can be wrong. The anchor is
    /// the slot time of this execution block, whose EIP-4788 root is its parent beacon block: that block's state has
    /// processed exactly the withdrawals the execution chain credited before this block (EIP-4895 credits a block's
    /// withdrawals after its transactions). Beacon balances at the anchor plus the vault balance read here therefore
    /// count every withdrawn wei once; ether reaching the vault later is counted by the next frame.
    /// @param frame The current frame, after the last applied one.
    /// @return anchorTimestamp The anchor every report and proof session of the frame must use.
    function snapshotFrame(uint256 frame) external returns (uint256 anchorTimestamp);

    /// @notice A frame's anchor (0 when not snapshotted) and the ether applying it would pull from the vault now: the
    /// vault's cumulative inflow at the snapshot minus everything pulled since the vault existed.
    /// @param frame The frame.
    /// @return anchorTimestamp The anchor.
    /// @return vaultPull Wei.
    function frameSnapshot(uint256 frame) external view returns (uint256 anchorTimestamp, uint256 vaultPull);

    /// @notice Records and returns the pull of a frame being applied (only the oracle, inside the application).
    /// @param frame The frame.
    /// @return vaultPull Wei the pool pulls from the vault.
    function takeVaultPull(uint256 frame) external returns (uint256 vaultPull);

    /// @notice Ether pulled from the vault into the pool by applied frames, ever.
    /// @return Wei.
    function vaultPulled() external view returns (uint256);

    /// @notice `prover`'s session (frame 0 when it never started one).
    /// @param prover The prover account.
    /// @return The session.
    function proofSession(address prover) external view returns (Session memory);

    /// @notice Depth of the subtrees a session proves from: `max(2, ceil(log2(listLength)))`.
    /// @param listLength The state's validator count.
    /// @return The depth.
    function subtreeDepth(uint256 listLength) external pure returns (uint256);

    /// @notice The oracle this prover serves.
    /// @return The oracle.
    function oracle() external view returns (address);
}
