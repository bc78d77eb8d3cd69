// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IOperatorRegistry} from "../interfaces/IOperatorRegistry.sol";
import {IReshareManager} from "../interfaces/IReshareManager.sol";
import {ReshareMessage} from "../libraries/ReshareMessage.sol";

/// @title ReshareManager
/// @notice See `IReshareManager`. Keeps one reshare per validator; the registry keeps the clusters, the draw and the
/// bonds, and changes them only when this contract calls its resharing hooks.
/// @dev The result's `registry` field (`ReshareMessage.Result.registry`) is this contract's address, and the nonce
/// is global (never reused across validators or attempts), so a signed result is bound to one attempt of one
/// validator on one deployment.
contract ReshareManager is IReshareManager, EIP712 {
    /// @notice Attempts that may miss their deadline before the validator is marked for exit.
    uint256 public constant MAX_FAILURES = 3;
    /// @notice Share of an ejected leaver's lock burnt when its seat is filled (10%, as a missed DKG).
    uint256 public constant EJECTED_PENALTY_BPS = 1_000;
    /// @notice Key shares per validator.
    uint256 public constant CLUSTER_SIZE = 16;

    /// @notice The network's genesis fork version (the validator key signs in a domain derived from it).
    bytes4 public immutable GENESIS_FORK_VERSION;
    /// @notice Seconds each stage (draw, then resharing) has before the attempt may be expired.
    uint256 public immutable RESHARE_TIMEOUT;

    IOperatorRegistry private immutable _REGISTRY;

    mapping(uint256 validatorId => Reshare) private _reshares;
    uint64 private _nonceCount;

    /// @param genesisForkVersion The network's genesis fork version.
    /// @param reshareTimeout Seconds per stage (the registry passes its DKG timeout).
    constructor(bytes4 genesisForkVersion, uint256 reshareTimeout) EIP712("Nektar Reshare Manager", "1") {
        _REGISTRY = IOperatorRegistry(msg.sender);
        GENESIS_FORK_VERSION = genesisForkVersion;
        RESHARE_TIMEOUT = reshareTimeout;
    }

    // ------------------------------------------------------------------ requests

    /// @inheritdoc IReshareManager
    function leaveCluster(uint256 validatorId, uint256 operatorId) external override {
        address owner = _REGISTRY.getOperator(operatorId).owner;
        if (owner != msg.sender) revert NotOperatorOwner(operatorId, msg.sender);
        _open(validatorId, operatorId, false);
    }

    /// @inheritdoc IReshareManager
    function replaceEjected(uint256 validatorId, uint256 operatorId) external override {
        if (!_REGISTRY.getOperator(operatorId).ejected) revert OperatorNotEjected(operatorId);
        _open(validatorId, operatorId, true);
    }

    /// @inheritdoc IReshareManager
    function scheduleReplacement(uint256 validatorId) external override {
        Reshare memory r = _requireStage(validatorId, Stage.Scheduling);
        _requireLive(validatorId);
        _schedule(validatorId, r);
    }

    /// @inheritdoc IReshareManager
    function drawReplacement(uint256 validatorId, bytes calldata blockHeader) external override returns (bool drawn) {
        Reshare memory r = _requireStage(validatorId, Stage.Drawing);
        uint256 newcomerId = _REGISTRY.drawReshareSeat(validatorId, r.leavingIndex - 1, blockHeader);
        if (newcomerId == 0) {
            // The draw block's hash is gone: the registry scheduled a new one.
            (, uint256 drawBlock,) = _REGISTRY.pendingDraw();
            emit ReplacementDrawScheduled(validatorId, drawBlock);
            return false;
        }
        r.stage = Stage.Open;
        // Operator ids are below the registry's capacity of 2^15.
        r.newcomerOperatorId = uint16(newcomerId);
        r.deadline = uint64(block.timestamp + RESHARE_TIMEOUT);
        _reshares[validatorId] = r;
        (bytes memory pubkey,) = _REGISTRY.validatorKeys(validatorId);
        (, address[16] memory signers,) = _REGISTRY.requestOperators(validatorId);
        address[] memory members = new address[](CLUSTER_SIZE);
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            members[i] = signers[i];
        }
        emit ReshareRequested(
            validatorId,
            pubkey,
            r.leavingIndex,
            _REGISTRY.getOperator(newcomerId).signer,
            members,
            r.deadline,
            r.nonce,
            newcomerId
        );
        return true;
    }

    // ------------------------------------------------------------------ results

    /// @inheritdoc IReshareManager
    function submitReshareResult(
        uint256 validatorId,
        bytes calldata sharePublicKeys,
        ValidatorSignature calldata validatorSignature,
        bytes calldata newcomerApproval
    ) external override {
        Reshare memory r = _requireStage(validatorId, Stage.Open);
        if (block.timestamp > r.deadline) revert DeadlineMismatch(validatorId, r.deadline);
        _requireLive(validatorId);
        ReshareMessage.Result memory result = _result(validatorId, r, sharePublicKeys);
        if (
            !ReshareMessage.verifyValidatorSignature(
                result,
                GENESIS_FORK_VERSION,
                validatorSignature.validatorPubkey,
                validatorSignature.signature,
                validatorSignature.signaturePoint
            )
        ) revert InvalidValidatorSignature(validatorId, r.nonce);
        bytes32 digest = _hashTypedDataV4(ReshareMessage.approvalStructHash(ReshareMessage.resultRoot(result)));
        if (!SignatureChecker.isValidSignatureNow(result.newcomer, digest, newcomerApproval)) {
            revert InvalidNewcomerApproval(validatorId, result.newcomer);
        }
        delete _reshares[validatorId];
        uint256 penalty;
        if (r.ejected) penalty = _lockUnits(validatorId) * EJECTED_PENALTY_BPS / 10_000;
        _REGISTRY.replaceMember(
            validatorId, r.leavingIndex - 1, r.newcomerOperatorId, penalty, keccak256(sharePublicKeys)
        );
        emit ReshareCompleted(
            validatorId, r.leavingIndex, r.leavingOperatorId, r.newcomerOperatorId, r.nonce, sharePublicKeys, penalty
        );
    }

    /// @inheritdoc IReshareManager
    function expireReshare(uint256 validatorId) external override {
        Reshare memory r = _reshares[validatorId];
        if (r.stage == Stage.None) revert WrongStage(validatorId, Stage.None, Stage.Open);
        uint8 status = uint8(_REGISTRY.getRequest(validatorId).status);
        bool live = _isLive(status);
        if (live && (r.stage == Stage.Scheduling || block.timestamp <= r.deadline)) {
            revert DeadlineMismatch(validatorId, r.deadline);
        }
        if (r.stage == Stage.Drawing) _REGISTRY.cancelReshareDraw(validatorId);
        if (r.stage == Stage.Open) _REGISTRY.releaseReshareLock(r.newcomerOperatorId, _lockUnits(validatorId));
        if (!live) {
            delete _reshares[validatorId];
            emit ReshareCancelled(validatorId, r.nonce);
            return;
        }
        ++r.failures;
        emit ReshareExpired(validatorId, r.nonce, r.newcomerOperatorId, r.failures);
        if (r.failures >= MAX_FAILURES) {
            delete _reshares[validatorId];
            emit ReshareAbandoned(validatorId, r.failures);
            return;
        }
        r.stage = Stage.Scheduling;
        r.newcomerOperatorId = 0;
        r.deadline = 0;
        _reshares[validatorId] = r;
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IReshareManager
    function getReshare(uint256 validatorId) external view override returns (Reshare memory) {
        return _reshares[validatorId];
    }

    /// @inheritdoc IReshareManager
    function approvalDigest(bytes32 resultRoot) external view override returns (bytes32) {
        return _hashTypedDataV4(ReshareMessage.approvalStructHash(resultRoot));
    }

    /// @inheritdoc IReshareManager
    function registry() external view override returns (address) {
        return address(_REGISTRY);
    }

    // ------------------------------------------------------------------ internal

    /// @dev Opens a reshare of `operatorId`'s seat and schedules its draw.
    function _open(uint256 validatorId, uint256 operatorId, bool ejected) private {
        Reshare memory r = _reshares[validatorId];
        if (r.stage != Stage.None) revert ReshareAlreadyOpen(validatorId, r.stage);
        _requireLive(validatorId);
        (uint256[16] memory ids,,) = _REGISTRY.requestOperators(validatorId);
        uint256 position;
        while (position < CLUSTER_SIZE && ids[position] != operatorId) ++position;
        if (operatorId == 0 || position == CLUSTER_SIZE) revert NotClusterMember(validatorId, operatorId);
        // position < 16 and operator ids < 2^15.
        r.leavingIndex = uint8(position + 1);
        r.leavingOperatorId = uint16(operatorId);
        r.ejected = ejected;
        emit ReshareOpened(validatorId, operatorId, position + 1, ejected);
        _schedule(validatorId, r);
    }

    /// @dev Takes a new nonce and schedules the replacement draw (reverts `DrawPending` while the registry has
    /// another draw pending: the reshare stays at `Scheduling`, or the request is not opened).
    function _schedule(uint256 validatorId, Reshare memory r) private {
        (uint256 drawBlock,) = _REGISTRY.scheduleReshareDraw(validatorId);
        r.stage = Stage.Drawing;
        r.nonce = ++_nonceCount;
        r.deadline = uint64(block.timestamp + RESHARE_TIMEOUT);
        _reshares[validatorId] = r;
        emit ReplacementDrawScheduled(validatorId, drawBlock);
    }

    /// @dev The result the validator key signs: the membership after the swap, this contract as `registry`.
    function _result(uint256 validatorId, Reshare memory r, bytes calldata sharePublicKeys)
        private
        view
        returns (ReshareMessage.Result memory result)
    {
        (bytes memory pubkey,) = _REGISTRY.validatorKeys(validatorId);
        (, address[16] memory signers,) = _REGISTRY.requestOperators(validatorId);
        address newcomer = _REGISTRY.getOperator(r.newcomerOperatorId).signer;
        address[] memory members = new address[](CLUSTER_SIZE);
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            members[i] = i + 1 == r.leavingIndex ? newcomer : signers[i];
        }
        result = ReshareMessage.Result({
            chainId: block.chainid,
            registry: address(this),
            validatorPubkey: pubkey,
            nonce: r.nonce,
            leavingIndex: r.leavingIndex,
            newcomer: newcomer,
            members: members,
            sharePublicKeys: sharePublicKeys
        });
    }

    function _requireStage(uint256 validatorId, Stage expected) private view returns (Reshare memory r) {
        r = _reshares[validatorId];
        if (r.stage != expected) revert WrongStage(validatorId, r.stage, expected);
    }

    function _requireLive(uint256 validatorId) private view {
        uint8 status = uint8(_REGISTRY.getRequest(validatorId).status);
        if (!_isLive(status)) revert ValidatorNotLive(validatorId, status);
    }

    function _lockUnits(uint256 validatorId) private view returns (uint256) {
        return _REGISTRY.getRequest(validatorId).lockUnits;
    }

    /// @dev `Predeposited`, `Deposited` or `Active`: the key is in use and its cluster locked.
    function _isLive(uint8 status) private pure returns (bool) {
        return status >= uint8(IOperatorRegistry.ValidatorStatus.Predeposited)
            && status <= uint8(IOperatorRegistry.ValidatorStatus.Active);
    }
}
