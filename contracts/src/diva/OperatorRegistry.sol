// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IOperatorRegistry} from "../interfaces/IOperatorRegistry.sol";
import {IStakingPool} from "../interfaces/IStakingPool.sol";
import {IValidatorRegistry} from "../interfaces/IValidatorRegistry.sol";
import {WeightedSelection} from "../libraries/WeightedSelection.sol";
import {OperatorBook} from "./operators/OperatorBook.sol";

/// @title OperatorRegistry
/// @notice Diva's operator registry and distributed-validator lifecycle. See `IOperatorRegistry`.
/// @dev Randomness and its manipulation bound. The 16 operators of request `id` are drawn from
/// `keccak256(block.prevrandao, id, chainid, this)`. `prevrandao` of block N is fixed once block N-1 is published, so a
/// caller can simulate the draw and decide *when* to call. An attacker holding a fraction `f` of the drawable free bond
/// sees one fresh draw per block in which it could be first to call, and captures a cluster (≥ 11 of 16 shares, the
/// signing threshold) with probability about `k · P[Bin(16, f) ≥ 11]` over `k` such blocks:
/// f = 10%: 2.7e-8 per block; f = 20%: 3.3e-5; f = 33%: 3.7e-3. `k` is small in practice because anyone (every Stinger
/// node) may call `requestValidator` as soon as 32 ETH are unreserved, and the first call consumes the buffer; an
/// attacker who must wait k = 7,200 blocks (a day) reaches 2e-4 at f = 10% but 0.23 at f = 20%, which is why keepers
/// must request promptly. Reshaping weights after seeing the seed would turn waiting into grinding over weight
/// configurations, so `requestValidator` refuses to draw in a block in which any drawable weight changed earlier
/// (`WeightsChangedThisBlock`); only the proposer of block N-1, who knows its own RANDAO reveal, can still fix weights
/// in N-1 with the seed of N in hand. A captured cluster can sign (and get the validator slashed or exited) but cannot
/// withdraw: the withdrawal credentials point at the protocol vault, and the 11 operators' locked bonds are at stake
/// for the penalties flow.
contract OperatorRegistry is OperatorBook, EIP712 {
    using WeightedSelection for WeightedSelection.Tree;

    /// @notice Operators per distributed validator.
    uint256 public constant CLUSTER_SIZE = 16;
    /// @notice Key shares needed to sign for a validator.
    uint256 public constant THRESHOLD = 11;
    /// @notice Under-bonded operators a draw may set aside before it gives up.
    uint256 public constant MAX_SKIPS = 16;
    /// @notice Role reporting lifecycle transitions after the deposit (to be replaced by a beacon-proof oracle).
    bytes32 public constant LIFECYCLE_REPORTER_ROLE = keccak256("LIFECYCLE_REPORTER_ROLE");
    /// @notice EIP-712 type of the DKG result operators approve (`bytes` fields are hashed, as EIP-712 specifies).
    // solhint-disable-next-line gas-small-strings
    bytes32 public constant DKG_RESULT_TYPEHASH = keccak256(
        "DkgResult(uint256 requestId,bytes groupPubkey,bytes sharePubkeys,bytes depositSignature,bytes32 depositDataRoot)"
    );

    /// @notice Ether of bond locked per key share, converted to shares at each request's rate.
    uint256 public immutable BOND_PER_KEY_SHARE;
    /// @notice Seconds after a request before it may be expired.
    uint256 public immutable DKG_TIMEOUT;

    uint256 private constant _PUBKEY_LENGTH = 48;
    uint256 private constant _SIGNATURE_LENGTH = 96;
    uint256 private constant _ALL_OPERATORS = (1 << CLUSTER_SIZE) - 1;
    uint256 private constant _ID_BITS = 15;
    uint256 private constant _ID_MASK = (1 << _ID_BITS) - 1;
    uint256 private constant _LOCK_SHIFT = _ID_BITS * CLUSTER_SIZE;
    uint256 private constant _TIMES_PER_SLOT = 7;
    uint256 private constant _TIMES_INITIALIZED = 1 << 255;
    /// @dev Placeholder of a cluster slot prepared for a future request (no real cluster is 1: it has a non-zero lock).
    uint256 private constant _CLUSTER_PREPARED = 1;
    /// @dev How far ahead of a completed or expired request the storage of future requests is prepared.
    uint256 private constant _PREPARE_AHEAD = 16;
    /// @notice Highest lock per key share, in bond units (it is packed in 16 bits next to the cluster).
    uint256 public constant MAX_LOCK_UNITS = type(uint16).max;

    bytes32 private immutable _WITHDRAWAL_CREDENTIALS;

    /// @dev Status and attestations of a request. Not written by `requestValidator` (gas: a fresh slot costs 22,100):
    /// a request whose cluster exists and whose record is still zero is `Requested`.
    struct RequestRecord {
        ValidatorStatus status;
        uint16 attestedBitmap;
        uint16 missedBitmap;
    }

    mapping(uint256 requestId => RequestRecord) private _requests;
    // The cluster of a request in one slot: the 16 operator ids, 15 bits each (ids < 32,768), position `i` in bits
    // [15i, 15i + 15), and the lock per operator in bond units in bits [240, 256). 0 = unused, 1 = prepared (see
    // `_prepareRequestStorage`), anything else = requested.
    mapping(uint256 requestId => uint256) private _clusters;
    // Request timestamps, seven 32-bit lanes per slot (request `id` in slot `id / 7`, lane `id % 7`) and an
    // "initialized" bit 255 (see `_prepareRequestStorage`).
    mapping(uint256 slot => uint256 timestamps) private _requestTimes;
    mapping(uint256 requestId => mapping(uint256 position => bytes32 digest)) private _attestedDigests;
    mapping(uint256 validatorId => bytes) private _pubkeys;
    mapping(uint256 validatorId => bytes32) private _sharePubkeysHashes;
    mapping(bytes32 pubkeyHash => uint256 validatorId) private _idByPubkeyHash;
    mapping(uint256 operatorId => uint64[] validatorIds) private _validatorsOf;

    /// @param pool The staking pool (also the divETH token).
    /// @param wrappedDivETH wdivETH; its `asset()` must be the pool.
    /// @param bondPerKeyShare Ether of bond locked per key share (1 ether in production).
    /// @param bondUnitShares divETH shares per bond unit (e.g. 1e16).
    /// @param dkgTimeout Seconds a request has to complete its DKG before anyone may expire it.
    /// @param admin Holder of the default admin role (grants the ejector and lifecycle reporter roles).
    constructor(
        address pool,
        address wrappedDivETH,
        uint256 bondPerKeyShare,
        uint256 bondUnitShares,
        uint256 dkgTimeout,
        address admin
    ) OperatorBook(pool, wrappedDivETH, bondUnitShares) EIP712("Nektar Operator Registry", "1") {
        if (admin == address(0)) revert ZeroAddress();
        if (IERC4626(wrappedDivETH).asset() != pool) revert InvalidConfiguration("wrappedDivETH");
        if (bondPerKeyShare == 0) revert InvalidConfiguration("bondPerKeyShare");
        if (dkgTimeout == 0 || dkgTimeout > type(uint32).max) revert InvalidConfiguration("dkgTimeout");
        BOND_PER_KEY_SHARE = bondPerKeyShare;
        DKG_TIMEOUT = dkgTimeout;
        if (currentLockUnits() > MAX_LOCK_UNITS) revert InvalidConfiguration("bondPerKeyShare");
        // The pool wires its withdrawal vault once and for all, so the credentials can be cached; the pool reverts
        // (NotWired) if the registry is deployed before `wireComponents`.
        _WITHDRAWAL_CREDENTIALS = IStakingPool(pool).withdrawalCredentials();
        for (uint256 id = 1; id <= _PREPARE_AHEAD; ++id) {
            _prepareRequestStorage(id);
        }
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ------------------------------------------------------------------ requests

    /// @inheritdoc IOperatorRegistry
    function requestValidator() external override returns (uint256 requestId) {
        if (_lastWeightChangeBlock == block.number) revert WeightsChangedThisBlock(block.number);
        _POOL.reserveValidatorDeposit();
        uint256 lockUnits = currentLockUnits();
        if (lockUnits > MAX_LOCK_UNITS) revert LockTooLarge(lockUnits);
        requestId = _requestCount + 1;
        _requestCount = uint64(requestId);

        uint256 seed = uint256(keccak256(abi.encode(block.prevrandao, requestId, block.chainid, address(this))));
        uint256 cluster = _drawCluster(seed, lockUnits) | (lockUnits << _LOCK_SHIFT);
        _clusters[requestId] = cluster;
        _requestTimes[requestId / _TIMES_PER_SLOT] |=
            uint256(SafeCast.toUint32(block.timestamp)) << ((requestId % _TIMES_PER_SLOT) << 5);
        emit ValidatorRequested(requestId, cluster, THRESHOLD, _WITHDRAWAL_CREDENTIALS, lockUnits);
    }

    /// @inheritdoc IOperatorRegistry
    function attestDkgResult(uint256 requestId, bytes32 resultDigest) external override {
        (RequestRecord memory r, uint256 cluster) = _requireStatus(requestId, ValidatorStatus.Requested);
        uint256 operatorId = _idBySigner[msg.sender];
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
        bytes[] calldata operatorSignatures
    ) external override {
        _checkLength("groupPubkey", groupPubkey.length, _PUBKEY_LENGTH);
        _checkLength("sharePubkeys", sharePubkeys.length, _PUBKEY_LENGTH * CLUSTER_SIZE);
        _checkLength("depositSignature", depositSignature.length, _SIGNATURE_LENGTH);
        bytes32 digest = _resultDigest(requestId, groupPubkey, sharePubkeys, depositSignature, depositDataRoot);
        _acceptResult(requestId, digest, groupPubkey, sharePubkeys, operatorSignatures);
        _POOL.depositValidator(groupPubkey, depositSignature, depositDataRoot);
    }

    /// @inheritdoc IOperatorRegistry
    function expireRequest(uint256 requestId) external override {
        (RequestRecord memory r, uint256 cluster) = _requireStatus(requestId, ValidatorStatus.Requested);
        uint256 deadline = _requestedAt(requestId) + DKG_TIMEOUT;
        if (block.timestamp < deadline) revert RequestNotExpired(requestId, deadline);
        r.status = ValidatorStatus.Expired;
        r.missedBitmap = uint16(_ALL_OPERATORS & ~uint256(r.attestedBitmap));
        _requests[requestId] = r;
        _unlockAll(cluster);
        emit RequestExpired(requestId, r.missedBitmap);
        _prepareRequestStorage(requestId + _PREPARE_AHEAD);
        _POOL.releaseValidatorDeposit();
    }

    /// @inheritdoc IOperatorRegistry
    function reportValidatorStatus(uint256 validatorId, ValidatorStatus status)
        external
        override
        onlyRole(LIFECYCLE_REPORTER_ROLE)
    {
        (RequestRecord memory r, uint256 cluster) = _requireRequest(validatorId);
        if (
            r.status < ValidatorStatus.Deposited || r.status >= ValidatorStatus.Withdrawn || status <= r.status
                || status > ValidatorStatus.Withdrawn
        ) revert InvalidStatusTransition(validatorId, r.status, status);
        r.status = status;
        _requests[validatorId] = r;
        if (status == ValidatorStatus.Withdrawn) _unlockAll(cluster);
        emit ValidatorStatusChanged(validatorId, status);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IValidatorRegistry
    function stakingPool() external view override returns (address) {
        return address(_POOL);
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

    /// @inheritdoc IOperatorRegistry
    function getRequest(uint256 requestId) external view override returns (ValidatorRequest memory info) {
        (RequestRecord memory r, uint256 cluster) = _requireRequest(requestId);
        info.status = r.status;
        info.lockUnits = cluster >> _LOCK_SHIFT;
        info.requestedAt = _requestedAt(requestId);
        info.attestedBitmap = r.attestedBitmap;
        info.missedBitmap = r.missedBitmap;
        info.operatorIds = _unpack(cluster);
    }

    /// @inheritdoc IOperatorRegistry
    function requestOperators(uint256 requestId)
        external
        view
        override
        returns (uint256[16] memory operatorIds, address[16] memory signers, bytes32[16] memory nodeIdentities)
    {
        (, uint256 cluster) = _requireRequest(requestId);
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            uint256 id = _idAt(cluster, i);
            operatorIds[i] = id;
            signers[i] = _signers[id];
            nodeIdentities[i] = _nodeIdentities[id];
        }
    }

    /// @inheritdoc IOperatorRegistry
    function requestCount() external view override returns (uint256) {
        return _requestCount;
    }

    /// @inheritdoc IOperatorRegistry
    function validatorKeys(uint256 validatorId)
        external
        view
        override
        returns (bytes memory pubkey, bytes32 sharePubkeysHash)
    {
        return (_pubkeys[validatorId], _sharePubkeysHashes[validatorId]);
    }

    /// @inheritdoc IOperatorRegistry
    function validatorIdByPubkey(bytes calldata pubkey) external view override returns (uint256) {
        return _idByPubkeyHash[keccak256(pubkey)];
    }

    /// @inheritdoc IOperatorRegistry
    function operatorsOf(uint256 validatorId) external view override returns (uint16[16] memory) {
        (, uint256 cluster) = _requireRequest(validatorId);
        return _unpack(cluster);
    }

    /// @inheritdoc IOperatorRegistry
    function validatorCountOf(uint256 operatorId) external view override returns (uint256) {
        return _validatorsOf[operatorId].length;
    }

    /// @inheritdoc IOperatorRegistry
    function validatorsOf(uint256 operatorId, uint256 offset, uint256 limit)
        external
        view
        override
        returns (uint256[] memory validatorIds)
    {
        uint64[] storage all = _validatorsOf[operatorId];
        uint256 length = all.length;
        if (offset >= length) return new uint256[](0);
        uint256 end = length - offset < limit ? length : offset + limit;
        validatorIds = new uint256[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            validatorIds[i - offset] = all[i];
        }
    }

    // ------------------------------------------------------------------ internal

    /// @dev Draws 16 distinct operators with at least `lockUnits` free units, proportionally to free units, and locks
    /// `lockUnits` on each: their lanes end at `free - lockUnits`, set-aside operators get their lanes back.
    function _drawCluster(uint256 seed, uint256 lockUnits) internal returns (uint256 packed) {
        (uint256[] memory picked, uint256 found) = _tree.drawDistinctAndDeduct(CLUSTER_SIZE, seed, lockUnits, MAX_SKIPS);
        if (found < CLUSTER_SIZE) revert NotEnoughEligibleOperators(found, CLUSTER_SIZE);
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            // Leaves are below the tree capacity of 2^15, so each id fits its 15 bits.
            packed |= picked[i] << (_ID_BITS * i);
        }
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
            status: ValidatorStatus.Deposited,
            attestedBitmap: uint16(_ALL_OPERATORS),
            missedBitmap: 0
        });
        _pubkeys[requestId] = groupPubkey;
        _sharePubkeysHashes[requestId] = keccak256(sharePubkeys);
        _idByPubkeyHash[keccak256(groupPubkey)] = requestId;
        emit DkgResultAccepted(requestId, groupPubkey, sharePubkeys, digest);
        emit ValidatorDeposited(requestId, groupPubkey);
        _prepareRequestStorage(requestId + _PREPARE_AHEAD);
    }

    /// @dev Checks that every operator approved `digest` (a signature of its signer, or an on-chain attestation of the
    /// same digest with an empty signature) and appends the validator to each operator's index.
    function _checkApprovals(
        uint256 requestId,
        uint256 cluster,
        uint256 attestedBitmap,
        bytes32 digest,
        bytes[] calldata operatorSignatures
    ) private {
        if (operatorSignatures.length != CLUSTER_SIZE) {
            revert WrongSignatureCount(operatorSignatures.length, CLUSTER_SIZE);
        }
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            uint256 id = _idAt(cluster, i);
            bytes calldata signature = operatorSignatures[i];
            bool approved = signature.length == 0
                ? (attestedBitmap >> i) & 1 == 1 && _attestedDigests[requestId][i] == digest
                : SignatureChecker.isValidSignatureNow(_signers[id], digest, signature);
            if (!approved) revert InvalidOperatorSignature(requestId, i, id);
            _validatorsOf[id].push(uint64(requestId));
        }
    }

    function _unlockAll(uint256 cluster) private {
        uint256 lockUnits = cluster >> _LOCK_SHIFT;
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            _unlock(_idAt(cluster, i), lockUnits);
        }
    }

    function _requestedAt(uint256 requestId) private view returns (uint256) {
        return (_requestTimes[requestId / _TIMES_PER_SLOT] >> ((requestId % _TIMES_PER_SLOT) << 5)) & type(uint32).max;
    }

    /// @dev Makes the cluster and timestamp slots of a future request non-zero, so that `requestValidator` pays 5,000
    /// gas per slot instead of 22,100 for a fresh one. Results and expiries (not gas-critical) prepare the request
    /// `_PREPARE_AHEAD` ids ahead of theirs; a burst of more requests than that without completions pays full price.
    function _prepareRequestStorage(uint256 requestId) private {
        if (_clusters[requestId] == 0) _clusters[requestId] = _CLUSTER_PREPARED;
        uint256 slot = requestId / _TIMES_PER_SLOT;
        if (_requestTimes[slot] == 0) _requestTimes[slot] = _TIMES_INITIALIZED;
    }

    function _resultDigest(
        uint256 requestId,
        bytes calldata groupPubkey,
        bytes calldata sharePubkeys,
        bytes calldata depositSignature,
        bytes32 depositDataRoot
    ) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    DKG_RESULT_TYPEHASH,
                    requestId,
                    keccak256(groupPubkey),
                    keccak256(sharePubkeys),
                    keccak256(depositSignature),
                    depositDataRoot
                )
            )
        );
    }

    /// @dev Loads a request and its cluster; a request without a written record is `Requested`.
    function _requireRequest(uint256 requestId) private view returns (RequestRecord memory r, uint256 cluster) {
        cluster = _clusters[requestId];
        if (cluster <= _CLUSTER_PREPARED) revert UnknownRequest(requestId);
        r = _requests[requestId];
        if (r.status == ValidatorStatus.None) r.status = ValidatorStatus.Requested;
    }

    function _requireStatus(uint256 requestId, ValidatorStatus status)
        private
        view
        returns (RequestRecord memory r, uint256 cluster)
    {
        (r, cluster) = _requireRequest(requestId);
        if (r.status != status) revert InvalidStatus(requestId, r.status);
    }

    /// @dev Position of `operatorId` among the packed ids, or `CLUSTER_SIZE` if absent.
    function _positionOf(uint256 packed, uint256 operatorId) private pure returns (uint256 i) {
        for (; i < CLUSTER_SIZE; ++i) {
            if (_idAt(packed, i) == operatorId) return i;
        }
    }

    function _unpack(uint256 packed) private pure returns (uint16[16] memory ids) {
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            ids[i] = uint16(_idAt(packed, i));
        }
    }

    function _idAt(uint256 cluster, uint256 position) private pure returns (uint256) {
        return (cluster >> (_ID_BITS * position)) & _ID_MASK;
    }

    function _checkLength(string memory field, uint256 length, uint256 expected) private pure {
        if (length != expected) revert InvalidLength(field, length, expected);
    }
}
