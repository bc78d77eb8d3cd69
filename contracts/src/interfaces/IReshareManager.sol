// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IReshareManager
/// @notice Resharing of live distributed validators: one seat of a validator's 16 changes hands without exiting it.
/// A member's owner asks to leave (`leaveCluster`), or anyone asks to replace a member the registry ejected
/// (`replaceEjected`). The replacement is drawn by the registry's two-step draw (frozen weights, the RANDAO mix of a
/// block `DRAW_DELAY` blocks later, all 16 current members excluded) and its bond locked (`drawReplacement`); the
/// `ReshareRequested` event then tells the remaining members and the newcomer to run the resharing protocol. The
/// result (`submitReshareResult`) is accepted only if the **validator's own key** (the 11-of-16 threshold signature of
/// the old shares, checked with EIP-2537) signed the new share keys, the new membership and the request's nonce
/// (`ReshareMessage`), and the newcomer approved it (EIP-712 under this contract's domain). The registry then swaps the
/// seat (`IOperatorRegistry.replaceMember`): the leaver's lock is released, less `EJECTED_PENALTY_BPS` if it was
/// ejected. A request that misses its deadline may be expired by anyone (`expireReshare`): the newcomer's lock is
/// released and another replacement is drawn under a new nonce; after `MAX_FAILURES` failures the validator is marked
/// for exit (`ReshareAbandoned`).
/// @dev Deployed by the operator registry's constructor (its address is `IOperatorRegistry.RESHARE_MANAGER()`), so
/// its code lives outside the registry's 24,576 bytes.
interface IReshareManager {
    /// @notice Stage of a validator's reshare.
    enum Stage {
        // No reshare open.
        None,
        // Waiting for a replacement draw to be scheduled (the registry was busy with another draw, or a retry).
        Scheduling,
        // The replacement draw is scheduled; `drawReplacement` completes it.
        Drawing,
        // The newcomer is drawn and locked; the members reshare until the deadline.
        Open
    }

    /// @notice A validator's open reshare.
    /// @param stage The stage.
    /// @param leavingIndex The replaced seat, 1-based (as `ReshareMessage` and Stinger number shares).
    /// @param leavingOperatorId The operator leaving the seat.
    /// @param newcomerOperatorId The replacement (0 until drawn).
    /// @param deadline Unix time by which the current stage must complete (draw or result).
    /// @param nonce The current attempt's nonce (a result signs it; every retry takes a new one).
    /// @param failures Attempts that missed their deadline so far.
    /// @param ejected Whether the leaver was ejected (it then pays `EJECTED_PENALTY_BPS` of its lock).
    struct Reshare {
        Stage stage;
        uint8 leavingIndex;
        uint16 leavingOperatorId;
        uint16 newcomerOperatorId;
        uint64 deadline;
        uint64 nonce;
        uint8 failures;
        bool ejected;
    }

    /// @notice The uncompressed points the EIP-2537 check of the validator key's signature needs.
    /// @param validatorPubkey The validator key uncompressed (G1, 128 bytes).
    /// @param signature The threshold signature compressed (96 bytes).
    /// @param signaturePoint The same signature uncompressed (G2, 256 bytes).
    struct ValidatorSignature {
        bytes validatorPubkey;
        bytes signature;
        bytes signaturePoint;
    }

    /// @notice A reshare of `validatorId` was opened for the seat `leavingIndex` (1-based) of `leavingOperatorId`.
    event ReshareOpened(
        uint256 indexed validatorId, uint256 indexed leavingOperatorId, uint256 leavingIndex, bool ejected
    );
    /// @notice The replacement for `validatorId`'s reshare will be drawn from the mix of `drawBlock`.
    event ReplacementDrawScheduled(uint256 indexed validatorId, uint256 drawBlock);
    /// @notice The members of `validatorId` (`members`, signers in seat order, the leaver included) are to reshare so
    /// that `newcomer` (its signer) takes seat `leavingIndex`; the result must be accepted by `deadline` and sign
    /// `nonce`. Stinger's `ReshareRequestedEvent` (`packages/stinger/src/reshare/request.ts`).
    event ReshareRequested(
        uint256 indexed validatorId,
        bytes validator,
        uint256 leavingIndex,
        address newcomer,
        address[] members,
        uint256 deadline,
        uint256 nonce,
        uint256 newcomerOperatorId
    );
    /// @notice `newcomerOperatorId` took seat `leavingIndex` of `validatorId` with the new share keys
    /// `sharePublicKeys`; `penaltyUnits` of the leaver's lock were burnt.
    event ReshareCompleted(
        uint256 indexed validatorId,
        uint256 leavingIndex,
        uint256 leavingOperatorId,
        uint256 newcomerOperatorId,
        uint256 nonce,
        bytes sharePublicKeys,
        uint256 penaltyUnits
    );
    /// @notice The attempt with `nonce` missed its deadline (`failures` so far); the newcomer's lock was released.
    event ReshareExpired(uint256 indexed validatorId, uint256 nonce, uint256 newcomerOperatorId, uint256 failures);
    /// @notice `MAX_FAILURES` attempts failed: the validator should exit. No exit trigger takes a validator id from this
    /// contract yet (`ExitManager` exits for demand and lost bond only), so this event is the signal.
    event ReshareAbandoned(uint256 indexed validatorId, uint256 failures);
    /// @notice The reshare was closed without a result because the validator is no longer live.
    event ReshareCancelled(uint256 indexed validatorId, uint256 nonce);

    /// @notice The caller does not own `operatorId`.
    error NotOperatorOwner(uint256 operatorId, address caller);
    /// @notice `operatorId` holds no seat of `validatorId`.
    error NotClusterMember(uint256 validatorId, uint256 operatorId);
    /// @notice `operatorId` is not ejected (only an ejected member's seat may be claimed by anyone).
    error OperatorNotEjected(uint256 operatorId);
    /// @notice The validator is not live (between `Predeposited` and `Active`).
    error ValidatorNotLive(uint256 validatorId, uint8 status);
    /// @notice `validatorId` already has a reshare open.
    error ReshareAlreadyOpen(uint256 validatorId, Stage stage);
    /// @notice `validatorId`'s reshare is not at `expected` (it is at `stage`).
    error WrongStage(uint256 validatorId, Stage stage, Stage expected);
    /// @notice The deadline `deadline` has passed (result) or not yet come (expiry).
    error DeadlineMismatch(uint256 validatorId, uint256 deadline);
    /// @notice The validator key's signature does not verify over the result for nonce `nonce`.
    error InvalidValidatorSignature(uint256 validatorId, uint256 nonce);
    /// @notice The newcomer's signer did not approve the result.
    error InvalidNewcomerApproval(uint256 validatorId, address signer);

    /// @notice The owner of `operatorId` takes it out of `validatorId`: a replacement will be drawn for its seat.
    /// @param validatorId A live validator (`Predeposited` to `Active`).
    /// @param operatorId The caller's operator, a member of the validator.
    function leaveCluster(uint256 validatorId, uint256 operatorId) external;

    /// @notice Anyone replaces the seat an ejected operator holds in `validatorId`.
    /// @param validatorId A live validator.
    /// @param operatorId An ejected member of the validator.
    function replaceEjected(uint256 validatorId, uint256 operatorId) external;

    /// @notice Schedules the replacement draw of a reshare at `Scheduling` (after a retry, or when the registry was
    /// busy with another draw at the request). Anyone may call.
    /// @param validatorId The validator.
    function scheduleReplacement(uint256 validatorId) external;

    /// @notice Completes the scheduled replacement draw with the header of its draw block (any later block, up to 256
    /// later; past that the registry schedules a new block and this returns false). Anyone may call.
    /// @param validatorId The validator.
    /// @param blockHeader The RLP header of the draw block.
    /// @return drawn Whether the newcomer was drawn (and `ReshareRequested` emitted).
    function drawReplacement(uint256 validatorId, bytes calldata blockHeader) external returns (bool drawn);

    /// @notice Accepts a reshare result: the validator key's signature and the newcomer's approval of the new share keys
    /// with the membership after the swap and the current nonce, before the deadline. Anyone may submit.
    /// @param validatorId The validator.
    /// @param sharePublicKeys The 16 new share public keys, 48 bytes each, in seat order.
    /// @param validatorSignature The validator key's signature of the result and the points EIP-2537 needs.
    /// @param newcomerApproval The newcomer's signer's EIP-712 `ReshareApproval(resultRoot)` signature (ECDSA or
    /// ERC-1271).
    function submitReshareResult(
        uint256 validatorId,
        bytes calldata sharePublicKeys,
        ValidatorSignature calldata validatorSignature,
        bytes calldata newcomerApproval
    ) external;

    /// @notice Expires a reshare past its deadline (anyone): releases the newcomer's lock and retries with a new
    /// nonce, or after `MAX_FAILURES` failures closes it (`ReshareAbandoned`). Closes it (`ReshareCancelled`) at any
    /// time if the validator is no longer live.
    /// @param validatorId The validator.
    function expireReshare(uint256 validatorId) external;

    /// @notice The validator's reshare (stage `None` when none is open).
    /// @param validatorId The validator.
    /// @return The reshare record.
    function getReshare(uint256 validatorId) external view returns (Reshare memory);

    /// @notice The EIP-712 digest the newcomer signs to approve a result with `resultRoot`.
    /// @param resultRoot `ReshareMessage.resultRoot` of the result.
    /// @return The digest.
    function approvalDigest(bytes32 resultRoot) external view returns (bytes32);

    /// @notice The registry that deployed this contract.
    /// @return The registry.
    function registry() external view returns (address);
}
