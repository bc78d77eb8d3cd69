// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IAccountingOracle} from "../interfaces/IAccountingOracle.sol";
import {IOperatorRegistry} from "../interfaces/IOperatorRegistry.sol";
import {IStakingPool} from "../interfaces/IStakingPool.sol";
import {BeaconProofs} from "../libraries/BeaconProofs.sol";
import {SSZ} from "../libraries/SSZ.sol";
import {OracleProver} from "./OracleProver.sol";

/// @title AccountingOracle
/// @notice Permissionless, disputable beacon-chain accounting (see `IAccountingOracle`): bonded operators post one
/// sum-Merkle commitment per frame, anyone disputes a wrong one with a beacon proof or an inconsistent node, anyone
/// applies it after the challenge window, and anyone can finalize a frame by proofs when nobody reports. The immutable
/// share-rate limits stay as the last line of defence.
/// @dev Gas: posting stores one report (three slots) and locks the bond — independent of the validator count.
/// Disputes hash `O(log n)` tree nodes with keccak256 and check at most one validator and one balance proof.
contract AccountingOracle is IAccountingOracle {
    /// @notice Share of a voided report's bond paid to the disputer, in basis points; the rest is burned.
    uint256 public constant DISPUTER_REWARD_BP = 5000;
    /// @notice `FAR_FUTURE_EPOCH` of the beacon chain: the exit epoch of a validator that has not initiated an exit.
    uint64 public constant FAR_FUTURE_EPOCH = type(uint64).max;

    uint256 private constant _BASIS_POINTS = 10_000;
    uint256 private constant _RATE_PRECISION = 1e27;
    uint256 private constant _BEFORE_FIRST = type(uint256).max;
    /// @notice Frames whose records stay in storage; slot `frame % REPORT_RING` is reused (warm writes keep posting
    /// cheap). The challenge window is shorter than a frame, so a record is long settled when its slot is reused.
    uint256 public constant REPORT_RING = 4;
    /// @notice Ether a leaf reveal request carries; paid to whoever reveals the leaf, returned if the report is voided.
    uint256 public constant REVEAL_DEPOSIT = 0.01 ether;

    IStakingPool private immutable _STAKING_POOL;
    uint256 private immutable _GENESIS_TIME;
    uint256 private immutable _SECONDS_PER_SLOT;
    uint256 private immutable _SLOTS_PER_EPOCH;
    uint256 private immutable _FRAME_SECONDS;
    uint256 private immutable _CHALLENGE_WINDOW;
    uint256 private immutable _REPORTER_BOND_UNITS;
    uint256 private immutable _MAX_INCREASE_BP_PER_DAY;
    uint256 private immutable _MAX_DECREASE_BP_PER_REPORT;
    OracleProver private immutable _PROVER;

    uint256 private _lastReportTimestamp;
    uint256 private _lastAppliedFrame;
    mapping(uint256 ringSlot => ReportRecord) private _reports;
    /// @dev The frame the prover is finalizing (0 when none): it cannot be posted meanwhile.
    uint256 private _provingFrame;
    mapping(uint256 frame => mapping(uint256 version => mapping(uint256 position => RevealRequest))) private _reveals;
    mapping(address account => uint256 amount) private _claimable;

    /// @param stakingPool_ The staking pool reports are applied to (its validator registry is read when needed).
    /// @param config Frames, window, bond and share-rate limits.
    constructor(IStakingPool stakingPool_, Config memory config) {
        if (address(stakingPool_) == address(0)) revert ZeroAddress();
        if (config.secondsPerSlot == 0) revert InvalidConfiguration("secondsPerSlot");
        if (config.slotsPerEpoch == 0) revert InvalidConfiguration("slotsPerEpoch");
        if (config.frameSlots == 0) revert InvalidConfiguration("frameSlots");
        if (config.challengeWindow == 0 || config.challengeWindow >= uint256(config.frameSlots) * config.secondsPerSlot) {
            revert InvalidConfiguration("challengeWindow");
        }
        if (config.reporterBondUnits == 0) revert InvalidConfiguration("reporterBondUnits");
        if (config.maxIncreaseBpPerDay > _BASIS_POINTS) revert InvalidConfiguration("maxIncreaseBpPerDay");
        if (config.maxDecreaseBpPerReport > _BASIS_POINTS) revert InvalidConfiguration("maxDecreaseBpPerReport");
        _STAKING_POOL = stakingPool_;
        _GENESIS_TIME = config.genesisTime;
        _SECONDS_PER_SLOT = config.secondsPerSlot;
        _SLOTS_PER_EPOCH = config.slotsPerEpoch;
        _FRAME_SECONDS = uint256(config.frameSlots) * config.secondsPerSlot;
        _CHALLENGE_WINDOW = config.challengeWindow;
        _REPORTER_BOND_UNITS = config.reporterBondUnits;
        _MAX_INCREASE_BP_PER_DAY = config.maxIncreaseBpPerDay;
        _MAX_DECREASE_BP_PER_REPORT = config.maxDecreaseBpPerReport;
        _lastReportTimestamp = block.timestamp;
        _PROVER = new OracleProver(stakingPool_, config.slotsPerEpoch, config.secondsPerSlot);
    }

    // ---------------------------------------------------------------- reports

    /// @inheritdoc IAccountingOracle
    function postReport(
        uint256 frame,
        uint256 anchorTimestamp,
        bytes32 root,
        uint256 count,
        uint256 balanceSum
    ) external override {
        _requireReportableFrame(frame);
        if (_provingFrame == frame) revert FrameAlreadyReported(frame, ReportStatus.Pending);
        (bytes32 blockRoot, uint256 vaultPull) = _anchor(frame, anchorTimestamp);
        _checkCount(count);
        if (balanceSum > type(uint128).max) revert ValueTooLarge(balanceSum);
        IOperatorRegistry registry = _registry();
        uint256 operatorId = registry.operatorIdBySigner(msg.sender);
        if (operatorId == 0) operatorId = registry.operatorIdByOwner(msg.sender);
        if (operatorId == 0) revert NotAnOperator(msg.sender);
        _settleRingSlot(frame);
        ReportRecord memory previous = _recordOf(frame);
        _reports[frame % REPORT_RING] = ReportRecord({
            reporter: msg.sender,
            reporterOperatorId: uint32(operatorId), // Safe: operator ids are below 2^15.
            status: ReportStatus.Pending,
            // Wraps after 256 replaced reports of one frame, each of which cost its reporter a bond.
            version: previous.status == ReportStatus.None ? 0 : uint8(previous.version + 1),
            frame: uint64(frame),
            openReveals: 0,
            disputeDeadline: uint64(block.timestamp + _CHALLENGE_WINDOW),
            anchorTimestamp: uint64(anchorTimestamp), // Safe: at most block.timestamp.
            bondUnits: uint32(_REPORTER_BOND_UNITS), // Safe: configured as uint32.
            count: uint64(count), // Safe: at most the pool's deposited count (uint64 there).
            balanceSum: uint128(balanceSum),
            withdrawalVaultBalance: uint128(vaultPull), // Safe: bounded by the ether supply.
            blockRoot: blockRoot,
            root: root
        });
        emit ReportPosted(
            frame, msg.sender, operatorId, anchorTimestamp, blockRoot, root, count, balanceSum, vaultPull
        );
        registry.lockReporterBond(operatorId, _REPORTER_BOND_UNITS);
    }

    /// @inheritdoc IAccountingOracle
    function applyReport(uint256 frame) external override {
        ReportRecord memory r = _requirePending(frame);
        if (block.timestamp < r.disputeDeadline) revert ChallengeWindowOpen(frame, r.disputeDeadline);
        if (r.openReveals != 0) revert RevealsOpen(frame, r.openReveals);
        if (frame <= _lastAppliedFrame) {
            _reports[frame % REPORT_RING].status = ReportStatus.Superseded;
            emit ReportSuperseded(frame);
        } else {
            try this.applyChecked(frame, r.count, uint256(r.balanceSum) * 1 gwei) returns (
                uint256 preRate, uint256 postRate
            ) {
                _reports[frame % REPORT_RING].status = ReportStatus.Applied;
                emit ReportApplied(frame, preRate, postRate);
            } catch (bytes memory reason) {
                _reports[frame % REPORT_RING].status = ReportStatus.Rejected;
                emit ReportRejected(frame, reason);
            }
        }
        _registry().releaseReporterBond(r.reporterOperatorId, r.bondUnits);
    }

    /// @notice Applies a frame's numbers to the pool and enforces the share-rate limits; reverts (undoing the pool's
    /// state change) when they are exceeded. Only callable by this contract, from `applyReport` and the last batch of
    /// a proof-finalized frame.
    /// @param frame The frame.
    /// @param count Protocol validators on the beacon chain.
    /// @param beaconBalance Their balance in wei. The vault pull is the frame's snapshot's (`OracleProver`).
    /// @return preRate Share rate before, 1e27-scaled.
    /// @return postRate Share rate after.
    function applyChecked(uint256 frame, uint256 count, uint256 beaconBalance)
        external
        returns (uint256 preRate, uint256 postRate)
    {
        if (msg.sender != address(this)) revert OnlySelf();
        uint256 elapsed = block.timestamp - _lastReportTimestamp;
        _lastReportTimestamp = block.timestamp;
        _lastAppliedFrame = frame;
        IStakingPool.ReportResult memory result = _STAKING_POOL.handleOracleReport(
            count, beaconBalance, _PROVER.takeVaultPull(frame), _frameReferenceTime(frame)
        );
        preRate = Math.mulDiv(result.preTotalPooledEther, _RATE_PRECISION, result.preTotalShares);
        postRate = Math.mulDiv(result.postTotalPooledEther, _RATE_PRECISION, result.postTotalShares);
        if (postRate > preRate) {
            uint256 maxRate =
                preRate + Math.mulDiv(preRate, _MAX_INCREASE_BP_PER_DAY * elapsed, _BASIS_POINTS * 1 days);
            if (postRate > maxRate) revert ShareRateIncreaseTooHigh(preRate, postRate, maxRate);
        } else {
            uint256 minRate = preRate - Math.mulDiv(preRate, _MAX_DECREASE_BP_PER_REPORT, _BASIS_POINTS);
            if (postRate < minRate) revert ShareRateDecreaseTooHigh(preRate, postRate, minRate);
        }
    }

    // ---------------------------------------------------------------- disputes

    /// @inheritdoc IAccountingOracle
    function disputeNodeSum(
        uint256 frame,
        uint256 depth,
        uint256 position,
        TreeNode calldata node,
        TreeNode calldata left,
        TreeNode calldata right,
        TreeNode[] calldata path
    ) external override {
        ReportRecord memory r = _requireDisputable(frame);
        uint256 treeDepth = treeDepthOf(r.count);
        if (depth >= treeDepth) revert PositionOutOfRange(depth, treeDepth);
        _verifyNode(frame, r, node, depth, position, path);
        bytes32 opened = _innerHash(left, right);
        if (opened != node.hash) revert OpeningMismatch(node.hash, opened);
        if (node.count == left.count + right.count && node.sum == left.sum + right.sum) {
            revert DisputeRejected(frame, DisputeKind.NodeSum);
        }
        _void(frame, r, DisputeKind.NodeSum);
    }

    /// @inheritdoc IAccountingOracle
    function disputeLeafSum(
        uint256 frame,
        uint256 position,
        TreeNode calldata node,
        Leaf calldata leaf,
        TreeNode[] calldata path
    ) external override {
        ReportRecord memory r = _requireDisputable(frame);
        _verifyNode(frame, r, node, treeDepthOf(r.count), position, path);
        bool consistent;
        if (node.hash == bytes32(0)) {
            consistent = node.count == 0 && node.sum == 0;
        } else {
            bytes32 opened = leafHash(leaf);
            if (opened != node.hash) revert OpeningMismatch(node.hash, opened);
            consistent = node.count == 1 && node.sum == leaf.balance;
        }
        if (consistent) revert DisputeRejected(frame, DisputeKind.LeafSum);
        _void(frame, r, DisputeKind.LeafSum);
    }

    /// @inheritdoc IAccountingOracle
    function disputeLeafPosition(uint256 frame, uint256 position, Leaf calldata leaf, TreeNode[] calldata path)
        external
        override
    {
        ReportRecord memory r = _requireDisputable(frame);
        _verifyLeaf(frame, r, leaf, position, path);
        if (position < r.count) revert DisputeRejected(frame, DisputeKind.LeafPosition);
        _void(frame, r, DisputeKind.LeafPosition);
    }

    /// @inheritdoc IAccountingOracle
    function disputeLeafFacts(
        uint256 frame,
        uint256 position,
        Leaf calldata leaf,
        TreeNode[] calldata path,
        BeaconProofs.Validator calldata validator,
        bytes32[] calldata validatorProof,
        bytes32 balancesChunk,
        bytes32[] calldata balanceProof
    ) external override {
        ReportRecord memory r = _requireDisputable(frame);
        _verifyLeaf(frame, r, leaf, position, path);
        BeaconProofs.verifyValidator(r.blockRoot, leaf.beaconIndex, validator, validatorProof);
        uint64 balance = BeaconProofs.verifyBalance(r.blockRoot, leaf.beaconIndex, balancesChunk, balanceProof);
        if (
            _isProtocolValidator(validator) && validator.slashed == leaf.slashed
                && (validator.exitEpoch != FAR_FUTURE_EPOCH) == leaf.exited && balance == leaf.balance
        ) revert DisputeRejected(frame, DisputeKind.LeafFacts);
        _void(frame, r, DisputeKind.LeafFacts);
    }

    /// @inheritdoc IAccountingOracle
    function disputeLeafBeyondRegistry(
        uint256 frame,
        uint256 position,
        Leaf calldata leaf,
        TreeNode[] calldata path,
        bytes32 validatorsDataRoot,
        uint256 validatorsLength,
        bytes32[] calldata validatorsRootProof
    ) external override {
        ReportRecord memory r = _requireDisputable(frame);
        _verifyLeaf(frame, r, leaf, position, path);
        if (validatorsLength > type(uint64).max) revert ValueTooLarge(validatorsLength);
        // A list root mixes in its length: hash(data_root, uint256 length little-endian).
        bytes32 listRoot = SSZ.hashPair(validatorsDataRoot, SSZ.toLittleEndian64(uint64(validatorsLength)));
        BeaconProofs.verifyValidatorsRoot(r.blockRoot, listRoot, validatorsRootProof);
        if (leaf.beaconIndex < validatorsLength) revert DisputeRejected(frame, DisputeKind.LeafBeyondRegistry);
        _void(frame, r, DisputeKind.LeafBeyondRegistry);
    }

    /// @inheritdoc IAccountingOracle
    function disputeLeafOrder(
        uint256 frame,
        uint256 position,
        Leaf calldata first,
        TreeNode[] calldata firstPath,
        Leaf calldata second,
        TreeNode[] calldata secondPath
    ) external override {
        ReportRecord memory r = _requireDisputable(frame);
        _verifyLeaf(frame, r, first, position, firstPath);
        _verifyLeaf(frame, r, second, position + 1, secondPath);
        if (position + 1 >= r.count || first.beaconIndex < second.beaconIndex) {
            revert DisputeRejected(frame, DisputeKind.LeafOrder);
        }
        _void(frame, r, DisputeKind.LeafOrder);
    }

    /// @inheritdoc IAccountingOracle
    function disputeMissingValidator(
        uint256 frame,
        Neighbors calldata neighbors,
        uint256 beaconIndex,
        BeaconProofs.Validator calldata validator,
        bytes32[] calldata validatorProof
    ) external override {
        ReportRecord memory r = _requireDisputable(frame);
        if (r.count != 0) _checkGap(frame, r, neighbors, beaconIndex);
        BeaconProofs.verifyValidator(r.blockRoot, beaconIndex, validator, validatorProof);
        if (!_isProtocolValidator(validator)) revert NotProtocolValidator(beaconIndex);
        _void(frame, r, DisputeKind.MissingValidator);
    }

    // ---------------------------------------------------------------- data availability: leaf reveals

    /// @inheritdoc IAccountingOracle
    function requestLeaf(uint256 frame, uint256 position) external payable override {
        ReportRecord memory r = _requireDisputable(frame);
        if (msg.value != REVEAL_DEPOSIT) revert WrongRevealDeposit(msg.value, REVEAL_DEPOSIT);
        uint256 depth = treeDepthOf(r.count);
        if (position >> depth != 0) revert PositionOutOfRange(position, uint256(1) << depth);
        RevealRequest storage q = _reveals[frame][r.version][position];
        if (q.requester != address(0)) revert RevealAlreadyRequested(frame, position);
        uint256 deadline = block.timestamp + _CHALLENGE_WINDOW;
        q.requester = msg.sender;
        q.deadline = uint64(deadline);
        _reports[frame % REPORT_RING].openReveals = r.openReveals + 1;
        emit LeafRequested(frame, position, msg.sender, deadline);
    }

    /// @inheritdoc IAccountingOracle
    function revealLeaf(
        uint256 frame,
        uint256 position,
        TreeNode calldata node,
        Leaf calldata leaf,
        TreeNode[] calldata path
    ) external override {
        ReportRecord memory r = _requirePending(frame);
        RevealRequest storage q = _reveals[frame][r.version][position];
        if (q.requester == address(0) || q.answered) revert NoOpenReveal(frame, position);
        if (block.timestamp >= q.deadline) revert RevealDeadline(frame, position, q.deadline);
        _verifyNode(frame, r, node, treeDepthOf(r.count), position, path);
        if (node.hash != bytes32(0)) {
            bytes32 opened = leafHash(leaf);
            if (opened != node.hash) revert OpeningMismatch(node.hash, opened);
        }
        q.answered = true;
        ReportRecord storage stored = _reports[frame % REPORT_RING];
        stored.openReveals = r.openReveals - 1;
        // The revealed leaf must stay disputable for a full window.
        uint256 deadline = block.timestamp + _CHALLENGE_WINDOW;
        if (deadline > r.disputeDeadline) stored.disputeDeadline = uint64(deadline);
        _claimable[msg.sender] += REVEAL_DEPOSIT;
        emit LeafRevealed(frame, position, node, leaf, path);
    }

    /// @inheritdoc IAccountingOracle
    function voidUnrevealed(uint256 frame, uint256 position) external override {
        ReportRecord memory r = _requirePending(frame);
        RevealRequest storage q = _reveals[frame][r.version][position];
        if (q.requester == address(0) || q.answered) revert NoOpenReveal(frame, position);
        if (block.timestamp < q.deadline) revert RevealDeadline(frame, position, q.deadline);
        q.answered = true;
        _claimable[q.requester] += REVEAL_DEPOSIT;
        _voidFor(frame, r, DisputeKind.Unrevealed, q.requester);
    }

    /// @inheritdoc IAccountingOracle
    function reclaimRevealDeposit(uint256 frame, uint256 version, uint256 position) external override {
        RevealRequest storage q = _reveals[frame][version][position];
        if (q.requester == address(0) || q.answered) revert NoOpenReveal(frame, position);
        ReportRecord memory r = _recordOf(frame);
        if (r.status == ReportStatus.Pending && r.version == version) revert ReportNotPending(frame, r.status);
        q.answered = true;
        _claimable[q.requester] += REVEAL_DEPOSIT;
    }

    /// @inheritdoc IAccountingOracle
    function withdrawClaimable() external override {
        uint256 amount = _claimable[msg.sender];
        if (amount == 0) revert NothingToClaim(msg.sender);
        _claimable[msg.sender] = 0;
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert EtherTransferFailed(msg.sender, amount);
    }

    /// @notice Ether credited to `account` (see `withdrawClaimable`).
    /// @param account The account.
    /// @return The amount in wei.
    function claimable(address account) external view returns (uint256) {
        return _claimable[account];
    }

    /// @notice A leaf reveal request.
    /// @param frame The frame.
    /// @param version The report's version within the frame.
    /// @param position The leaf.
    /// @return The request (requester zero if none).
    function revealRequest(uint256 frame, uint256 version, uint256 position)
        external
        view
        returns (RevealRequest memory)
    {
        return _reveals[frame][version][position];
    }

    // ---------------------------------------------------------------- the prover's entry points

    /// @notice Opens the proof finalization of `frame` (only the oracle's `OracleProver`): checks the frame like a
    /// report and returns the anchored block root.
    /// @param frame The frame.
    /// @param anchorTimestamp The anchor.
    /// @return blockRoot The anchored beacon block root.
    function beginProofFrame(uint256 frame, uint256 anchorTimestamp) external returns (bytes32 blockRoot) {
        _onlyProver();
        _requireReportableFrame(frame);
        if (_provingFrame == frame) revert FrameAlreadyReported(frame, ReportStatus.Pending);
        (blockRoot,) = _anchor(frame, anchorTimestamp);
        _provingFrame = frame;
    }

    /// @notice Applies a frame whose validators were all proven (only the `OracleProver`; share-rate limits enforced).
    /// @param p The finished proof frame.
    function applyProvenFrame(ProofFrame calldata p) external {
        _onlyProver();
        if (p.frame <= _lastAppliedFrame) revert FrameAlreadyFinalized(p.frame, _lastAppliedFrame);
        (uint256 preRate, uint256 postRate) =
            this.applyChecked(p.frame, p.count, uint256(p.balanceSum) * 1 gwei);
        _settleRingSlot(p.frame);
        _reports[p.frame % REPORT_RING] = ReportRecord({
            reporter: msg.sender,
            reporterOperatorId: 0,
            status: ReportStatus.Applied,
            bondUnits: 0,
            openReveals: 0,
            version: 0,
            frame: p.frame,
            disputeDeadline: uint64(block.timestamp),
            anchorTimestamp: p.anchorTimestamp,
            count: p.count,
            balanceSum: p.balanceSum,
            withdrawalVaultBalance: p.withdrawalVaultBalance,
            blockRoot: bytes32(0),
            root: bytes32(0)
        });
        emit ReportApplied(p.frame, preRate, postRate);
    }

    /// @notice Records a proven lifecycle status in the registry (only the `OracleProver`; the registry accepts
    /// statuses from the pool's oracle only).
    /// @param validatorId The validator.
    /// @param status The proven status.
    function recordProvenStatus(uint256 validatorId, IOperatorRegistry.ValidatorStatus status) external {
        _onlyProver();
        _registry().recordValidatorStatus(validatorId, status);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IAccountingOracle
    function getReport(uint256 frame) external view override returns (ReportRecord memory r) {
        return _recordOf(frame);
    }

    /// @notice The contract that finalizes frames by proofs and proves lifecycle statuses (deployed by this oracle).
    /// @return The prover.
    function prover() external view returns (address) {
        return address(_PROVER);
    }

    /// @inheritdoc IAccountingOracle
    function frameAt(uint256 timestamp) public view override returns (uint256) {
        return timestamp < _GENESIS_TIME ? 0 : (timestamp - _GENESIS_TIME) / _FRAME_SECONDS;
    }

    /// @inheritdoc IAccountingOracle
    function currentFrame() external view override returns (uint256) {
        return frameAt(block.timestamp);
    }

    /// @inheritdoc IAccountingOracle
    function frameReferenceTime(uint256 frame) external view override returns (uint256) {
        return _frameReferenceTime(frame);
    }

    /// @inheritdoc IAccountingOracle
    function lastAppliedFrame() external view override returns (uint256) {
        return _lastAppliedFrame;
    }

    /// @notice Frame length, challenge window and reporter bond.
    /// @return genesisTime Beacon genesis.
    /// @return secondsPerSlot Slot length.
    /// @return slotsPerEpoch Slots per epoch.
    /// @return frameSeconds Frame length in seconds.
    /// @return challengeWindow Dispute window in seconds.
    /// @return reporterBondUnits Bond units staked per report.
    function timing()
        external
        view
        returns (
            uint256 genesisTime,
            uint256 secondsPerSlot,
            uint256 slotsPerEpoch,
            uint256 frameSeconds,
            uint256 challengeWindow,
            uint256 reporterBondUnits
        )
    {
        return (
            _GENESIS_TIME, _SECONDS_PER_SLOT, _SLOTS_PER_EPOCH, _FRAME_SECONDS, _CHALLENGE_WINDOW, _REPORTER_BOND_UNITS
        );
    }

    /// @inheritdoc IAccountingOracle
    function stakingPool() external view override returns (address) {
        return address(_STAKING_POOL);
    }

    /// @inheritdoc IAccountingOracle
    function lastReportTimestamp() external view override returns (uint256) {
        return _lastReportTimestamp;
    }

    /// @inheritdoc IAccountingOracle
    function maxShareRateIncreaseBpPerDay() external view override returns (uint256) {
        return _MAX_INCREASE_BP_PER_DAY;
    }

    /// @inheritdoc IAccountingOracle
    function maxShareRateDecreaseBpPerReport() external view override returns (uint256) {
        return _MAX_DECREASE_BP_PER_REPORT;
    }

    /// @notice Depth of the sum-Merkle tree of `count` leaves: `max(1, ceil(log2(count)))`.
    /// @param count Leaves.
    /// @return depth The depth.
    function treeDepthOf(uint256 count) public pure returns (uint256 depth) {
        depth = 1;
        while ((uint256(1) << depth) < count) ++depth;
    }

    /// @notice The hash of a leaf.
    /// @param leaf The leaf.
    /// @return The hash.
    function leafHash(Leaf calldata leaf) public pure returns (bytes32) {
        return keccak256(abi.encode(leaf.beaconIndex, leaf.balance, leaf.exited, leaf.slashed));
    }

    // ---------------------------------------------------------------- internal

    function _onlyProver() private view {
        if (msg.sender != address(_PROVER)) revert OnlySelf();
    }

    function _registry() private view returns (IOperatorRegistry) {
        return IOperatorRegistry(_STAKING_POOL.validatorRegistry());
    }

    function _frameReferenceTime(uint256 frame) private view returns (uint256) {
        return _GENESIS_TIME + frame * _FRAME_SECONDS;
    }

    /// @dev The frame must be the current one, later than the last applied one, and free of a pending or applied
    /// report (a voided, rejected or superseded report may be replaced).
    function _requireReportableFrame(uint256 frame) private view {
        uint256 current = frameAt(block.timestamp);
        if (frame != current || frame == 0) revert NotCurrentFrame(frame, current);
        uint256 lastApplied = _lastAppliedFrame;
        if (frame <= lastApplied) revert FrameAlreadyFinalized(frame, lastApplied);
        ReportStatus status = _recordOf(frame).status;
        if (status == ReportStatus.Pending || status == ReportStatus.Applied) revert FrameAlreadyReported(frame, status);
    }

    /// @dev The beacon block root anchoring `frame` (the EIP-4788 root at the anchor `OracleProver.snapshotFrame` fixed)
    /// and the vault ether applying the frame would pull now.
    function _anchor(uint256 frame, uint256 anchorTimestamp) private view returns (bytes32, uint256 vaultPull) {
        uint256 snapshot;
        (snapshot, vaultPull) = _PROVER.frameSnapshot(frame);
        if (snapshot == 0) revert FrameNotSnapshotted(frame);
        if (anchorTimestamp != snapshot) revert AnchorMismatch(anchorTimestamp, snapshot);
        return (BeaconProofs.beaconBlockRoot(anchorTimestamp), vaultPull);
    }

    function _checkCount(uint256 count) private view {
        uint256 deposited = _STAKING_POOL.depositedValidators();
        if (count > deposited) revert CountExceedsDeposits(count, deposited);
        (uint256 previous,) = _STAKING_POOL.beaconStats();
        if (count < previous) revert CountBelowPrevious(count, previous);
    }

    /// @dev The record of `frame` if its ring slot still holds it, else an empty record.
    function _recordOf(uint256 frame) private view returns (ReportRecord memory r) {
        r = _reports[frame % REPORT_RING];
        if (r.frame != frame) delete r;
    }

    /// @dev Before a ring slot is reused for `frame`: a report of an older frame still pending there (never applied,
    /// its window long over) is superseded and its bond released.
    function _settleRingSlot(uint256 frame) private {
        ReportRecord storage old = _reports[frame % REPORT_RING];
        if (old.frame != frame && old.status == ReportStatus.Pending) {
            old.status = ReportStatus.Superseded;
            emit ReportSuperseded(old.frame);
            _registry().releaseReporterBond(old.reporterOperatorId, old.bondUnits);
        }
    }

    function _requirePending(uint256 frame) private view returns (ReportRecord memory r) {
        r = _recordOf(frame);
        if (r.status != ReportStatus.Pending) revert ReportNotPending(frame, r.status);
    }

    function _requireDisputable(uint256 frame) private view returns (ReportRecord memory r) {
        r = _requirePending(frame);
        if (block.timestamp >= r.disputeDeadline) revert ChallengeWindowClosed(frame, r.disputeDeadline);
    }

    /// @dev A protocol validator: its public key belongs to a registry validator, its credentials are the pool's, and
    /// it holds its full deposit — the beacon chain has set its activation eligibility epoch, which happens only once
    /// its effective balance reached 32 ETH and is never reset. A predeposited validator (1 ETH, top-up pending) is not
    /// one yet: the pool carries its ether itself until `depositedValidators` counts it.
    function _isProtocolValidator(BeaconProofs.Validator calldata v) private view returns (bool) {
        return v.activationEligibilityEpoch != FAR_FUTURE_EPOCH
            && v.withdrawalCredentials == _STAKING_POOL.withdrawalCredentials()
            && _registry().validatorIdByPubkey(v.pubkey) != 0;
    }

    function _verifyLeaf(
        uint256 frame,
        ReportRecord memory r,
        Leaf calldata leaf,
        uint256 position,
        TreeNode[] calldata path
    ) private pure {
        _verifyNode(frame, r, TreeNode(leafHash(leaf), 1, leaf.balance), treeDepthOf(r.count), position, path);
    }

    /// @dev Hashes `node` up to the root with `path` (children sums computed on the way, which is what the tree
    /// claims wherever it is consistent) and checks the report's root, count and sum.
    function _verifyNode(
        uint256 frame,
        ReportRecord memory r,
        TreeNode memory node,
        uint256 depth,
        uint256 position,
        TreeNode[] calldata path
    ) private pure {
        if (path.length != depth) revert InvalidPathLength(path.length, depth);
        if (position >> depth != 0) revert PositionOutOfRange(position, uint256(1) << depth);
        bytes32 h = node.hash;
        uint256 c = node.count;
        uint256 s = node.sum;
        for (uint256 i; i < depth; ++i) {
            TreeNode calldata sibling = path[i];
            h = (position >> i) & 1 == 0
                ? keccak256(abi.encode(h, c, s, sibling.hash, sibling.count, sibling.sum))
                : keccak256(abi.encode(sibling.hash, sibling.count, sibling.sum, h, c, s));
            c += sibling.count;
            s += sibling.sum;
        }
        if (h != r.root || c != r.count || s != r.balanceSum) revert NodeNotInTree(frame, depth, position);
    }

    /// @dev Checks that `beaconIndex` falls strictly between the opened adjacent leaves (or before the first, or after
    /// the last), i.e. that the tree has no leaf for it.
    function _checkGap(uint256 frame, ReportRecord memory r, Neighbors calldata n, uint256 beaconIndex) private pure {
        bool hasBelow = n.position != _BEFORE_FIRST;
        bool hasAbove = !hasBelow || n.position + 1 < r.count;
        if (hasBelow) {
            if (n.position >= r.count) revert PositionOutOfRange(n.position, r.count);
            _verifyLeaf(frame, r, n.below, n.position, n.belowPath);
            if (beaconIndex <= n.below.beaconIndex) revert DisputeRejected(frame, DisputeKind.MissingValidator);
        }
        if (hasAbove) {
            _verifyLeaf(frame, r, n.above, hasBelow ? n.position + 1 : 0, n.abovePath);
            if (beaconIndex >= n.above.beaconIndex) revert DisputeRejected(frame, DisputeKind.MissingValidator);
        }
    }

    function _innerHash(TreeNode calldata left, TreeNode calldata right) private pure returns (bytes32) {
        return keccak256(abi.encode(left.hash, left.count, left.sum, right.hash, right.count, right.sum));
    }

    function _void(uint256 frame, ReportRecord memory r, DisputeKind kind) private {
        _voidFor(frame, r, kind, msg.sender);
    }

    function _voidFor(uint256 frame, ReportRecord memory r, DisputeKind kind, address disputer) private {
        _reports[frame % REPORT_RING].status = ReportStatus.Voided;
        uint256 reward = (uint256(r.bondUnits) * DISPUTER_REWARD_BP) / _BASIS_POINTS;
        (uint256 paid, uint256 burned) =
            _registry().slashReporterBond(r.reporterOperatorId, r.bondUnits, disputer, reward);
        emit ReportDisputed(frame, disputer, kind, paid, burned);
    }


}
