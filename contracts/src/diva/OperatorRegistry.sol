// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IDkgApprovals} from "../interfaces/IDkgApprovals.sol";
import {IBlockRandomness} from "../interfaces/IBlockRandomness.sol";
import {IDepositVerifier} from "../interfaces/IDepositVerifier.sol";
import {IOperatorRegistry} from "../interfaces/IOperatorRegistry.sol";
import {IReshareManager} from "../interfaces/IReshareManager.sol";
import {IStakingPool} from "../interfaces/IStakingPool.sol";
import {IValidatorRegistry} from "../interfaces/IValidatorRegistry.sol";
import {WeightedSelection} from "../libraries/WeightedSelection.sol";
import {ClusterDraw} from "./operators/ClusterDraw.sol";
import {DkgApprovals} from "./operators/DkgApprovals.sol";
import {BlockRandomness} from "./operators/BlockRandomness.sol";
import {OperatorBook} from "./operators/OperatorBook.sol";
import {DepositVerifier} from "./DepositVerifier.sol";
import {ReshareManager} from "./ReshareManager.sol";
import {StrikeBook} from "./operators/StrikeBook.sol";

/// @title OperatorRegistry
/// @notice Diva's operator registry and distributed-validator lifecycle. See `IOperatorRegistry`.
/// @dev Randomness and its manipulation bound. A request is drawn in two steps: `requestValidator` freezes the
/// drawable weights and names a draw block `DRAW_DELAY` blocks ahead; `drawCluster` seeds the draw with that block's
/// `mixHash` (the beacon RANDAO mix after the previous block's reveal, read from its header against `blockhash`), which
/// nobody knew at the request and no one party can choose: the proposer of the block before it can only withhold its
/// block (one other mix, at the cost of its block reward). Bond changes after the freeze are recorded and applied by
/// the draw, so weights cannot be reshaped once the mix is known. `contracts/README.md` tabulates the bias this
/// replaced (a requester picking its block: at f = 20% of free bond about four days to capture a cluster) and the bias
/// that remains. A captured cluster can sign (and get the validator slashed or exited) but cannot withdraw: the
/// withdrawal credentials point at the protocol vault, and the 11 operators' locked bonds are at stake.
///
/// Deposit guarantee. 11 colluding members of a cluster could threshold-sign a deposit for the group key with their
/// own withdrawal credentials and land it first; the beacon chain keeps the first credentials it sees for a key, so a
/// later 32 ETH deposit would be theirs. The registry therefore (1) verifies the DKG result's deposit signature on-chain
/// (so the predeposit cannot be one the beacon chain ignores) and has the pool deposit only 1 ETH, then (2) deposits
/// the remaining 31 ETH only once a beacon-state proof shows the key with the protocol's credentials
/// (`completeDeposit`). A proof showing foreign credentials makes the validator `Unusable`, returns the 31 ETH to the
/// buffer and slashes the cluster's locked bond to cover the lost 1 ETH.
///
/// Missed DKGs. A DKG that times out names its culprits on-chain: the operators that did not attest a result
/// (`attestDkgResult`). Each gets a strike (`StrikeBook`), loses `MISSED_DKG_PENALTY_BPS` of its lock and its seat;
/// the seats are redrawn by the same two-step draw (frozen weights, a later block's RANDAO mix, the remaining and the
/// struck members excluded), at most `MAX_REDRAWS` times per request, after which the request expires as before. A
/// stalling operator therefore pays, and one missing member no longer costs the whole request.
contract OperatorRegistry is StrikeBook {
    using WeightedSelection for WeightedSelection.Tree;

    /// @notice Key shares needed to sign for a validator.
    uint256 public constant THRESHOLD = 11;
    /// @notice Under-bonded operators a draw may set aside before it gives up.
    uint256 public constant MAX_SKIPS = ClusterDraw.MAX_SKIPS;
    /// @notice Blocks between a request and the block whose RANDAO mix seeds its draw. At least 2, so that even the
    /// proposer of the request's block does not know the mix (it is fixed by the reveal of the block before it).
    uint256 public constant DRAW_DELAY = 4;
    /// @notice Times the missed seats of one request may be redrawn before the request expires.
    uint256 public constant MAX_REDRAWS = 3;
    /// @notice Share of its lock, in basis points, burnt from an operator that missed a DKG (10%: 0.1 ETH of a 1 ETH
    /// lock, Lido CSM's late-exit penalty).
    uint256 public constant MISSED_DKG_PENALTY_BPS = 1_000;

    /// @notice Ether of bond locked per key share, converted to shares at each request's rate.
    uint256 public immutable BOND_PER_KEY_SHARE;
    /// @notice Seconds after a request before it may be expired.
    uint256 public immutable DKG_TIMEOUT;
    /// @notice Checks deposit signatures (in the `DOMAIN_DEPOSIT` of the network's genesis fork version) and
    /// withdrawal-credentials proofs; deployed by this constructor (its code does not fit in the registry's).
    IDepositVerifier public immutable DEPOSIT_VERIFIER;
    /// @notice Computes the EIP-712 digest of a DKG result (this registry's domain) and checks the operators'
    /// signatures of it (ECDSA and ERC-1271); deployed by this constructor.
    IDkgApprovals public immutable DKG_APPROVALS;
    /// @notice Reads a past block's RANDAO mix from its header (the draw's seed); deployed by this constructor.
    IBlockRandomness public immutable BLOCK_RANDOMNESS;
    /// @notice Replaces members of live validators (requests, replacement draws through this registry, results);
    /// deployed by this constructor. The only caller of the resharing hooks.
    IReshareManager public immutable RESHARE_MANAGER;

    uint256 private constant _PUBKEY_LENGTH = 48;
    uint256 private constant _SIGNATURE_LENGTH = 96;
    uint256 private constant _ALL_OPERATORS = (1 << CLUSTER_SIZE) - 1;
    uint256 private constant _PREDEPOSIT_GWEI = 1e9; // 1 ETH
    // Bit of `_pendingDrawId` marking a replacement draw for a live validator (not a request's draw).
    uint256 private constant _RESHARE_DRAW = 1 << 63;
    bytes32 private immutable _WITHDRAWAL_CREDENTIALS;

    mapping(uint256 requestId => mapping(uint256 position => bytes32 digest)) private _attestedDigests;

    /// @param pool The staking pool (also the divETH token).
    /// @param wrappedDivETH wdivETH; its `asset()` must be the pool.
    /// @param bondPerKeyShare Ether of bond locked per key share (1 ether in production).
    /// @param bondUnitShares divETH shares per bond unit (e.g. 1e16).
    /// @param dkgTimeout Seconds a request has to complete its DKG before anyone may expire it.
    /// @param genesisForkVersion The network's genesis fork version (mainnet 0x00000000), for deposit signatures.
    constructor(
        address pool,
        address wrappedDivETH,
        uint256 bondPerKeyShare,
        uint256 bondUnitShares,
        uint256 dkgTimeout,
        bytes4 genesisForkVersion
    ) OperatorBook(pool, wrappedDivETH, bondUnitShares) {
        if (IERC4626(wrappedDivETH).asset() != pool) revert InvalidConfiguration("wrappedDivETH");
        if (bondPerKeyShare == 0) revert InvalidConfiguration("bondPerKeyShare");
        if (dkgTimeout == 0 || dkgTimeout > type(uint32).max) revert InvalidConfiguration("dkgTimeout");
        BOND_PER_KEY_SHARE = bondPerKeyShare;
        DKG_TIMEOUT = dkgTimeout;
        if (currentLockUnits() > MAX_LOCK_UNITS) revert InvalidConfiguration("bondPerKeyShare");
        // The pool wires its withdrawal vault once and for all, so the credentials can be cached; the pool reverts
        // (NotWired) if the registry is deployed before `wireComponents`.
        _WITHDRAWAL_CREDENTIALS = IStakingPool(pool).withdrawalCredentials();
        DEPOSIT_VERIFIER = new DepositVerifier(genesisForkVersion, _WITHDRAWAL_CREDENTIALS);
        BLOCK_RANDOMNESS = new BlockRandomness();
        DKG_APPROVALS = new DkgApprovals();
        RESHARE_MANAGER = new ReshareManager(genesisForkVersion, dkgTimeout);
        for (uint256 id = 1; id <= _PREPARE_AHEAD; ++id) {
            _prepareRequestStorage(id);
        }
    }

    // ------------------------------------------------------------------ requests

    /// @inheritdoc IOperatorRegistry
    function requestValidator() external override returns (uint256 requestId) {
        _requireNoPendingDraw();
        _POOL.reserveValidatorDeposit();
        requestId = _requestCount + 1;
        _requestCount = uint64(requestId);
        _pendingDrawId = uint64(requestId);
        _setRequestedAt(requestId);
        _scheduleDraw(requestId, currentLockUnits());
    }

    /// @inheritdoc IOperatorRegistry
    function drawCluster(uint256 requestId, bytes calldata blockHeader) external override returns (bool drawn) {
        if (requestId == 0 || requestId != _pendingDrawId) revert NoPendingDraw(requestId);
        uint256 info = _freeze.info;
        uint256 drawBlock = uint64(info);
        uint256 lockUnits = info >> 64;
        if (block.number <= drawBlock) revert DrawTooEarly(requestId, drawBlock);
        uint256 existing = _clusters[requestId];
        if (block.number > drawBlock + 256) {
            // The draw block's hash is gone: start a new freeze from the current weights with a new future block (a
            // redraw keeps its cluster's lock).
            _applyDeferred(new uint256[](0), 0);
            _scheduleDraw(requestId, existing > _CLUSTER_PREPARED ? lockUnits : currentLockUnits());
            return false;
        }
        uint256 seed = uint256(
            keccak256(
                abi.encode(
                    BLOCK_RANDOMNESS.mixHashOf(blockHeader, drawBlock), requestId, block.chainid, address(this)
                )
            )
        );
        (uint256 cluster, uint256[] memory picked) = _drawFor(requestId, seed, lockUnits);
        _pendingDrawId = 0;
        _applyDeferred(picked, lockUnits);
        _clusters[requestId] = cluster;
        // The DKG's time runs from the draw.
        _setRequestedAt(requestId);
        emit ValidatorRequested(requestId, cluster, THRESHOLD, _WITHDRAWAL_CREDENTIALS, lockUnits);
        return true;
    }

    /// @inheritdoc IOperatorRegistry
    function attestDkgResult(uint256 requestId, bytes32 resultDigest) external override {
        (RequestRecord memory r, uint256 cluster) = _requireStatus(requestId, ValidatorStatus.Requested);
        uint256 operatorId = _identities.idBySigner[msg.sender];
        uint256 position = _positionOf(cluster, operatorId);
        if (operatorId == 0 || position == CLUSTER_SIZE) revert NotRequestOperator(requestId, msg.sender);
        _attestedDigests[requestId][position] = resultDigest;
        r.attestedBitmap |= uint16(1 << position);
        _requests[requestId] = r;
        emit DkgResultAttested(requestId, operatorId, resultDigest);
    }

    /// @inheritdoc IOperatorRegistry
    function submitDkgResult(
        uint256 requestId,
        bytes calldata groupPubkey,
        bytes calldata sharePubkeys,
        bytes calldata depositSignature,
        bytes32 depositDataRoot,
        DepositPoints calldata points,
        bytes[] calldata operatorSignatures
    ) external override {
        _checkLength("groupPubkey", groupPubkey.length, _PUBKEY_LENGTH);
        _checkLength("sharePubkeys", sharePubkeys.length, _PUBKEY_LENGTH * CLUSTER_SIZE);
        _checkLength("depositSignature", depositSignature.length, _SIGNATURE_LENGTH);
        bytes32 digest = _resultDigest(requestId, groupPubkey, sharePubkeys, depositSignature, depositDataRoot);
        _acceptResult(requestId, digest, groupPubkey, sharePubkeys, operatorSignatures);
        // The signature check comes after the cheap ones (request, duplicate key, approvals); a revert undoes the
        // acceptance.
        if (
            !DEPOSIT_VERIFIER.verifyDepositSignature(
                groupPubkey,
                points.groupPubkey,
                uint64(_PREDEPOSIT_GWEI),
                depositSignature,
                points.depositSignature
            )
        ) revert InvalidDepositSignature(requestId);
        _POOL.depositValidator(groupPubkey, depositSignature, depositDataRoot);
    }

    /// @inheritdoc IOperatorRegistry
    function completeDeposit(
        bytes calldata pubkey,
        uint256 beaconTimestamp,
        uint256 beaconIndex,
        bytes32 withdrawalCredentials,
        bytes32[] calldata proof
    ) external override returns (bool deposited) {
        uint256 validatorId = _idByPubkeyHash[keccak256(pubkey)];
        if (validatorId == 0) revert UnknownValidatorPubkey(pubkey);
        // A key in `_idByPubkeyHash` belongs to an accepted result, whose record is written: no cluster read needed.
        RequestRecord memory r = _requests[validatorId];
        if (r.status != ValidatorStatus.Predeposited) revert InvalidStatus(validatorId, r.status);
        deposited = DEPOSIT_VERIFIER.proveWithdrawalCredentials(
            pubkey, beaconTimestamp, beaconIndex, withdrawalCredentials, proof
        );
        if (deposited) {
            r.status = ValidatorStatus.Deposited;
            _requests[validatorId] = r;
            emit ValidatorDeposited(validatorId, pubkey);
            _POOL.topUpValidator(pubkey);
        } else {
            r.status = ValidatorStatus.Unusable;
            _requests[validatorId] = r;
            uint256 cluster = _clusters[validatorId];
            // Rule of the front-run write-off: each of the 16 operators loses `ceil(s / 16 / BOND_UNIT_SHARES)` bond
            // units of its lock, `s` being the shares 1 ETH buys now, and at most its whole lock; the rest of its lock
            // is free again. Burning those shares while the pool writes off the 1 ETH leaves the share rate where it
            // was (or higher, by the rounding up) whenever the locks cover 1 ETH — with the production lock of 1 ETH
            // per key share, always.
            uint256 lockUnits = cluster >> _LOCK_SHIFT;
            uint256 unitShares = CLUSTER_SIZE * BOND_UNIT_SHARES;
            uint256 slashedUnits = (_DIV_ETH.getSharesByPooledEth(1 ether) + unitShares - 1) / unitShares;
            if (slashedUnits > lockUnits) slashedUnits = lockUnits;
            _releaseCluster(cluster, slashedUnits, 0);
            emit DepositFrontRun(validatorId, beaconIndex, withdrawalCredentials, slashedUnits);
            _POOL.writeOffPredeposit(pubkey, slashedUnits * CLUSTER_SIZE * BOND_UNIT_SHARES);
        }
    }

    /// @inheritdoc IOperatorRegistry
    function expireRequest(uint256 requestId) external override {
        if (requestId != 0 && requestId == _pendingDrawId) return _expirePendingDraw(requestId);
        (RequestRecord memory r, uint256 cluster) = _requireStatus(requestId, ValidatorStatus.Requested);
        _requireExpired(requestId);
        uint256 missed = _ALL_OPERATORS & ~uint256(r.attestedBitmap);
        r.missedBitmap = uint16(missed);
        // With no attestation at all nothing on-chain tells a staller from the others (a DKG stalled by one member
        // leaves the rest with no result to approve unless they attest their presence): nobody is blamed.
        if (missed == _ALL_OPERATORS) missed = 0;
        bool redraw = missed != 0 && r.redraws < MAX_REDRAWS;
        // The redraw freezes the weights: it needs the freeze, and the releases below must land before it.
        if (redraw) _requireNoPendingDraw();
        uint256 lockUnits = cluster >> _LOCK_SHIFT;
        uint256 penalty = lockUnits * MISSED_DKG_PENALTY_BPS / 10_000;
        uint256 burnt;
        if (missed != 0) {
            burnt = _strikeMissed(requestId, cluster, missed, penalty);
            emit DkgSeatsMissed(requestId, missed, penalty, redraw);
        }
        if (redraw) {
            ++r.redraws;
            r.attestedBitmap = 0;
            _requests[requestId] = r;
            _pendingDrawId = uint64(requestId);
            _setRequestedAt(requestId);
            _scheduleDraw(requestId, lockUnits);
        } else {
            r.status = ValidatorStatus.Expired;
            _requests[requestId] = r;
            _releaseCluster(cluster, 0, missed);
            emit RequestExpired(requestId, r.missedBitmap);
            _prepareRequestStorage(requestId + _PREPARE_AHEAD);
            _POOL.releaseValidatorDeposit();
        }
        if (burnt != 0) _POOL.burnShares(burnt * BOND_UNIT_SHARES);
    }

    /// @inheritdoc IOperatorRegistry
    function recordValidatorStatus(uint256 validatorId, ValidatorStatus status) external override {
        _onlyOracle();
        (RequestRecord memory r, uint256 cluster) = _requireRequest(validatorId);
        if (
            r.status < ValidatorStatus.Deposited || r.status >= ValidatorStatus.Withdrawn || status <= r.status
                || status > ValidatorStatus.Withdrawn
        ) revert InvalidStatusTransition(validatorId, r.status, status);
        r.status = status;
        _requests[validatorId] = r;
        if (status == ValidatorStatus.Withdrawn) _releaseCluster(cluster, 0, 0);
        emit ValidatorStatusChanged(validatorId, status);
    }

    // ------------------------------------------------------------------ resharing

    /// @inheritdoc IOperatorRegistry
    function scheduleReshareDraw(uint256 validatorId)
        external
        override
        returns (uint256 drawBlock, uint256 lockUnits)
    {
        _onlyReshareManager();
        _requireNoPendingDraw();
        lockUnits = _clusters[validatorId] >> _LOCK_SHIFT;
        _pendingDrawId = uint64(validatorId | _RESHARE_DRAW);
        _scheduleDraw(validatorId, lockUnits);
        drawBlock = block.number + DRAW_DELAY;
    }

    /// @inheritdoc IOperatorRegistry
    function drawReshareSeat(uint256 validatorId, uint256 position, bytes calldata blockHeader)
        external
        override
        returns (uint256 newcomerId)
    {
        _onlyReshareManager();
        if (_pendingDrawId != (validatorId | _RESHARE_DRAW)) revert NoPendingDraw(validatorId);
        uint256 lockUnits = _freeze.info >> 64;
        uint256 seed = _reshareSeed(validatorId, blockHeader);
        if (seed == 0) {
            _applyDeferred(new uint256[](0), 0);
            _scheduleDraw(validatorId, lockUnits);
            return 0;
        }
        (, uint256[] memory picked) =
            ClusterDraw.redrawSeats(_tree, seed, _clusters[validatorId], lockUnits, 1 << position);
        _pendingDrawId = 0;
        // As `drawCluster`: the draw ran on the frozen lanes; bond changes since the freeze land now.
        _applyDeferred(picked, lockUnits);
        return picked[0];
    }

    /// @inheritdoc IOperatorRegistry
    function cancelReshareDraw(uint256 validatorId) external override {
        _onlyReshareManager();
        if (_pendingDrawId != (validatorId | _RESHARE_DRAW)) return;
        _pendingDrawId = 0;
        _applyDeferred(new uint256[](0), 0);
    }

    /// @inheritdoc IOperatorRegistry
    function replaceMember(
        uint256 validatorId,
        uint256 position,
        uint256 newcomerId,
        uint256 penaltyUnits,
        bytes32 sharePubkeysHash
    ) external override {
        _onlyReshareManager();
        uint256 cluster = _clusters[validatorId];
        uint256 shift = _ID_BITS * position;
        _clusters[validatorId] = (cluster & ~(_ID_MASK << shift)) | (newcomerId << shift);
        _sharePubkeysHashes[validatorId] = sharePubkeysHash;
        // The manager passes a penalty of at most the lock.
        _releaseLock(_idAt(cluster, position), penaltyUnits, (cluster >> _LOCK_SHIFT) - penaltyUnits);
        if (penaltyUnits != 0) _POOL.burnShares(penaltyUnits * BOND_UNIT_SHARES);
    }

    /// @inheritdoc IOperatorRegistry
    function releaseReshareLock(uint256 operatorId, uint256 units) external override {
        _onlyReshareManager();
        _releaseLock(operatorId, 0, units);
    }

    // ------------------------------------------------------------------ missed DKGs

    /// @dev Expires the request waiting for its draw: 32 ETH back to the buffer, the weights unfrozen; a redraw that
    /// could not complete also unlocks the members that stayed.
    function _expirePendingDraw(uint256 requestId) private {
        _requireExpired(requestId);
        _pendingDrawId = 0;
        _applyDeferred(new uint256[](0), 0);
        RequestRecord memory pending = _requests[requestId];
        uint256 kept = _clusters[requestId];
        if (kept > _CLUSTER_PREPARED) {
            _releaseCluster(kept, 0, pending.missedBitmap);
            _prepareRequestStorage(requestId + _PREPARE_AHEAD);
        }
        pending.status = ValidatorStatus.Expired;
        _requests[requestId] = pending;
        emit RequestExpired(requestId, pending.missedBitmap);
        _POOL.releaseValidatorDeposit();
    }

    /// @dev Strikes the operators at the positions of `missed` and releases their locks less `penalty` units each;
    /// returns the units taken (the caller burns their shares).
    function _strikeMissed(uint256 requestId, uint256 cluster, uint256 missed, uint256 penalty)
        private
        returns (uint256 burnt)
    {
        uint256 lockUnits = cluster >> _LOCK_SHIFT;
        uint256 frame = _currentFrame();
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            if ((missed >> i) & 1 == 0) continue;
            uint256 id = _idAt(cluster, i);
            _strike(id, frame, requestId);
            // Safe: penalty ≤ lockUnits (MISSED_DKG_PENALTY_BPS ≤ 10,000).
            _releaseLock(id, penalty, lockUnits - penalty);
            burnt += penalty;
        }
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IValidatorRegistry
    function stakingPool() external view override returns (address) {
        return address(_POOL);
    }

    /// @inheritdoc IOperatorRegistry
    function pendingDraw() external view override returns (uint256 requestId, uint256 drawBlock, uint256 lockUnits) {
        requestId = _pendingDrawId;
        if (requestId != 0) (drawBlock, lockUnits) = (uint64(_freeze.info), _freeze.info >> 64);
    }

    /// @inheritdoc IOperatorRegistry
    function currentLockUnits() public view override returns (uint256) {
        uint256 shares = _DIV_ETH.getSharesByPooledEth(BOND_PER_KEY_SHARE);
        return (shares + BOND_UNIT_SHARES - 1) / BOND_UNIT_SHARES;
    }

    /// @inheritdoc IOperatorRegistry
    function dkgResultDigest(
        uint256 requestId,
        bytes calldata groupPubkey,
        bytes calldata sharePubkeys,
        bytes calldata depositSignature,
        bytes32 depositDataRoot
    ) external view override returns (bytes32) {
        return _resultDigest(requestId, groupPubkey, sharePubkeys, depositSignature, depositDataRoot);
    }

    // ------------------------------------------------------------------ internal

    /// @dev Draws a whole cluster and locks `lockUnits` on each member (the linked `ClusterDraw`).
    function _drawCluster(uint256 seed, uint256 lockUnits)
        internal
        returns (uint256 packed, uint256[] memory picked)
    {
        return ClusterDraw.drawCluster(_tree, seed, lockUnits);
    }

    /// @dev The draw of a pending request: its whole cluster, or the missed seats of a drawn one (redrawn excluding
    /// all 16 current members).
    function _drawFor(uint256 requestId, uint256 seed, uint256 lockUnits)
        private
        returns (uint256 cluster, uint256[] memory picked)
    {
        cluster = _clusters[requestId];
        return cluster > _CLUSTER_PREPARED
            ? ClusterDraw.redrawSeats(_tree, seed, cluster, lockUnits, _requests[requestId].missedBitmap)
            : _drawCluster(seed, lockUnits);
    }

    /// @dev Freezes the weights for `requestId`'s draw of `lockUnits` per seat, from the mix of a block `DRAW_DELAY`
    /// ahead.
    function _scheduleDraw(uint256 requestId, uint256 lockUnits) private {
        if (lockUnits > MAX_LOCK_UNITS) revert LockTooLarge(lockUnits);
        uint256 drawBlock = block.number + DRAW_DELAY;
        _freeze.info = drawBlock | (lockUnits << 64);
        emit ValidatorDrawScheduled(requestId, drawBlock, lockUnits);
    }

    /// @dev Checks the request and the approvals of `digest`, then records the validator.
    function _acceptResult(
        uint256 requestId,
        bytes32 digest,
        bytes calldata groupPubkey,
        bytes calldata sharePubkeys,
        bytes[] calldata operatorSignatures
    ) private {
        {
            (RequestRecord memory r, uint256 cluster) = _requireStatus(requestId, ValidatorStatus.Requested);
            uint256 existing = _idByPubkeyHash[keccak256(groupPubkey)];
            if (existing != 0) revert DuplicateValidatorPubkey(groupPubkey, existing);
            _checkApprovals(requestId, cluster, r.attestedBitmap, digest, operatorSignatures);
        }
        _requests[requestId] = RequestRecord({
            status: ValidatorStatus.Predeposited,
            attestedBitmap: uint16(_ALL_OPERATORS),
            missedBitmap: 0,
            redraws: _requests[requestId].redraws,
            pubkeyTail: bytes16(groupPubkey[32:48])
        });
        _pubkeyHeads[requestId] = bytes32(groupPubkey[0:32]);
        _sharePubkeysHashes[requestId] = keccak256(sharePubkeys);
        _idByPubkeyHash[keccak256(groupPubkey)] = requestId;
        emit DkgResultAccepted(requestId, groupPubkey, sharePubkeys, digest);
        emit ValidatorPredeposited(requestId, groupPubkey);
        _prepareRequestStorage(requestId + _PREPARE_AHEAD);
    }

    /// @dev Checks that every operator approved `digest`: an on-chain attestation of the same digest for an empty
    /// signature (checked here), a signature of its signer otherwise (ECDSA or ERC-1271, checked by the helper in one
    /// call, which also names the first bad one).
    function _checkApprovals(
        uint256 requestId,
        uint256 cluster,
        uint256 attestedBitmap,
        bytes32 digest,
        bytes[] calldata operatorSignatures
    ) private view {
        if (operatorSignatures.length != CLUSTER_SIZE) {
            revert WrongSignatureCount(operatorSignatures.length, CLUSTER_SIZE);
        }
        address[] memory signers = new address[](CLUSTER_SIZE);
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            uint256 id = _idAt(cluster, i);
            if (operatorSignatures[i].length != 0) {
                signers[i] = _identities.signers[id];
            } else if ((attestedBitmap >> i) & 1 == 0 || _attestedDigests[requestId][i] != digest) {
                revert InvalidOperatorSignature(requestId, i, id);
            }
        }
        uint256 invalid = DKG_APPROVALS.firstInvalidSignature(signers, digest, operatorSignatures);
        if (invalid < CLUSTER_SIZE) revert InvalidOperatorSignature(requestId, invalid, _idAt(cluster, invalid));
    }

    /// @dev Ends the lock of every operator of `cluster` but those at the positions of `skipped` (already released):
    /// `slashedUnits` of each lock are slashed, the rest freed.
    function _releaseCluster(uint256 cluster, uint256 slashedUnits, uint256 skipped) private {
        uint256 lockUnits = cluster >> _LOCK_SHIFT;
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            if ((skipped >> i) & 1 == 0) _releaseLock(_idAt(cluster, i), slashedUnits, lockUnits - slashedUnits);
        }
    }

    function _resultDigest(
        uint256 requestId,
        bytes calldata groupPubkey,
        bytes calldata sharePubkeys,
        bytes calldata depositSignature,
        bytes32 depositDataRoot
    ) private view returns (bytes32) {
        return DKG_APPROVALS.resultDigest(requestId, groupPubkey, sharePubkeys, depositSignature, depositDataRoot);
    }

    /// @dev Records the current time as the request's (its DKG timeout runs from it).
    function _setRequestedAt(uint256 requestId) private {
        uint256 slot = requestId / _TIMES_PER_SLOT;
        uint256 shift = (requestId % _TIMES_PER_SLOT) << 5;
        _requestTimes[slot] = (_requestTimes[slot] & ~(uint256(type(uint32).max) << shift))
            | (uint256(SafeCast.toUint32(block.timestamp)) << shift);
    }

    /// @dev The seed of a replacement draw from its draw block's mix, 0 once that block is more than 256 blocks old.
    function _reshareSeed(uint256 validatorId, bytes calldata blockHeader) private view returns (uint256) {
        uint256 drawBlock = uint64(_freeze.info);
        if (block.number <= drawBlock) revert DrawTooEarly(validatorId, drawBlock);
        if (block.number > drawBlock + 256) return 0;
        return uint256(
            keccak256(
                abi.encode(
                    BLOCK_RANDOMNESS.mixHashOf(blockHeader, drawBlock), validatorId | _RESHARE_DRAW, block.chainid
                )
            )
        );
    }

    function _onlyReshareManager() private view {
        if (msg.sender != address(RESHARE_MANAGER)) revert NotReshareManager(msg.sender);
    }

    function _requireExpired(uint256 requestId) private view {
        uint256 deadline = _requestedAt(requestId) + DKG_TIMEOUT;
        if (block.timestamp < deadline) revert RequestNotExpired(requestId, deadline);
    }

    function _checkLength(string memory field, uint256 length, uint256 expected) private pure {
        if (length != expected) revert InvalidLength(field, length, expected);
    }
}
