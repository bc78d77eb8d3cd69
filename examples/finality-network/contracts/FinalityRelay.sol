// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BeaconProofs} from "@nektar/contracts/src/libraries/BeaconProofs.sol";
import {BLS} from "@nektar/contracts/src/libraries/BLS.sol";
import {INetworkRegistry} from "@nektar/contracts/src/nektar/interfaces/INetworkRegistry.sol";
import {IRestakingVault} from "@nektar/contracts/src/nektar/interfaces/IRestakingVault.sol";
import {ISlashVerifier} from "@nektar/contracts/src/nektar/interfaces/ISlashVerifier.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IFinalityRelay} from "./interfaces/IFinalityRelay.sol";

/// @title FinalityRelay
/// @notice The example "finality relay" Network: its middleware (pays rewards), its slash verifier (objective
/// slashing) and the store of certified checkpoints. It registers itself in the `NetworkRegistry` on deployment, so
/// the relay is the Network's admin, middleware and slasher. See `IFinalityRelay`.
/// @dev The operator set is the operators that registered a Network key (at most `MAX_OPERATORS`, one bit each in a
/// certificate's signer bitmap). The stake a certificate needs is two thirds of what those operators hold for the
/// Network (`NetworkRegistry.stakeAt`) one second before the certificate's block: opted-out or slashed operators
/// weigh nothing, and a deposit cannot reach the stake in the certificate's own block.
contract FinalityRelay is IFinalityRelay, ISlashVerifier {
    /// @notice Most operators with a Network key (one bit each in a signer bitmap).
    uint256 public constant MAX_OPERATORS = 256;
    /// @notice Ethereum's BLS ciphersuite (proof-of-possession scheme); statements and proofs of possession are told
    /// apart by their tags.
    bytes public constant DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
    /// @notice Tag of a signed statement.
    // solhint-disable-next-line gas-small-strings
    bytes32 public constant STATEMENT_TAG = keccak256("nektar.finality-relay.statement.v1");
    /// @notice Tag of a proof of possession.
    bytes32 public constant POP_TAG = keccak256("nektar.finality-relay.pop.v1");

    INetworkRegistry private immutable _REGISTRY;
    IRestakingVault private immutable _VAULT;
    uint256 private immutable _NETWORK_ID;
    uint256 private immutable _REWARD_PER_EPOCH;
    uint256 private immutable _BEACON_GENESIS;
    uint256 private immutable _SECONDS_PER_SLOT;
    uint256 private immutable _SLOTS_PER_EPOCH;

    address[] private _operators;
    mapping(address operator => uint256) private _indexPlusOne;
    mapping(address operator => bytes32) private _keyHash;
    mapping(address operator => bytes) private _pubkey;
    mapping(bytes32 keyHash => address) private _keyOwner;

    uint256 private _lastEpoch;
    bool private _anyCertified;
    mapping(uint256 epoch => Certificate) private _certificates;
    mapping(bytes32 executionBlockHash => uint256) private _epochPlusOne;

    uint256 private _reserved;
    mapping(uint256 vaultEpoch => uint256 bitmap) private _owedBitmap;
    mapping(uint256 vaultEpoch => mapping(address operator => uint256)) private _owed;
    mapping(address operator => mapping(uint256 epoch => bool)) private _slashed;

    /// @notice Deploys the relay and registers it as an objective-slashing Network paying rewards in ether.
    /// @param registry_ The Nektar `NetworkRegistry`.
    /// @param rewardPerEpoch Wei paid per certified epoch (from the relay's balance; `fund` it).
    /// @param maxStakePerOperator Most stake the Network counts per operator.
    /// @param beaconGenesis Beacon chain genesis time.
    /// @param secondsPerSlot Beacon slot length.
    /// @param slotsPerEpoch Beacon slots per epoch.
    /// @param metadataURI The Network's description.
    constructor(
        INetworkRegistry registry_,
        uint256 rewardPerEpoch,
        uint128 maxStakePerOperator,
        uint256 beaconGenesis,
        uint256 secondsPerSlot,
        uint256 slotsPerEpoch,
        string memory metadataURI
    ) payable {
        _REGISTRY = registry_;
        _VAULT = IRestakingVault(registry_.vault());
        _REWARD_PER_EPOCH = rewardPerEpoch;
        _BEACON_GENESIS = beaconGenesis;
        _SECONDS_PER_SLOT = secondsPerSlot;
        _SLOTS_PER_EPOCH = slotsPerEpoch;
        address[] memory tokens = new address[](1); // ether
        _NETWORK_ID = registry_.registerNetwork(
            INetworkRegistry.NetworkConfig({
                middleware: address(this),
                slasher: address(this),
                slashReceiver: address(0),
                kind: INetworkRegistry.SlashKind.Objective,
                vetoWindow: 0,
                maxStakePerOperator: maxStakePerOperator,
                maxTotalStake: type(uint128).max,
                rewardTokens: tokens,
                metadataURI: metadataURI
            })
        );
    }

    /// @notice Funds future rewards.
    receive() external payable {}

    // ------------------------------------------------------------------ keys

    /// @inheritdoc IFinalityRelay
    function registerKey(bytes calldata pubkey, bytes calldata pubkeyPoint, bytes calldata popSignature)
        external
        override
    {
        if (!_REGISTRY.isOptedIn(_NETWORK_ID, msg.sender, block.timestamp)) revert NotOptedIn(msg.sender);
        if (_indexPlusOne[msg.sender] != 0) revert KeyAlreadyRegistered(msg.sender);
        if (_operators.length == MAX_OPERATORS) revert TooManyOperators(MAX_OPERATORS);
        bytes32 keyHash = keccak256(pubkeyPoint);
        address owner = _keyOwner[keyHash];
        if (owner != address(0)) revert KeyInUse(owner);
        BLS.checkG1(pubkey, pubkeyPoint);
        // The pairing subgroup-checks the key; the proof of possession rules out rogue keys in aggregates.
        bytes memory message = abi.encodePacked(popMessage(msg.sender, pubkey));
        if (!BLS.verify(pubkeyPoint, message, popSignature, DST)) revert InvalidProofOfPossession(msg.sender);
        _operators.push(msg.sender);
        uint256 index = _operators.length - 1;
        _indexPlusOne[msg.sender] = index + 1;
        _keyHash[msg.sender] = keyHash;
        _pubkey[msg.sender] = pubkey;
        _keyOwner[keyHash] = msg.sender;
        emit KeyRegistered(msg.sender, index, pubkey);
    }

    // ------------------------------------------------------------------ certificates

    /// @inheritdoc IFinalityRelay
    function submitCertificate(
        Statement calldata statement,
        uint256[] calldata signers,
        bytes calldata signerKeys,
        bytes calldata aggregateSignature
    ) external override {
        uint256 epoch = statement.epoch;
        uint256 latest = latestFinalizableEpoch();
        if (epoch > latest) revert EpochNotFinalizable(epoch, latest);
        if (_anyCertified && epoch <= _lastEpoch) revert EpochAlreadyCertified(epoch, _lastEpoch);
        (uint256 bitmap, uint256 signedStake, uint256 totalStake, uint256[] memory weights) =
            _checkSigners(signers, signerKeys);
        bytes memory message = abi.encodePacked(statementDigest(statement));
        if (!BLS.verify(BLS.aggregateG1(signerKeys), message, aggregateSignature, DST)) {
            revert InvalidAggregateSignature();
        }
        uint256 reward = _accrue(signers, weights, signedStake);
        _record(statement, bitmap, signedStake, totalStake, reward);
    }

    function _record(
        Statement calldata statement,
        uint256 bitmap,
        uint256 signedStake,
        uint256 totalStake,
        uint256 reward
    ) private {
        uint256 epoch = statement.epoch;
        _lastEpoch = epoch;
        _anyCertified = true;
        _certificates[epoch] = Certificate({
            checkpointRoot: statement.checkpointRoot,
            executionBlockHash: statement.executionBlockHash,
            signers: bitmap,
            certifiedAt: uint48(block.timestamp)
        });
        _epochPlusOne[statement.executionBlockHash] = epoch + 1;
        emit CheckpointCertified(
            epoch, statement.checkpointRoot, statement.executionBlockHash, bitmap, signedStake, totalStake, reward
        );
    }

    /// @dev Checks the signer list and keys and the two-thirds stake rule; returns the bitmap and the stakes.
    function _checkSigners(uint256[] calldata signers, bytes calldata signerKeys)
        private
        view
        returns (uint256 bitmap, uint256 signedStake, uint256 totalStake, uint256[] memory weights)
    {
        uint256 count = signers.length;
        if (count == 0) revert NoSigners();
        if (signerKeys.length != count * BLS.G1_POINT_LENGTH) {
            revert SignerKeysLength(signerKeys.length, count * BLS.G1_POINT_LENGTH);
        }
        bitmap = _signerBitmap(signers, signerKeys);
        (signedStake, totalStake, weights) = _stakes(signers, bitmap);
        if (totalStake == 0 || signedStake * 3 < totalStake * 2) revert InsufficientStake(signedStake, totalStake);
    }

    /// @dev Checks order and keys; returns the signer bitmap.
    function _signerBitmap(uint256[] calldata signers, bytes calldata signerKeys) private view returns (uint256 bitmap) {
        uint256 operatorCount_ = _operators.length;
        for (uint256 i = 0; i < signers.length; ++i) {
            uint256 index = signers[i];
            if (i != 0) {
                uint256 previous = signers[i - 1];
                if (index == previous) revert DuplicateSigner(index);
                if (index < previous) revert SignersNotAscending(previous, index);
            }
            if (index >= operatorCount_) revert UnknownSigner(index);
            address operator = _operators[index];
            bytes calldata key = signerKeys[i * BLS.G1_POINT_LENGTH:(i + 1) * BLS.G1_POINT_LENGTH];
            if (keccak256(key) != _keyHash[operator]) revert SignerKeyMismatch(operator);
            bitmap |= 1 << index;
        }
    }

    /// @dev Stake of the signers and of every keyed operator one second before this block, and each signer's stake.
    function _stakes(uint256[] calldata signers, uint256 bitmap)
        private
        view
        returns (uint256 signedStake, uint256 totalStake, uint256[] memory weights)
    {
        uint256 capture = block.timestamp - 1;
        weights = new uint256[](signers.length);
        uint256 s;
        for (uint256 index = 0; index < _operators.length; ++index) {
            uint256 stake = _REGISTRY.stakeAt(_NETWORK_ID, _operators[index], capture);
            totalStake += stake;
            if (bitmap & (1 << index) != 0) {
                weights[s] = stake;
                ++s;
                signedStake += stake;
            }
        }
    }

    /// @dev Owes the epoch's reward to the signers by stake (the rounding remainder to the first signer), when the
    /// relay's unreserved balance covers it.
    function _accrue(uint256[] calldata signers, uint256[] memory weights, uint256 signedStake)
        private
        returns (uint256 reward)
    {
        reward = _REWARD_PER_EPOCH;
        if (reward == 0 || address(this).balance < _reserved + reward) return 0;
        _reserved += reward;
        uint256 vaultEpoch = _VAULT.currentEpoch();
        uint256 paid;
        uint256 bitmap = _owedBitmap[vaultEpoch];
        for (uint256 i = 0; i < signers.length; ++i) {
            uint256 amount = Math.mulDiv(reward, weights[i], signedStake);
            if (i == 0) amount += reward - _sumShares(reward, weights, signedStake);
            paid += amount;
            _owed[vaultEpoch][_operators[signers[i]]] += amount;
            bitmap |= 1 << signers[i];
        }
        _owedBitmap[vaultEpoch] = bitmap;
        assert(paid == reward);
    }

    function _sumShares(uint256 reward, uint256[] memory weights, uint256 signedStake) private pure returns (uint256 s) {
        for (uint256 i = 0; i < weights.length; ++i) {
            s += Math.mulDiv(reward, weights[i], signedStake);
        }
    }

    // ------------------------------------------------------------------ rewards

    /// @inheritdoc IFinalityRelay
    function payRewards(uint256 vaultEpoch) external override {
        uint256 bitmap = _owedBitmap[vaultEpoch];
        if (bitmap == 0) revert NothingToPay(vaultEpoch);
        uint256 snapshot = _VAULT.epochStart(vaultEpoch + 1) - 1;
        uint256 n;
        for (uint256 b = bitmap; b != 0; b &= b - 1) ++n;
        address[] memory operators = new address[](n);
        uint256[] memory amounts = new uint256[](n);
        uint256 k;
        uint256 total;
        for (uint256 index = 0; index < MAX_OPERATORS && (bitmap >> index) != 0; ++index) {
            if (bitmap & (1 << index) == 0) continue;
            address operator = _operators[index];
            uint256 amount = _owed[vaultEpoch][operator];
            // Only operators the vault can credit (stake at the epoch's end); the others' share stays in the relay.
            if (_REGISTRY.stakeAt(_NETWORK_ID, operator, snapshot) == 0) continue;
            delete _owed[vaultEpoch][operator];
            operators[k] = operator;
            amounts[k] = amount;
            ++k;
            total += amount;
        }
        delete _owedBitmap[vaultEpoch];
        if (k == 0) revert NothingToPay(vaultEpoch);
        assembly ("memory-safe") {
            mstore(operators, k)
            mstore(amounts, k)
        }
        _reserved -= total;
        _VAULT.distributeRewards{value: total}(_NETWORK_ID, address(0), vaultEpoch, operators, amounts);
        emit RewardsPaid(vaultEpoch, total, k);
    }

    // ------------------------------------------------------------------ slashing

    /// @inheritdoc ISlashVerifier
    function verifySlash(uint256 networkId_, address operator, uint48 captureTimestamp, bytes calldata evidence)
        external
        override
        returns (uint256 amount)
    {
        if (msg.sender != address(_REGISTRY)) revert OnlyRegistry(msg.sender);
        if (networkId_ != _NETWORK_ID) revert WrongNetwork(networkId_);
        (Offence offence, uint256 epoch) = _prove(operator, evidence);
        if (_slashed[operator][epoch]) revert AlreadySlashed(operator, epoch);
        _slashed[operator][epoch] = true;
        emit OffenceProven(operator, epoch, offence);
        // The whole stake the Network may still take (the registry bounds it again).
        return _REGISTRY.slashableStake(_NETWORK_ID, operator, captureTimestamp);
    }

    /// @dev Checks the evidence; returns the offence and the epoch it concerns.
    function _prove(address operator, bytes calldata evidence) private view returns (Offence offence, uint256 epoch) {
        offence = abi.decode(evidence[:32], (Offence));
        if (offence == Offence.DoubleSign) {
            (, bytes memory key, Statement memory a, bytes memory sigA, Statement memory b, bytes memory sigB) =
                abi.decode(evidence, (Offence, bytes, Statement, bytes, Statement, bytes));
            if (a.epoch != b.epoch) revert InvalidEvidence("epochs differ");
            if (a.checkpointRoot == b.checkpointRoot && a.executionBlockHash == b.executionBlockHash) {
                revert InvalidEvidence("same statement");
            }
            _checkSigned(operator, key, a, sigA);
            _checkSigned(operator, key, b, sigB);
            return (offence, a.epoch);
        }
        if (offence == Offence.CertifiedRootMismatch) {
            (, epoch) = abi.decode(evidence, (Offence, uint256));
            Certificate storage c = _certificates[epoch];
            uint256 index = _indexPlusOne[operator];
            if (c.certifiedAt == 0 || index == 0 || c.signers & (1 << (index - 1)) == 0) {
                revert InvalidEvidence("not a signer of that certificate");
            }
            _checkContradicts(epoch, c.checkpointRoot);
            return (offence, epoch);
        }
        (, bytes memory key_, Statement memory s, bytes memory sig) =
            abi.decode(evidence, (Offence, bytes, Statement, bytes));
        _checkSigned(operator, key_, s, sig);
        _checkContradicts(s.epoch, s.checkpointRoot);
        return (offence, s.epoch);
    }

    function _checkSigned(address operator, bytes memory key, Statement memory s, bytes memory signature) private view {
        if (_keyHash[operator] == bytes32(0) || keccak256(key) != _keyHash[operator]) {
            revert InvalidEvidence("not the operator's key");
        }
        bytes memory message = abi.encodePacked(_digest(s.epoch, s.checkpointRoot, s.executionBlockHash));
        if (!BLS.verify(key, message, signature, DST)) revert InvalidEvidence("bad signature");
    }

    /// @dev The checkpoint root of `epoch` is the parent root of the block in the slot after the checkpoint slot,
    /// which the EIP-4788 contract keeps under that slot's timestamp. Reverts `BeaconRootNotFound` when that slot had
    /// no block or its root left the ring buffer.
    function _checkContradicts(uint256 epoch, bytes32 claimedRoot) private view {
        uint256 timestamp = _BEACON_GENESIS + (epoch * _SLOTS_PER_EPOCH + 1) * _SECONDS_PER_SLOT;
        if (BeaconProofs.beaconBlockRoot(timestamp) == claimedRoot) revert InvalidEvidence("root matches EIP-4788");
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IFinalityRelay
    function statementDigest(Statement calldata statement) public view override returns (bytes32) {
        return _digest(statement.epoch, statement.checkpointRoot, statement.executionBlockHash);
    }

    function _digest(uint256 epoch, bytes32 root, bytes32 executionBlockHash) private view returns (bytes32) {
        return keccak256(abi.encode(STATEMENT_TAG, block.chainid, address(this), epoch, root, executionBlockHash));
    }

    /// @inheritdoc IFinalityRelay
    function popMessage(address operator, bytes calldata pubkey) public view override returns (bytes32) {
        return keccak256(abi.encode(POP_TAG, block.chainid, address(this), operator, pubkey));
    }

    /// @inheritdoc IFinalityRelay
    function certificateOf(uint256 epoch) external view override returns (Certificate memory) {
        return _certificates[epoch];
    }

    /// @inheritdoc IFinalityRelay
    function latestCertificate() external view override returns (uint256 epoch, Certificate memory certificate) {
        epoch = _lastEpoch;
        certificate = _certificates[epoch];
    }

    /// @inheritdoc IFinalityRelay
    function finalizedEpochOf(bytes32 executionBlockHash) external view override returns (uint256) {
        uint256 e = _epochPlusOne[executionBlockHash];
        if (e == 0) revert InvalidEvidence("block not certified");
        return e - 1;
    }

    /// @inheritdoc IFinalityRelay
    function operatorAt(uint256 index) external view override returns (address operator, bytes memory pubkey) {
        if (index >= _operators.length) revert UnknownSigner(index);
        operator = _operators[index];
        pubkey = _pubkey[operator];
    }

    /// @inheritdoc IFinalityRelay
    function indexOf(address operator) external view override returns (uint256) {
        return _indexPlusOne[operator];
    }

    /// @inheritdoc IFinalityRelay
    function operatorCount() external view override returns (uint256) {
        return _operators.length;
    }

    /// @inheritdoc IFinalityRelay
    function owedRewards(uint256 vaultEpoch, address operator) external view override returns (uint256) {
        return _owed[vaultEpoch][operator];
    }

    /// @inheritdoc IFinalityRelay
    function latestFinalizableEpoch() public view override returns (uint256) {
        if (block.timestamp < _BEACON_GENESIS) return 0;
        uint256 current = (block.timestamp - _BEACON_GENESIS) / (_SECONDS_PER_SLOT * _SLOTS_PER_EPOCH);
        return current > 2 ? current - 2 : 0;
    }

    /// @inheritdoc IFinalityRelay
    function networkId() external view override returns (uint256) {
        return _NETWORK_ID;
    }
}
