// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IAccountingOracle} from "../interfaces/IAccountingOracle.sol";
import {IOperatorRegistry} from "../interfaces/IOperatorRegistry.sol";
import {IStakingPool} from "../interfaces/IStakingPool.sol";
import {BeaconProofs} from "../libraries/BeaconProofs.sol";
import {SSZ} from "../libraries/SSZ.sol";

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
    /// @notice Generalized index of `BeaconBlockHeader.slot` in a block (header) root.
    uint256 public constant SLOT_GINDEX = 8;

    uint256 private constant _BASIS_POINTS = 10_000;
    uint256 private constant _RATE_PRECISION = 1e27;
    uint256 private constant _BEFORE_FIRST = type(uint256).max;
    /// @notice Frames whose records stay in storage; slot `frame % REPORT_RING` is reused (warm writes keep posting
    /// cheap). The challenge window is shorter than a frame, so a record is long settled when its slot is reused.
    uint256 public constant REPORT_RING = 4;

    IStakingPool private immutable _STAKING_POOL;
    uint256 private immutable _GENESIS_TIME;
    uint256 private immutable _SECONDS_PER_SLOT;
    uint256 private immutable _SLOTS_PER_EPOCH;
    uint256 private immutable _FRAME_SECONDS;
    uint256 private immutable _CHALLENGE_WINDOW;
    uint256 private immutable _REPORTER_BOND_UNITS;
    uint256 private immutable _MAX_INCREASE_BP_PER_DAY;
    uint256 private immutable _MAX_DECREASE_BP_PER_REPORT;

    uint256 private _lastReportTimestamp;
    uint256 private _lastAppliedFrame;
    mapping(uint256 ringSlot => ReportRecord) private _reports;
    ProofFrame private _proofFrame;

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
    }

    // ---------------------------------------------------------------- reports

    /// @inheritdoc IAccountingOracle
    function postReport(
        uint256 frame,
        uint256 anchorTimestamp,
        bytes32 root,
        uint256 count,
        uint256 balanceSum,
        uint256 withdrawalVaultBalance
    ) external override {
        _requireReportableFrame(frame);
        if (_proofFrame.frame == frame && frame != 0) revert FrameAlreadyReported(frame, ReportStatus.Pending);
        bytes32 blockRoot = _anchor(frame, anchorTimestamp);
        _checkCount(count);
        if (balanceSum > type(uint128).max) revert ValueTooLarge(balanceSum);
        _checkVaultBalance(withdrawalVaultBalance);
        IOperatorRegistry registry = _registry();
        uint256 operatorId = registry.operatorIdBySigner(msg.sender);
        if (operatorId == 0) operatorId = registry.operatorIdByOwner(msg.sender);
        if (operatorId == 0) revert NotAnOperator(msg.sender);
        _settleRingSlot(frame);
        _reports[frame % REPORT_RING] = ReportRecord({
            reporter: msg.sender,
            reporterOperatorId: uint32(operatorId), // Safe: operator ids are below 2^15.
            status: ReportStatus.Pending,
            frame: uint64(frame),
            postedAt: uint64(block.timestamp),
            anchorTimestamp: uint64(anchorTimestamp), // Safe: at most block.timestamp.
            bondUnits: uint32(_REPORTER_BOND_UNITS), // Safe: configured as uint32.
            count: uint64(count), // Safe: at most the pool's deposited count (uint64 there).
            balanceSum: uint128(balanceSum),
            withdrawalVaultBalance: uint128(withdrawalVaultBalance),
            blockRoot: blockRoot,
            root: root
        });
        emit ReportPosted(
            frame, msg.sender, operatorId, anchorTimestamp, blockRoot, root, count, balanceSum, withdrawalVaultBalance
        );
        registry.lockReporterBond(operatorId, _REPORTER_BOND_UNITS);
    }

    /// @inheritdoc IAccountingOracle
    function applyReport(uint256 frame) external override {
        ReportRecord memory r = _requirePending(frame);
        uint256 deadline = uint256(r.postedAt) + _CHALLENGE_WINDOW;
        if (block.timestamp < deadline) revert ChallengeWindowOpen(frame, deadline);
        if (frame <= _lastAppliedFrame) {
            _reports[frame % REPORT_RING].status = ReportStatus.Superseded;
            emit ReportSuperseded(frame);
        } else {
            try this.applyChecked(
                frame, r.count, uint256(r.balanceSum) * 1 gwei, r.withdrawalVaultBalance
            ) returns (uint256 preRate, uint256 postRate) {
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
    /// @param beaconBalance Their balance in wei.
    /// @param withdrawalVaultBalance Ether pulled from the vault.
    /// @return preRate Share rate before, 1e27-scaled.
    /// @return postRate Share rate after.
    function applyChecked(uint256 frame, uint256 count, uint256 beaconBalance, uint256 withdrawalVaultBalance)
        external
        returns (uint256 preRate, uint256 postRate)
    {
        if (msg.sender != address(this)) revert OnlySelf();
        uint256 elapsed = block.timestamp - _lastReportTimestamp;
        _lastReportTimestamp = block.timestamp;
        _lastAppliedFrame = frame;
        IStakingPool.ReportResult memory result = _STAKING_POOL.handleOracleReport(
            count, beaconBalance, withdrawalVaultBalance, _frameReferenceTime(frame)
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

    // ---------------------------------------------------------------- finalization by proofs

    /// @inheritdoc IAccountingOracle
    function startProofFrame(
        uint256 frame,
        uint256 anchorTimestamp,
        bytes32 validatorsRoot,
        bytes32[] calldata validatorsRootProof,
        bytes32 balancesRoot,
        bytes32[] calldata balancesRootProof,
        uint256 withdrawalVaultBalance
    ) external override {
        _requireReportableFrame(frame);
        if (_proofFrame.frame == frame) revert FrameAlreadyReported(frame, ReportStatus.Pending);
        bytes32 blockRoot = _anchor(frame, anchorTimestamp);
        _checkVaultBalance(withdrawalVaultBalance);
        BeaconProofs.verifyValidatorsRoot(blockRoot, validatorsRoot, validatorsRootProof);
        BeaconProofs.verifyBalancesRoot(blockRoot, balancesRoot, balancesRootProof);
        uint256 expected = _STAKING_POOL.depositedValidators();
        _proofFrame = ProofFrame({
            frame: uint64(frame),
            expectedCount: uint64(expected),
            count: 0,
            nextIndex: 0,
            anchorTimestamp: uint64(anchorTimestamp),
            balanceSum: 0,
            withdrawalVaultBalance: uint128(withdrawalVaultBalance),
            validatorsRoot: validatorsRoot,
            balancesRoot: balancesRoot
        });
        emit ProofFrameStarted(frame, blockRoot, expected);
        if (expected == 0) _finishProofFrame(_proofFrame);
    }

    /// @inheritdoc IAccountingOracle
    function proveValidators(uint256 frame, ValidatorProof[] calldata batch) external override {
        ProofFrame memory p = _proofFrame;
        if (p.frame != frame || frame == 0 || frame <= _lastAppliedFrame) revert NoProofFrame(frame);
        if (batch.length == 0) revert EmptyBatch();
        if (p.count + batch.length > p.expectedCount) revert TooManyValidators(p.expectedCount);
        uint256 sum = p.balanceSum;
        uint256 next = p.nextIndex;
        for (uint256 i; i < batch.length; ++i) {
            ValidatorProof calldata v = batch[i];
            if (v.beaconIndex < next) revert ValidatorOutOfOrder(v.beaconIndex, next);
            BeaconProofs.verifyValidatorInRegistry(p.validatorsRoot, v.beaconIndex, v.validator, v.validatorProof);
            if (!_isProtocolValidator(v.validator)) revert NotProtocolValidator(v.beaconIndex);
            sum += BeaconProofs.verifyBalanceInList(p.balancesRoot, v.beaconIndex, v.balancesChunk, v.balanceProof);
            next = uint256(v.beaconIndex) + 1;
        }
        p.count += uint64(batch.length); // Safe: at most expectedCount.
        p.balanceSum = uint128(sum); // Safe: bounded by count · 2^64.
        p.nextIndex = uint64(next); // Safe: beacon indices are below 2^40.
        _proofFrame = p;
        emit ValidatorsProven(frame, p.count, sum);
        if (p.count == p.expectedCount) _finishProofFrame(p);
    }

    // ---------------------------------------------------------------- lifecycle by proof

    /// @inheritdoc IAccountingOracle
    function proveValidatorStatus(
        uint256 validatorId,
        uint256 anchorTimestamp,
        uint256 slot,
        bytes32[] calldata slotProof,
        uint256 beaconIndex,
        BeaconProofs.Validator calldata validator,
        bytes32[] calldata validatorProof
    ) external override {
        IOperatorRegistry registry = _registry();
        _requireValidatorKey(registry, validatorId, beaconIndex, validator.pubkey);
        (bytes32 blockRoot, uint256 epoch) = _provenEpoch(anchorTimestamp, slot, slotProof);
        BeaconProofs.verifyValidator(blockRoot, beaconIndex, validator, validatorProof);
        IOperatorRegistry.ValidatorStatus status = _statusAt(validator, epoch);
        if (status == IOperatorRegistry.ValidatorStatus.None || registry.getRequest(validatorId).status >= status) {
            revert NoStatusChange(validatorId);
        }
        emit ValidatorStatusProven(validatorId, beaconIndex, epoch);
        registry.recordValidatorStatus(validatorId, status);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IAccountingOracle
    function getReport(uint256 frame) external view override returns (ReportRecord memory r) {
        return _recordOf(frame);
    }

    /// @notice The frame being finalized by proofs (frame 0 when none was started).
    /// @return The session.
    function proofFrame() external view returns (ProofFrame memory) {
        return _proofFrame;
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

    /// @dev Reads the beacon block root anchoring `frame`: the EIP-4788 root of an execution block at least one slot
    /// after the frame's reference time (so the parent beacon block is at or after the reference slot when no slot
    /// was missed) and within the frame.
    function _anchor(uint256 frame, uint256 anchorTimestamp) private view returns (bytes32) {
        uint256 earliest = _frameReferenceTime(frame) + _SECONDS_PER_SLOT;
        uint256 latest = Math.min(earliest + _FRAME_SECONDS - _SECONDS_PER_SLOT - 1, block.timestamp);
        if (anchorTimestamp < earliest || anchorTimestamp > latest) {
            revert AnchorOutsideFrame(anchorTimestamp, earliest, latest);
        }
        return BeaconProofs.beaconBlockRoot(anchorTimestamp);
    }

    function _checkCount(uint256 count) private view {
        uint256 deposited = _STAKING_POOL.depositedValidators();
        if (count > deposited) revert CountExceedsDeposits(count, deposited);
        (uint256 previous,) = _STAKING_POOL.beaconStats();
        if (count < previous) revert CountBelowPrevious(count, previous);
    }

    /// @dev The vault figure cannot be proven on-chain (see contracts/README.md); it is bounded by the vault's ether.
    function _checkVaultBalance(uint256 claimed) private view {
        uint256 available = _STAKING_POOL.withdrawalVault().balance;
        if (claimed > available) revert VaultBalanceExceeded(claimed, available);
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
        uint256 deadline = uint256(r.postedAt) + _CHALLENGE_WINDOW;
        if (block.timestamp >= deadline) revert ChallengeWindowClosed(frame, deadline);
    }

    /// @dev A protocol validator: its public key belongs to a registry validator and its credentials are the pool's.
    function _isProtocolValidator(BeaconProofs.Validator calldata v) private view returns (bool) {
        return v.withdrawalCredentials == _STAKING_POOL.withdrawalCredentials()
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

    function _requireValidatorKey(
        IOperatorRegistry registry,
        uint256 validatorId,
        uint256 beaconIndex,
        bytes calldata provenPubkey
    ) private view {
        (bytes memory pubkey,) = registry.validatorKeys(validatorId);
        if (pubkey.length == 0) revert UnknownValidator(validatorId);
        if (keccak256(pubkey) != keccak256(provenPubkey)) revert ValidatorMismatch(validatorId, beaconIndex);
    }

    /// @dev The EIP-4788 block root at `anchorTimestamp` and the epoch of its slot, proven from the block header.
    function _provenEpoch(uint256 anchorTimestamp, uint256 slot, bytes32[] calldata slotProof)
        private
        view
        returns (bytes32 blockRoot, uint256 epoch)
    {
        if (slot > type(uint64).max) revert ValueTooLarge(slot);
        blockRoot = BeaconProofs.beaconBlockRoot(anchorTimestamp);
        bytes32 computed = SSZ.processProof(SSZ.toLittleEndian64(uint64(slot)), slotProof, SLOT_GINDEX);
        if (computed != blockRoot) revert BeaconProofs.InvalidMerkleProof(blockRoot, computed);
        epoch = slot / _SLOTS_PER_EPOCH;
    }

    /// @dev The registry status a validator record shows at `epoch` (`None` before activation).
    function _statusAt(BeaconProofs.Validator calldata v, uint256 epoch)
        private
        pure
        returns (IOperatorRegistry.ValidatorStatus)
    {
        if (v.withdrawableEpoch <= epoch && v.effectiveBalance == 0) return IOperatorRegistry.ValidatorStatus.Withdrawn;
        if (v.exitEpoch <= epoch) return IOperatorRegistry.ValidatorStatus.Exited;
        if (v.exitEpoch != FAR_FUTURE_EPOCH) return IOperatorRegistry.ValidatorStatus.Exiting;
        if (v.activationEpoch <= epoch) return IOperatorRegistry.ValidatorStatus.Active;
        return IOperatorRegistry.ValidatorStatus.None;
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
        _reports[frame % REPORT_RING].status = ReportStatus.Voided;
        uint256 reward = (uint256(r.bondUnits) * DISPUTER_REWARD_BP) / _BASIS_POINTS;
        (uint256 paid, uint256 burned) = _registry().slashReporterBond(r.reporterOperatorId, r.bondUnits, msg.sender, reward);
        emit ReportDisputed(frame, msg.sender, kind, paid, burned);
    }

    function _finishProofFrame(ProofFrame memory p) private {
        (uint256 preRate, uint256 postRate) =
            this.applyChecked(p.frame, p.count, uint256(p.balanceSum) * 1 gwei, p.withdrawalVaultBalance);
        _settleRingSlot(p.frame);
        _reports[p.frame % REPORT_RING] = ReportRecord({
            reporter: msg.sender,
            reporterOperatorId: 0,
            status: ReportStatus.Applied,
            frame: p.frame,
            postedAt: uint64(block.timestamp),
            anchorTimestamp: p.anchorTimestamp,
            bondUnits: 0,
            count: p.count,
            balanceSum: p.balanceSum,
            withdrawalVaultBalance: p.withdrawalVaultBalance,
            blockRoot: bytes32(0),
            root: bytes32(0)
        });
        emit ReportApplied(p.frame, preRate, postRate);
    }
}
