// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BeaconProofs} from "../libraries/BeaconProofs.sol";

/// @title IAccountingOracle
/// @notice Permissionless, disputable beacon-chain accounting for the staking pool, delivered through
/// `IStakingPool.handleOracleReport`, the pool's single entry point.
///
/// Time is cut into frames of `FRAME_SLOTS` slots. For frame `f` any registered operator may post one report that
/// commits to a **sum-Merkle tree** over the protocol's validators visible in one beacon state of the frame (the block
/// root the EIP-4788 contract holds for the report's anchor timestamp), and stakes `REPORTER_BOND_UNITS` of its divETH
/// bond in the operator registry. During `CHALLENGE_WINDOW` seconds anyone may dispute it with an on-chain-checkable
/// fact (see the `dispute…` functions); one successful dispute voids the report, pays the disputer half of the bond and
/// burns the rest to the holders. After the window anyone applies it: rebase, operator fee, vault pull, checked against
/// the immutable share-rate limits. Without any reporter, anyone can finalize a frame by proving every validator
/// themselves in batches (`IOracleProver.startProofFrame`, `proveValidators`; the prover is deployed by the oracle).
///
/// The tree: leaf `k` is the protocol's validator with the `k`-th smallest beacon index among those present in the
/// anchored state (a protocol validator: its public key is registered in the operator registry and its withdrawal
/// credentials are the pool's). A node is `(hash, count, sum)`: a leaf's hash is
/// `keccak256(abi.encode(beaconIndex, balance, exited, slashed))` with count 1 and sum its balance (gwei); an empty leaf
/// (positions at or past the count) has hash zero, count 0, sum 0; an inner node's hash is
/// `keccak256(abi.encode(left.hash, left.count, left.sum, right.hash, right.count, right.sum))` — it commits to the
/// counts and sums its children *claim*, which the parent's own claim must equal. The tree has depth
/// `max(1, ceil(log2(count)))`; the report carries the root's hash and its claimed count and sum.
interface IAccountingOracle {
    /// @notice Status of a frame's report.
    enum ReportStatus {
        None,
        Pending,
        Voided,
        Applied,
        Rejected,
        Superseded
    }

    /// @notice A frame being finalized by proofs (one session per prover account, see `IOracleProver`).
    /// @param validatorsRoot Root of the first `2^depth` leaves of `state.validators`' data tree, where `depth` is
    /// `max(2, ceil(log2(listLength)))` (`IOracleProver.subtreeDepth`): every validator of the state lies under it.
    /// @param balancesRoot Root of the first `2^(depth - 2)` chunks of `state.balances`' data tree.
    struct ProofFrame {
        uint64 frame;
        uint64 expectedCount;
        uint64 count;
        uint64 nextIndex;
        uint64 anchorTimestamp;
        uint128 balanceSum;
        uint128 withdrawalVaultBalance;
        bytes32 validatorsRoot;
        bytes32 balancesRoot;
    }

    /// @notice A posted report (one per frame; a voided frame may be reported again). The last `REPORT_RING` frames
    /// are kept in storage (older ones live in the events), so a frame's record reuses warm slots.
    /// @param reporter Account that posted it.
    /// @param reporterOperatorId Operator whose bond backs it (0 for a frame finalized by proofs).
    /// @param status Where it stands.
    /// @param frame The frame.
    /// @param version How many earlier reports of this frame were voided or rejected (reveal requests are per version).
    /// @param openReveals Leaf reveal requests not answered yet (the report cannot apply while any is open).
    /// @param disputeDeadline Disputes and reveal requests are accepted before it: posting time plus the challenge
    /// window, extended by each answered reveal request so that the revealed leaf can be disputed.
    /// @param anchorTimestamp Execution-block timestamp whose EIP-4788 parent beacon block root anchors the report.
    /// @param bondUnits Registry bond units staked.
    /// @param count Number of protocol validators in the anchored state (the root's count).
    /// @param balanceSum Their total balance in gwei (the root's sum).
    /// @param withdrawalVaultBalance Vault ether the frame's snapshot would pull, in wei, when posted (informational: the
    /// pull applied is recomputed from the snapshot at application, `OracleProver.frameSnapshot`).
    /// @param blockRoot The anchored beacon block root (read from EIP-4788 at posting).
    /// @param root The sum-Merkle root's hash.
    struct ReportRecord {
        address reporter;
        uint32 reporterOperatorId;
        ReportStatus status;
        uint32 bondUnits;
        uint16 openReveals;
        uint8 version;
        uint64 frame;
        uint64 disputeDeadline;
        uint64 anchorTimestamp;
        uint64 count;
        uint128 balanceSum;
        uint128 withdrawalVaultBalance;
        bytes32 blockRoot;
        bytes32 root;
    }

    /// @notice A node of the sum-Merkle tree as its parent commits to it.
    struct TreeNode {
        bytes32 hash;
        uint256 count;
        uint256 sum;
    }

    /// @notice A leaf's data: one protocol validator in the anchored state.
    /// @param beaconIndex Its index in the beacon state's validator registry.
    /// @param balance `balances[beaconIndex]` in gwei.
    /// @param exited Its `exit_epoch` is set (not `FAR_FUTURE_EPOCH`): an exit was initiated.
    /// @param slashed Its `slashed` flag.
    struct Leaf {
        uint64 beaconIndex;
        uint64 balance;
        bool exited;
        bool slashed;
    }

    /// @notice The leaves around a missing validator's beacon index.
    /// @param position Position of the leaf just below the index, or `type(uint256).max` for "before the first leaf"
    /// (then only `above` is opened, at position 0).
    /// @param below The leaf below (ignored when `position` is `type(uint256).max`).
    /// @param belowPath Its path.
    /// @param above The leaf above, at `position + 1` (ignored when `position` is the last leaf).
    /// @param abovePath Its path.
    struct Neighbors {
        uint256 position;
        Leaf below;
        TreeNode[] belowPath;
        Leaf above;
        TreeNode[] abovePath;
    }

    /// @notice Deployment parameters.
    /// @param genesisTime Beacon genesis, Unix seconds.
    /// @param secondsPerSlot Beacon slot length (12 on mainnet).
    /// @param slotsPerEpoch Slots per epoch (32 mainnet, 8 minimal).
    /// @param frameSlots Frame length in slots (a multiple of an epoch is customary).
    /// @param challengeWindow Seconds a posted report can be disputed.
    /// @param reporterBondUnits Operator bond units (registry units) a reporter stakes.
    /// @param maxIncreaseBpPerDay Maximum share-rate increase per elapsed day, basis points (at most 10,000).
    /// @param maxDecreaseBpPerReport Maximum share-rate decrease per report, basis points (at most 10,000).
    struct Config {
        uint64 genesisTime;
        uint64 secondsPerSlot;
        uint64 slotsPerEpoch;
        uint64 frameSlots;
        uint64 challengeWindow;
        uint32 reporterBondUnits;
        uint16 maxIncreaseBpPerDay;
        uint16 maxDecreaseBpPerReport;
    }

    /// @notice What a successful dispute showed.
    enum DisputeKind {
        NodeSum,
        LeafSum,
        LeafPosition,
        LeafFacts,
        LeafBeyondRegistry,
        LeafOrder,
        MissingValidator,
        Unrevealed
    }

    /// @notice A request that the reporter reveal one leaf of its tree (data availability: the chain holds the root
    /// only).
    /// @param requester Who asked (and paid `REVEAL_DEPOSIT`).
    /// @param deadline The leaf must be revealed before it, or anyone may void the report.
    /// @param answered Whether it was revealed.
    struct RevealRequest {
        address requester;
        uint64 deadline;
        bool answered;
    }

    /// @notice A report was posted for `frame`.
    event ReportPosted(
        uint256 indexed frame,
        address indexed reporter,
        uint256 indexed operatorId,
        uint256 anchorTimestamp,
        bytes32 blockRoot,
        bytes32 root,
        uint256 count,
        uint256 balanceSum,
        uint256 withdrawalVaultBalance
    );
    /// @notice A report was disputed successfully and voided; `disputerShares` divETH shares went to the disputer and
    /// `burnedShares` were burned to the holders.
    event ReportDisputed(
        uint256 indexed frame,
        address indexed disputer,
        DisputeKind kind,
        uint256 disputerShares,
        uint256 burnedShares
    );
    /// @notice Someone asked the reporter to reveal leaf `position` before `deadline`.
    event LeafRequested(uint256 indexed frame, uint256 indexed position, address requester, uint256 deadline);
    /// @notice A leaf of the report's tree was revealed with its path (enough to dispute it or its neighbours).
    event LeafRevealed(uint256 indexed frame, uint256 indexed position, TreeNode node, Leaf leaf, TreeNode[] path);
    /// @notice A report's window ended and it was applied to the pool.
    event ReportApplied(uint256 indexed frame, uint256 preShareRate, uint256 postShareRate);
    /// @notice A report's window ended but applying it would move the share rate beyond the limits; it was dropped
    /// and its bond released (the limits protect holders from facts too large to apply at once, not from a liar).
    event ReportRejected(uint256 indexed frame, bytes reason);
    /// @notice A pending report of an older frame can no longer apply because a later frame applied first.
    event ReportSuperseded(uint256 indexed frame);

    /// @notice A constructor parameter is out of range.
    error InvalidConfiguration(string parameter);
    /// @notice A constructor address is zero.
    error ZeroAddress();
    /// @notice The share rate would rise above `maxRate` (limit per elapsed day).
    error ShareRateIncreaseTooHigh(uint256 preRate, uint256 postRate, uint256 maxRate);
    /// @notice The share rate would fall below `minRate` (limit per report).
    error ShareRateDecreaseTooHigh(uint256 preRate, uint256 postRate, uint256 minRate);
    /// @notice Only the current frame can be reported; `current` is it.
    error NotCurrentFrame(uint256 frame, uint256 current);
    /// @notice The frame already has a report that is pending, applied or being proven.
    error FrameAlreadyReported(uint256 frame, ReportStatus status);
    /// @notice Frames at or before the last applied one cannot be reported or applied again.
    error FrameAlreadyFinalized(uint256 frame, uint256 lastAppliedFrame);
    /// @notice Nobody has anchored the frame yet (`OracleProver.snapshotFrame`).
    error FrameNotSnapshotted(uint256 frame);
    /// @notice The caller is neither the owner nor the signer of a registered operator.
    error NotAnOperator(address caller);
    /// @notice The reported count exceeds the validators the pool has deposited.
    error CountExceedsDeposits(uint256 count, uint256 deposited);
    /// @notice The reported count is below the validators the pool already saw on the beacon chain.
    error CountBelowPrevious(uint256 count, uint256 previous);
    /// @notice A number does not fit its field.
    error ValueTooLarge(uint256 value);
    /// @notice A report must use its frame's snapshot anchor.
    error AnchorMismatch(uint256 anchorTimestamp, uint256 frameAnchorTimestamp);
    /// @notice The frame has no pending report.
    error ReportNotPending(uint256 frame, ReportStatus status);
    /// @notice Disputes are only accepted until `deadline`.
    error ChallengeWindowClosed(uint256 frame, uint256 deadline);
    /// @notice A report applies only after its challenge window, at `deadline`.
    error ChallengeWindowOpen(uint256 frame, uint256 deadline);
    /// @notice A path has `length` entries where the tree needs `expected`.
    error InvalidPathLength(uint256 length, uint256 expected);
    /// @notice The opened path does not hash to the report's root: wrong node, position or siblings.
    error NodeNotInTree(uint256 frame, uint256 depth, uint256 position);
    /// @notice A position is outside the tree level.
    error PositionOutOfRange(uint256 position, uint256 levelSize);
    /// @notice The opened children do not hash to the node.
    error OpeningMismatch(bytes32 nodeHash, bytes32 openedHash);
    /// @notice The disputed fact is consistent: the dispute shows nothing wrong.
    error DisputeRejected(uint256 frame, DisputeKind kind);
    /// @notice The validator record is not one of the protocol's (unknown public key or foreign credentials).
    error NotProtocolValidator(uint256 beaconIndex);
    /// @notice Only this contract may call (internal apply step).
    error OnlySelf();
    /// @notice A reveal request must carry exactly `REVEAL_DEPOSIT`.
    error WrongRevealDeposit(uint256 value, uint256 required);
    /// @notice This leaf was already requested.
    error RevealAlreadyRequested(uint256 frame, uint256 position);
    /// @notice No unanswered request for this leaf.
    error NoOpenReveal(uint256 frame, uint256 position);
    /// @notice The reveal deadline has passed (void the report instead) or has not passed yet (wait for it).
    error RevealDeadline(uint256 frame, uint256 position, uint256 deadline);
    /// @notice The report cannot apply while leaf reveal requests are open.
    error RevealsOpen(uint256 frame, uint256 open);
    /// @notice Nothing to withdraw or reclaim.
    error NothingToClaim(address account);
    /// @notice An ether transfer failed.
    error EtherTransferFailed(address recipient, uint256 amount);

    /// @notice Posts the report of the current frame, staking `REPORTER_BOND_UNITS` of the caller's operator bond
    /// (caller: the operator's owner or signer). Reverts unless `frame` is the current frame, later than the last
    /// applied one and without a pending report; `anchorTimestamp` is the frame's anchor fixed by
    /// `OracleProver.snapshotFrame` and the EIP-4788 contract still holds its root; `count` is between the validators
    /// the pool last saw and those it deposited. A report carries no vault figure: the pull is the snapshot's.
    /// @param frame The frame reported.
    /// @param anchorTimestamp The frame's snapshot anchor (an execution-block timestamp whose parent beacon block root
    /// anchors the report).
    /// @param root The sum-Merkle root's hash.
    /// @param count The root's count.
    /// @param balanceSum The root's sum, gwei.
    function postReport(uint256 frame, uint256 anchorTimestamp, bytes32 root, uint256 count, uint256 balanceSum)
        external;

    /// @notice Disputes an inner node (depth < tree depth) whose claimed count or sum differs from its children's.
    /// Open the node's children; the path above it must be consistent (dispute the topmost inconsistency).
    /// @param frame The frame.
    /// @param depth Depth of the node (root 0).
    /// @param position Its position in its level.
    /// @param node The node as its parent claims it (for the root: the report's root, count and sum).
    /// @param left Its left child as the node commits to it.
    /// @param right Its right child.
    /// @param path Siblings from the node up to the root (`depth` entries, bottom-up).
    function disputeNodeSum(
        uint256 frame,
        uint256 depth,
        uint256 position,
        TreeNode calldata node,
        TreeNode calldata left,
        TreeNode calldata right,
        TreeNode[] calldata path
    ) external;

    /// @notice Disputes a leaf whose claimed count/sum is not (1, balance) for a non-zero hash or (0, 0) for a zero
    /// hash.
    /// @param frame The frame.
    /// @param position Leaf position.
    /// @param node The leaf as its parent claims it.
    /// @param leaf The leaf's data (ignored when `node.hash` is zero).
    /// @param path Siblings up to the root (tree depth entries).
    function disputeLeafSum(
        uint256 frame,
        uint256 position,
        TreeNode calldata node,
        Leaf calldata leaf,
        TreeNode[] calldata path
    ) external;

    /// @notice Disputes a non-empty leaf at a position at or past the report's count.
    /// @param frame The frame.
    /// @param position Leaf position (`>= count`).
    /// @param leaf The leaf.
    /// @param path Siblings up to the root.
    function disputeLeafPosition(uint256 frame, uint256 position, Leaf calldata leaf, TreeNode[] calldata path)
        external;

    /// @notice Disputes a leaf contradicted by the anchored beacon state: the validator at its beacon index is not a
    /// protocol validator (another public key, foreign credentials), or its balance, `slashed` or exit differ.
    /// @param frame The frame.
    /// @param position Leaf position.
    /// @param leaf The leaf.
    /// @param path Siblings up to the root.
    /// @param validator `validators[leaf.beaconIndex]` in the anchored state.
    /// @param validatorProof Its proof from the anchored block root (50 hashes).
    /// @param balancesChunk The `balances` chunk holding `balances[leaf.beaconIndex]`.
    /// @param balanceProof Its proof from the anchored block root (48 hashes).
    function disputeLeafFacts(
        uint256 frame,
        uint256 position,
        Leaf calldata leaf,
        TreeNode[] calldata path,
        BeaconProofs.Validator calldata validator,
        bytes32[] calldata validatorProof,
        bytes32 balancesChunk,
        bytes32[] calldata balanceProof
    ) external;

    /// @notice Disputes a leaf whose beacon index is at or past the anchored state's validator count.
    /// @param frame The frame.
    /// @param position Leaf position.
    /// @param leaf The leaf.
    /// @param path Siblings up to the root.
    /// @param validatorsDataRoot The root of the `validators` list's data subtree.
    /// @param validatorsLength The list's length.
    /// @param validatorsRootProof Proof of `hash(dataRoot, length)` from the anchored block root (9 hashes).
    function disputeLeafBeyondRegistry(
        uint256 frame,
        uint256 position,
        Leaf calldata leaf,
        TreeNode[] calldata path,
        bytes32 validatorsDataRoot,
        uint256 validatorsLength,
        bytes32[] calldata validatorsRootProof
    ) external;

    /// @notice Disputes two adjacent leaves (positions `position`, `position + 1`) not in increasing beacon index.
    /// @param frame The frame.
    /// @param position Position of the first leaf.
    /// @param first The first leaf.
    /// @param firstPath Its path.
    /// @param second The second leaf.
    /// @param secondPath Its path.
    function disputeLeafOrder(
        uint256 frame,
        uint256 position,
        Leaf calldata first,
        TreeNode[] calldata firstPath,
        Leaf calldata second,
        TreeNode[] calldata secondPath
    ) external;

    /// @notice Disputes a missing validator: a protocol validator in the anchored state whose beacon index falls
    /// between two adjacent leaves, before the first, after the last, or in an empty tree.
    /// @param frame The frame.
    /// @param neighbors The leaves around the gap (ignored for an empty tree).
    /// @param beaconIndex The missing validator's beacon index.
    /// @param validator Its record.
    /// @param validatorProof Its proof from the anchored block root (50 hashes).
    function disputeMissingValidator(
        uint256 frame,
        Neighbors calldata neighbors,
        uint256 beaconIndex,
        BeaconProofs.Validator calldata validator,
        bytes32[] calldata validatorProof
    ) external;

    /// @notice Asks for leaf `position` of a pending report's tree (anyone, with `REVEAL_DEPOSIT`, before the dispute
    /// deadline). Whoever reveals it first is paid the deposit; if nobody does within the challenge window, anyone
    /// may void the report (`voidUnrevealed`) and the requester gets the deposit back and the dispute reward.
    /// @param frame The frame.
    /// @param position Leaf position (below `2^depth`).
    function requestLeaf(uint256 frame, uint256 position) external payable;

    /// @notice Reveals a requested leaf with its path (anyone who has the tree; normally the reporter).
    /// @param frame The frame.
    /// @param position Leaf position.
    /// @param node The leaf as its parent commits to it (hash zero for an empty leaf).
    /// @param leaf The leaf's data (ignored for an empty leaf).
    /// @param path Siblings up to the root.
    function revealLeaf(
        uint256 frame,
        uint256 position,
        TreeNode calldata node,
        Leaf calldata leaf,
        TreeNode[] calldata path
    ) external;

    /// @notice Voids a report whose requested leaf was not revealed in time (anyone; the requester is rewarded).
    /// @param frame The frame.
    /// @param position The unanswered leaf.
    function voidUnrevealed(uint256 frame, uint256 position) external;

    /// @notice Returns the deposit of a request left unanswered when its report was voided or replaced.
    /// @param frame The frame.
    /// @param version The report's version within the frame.
    /// @param position The leaf.
    function reclaimRevealDeposit(uint256 frame, uint256 version, uint256 position) external;

    /// @notice Sends the caller the ether credited to it (reveal deposits earned or returned).
    function withdrawClaimable() external;

    /// @notice Applies the frame's report once its challenge window has passed (anyone). A report that would move the
    /// share rate beyond the limits is rejected instead (`ReportRejected`), its bond released.
    /// @param frame The frame.
    function applyReport(uint256 frame) external;

    /// @notice A frame's report, for the last `REPORT_RING` frames (older frames: see the events).
    /// @param frame The frame.
    /// @return The report (status `None` if never posted or no longer kept).
    function getReport(uint256 frame) external view returns (ReportRecord memory);

    /// @notice The frame containing `timestamp`.
    /// @param timestamp Unix seconds (at or after genesis).
    /// @return The frame.
    function frameAt(uint256 timestamp) external view returns (uint256);

    /// @notice The current frame.
    /// @return The frame.
    function currentFrame() external view returns (uint256);

    /// @notice Unix time of a frame's reference slot (its first slot).
    /// @param frame The frame.
    /// @return Unix seconds.
    function frameReferenceTime(uint256 frame) external view returns (uint256);

    /// @notice The last frame applied (0 before the first).
    /// @return The frame.
    function lastAppliedFrame() external view returns (uint256);

    /// @notice The staking pool reports are delivered to.
    /// @return The pool address.
    function stakingPool() external view returns (address);

    /// @notice Timestamp of the last applied report (deployment time before the first).
    /// @return Unix seconds.
    function lastReportTimestamp() external view returns (uint256);

    /// @notice Maximum share-rate increase per elapsed day since the last report, in basis points.
    /// @return Basis points per day.
    function maxShareRateIncreaseBpPerDay() external view returns (uint256);

    /// @notice Maximum share-rate decrease per report, in basis points.
    /// @return Basis points.
    function maxShareRateDecreaseBpPerReport() external view returns (uint256);
}
