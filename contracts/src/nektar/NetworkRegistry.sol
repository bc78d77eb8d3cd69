// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {INetworkRegistry} from "./interfaces/INetworkRegistry.sol";
import {IRestakingVault} from "./interfaces/IRestakingVault.sol";
import {ISlashVerifier} from "./interfaces/ISlashVerifier.sol";

/// @title NetworkRegistry
/// @notice Networks, operator opt-ins and slashing for the Nektar restaking vault. See `INetworkRegistry` for the
/// slashing rules.
contract NetworkRegistry is INetworkRegistry, EIP712 {
    /// @notice Most reward tokens a network registers.
    uint256 public constant MAX_REWARD_TOKENS = 4;
    /// @notice Longest metadata URI, in bytes.
    uint256 public constant MAX_METADATA_LENGTH = 512;
    /// @notice EIP-712 type hash of a signed opt-in.
    bytes32 public constant OPT_IN_TYPEHASH =
        // solhint-disable-next-line gas-small-strings
        keccak256("OptIn(address operator,uint256 networkId,uint256 nonce,uint256 deadline)");

    IRestakingVault private immutable _VAULT;
    uint256 private immutable _EPOCH;

    /// @dev Hot fields of a network in two slots; the full configuration (tokens, URI) in `_configs`.
    struct NetworkCore {
        address admin;
        uint32 vetoWindow;
        SlashKind kind;
        address middleware;
        address slasher;
        address slashReceiver;
        uint128 maxStakePerOperator;
    }

    uint256 private _networkCount;
    uint256 private _slashRequestCount;
    mapping(uint256 networkId => NetworkCore) private _networks;
    mapping(uint256 networkId => NetworkConfig) private _configs;
    mapping(uint256 networkId => mapping(address token => bool)) private _rewardTokens;
    mapping(uint256 networkId => mapping(address operator => OptIn)) private _optIns;
    mapping(uint256 requestId => SlashRequest) private _requests;
    mapping(address operator => uint256) private _nonces;

    /// @param vault_ The restaking vault (its epoch length drives the slashing windows).
    constructor(IRestakingVault vault_) EIP712("Nektar Network Registry", "1") {
        _VAULT = vault_;
        _EPOCH = vault_.EPOCH_DURATION();
    }

    /// @inheritdoc INetworkRegistry
    function registerNetwork(NetworkConfig calldata config) external override returns (uint256 networkId) {
        if (config.middleware == address(0) || config.slasher == address(0)) revert ZeroAddress();
        if (config.maxStakePerOperator == 0) revert ZeroStakeLimit();
        if (config.kind == SlashKind.Veto && (config.vetoWindow == 0 || config.vetoWindow >= _EPOCH)) {
            revert InvalidVetoWindow(config.vetoWindow, _EPOCH);
        }
        if (config.rewardTokens.length > MAX_REWARD_TOKENS) {
            revert TooManyRewardTokens(config.rewardTokens.length, MAX_REWARD_TOKENS);
        }
        if (bytes(config.metadataURI).length > MAX_METADATA_LENGTH) {
            revert MetadataTooLong(bytes(config.metadataURI).length, MAX_METADATA_LENGTH);
        }
        networkId = ++_networkCount;
        _networks[networkId] = NetworkCore({
            admin: msg.sender,
            vetoWindow: config.kind == SlashKind.Veto ? config.vetoWindow : 0,
            kind: config.kind,
            middleware: config.middleware,
            slasher: config.slasher,
            slashReceiver: config.slashReceiver,
            maxStakePerOperator: config.maxStakePerOperator
        });
        _configs[networkId] = config;
        for (uint256 i = 0; i < config.rewardTokens.length; ++i) {
            _rewardTokens[networkId][config.rewardTokens[i]] = true;
        }
        emit NetworkRegistered(
            networkId,
            msg.sender,
            config.middleware,
            config.slasher,
            config.kind,
            config.maxStakePerOperator,
            config.metadataURI
        );
    }

    // ------------------------------------------------------------------ opt-in

    /// @inheritdoc INetworkRegistry
    function optIn(uint256 networkId) external override {
        _optIn(msg.sender, networkId);
    }

    /// @inheritdoc INetworkRegistry
    function optInWithSignature(address operator, uint256 networkId, uint256 deadline, bytes calldata signature)
        external
        override
    {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        uint256 nonce = _nonces[operator];
        _nonces[operator] = nonce + 1;
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(OPT_IN_TYPEHASH, operator, networkId, nonce, deadline)));
        if (!SignatureChecker.isValidSignatureNow(operator, digest, signature)) revert InvalidSignature(operator);
        _optIn(operator, networkId);
    }

    /// @inheritdoc INetworkRegistry
    function optOut(uint256 networkId) external override {
        OptIn memory o = _optIns[networkId][msg.sender];
        if (o.optedInAt == 0 || o.optedOutAt != 0) revert NotOptedIn(networkId, msg.sender);
        // Visible (and slashable) until the start of the epoch after next.
        uint256 effectiveAt = _VAULT.epochStart(_VAULT.currentEpoch() + 2);
        _optIns[networkId][msg.sender].optedOutAt = uint48(effectiveAt);
        emit OptedOut(networkId, msg.sender, effectiveAt);
    }

    // ------------------------------------------------------------------ slashing

    /// @inheritdoc INetworkRegistry
    function slashWithEvidence(
        uint256 networkId,
        address operator,
        uint48 captureTimestamp,
        bytes calldata evidence
    ) external override returns (uint256 slashed) {
        NetworkCore storage n = _network(networkId);
        if (n.kind != SlashKind.Objective) revert WrongSlashKind(networkId);
        _checkCapture(captureTimestamp, 0);
        uint256 amount = ISlashVerifier(n.slasher).verifySlash(networkId, operator, captureTimestamp, evidence);
        slashed = _execute(networkId, n, operator, captureTimestamp, amount);
        emit SlashExecuted(0, networkId, operator, captureTimestamp, slashed);
    }

    /// @inheritdoc INetworkRegistry
    function requestSlash(uint256 networkId, address operator, uint48 captureTimestamp, uint256 amount)
        external
        override
        returns (uint256 requestId)
    {
        NetworkCore storage n = _network(networkId);
        if (n.kind != SlashKind.Veto) revert WrongSlashKind(networkId);
        if (msg.sender != n.middleware) revert Unauthorized(networkId, msg.sender);
        uint256 vetoWindow = n.vetoWindow;
        _checkCapture(captureTimestamp, vetoWindow);
        uint256 slashable = slashableStake(networkId, operator, captureTimestamp);
        if (amount == 0 || amount > slashable) revert NothingSlashable(amount, slashable);
        requestId = ++_slashRequestCount;
        uint256 vetoDeadline = block.timestamp + vetoWindow;
        _requests[requestId] = SlashRequest({
            networkId: uint64(networkId),
            captureTimestamp: captureTimestamp,
            vetoDeadline: uint48(vetoDeadline),
            vetoed: false,
            executed: false,
            operator: operator,
            amount: uint128(amount)
        });
        emit SlashRequested(requestId, networkId, operator, captureTimestamp, amount, vetoDeadline);
    }

    /// @inheritdoc INetworkRegistry
    function vetoSlash(uint256 requestId) external override {
        SlashRequest storage r = _openRequest(requestId);
        if (msg.sender != _networks[r.networkId].slasher) revert Unauthorized(r.networkId, msg.sender);
        if (block.timestamp >= r.vetoDeadline) revert VetoWindowOver(r.vetoDeadline);
        r.vetoed = true;
        emit SlashVetoed(requestId);
    }

    /// @inheritdoc INetworkRegistry
    function executeSlash(uint256 requestId) external override returns (uint256 slashed) {
        SlashRequest storage r = _openRequest(requestId);
        if (block.timestamp < r.vetoDeadline) revert VetoWindowOpen(r.vetoDeadline);
        r.executed = true;
        uint256 networkId = r.networkId;
        (address operator, uint48 capture) = (r.operator, r.captureTimestamp);
        slashed = _execute(networkId, _networks[networkId], operator, capture, r.amount);
        emit SlashExecuted(requestId, networkId, operator, capture, slashed);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc INetworkRegistry
    function stakeAt(uint256 networkId, address operator, uint256 timestamp) public view override returns (uint256) {
        if (!isOptedIn(networkId, operator, timestamp)) return 0;
        return Math.min(_VAULT.stakeAt(operator, timestamp), _networks[networkId].maxStakePerOperator);
    }

    /// @inheritdoc INetworkRegistry
    function slashableStake(uint256 networkId, address operator, uint256 captureTimestamp)
        public
        view
        override
        returns (uint256)
    {
        uint256 seen = stakeAt(networkId, operator, captureTimestamp);
        if (seen == 0) return 0;
        uint256 taken = _VAULT.slashedSince(operator, captureTimestamp);
        return seen > taken ? seen - taken : 0;
    }

    /// @inheritdoc INetworkRegistry
    function isOptedIn(uint256 networkId, address operator, uint256 timestamp) public view override returns (bool) {
        OptIn memory o = _optIns[networkId][operator];
        return o.optedInAt != 0 && o.optedInAt <= timestamp && (o.optedOutAt == 0 || timestamp < o.optedOutAt);
    }

    /// @inheritdoc INetworkRegistry
    function getNetwork(uint256 networkId)
        external
        view
        override
        returns (NetworkConfig memory config, address admin)
    {
        admin = _network(networkId).admin;
        config = _configs[networkId];
    }

    /// @inheritdoc INetworkRegistry
    function rewardAuthority(uint256 networkId, address token)
        external
        view
        override
        returns (address middleware, bool registered)
    {
        return (_network(networkId).middleware, _rewardTokens[networkId][token]);
    }

    /// @inheritdoc INetworkRegistry
    function optInOf(uint256 networkId, address operator) external view override returns (OptIn memory) {
        return _optIns[networkId][operator];
    }

    /// @inheritdoc INetworkRegistry
    function getSlashRequest(uint256 requestId) external view override returns (SlashRequest memory) {
        if (requestId == 0 || requestId > _slashRequestCount) revert UnknownSlashRequest(requestId);
        return _requests[requestId];
    }

    /// @inheritdoc INetworkRegistry
    function networkCount() external view override returns (uint256) {
        return _networkCount;
    }

    /// @inheritdoc INetworkRegistry
    function nonces(address operator) external view override returns (uint256) {
        return _nonces[operator];
    }

    /// @inheritdoc INetworkRegistry
    function vault() external view override returns (address) {
        return address(_VAULT);
    }

    /// @notice The EIP-712 domain separator of signed opt-ins.
    /// @return The separator.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ------------------------------------------------------------------ internals

    function _network(uint256 networkId) private view returns (NetworkCore storage n) {
        n = _networks[networkId];
        if (n.admin == address(0)) revert UnknownNetwork(networkId);
    }

    function _optIn(address operator, uint256 networkId) private {
        _network(networkId);
        if (!_VAULT.getOperator(operator).registered) revert NotOperator(operator);
        OptIn memory o = _optIns[networkId][operator];
        if (o.optedInAt != 0) {
            if (o.optedOutAt == 0) revert AlreadyOptedIn(networkId, operator);
            // Rejoining only once no slash can target the previous membership (captures reach back one epoch).
            uint256 allowedAt = o.optedOutAt + _EPOCH;
            if (block.timestamp < allowedAt) revert OptInTooEarly(networkId, operator, allowedAt);
        }
        _optIns[networkId][operator] = OptIn(uint48(block.timestamp), 0);
        emit OptedIn(networkId, operator);
    }

    /// @dev A capture must be in the past and recent enough that the slash can execute (after `vetoWindow`) before
    /// `capture + EPOCH` (the activation of any deposit made after it).
    function _checkCapture(uint256 captureTimestamp, uint256 vetoWindow) private view {
        uint256 earliest = block.timestamp + vetoWindow > _EPOCH ? block.timestamp + vetoWindow - _EPOCH : 0;
        if (captureTimestamp >= block.timestamp || captureTimestamp < earliest) {
            revert CaptureOutOfWindow(captureTimestamp, earliest, block.timestamp - 1);
        }
    }

    function _openRequest(uint256 requestId) private view returns (SlashRequest storage r) {
        if (requestId == 0 || requestId > _slashRequestCount) revert UnknownSlashRequest(requestId);
        r = _requests[requestId];
        if (r.vetoed || r.executed) revert SlashRequestClosed(requestId);
    }

    /// @dev Takes `min(amount, slashable)` from the vault, before the capture's deadline.
    function _execute(
        uint256 networkId,
        NetworkCore storage n,
        address operator,
        uint256 captureTimestamp,
        uint256 amount
    ) private returns (uint256) {
        uint256 deadline = captureTimestamp + _EPOCH;
        if (block.timestamp > deadline) revert SlashWindowClosed(deadline);
        uint256 slashable = slashableStake(networkId, operator, captureTimestamp);
        uint256 take = Math.min(amount, slashable);
        if (take == 0) revert NothingSlashable(amount, slashable);
        return _VAULT.slash(operator, take, n.slashReceiver);
    }
}
