// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IOperatorRegistry} from "../../interfaces/IOperatorRegistry.sol";
import {ClusterDraw} from "./ClusterDraw.sol";
import {OperatorBook} from "./OperatorBook.sol";

/// @title ValidatorBook
/// @notice Storage and views of validator requests: the packed cluster of each request (16 operator ids and the lock),
/// request times, statuses and attestations, and validator keys. Which validators an operator runs follows from the
/// clusters (`ValidatorRequested` events, `getRequest`); the registry keeps no per-operator index, which would cost
/// 16 storage writes per validator.
/// @dev Part of `OperatorRegistry`, which holds the flows that write this storage.
abstract contract ValidatorBook is OperatorBook {
    /// @notice Operators per distributed validator.
    uint256 public constant CLUSTER_SIZE = ClusterDraw.CLUSTER_SIZE;
    uint256 internal constant _ID_BITS = ClusterDraw.ID_BITS;
    uint256 internal constant _ID_MASK = (1 << _ID_BITS) - 1;
    uint256 internal constant _LOCK_SHIFT = ClusterDraw.LOCK_SHIFT;
    uint256 internal constant _TIMES_PER_SLOT = 7;
    uint256 internal constant _TIMES_INITIALIZED = 1 << 255;
    /// @dev Placeholder of a cluster slot prepared for a future request (no real cluster is 1: it has a non-zero lock).
    uint256 internal constant _CLUSTER_PREPARED = 1;
    /// @dev How far ahead of a completed or expired request the storage of future requests is prepared.
    uint256 internal constant _PREPARE_AHEAD = 16;
    /// @notice Highest lock per key share, in bond units (it is packed in 16 bits next to the cluster).
    uint256 public constant MAX_LOCK_UNITS = type(uint16).max;

    /// @dev Status and attestations of a request. Not written by `requestValidator` (gas: a fresh slot costs 22,100):
    /// a request whose cluster exists and whose record is still zero is `Requested`.
    struct RequestRecord {
        ValidatorStatus status;
        uint16 attestedBitmap;
        uint16 missedBitmap;
        // Redraws of missed seats so far (bounded by the registry's `MAX_REDRAWS`).
        uint8 redraws;
        // Last 16 bytes of the validator public key (its first 32 are in `_pubkeyHeads`): the result writes this slot
        // anyway, so the 48-byte key costs one more slot instead of three.
        bytes16 pubkeyTail;
    }

    mapping(uint256 requestId => RequestRecord) internal _requests;
    // The cluster of a request in one slot: the 16 operator ids, 15 bits each (ids < 32,768), position `i` in bits
    // [15i, 15i + 15), and the lock per operator in bond units in bits [240, 256). 0 = unused, 1 = prepared (see
    // `_prepareRequestStorage`), anything else = requested.
    mapping(uint256 requestId => uint256) internal _clusters;
    // Request timestamps, seven 32-bit lanes per slot (request `id` in slot `id / 7`, lane `id % 7`) and an
    // "initialized" bit 255 (see `_prepareRequestStorage`).
    mapping(uint256 slot => uint256 timestamps) internal _requestTimes;
    // First 32 bytes of each validator's public key (never zero for a valid compressed key: its flag bit is set).
    mapping(uint256 validatorId => bytes32) internal _pubkeyHeads;
    mapping(uint256 validatorId => bytes32) internal _sharePubkeysHashes;
    mapping(bytes32 pubkeyHash => uint256 validatorId) internal _idByPubkeyHash;

    /// @inheritdoc IOperatorRegistry
    function getRequest(uint256 requestId) external view override returns (ValidatorRequest memory info) {
        (RequestRecord memory r, uint256 cluster) = _requireRequest(requestId);
        info.status = r.status;
        info.lockUnits = cluster >> _LOCK_SHIFT;
        info.requestedAt = _requestedAt(requestId);
        info.attestedBitmap = r.attestedBitmap;
        info.missedBitmap = r.missedBitmap;
        info.operatorIds = _unpack(cluster);
        info.redraws = r.redraws;
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
            signers[i] = _identities.signers[id];
            nodeIdentities[i] = _identities.nodeIdentities[id];
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
        bytes32 head = _pubkeyHeads[validatorId];
        if (head != bytes32(0)) pubkey = abi.encodePacked(head, _requests[validatorId].pubkeyTail);
        sharePubkeysHash = _sharePubkeysHashes[validatorId];
    }

    /// @inheritdoc IOperatorRegistry
    function validatorIdByPubkey(bytes calldata pubkey) external view override returns (uint256) {
        return _idByPubkeyHash[keccak256(pubkey)];
    }

    // ------------------------------------------------------------------ internal

    function _requestedAt(uint256 requestId) internal view returns (uint256) {
        return (_requestTimes[requestId / _TIMES_PER_SLOT] >> ((requestId % _TIMES_PER_SLOT) << 5)) & type(uint32).max;
    }

    /// @dev Makes the cluster and timestamp slots of a future request non-zero, so that `requestValidator` pays 5,000
    /// gas per slot instead of 22,100 for a fresh one. Results and expiries (not gas-critical) prepare the request
    /// `_PREPARE_AHEAD` ids ahead of theirs; a burst of more requests than that without completions pays full price.
    function _prepareRequestStorage(uint256 requestId) internal {
        if (_clusters[requestId] == 0) _clusters[requestId] = _CLUSTER_PREPARED;
        uint256 slot = requestId / _TIMES_PER_SLOT;
        if (_requestTimes[slot] == 0) _requestTimes[slot] = _TIMES_INITIALIZED;
    }

    /// @dev Loads a request and its cluster; a request without a written record is `Requested`.
    function _requireRequest(uint256 requestId) internal view returns (RequestRecord memory r, uint256 cluster) {
        cluster = _clusters[requestId];
        if (cluster <= _CLUSTER_PREPARED) revert UnknownRequest(requestId);
        r = _requests[requestId];
        if (r.status == ValidatorStatus.None) r.status = ValidatorStatus.Requested;
    }

    function _requireStatus(uint256 requestId, ValidatorStatus status)
        internal
        view
        returns (RequestRecord memory r, uint256 cluster)
    {
        (r, cluster) = _requireRequest(requestId);
        if (r.status != status) revert InvalidStatus(requestId, r.status);
        // A request whose missed seats wait for their redraw takes no attestation or result until the new cluster.
        if (requestId == _pendingDrawId) revert DrawPending(requestId, uint64(_freeze.info));
    }

    /// @dev Position of `operatorId` among the packed ids, or `CLUSTER_SIZE` if absent.
    function _positionOf(uint256 packed, uint256 operatorId) internal pure returns (uint256 i) {
        for (; i < CLUSTER_SIZE; ++i) {
            if (_idAt(packed, i) == operatorId) return i;
        }
    }

    function _unpack(uint256 packed) internal pure returns (uint16[16] memory ids) {
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            ids[i] = uint16(_idAt(packed, i));
        }
    }

    function _idAt(uint256 cluster, uint256 position) internal pure returns (uint256) {
        return (cluster >> (_ID_BITS * position)) & _ID_MASK;
    }
}
