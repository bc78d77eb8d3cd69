// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccountingOracle} from "../interfaces/IAccountingOracle.sol";
import {IOperatorRegistry} from "../interfaces/IOperatorRegistry.sol";
import {IOracleProver} from "../interfaces/IOracleProver.sol";
import {IStakingPool} from "../interfaces/IStakingPool.sol";
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

    IAccountingOracle private immutable _ORACLE;
    IStakingPool private immutable _POOL;
    uint256 private immutable _SLOTS_PER_EPOCH;

    IAccountingOracle.ProofFrame private _proofFrame;

    /// @param pool The staking pool.
    /// @param slotsPerEpoch Slots per beacon epoch.
    constructor(IStakingPool pool, uint256 slotsPerEpoch) {
        _ORACLE = IAccountingOracle(msg.sender);
        _POOL = pool;
        _SLOTS_PER_EPOCH = slotsPerEpoch;
    }

    /// @inheritdoc IOracleProver
    function startProofFrame(
        uint256 frame,
        uint256 anchorTimestamp,
        bytes32 validatorsRoot,
        bytes32[] calldata validatorsRootProof,
        bytes32 balancesRoot,
        bytes32[] calldata balancesRootProof,
        uint256 withdrawalVaultBalance
    ) external override {
        bytes32 blockRoot = IOracleProverHooks(address(_ORACLE)).beginProofFrame(frame, anchorTimestamp);
        uint256 available = _POOL.withdrawalVault().balance;
        if (withdrawalVaultBalance > available) revert VaultBalanceExceeded(withdrawalVaultBalance, available);
        BeaconProofs.verifyValidatorsRoot(blockRoot, validatorsRoot, validatorsRootProof);
        BeaconProofs.verifyBalancesRoot(blockRoot, balancesRoot, balancesRootProof);
        uint256 expected = _POOL.depositedValidators();
        _proofFrame = IAccountingOracle.ProofFrame({
            frame: uint64(frame), // Safe: the current frame.
            expectedCount: uint64(expected), // Safe: the pool's counter is 64 bits.
            count: 0,
            nextIndex: 0,
            anchorTimestamp: uint64(anchorTimestamp), // Safe: at most block.timestamp.
            balanceSum: 0,
            withdrawalVaultBalance: uint128(withdrawalVaultBalance), // Safe: at most the vault's balance.
            validatorsRoot: validatorsRoot,
            balancesRoot: balancesRoot
        });
        emit ProofFrameStarted(frame, blockRoot, expected);
        if (expected == 0) IOracleProverHooks(address(_ORACLE)).applyProvenFrame(_proofFrame);
    }

    /// @inheritdoc IOracleProver
    function proveValidators(uint256 frame, IAccountingOracle.ValidatorProof[] calldata batch) external override {
        IAccountingOracle.ProofFrame memory p = _proofFrame;
        if (p.frame != frame || frame == 0 || frame <= _ORACLE.lastAppliedFrame()) revert NoProofFrame(frame);
        if (batch.length == 0) revert EmptyBatch();
        if (p.count + batch.length > p.expectedCount) revert TooManyValidators(p.expectedCount);
        uint256 sum = p.balanceSum;
        uint256 next = p.nextIndex;
        bytes32 credentials = _POOL.withdrawalCredentials();
        IOperatorRegistry registry = IOperatorRegistry(_POOL.validatorRegistry());
        for (uint256 i; i < batch.length; ++i) {
            IAccountingOracle.ValidatorProof calldata v = batch[i];
            if (v.beaconIndex < next) revert ValidatorOutOfOrder(v.beaconIndex, next);
            BeaconProofs.verifyValidatorInRegistry(p.validatorsRoot, v.beaconIndex, v.validator, v.validatorProof);
            if (
                v.validator.activationEligibilityEpoch == FAR_FUTURE_EPOCH
                    || v.validator.withdrawalCredentials != credentials
                    || registry.validatorIdByPubkey(v.validator.pubkey) == 0
            ) revert NotProtocolValidator(v.beaconIndex);
            sum += BeaconProofs.verifyBalanceInList(p.balancesRoot, v.beaconIndex, v.balancesChunk, v.balanceProof);
            next = uint256(v.beaconIndex) + 1;
        }
        p.count += uint64(batch.length); // Safe: at most expectedCount.
        p.balanceSum = uint128(sum); // Safe: bounded by count · 2^64.
        p.nextIndex = uint64(next); // Safe: beacon indices are below 2^40.
        _proofFrame = p;
        emit ValidatorsProven(frame, p.count, sum);
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
    function proofFrame() external view override returns (IAccountingOracle.ProofFrame memory) {
        return _proofFrame;
    }

    /// @inheritdoc IOracleProver
    function oracle() external view override returns (address) {
        return address(_ORACLE);
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
