// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccountingOracle} from "../interfaces/IAccountingOracle.sol";
import {IOperatorRegistry} from "../interfaces/IOperatorRegistry.sol";
import {IOracleProver} from "../interfaces/IOracleProver.sol";
import {IStakingPool} from "../interfaces/IStakingPool.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {BeaconProofs} from "../libraries/BeaconProofs.sol";
import {SSZ} from "../libraries/SSZ.sol";

/// @title OracleProver
/// @notice Finalizes accounting frames by proofs and proves validator lifecycle statuses (see `IOracleProver`).
/// Deployed by `AccountingOracle`'s constructor, which accepts the results only from it.
contract OracleProver is IOracleProver {
    /// @notice Generalized index of `BeaconBlockHeader.slot` in a block (header) root: field 0 of 5, depth 3.
    uint256 public constant SLOT_GINDEX = 8;
    /// @notice `FAR_FUTURE_EPOCH`: the exit epoch of a validator that has not initiated an exit.
    uint64 public constant FAR_FUTURE_EPOCH = type(uint64).max;

    /// @notice Bytes per validator record in `proveValidators` (beacon index 8, pubkey 48, credentials 32, effective
    /// balance 8, slashed 1, four epochs 8 each).
    uint256 public constant RECORD_SIZE = 129;

    IAccountingOracle private immutable _ORACLE;
    IStakingPool private immutable _POOL;
    uint256 private immutable _SLOTS_PER_EPOCH;
    uint256 private immutable _SECONDS_PER_SLOT;

    mapping(address prover => Session) private _sessions;
    /// @dev The frame whose sessions are open and its anchor, chosen by the frame's first session (the oracle anchors
    /// a frame once).
    uint64 private _anchoredFrame;
    uint64 private _anchorTimestamp;
    bytes32 private _anchorRoot;
    /// @dev Each frame's anchor and the vault's cumulative inflow there (`snapshotFrame`).
    mapping(uint256 frame => FrameSnapshot) private _snapshots;
    /// @dev Ether pulled from the vault into the pool by applied frames, ever (`takeVaultPull`).
    uint256 private _vaultPulled;

    /// @dev A batch's leaves in one of the two data trees: positions (strictly increasing) and node hashes.
    struct Leaves {
        uint256[] positions;
        bytes32[] nodes;
        uint256 count;
    }

    /// @param pool The staking pool.
    /// @param slotsPerEpoch Slots per beacon epoch.
    /// @param secondsPerSlot Seconds per beacon slot.
    constructor(IStakingPool pool, uint256 slotsPerEpoch, uint256 secondsPerSlot) {
        _ORACLE = IAccountingOracle(msg.sender);
        _POOL = pool;
        _SLOTS_PER_EPOCH = slotsPerEpoch;
        _SECONDS_PER_SLOT = secondsPerSlot;
    }

    /// @inheritdoc IOracleProver
    function snapshotFrame(uint256 frame) external override returns (uint256 anchorTimestamp) {
        uint256 current = _ORACLE.currentFrame();
        if (frame != current || frame == 0) revert NotCurrentFrame(frame, current);
        uint256 lastApplied = _ORACLE.lastAppliedFrame();
        if (frame <= lastApplied) revert FrameAlreadyFinalized(frame, lastApplied);
        uint256 taken = _snapshots[frame].anchorTimestamp;
        if (taken != 0) revert FrameAlreadySnapshotted(frame, taken);
        uint256 ref = _ORACLE.frameReferenceTime(frame);
        // The slot time of this execution block (on a real chain `block.timestamp` is one: the anchor is this block's
        // own EIP-4788 root, its parent beacon block, whose state has seen every withdrawal credited before it).
        anchorTimestamp = ref + Math.ceilDiv(block.timestamp - ref, _SECONDS_PER_SLOT) * _SECONDS_PER_SLOT;
        uint256 earliest = ref + _SECONDS_PER_SLOT;
        uint256 latest = _ORACLE.frameReferenceTime(frame + 1) - 1;
        if (anchorTimestamp < earliest || anchorTimestamp > latest) {
            revert AnchorOutsideFrame(anchorTimestamp, earliest, latest);
        }
        uint256 balance = _POOL.withdrawalVault().balance;
        uint256 inflow = balance + _vaultPulled;
        _snapshots[frame] = FrameSnapshot({
            anchorTimestamp: uint64(anchorTimestamp), // Safe: a slot time of the current frame.
            vaultInflow: uint192(inflow) // Safe: bounded by the ether supply.
        });
        emit FrameSnapshotted(frame, anchorTimestamp, balance, inflow);
    }

    /// @inheritdoc IOracleProver
    function frameSnapshot(uint256 frame) public view override returns (uint256 anchorTimestamp, uint256 vaultPull) {
        FrameSnapshot memory s = _snapshots[frame];
        uint256 pulled = _vaultPulled;
        return (s.anchorTimestamp, s.vaultInflow > pulled ? s.vaultInflow - pulled : 0);
    }

    /// @inheritdoc IOracleProver
    function takeVaultPull(uint256 frame) external override returns (uint256 vaultPull) {
        if (msg.sender != address(_ORACLE)) revert OnlyOracle(msg.sender);
        (, vaultPull) = frameSnapshot(frame);
        _vaultPulled += vaultPull;
    }

    /// @inheritdoc IOracleProver
    function vaultPulled() external view override returns (uint256) {
        return _vaultPulled;
    }

    /// @inheritdoc IOracleProver
    function startProofFrame(
        uint256 frame,
        uint256 anchorTimestamp,
        uint256 listLength,
        bytes32 validatorsSubtreeRoot,
        bytes32[] calldata validatorsRootProof,
        bytes32 balancesSubtreeRoot,
        bytes32[] calldata balancesRootProof
    ) external override {
        bytes32 blockRoot = _frameAnchor(frame, anchorTimestamp);
        (, uint256 vaultPull) = frameSnapshot(frame);
        if (listLength >> BeaconProofs.VALIDATOR_REGISTRY_DEPTH != 0) revert ListTooLong(listLength);
        {
            (bytes32 validatorsRoot, bytes32 balancesRoot) =
                _listRoots(validatorsSubtreeRoot, balancesSubtreeRoot, listLength);
            BeaconProofs.verifyValidatorsRoot(blockRoot, validatorsRoot, validatorsRootProof);
            BeaconProofs.verifyBalancesRoot(blockRoot, balancesRoot, balancesRootProof);
        }
        uint256 expected = _POOL.depositedValidators();
        IAccountingOracle.ProofFrame memory p = IAccountingOracle.ProofFrame({
            frame: uint64(frame), // Safe: the current frame.
            expectedCount: uint64(expected), // Safe: the pool's counter is 64 bits.
            count: 0,
            nextIndex: 0,
            anchorTimestamp: uint64(anchorTimestamp), // Safe: at most block.timestamp.
            balanceSum: 0,
            withdrawalVaultBalance: uint128(vaultPull), // Safe: bounded by the ether supply.
            validatorsRoot: validatorsSubtreeRoot,
            balancesRoot: balancesSubtreeRoot
        });
        _sessions[msg.sender] = Session({proof: p, listLength: uint64(listLength)}); // Safe: below 2^40.
        emit ProofFrameStarted(frame, msg.sender, blockRoot, expected);
        if (expected == 0) IOracleProverHooks(address(_ORACLE)).applyProvenFrame(p);
    }

    /// @inheritdoc IOracleProver
    function proveValidators(
        uint256 frame,
        bytes calldata records,
        bytes32[] calldata balancesChunks,
        bytes32[] calldata proof
    ) external override {
        Session storage session = _sessions[msg.sender];
        IAccountingOracle.ProofFrame memory p = session.proof;
        if (p.frame != frame || frame == 0 || frame <= _ORACLE.lastAppliedFrame()) revert NoProofFrame(frame);
        uint256 n = records.length / RECORD_SIZE;
        if (records.length != n * RECORD_SIZE) revert MalformedRecords(records.length);
        if (n == 0) revert EmptyBatch();
        if (p.count + n > p.expectedCount) revert TooManyValidators(p.expectedCount);
        (uint256 sum, uint256 next) = _verifyBatch(p, session.listLength, records, balancesChunks, proof);
        p.count += uint64(n); // Safe: at most expectedCount.
        p.balanceSum += uint128(sum); // Safe: bounded by count · 2^64.
        p.nextIndex = uint64(next); // Safe: below 2^40.
        session.proof = p;
        emit ValidatorsProven(frame, msg.sender, p.count, p.balanceSum);
        if (p.count == p.expectedCount) IOracleProverHooks(address(_ORACLE)).applyProvenFrame(p);
    }

    /// @inheritdoc IOracleProver
    function proveValidatorStatus(
        uint256 validatorId,
        uint256 anchorTimestamp,
        uint256 slot,
        bytes32[] calldata slotProof,
        uint256 beaconIndex,
        BeaconProofs.Validator calldata validator,
        bytes32[] calldata validatorProof
    ) external override {
        IOperatorRegistry registry = IOperatorRegistry(_POOL.validatorRegistry());
        _requireValidatorKey(registry, validatorId, beaconIndex, validator.pubkey);
        (bytes32 blockRoot, uint256 epoch) = _provenEpoch(anchorTimestamp, slot, slotProof);
        BeaconProofs.verifyValidator(blockRoot, beaconIndex, validator, validatorProof);
        IOperatorRegistry.ValidatorStatus status = _statusAt(validator, epoch);
        if (status == IOperatorRegistry.ValidatorStatus.None || registry.getRequest(validatorId).status >= status) {
            revert NoStatusChange(validatorId);
        }
        emit ValidatorStatusProven(validatorId, beaconIndex, epoch);
        IOracleProverHooks(address(_ORACLE)).recordProvenStatus(validatorId, status);
    }

    /// @inheritdoc IOracleProver
    function proofSession(address prover) external view override returns (Session memory) {
        return _sessions[prover];
    }

    /// @inheritdoc IOracleProver
    function subtreeDepth(uint256 listLength) public pure override returns (uint256 depth) {
        depth = 2;
        while (depth < BeaconProofs.VALIDATOR_REGISTRY_DEPTH && (uint256(1) << depth) < listLength) ++depth;
    }

    /// @inheritdoc IOracleProver
    function oracle() external view override returns (address) {
        return address(_ORACLE);
    }

    /// @dev The frame's anchored block root: the oracle anchors the frame for its first session; later sessions of
    /// the same frame reuse that anchor while the frame is current and not finalized.
    function _frameAnchor(uint256 frame, uint256 anchorTimestamp) private returns (bytes32) {
        if (frame != _anchoredFrame) {
            bytes32 blockRoot = IOracleProverHooks(address(_ORACLE)).beginProofFrame(frame, anchorTimestamp);
            _anchoredFrame = uint64(frame); // Safe: the current frame.
            _anchorTimestamp = uint64(anchorTimestamp); // Safe: at most block.timestamp.
            _anchorRoot = blockRoot;
            return blockRoot;
        }
        if (frame != _ORACLE.currentFrame() || frame <= _ORACLE.lastAppliedFrame()) revert NoProofFrame(frame);
        if (anchorTimestamp != _anchorTimestamp) revert AnchorMismatch(anchorTimestamp, _anchorTimestamp);
        return _anchorRoot;
    }

    /// @dev `hash_tree_root` of the `validators` and `balances` lists whose data trees hold only zero leaves outside
    /// the subtrees `v` (height `subtreeDepth(length)`) and `b` (two levels lower: four balances per chunk).
    function _listRoots(bytes32 v, bytes32 b, uint256 length) private view returns (bytes32, bytes32) {
        uint256 depth = subtreeDepth(length);
        bytes32 zero; // The root of an all-zero subtree of height h.
        for (uint256 h; h < BeaconProofs.VALIDATOR_REGISTRY_DEPTH; ++h) {
            if (h >= depth) v = SSZ.hashPair(v, zero);
            if (h + 2 >= depth && h < BeaconProofs.BALANCES_DEPTH) b = SSZ.hashPair(b, zero);
            zero = SSZ.hashPair(zero, zero);
        }
        bytes32 mixIn = SSZ.toLittleEndian64(uint64(length)); // Safe: below 2^40.
        return (SSZ.hashPair(v, mixIn), SSZ.hashPair(b, mixIn));
    }

    /// @dev Checks a batch against the session's subtree roots; returns its balance sum (gwei) and the next beacon
    /// index a later batch may start at.
    function _verifyBatch(
        IAccountingOracle.ProofFrame memory p,
        uint256 listLength,
        bytes calldata records,
        bytes32[] calldata balancesChunks,
        bytes32[] calldata proof
    ) private view returns (uint256 sum, uint256 next) {
        (Leaves memory validators, Leaves memory chunks) = _leaves(records, p.nextIndex, listLength);
        sum = _balances(validators, chunks, balancesChunks);
        next = validators.positions[validators.count - 1] + 1;
        uint256 depth = subtreeDepth(listLength);
        (bytes32 root, uint256 used) = _multiRoot(validators, depth, proof, 0);
        _checkRoot(p.validatorsRoot, root);
        (root, used) = _multiRoot(chunks, depth - 2, proof, used);
        if (used != proof.length) revert MultiproofTooLong(proof.length, used);
        _checkRoot(p.balancesRoot, root);
    }

    /// @dev Reads the batch's records: checks order, range and that each is a protocol validator; returns the record
    /// leaves and the positions of the distinct balance chunks they fall in (nodes filled by `_balances`).
    function _leaves(bytes calldata records, uint256 next, uint256 listLength)
        private
        view
        returns (Leaves memory validators, Leaves memory chunks)
    {
        uint256 n = records.length / RECORD_SIZE;
        validators = Leaves(new uint256[](n), new bytes32[](n), n);
        chunks = Leaves(new uint256[](n), new bytes32[](n), 0);
        bytes32 credentials = _POOL.withdrawalCredentials();
        IOperatorRegistry registry = IOperatorRegistry(_POOL.validatorRegistry());
        for (uint256 k; k < n; ++k) {
            uint256 o = k * RECORD_SIZE;
            (uint256 index, bytes32 recordCredentials, bytes32 eligibility) = _recordHead(records, o);
            if (index < next) revert ValidatorOutOfOrder(index, next);
            if (index >= listLength) revert ValidatorBeyondList(index, listLength);
            if (
                recordCredentials != credentials || eligibility == bytes32(bytes8(FAR_FUTURE_EPOCH))
                    || registry.validatorIdByPubkey(records[o + 8:o + 56]) == 0
            ) revert NotProtocolValidator(index);
            validators.positions[k] = index;
            validators.nodes[k] = _validatorRoot(records, o);
            if (chunks.count == 0 || chunks.positions[chunks.count - 1] != index >> 2) {
                chunks.positions[chunks.count] = index >> 2;
                ++chunks.count;
            }
            next = index + 1;
        }
    }

    /// @dev The beacon index, withdrawal credentials and activation eligibility epoch chunk of the record at `o`.
    function _recordHead(bytes calldata records, uint256 o)
        private
        pure
        returns (uint256 index, bytes32 credentials, bytes32 eligibility)
    {
        assembly ("memory-safe") {
            let p := add(records.offset, o)
            index := shr(192, calldataload(p))
            credentials := calldataload(add(p, 56))
            eligibility := and(calldataload(add(p, 97)), shl(192, 0xffffffffffffffff))
        }
    }

    /// @dev Fills the chunk leaves from `balancesChunks` and returns the batch's balance sum (gwei).
    function _balances(Leaves memory validators, Leaves memory chunks, bytes32[] calldata balancesChunks)
        private
        pure
        returns (uint256 sum)
    {
        if (balancesChunks.length != chunks.count) revert BalanceChunkCount(balancesChunks.length, chunks.count);
        uint256 c;
        for (uint256 k; k < validators.count; ++k) {
            uint256 index = validators.positions[k];
            if (chunks.positions[c] != index >> 2) ++c;
            sum += SSZ.uint64At(balancesChunks[c], index);
        }
        for (uint256 j; j < chunks.count; ++j) {
            chunks.nodes[j] = balancesChunks[j];
        }
    }

    /// @dev `hash_tree_root` of the packed record at `o` (see `proveValidators`): its SSZ field chunks hashed up.
    /// The caller checked that `records` holds whole records, so every byte read here is the record's; the words read
    /// past its last field are masked.
    function _validatorRoot(bytes calldata records, uint256 o) private view returns (bytes32 root) {
        bool ok;
        assembly ("memory-safe") {
            let p := add(records.offset, o)
            let u64 := shl(192, 0xffffffffffffffff)
            // hash_tree_root(pubkey): its first 32 bytes, then the last 16 zero-padded.
            mstore(0x00, calldataload(add(p, 8)))
            mstore(0x20, and(calldataload(add(p, 40)), shl(128, not(0))))
            ok := staticcall(gas(), 0x02, 0x00, 0x40, 0x00, 0x20)
            mstore(0x20, calldataload(add(p, 56))) // withdrawal credentials
            ok := and(ok, staticcall(gas(), 0x02, 0x00, 0x40, 0x00, 0x20))
            let fields01 := mload(0x00)
            mstore(0x00, and(calldataload(add(p, 88)), u64)) // effective balance
            mstore(0x20, and(calldataload(add(p, 96)), shl(248, 0xff))) // slashed
            ok := and(ok, staticcall(gas(), 0x02, 0x00, 0x40, 0x20, 0x20))
            mstore(0x00, fields01)
            ok := and(ok, staticcall(gas(), 0x02, 0x00, 0x40, 0x00, 0x20))
            let fields03 := mload(0x00)
            mstore(0x00, and(calldataload(add(p, 97)), u64)) // activation eligibility epoch
            mstore(0x20, and(calldataload(add(p, 105)), u64)) // activation epoch
            ok := and(ok, staticcall(gas(), 0x02, 0x00, 0x40, 0x00, 0x20))
            let fields45 := mload(0x00)
            mstore(0x00, and(calldataload(add(p, 113)), u64)) // exit epoch
            mstore(0x20, and(calldataload(add(p, 121)), u64)) // withdrawable epoch
            ok := and(ok, staticcall(gas(), 0x02, 0x00, 0x40, 0x20, 0x20))
            mstore(0x00, fields45)
            ok := and(ok, staticcall(gas(), 0x02, 0x00, 0x40, 0x20, 0x20))
            mstore(0x00, fields03)
            ok := and(ok, staticcall(gas(), 0x02, 0x00, 0x40, 0x00, 0x20))
            root := mload(0x00)
        }
        if (!ok) revert SSZ.Sha256Failed();
    }

    /// @dev The root of a subtree of height `depth` from its leaves `leaves` (strictly increasing positions) and the
    /// missing siblings taken from `proof` at `used` onwards, level by level from the leaves up, left to right. Two
    /// leaves merge only when they are siblings, so positions stay strictly increasing and a duplicate can never fold
    /// into one node. Overwrites `leaves`; returns the root and the siblings used so far.
    function _multiRoot(Leaves memory leaves, uint256 depth, bytes32[] calldata proof, uint256 used)
        private
        view
        returns (bytes32 root, uint256)
    {
        bool ok = true;
        assembly ("memory-safe") {
            // `Leaves` in memory: pointers to `positions` and `nodes`, then `count`.
            let pos := add(mload(leaves), 0x20)
            let node := add(mload(add(leaves, 0x20)), 0x20)
            let n := mload(add(leaves, 0x40))
            for {} depth { depth := sub(depth, 1) } {
                let w := 0
                for { let i := 0 } lt(i, n) { w := add(w, 1) } {
                    let x := mload(add(pos, shl(5, i)))
                    // `x` is a left child whose right sibling is the next node: hash the pair (reading one word past
                    // the live nodes when i + 1 = n is harmless, the comparison is then ignored).
                    switch and(and(iszero(and(x, 1)), lt(add(i, 1), n)), eq(mload(add(pos, shl(5, add(i, 1)))), add(x, 1)))
                    case 1 {
                        mstore(0x00, mload(add(node, shl(5, i))))
                        mstore(0x20, mload(add(node, shl(5, add(i, 1)))))
                        i := add(i, 2)
                    }
                    default {
                        // The node goes left if it is a left child, its sibling from the proof on the other side
                        // (a read past the proof is garbage that the check after the loop reverts on).
                        mstore(shl(5, and(x, 1)), mload(add(node, shl(5, i))))
                        mstore(shl(5, iszero(and(x, 1))), calldataload(add(proof.offset, shl(5, used))))
                        used := add(used, 1)
                        i := add(i, 1)
                    }
                    ok := and(ok, staticcall(gas(), 0x02, 0x00, 0x40, 0x00, 0x20))
                    mstore(add(node, shl(5, w)), mload(0x00))
                    mstore(add(pos, shl(5, w)), shr(1, x))
                }
                n := w
            }
            root := mload(node)
        }
        if (!ok) revert SSZ.Sha256Failed();
        if (used > proof.length) revert MultiproofTooShort(proof.length);
        return (root, used);
    }

    function _checkRoot(bytes32 root, bytes32 computed) private pure {
        if (computed != root) revert BeaconProofs.InvalidMerkleProof(root, computed);
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
}

/// @dev The oracle's entry points reserved for its prover.
interface IOracleProverHooks {
    function beginProofFrame(uint256 frame, uint256 anchorTimestamp) external returns (bytes32 blockRoot);
    function applyProvenFrame(IAccountingOracle.ProofFrame calldata p) external;
    function recordProvenStatus(uint256 validatorId, IOperatorRegistry.ValidatorStatus status) external;
}
