// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title INetworkRegistry
/// @notice Networks (bridges, sequencers, oracles, DA layers…) register permissionlessly; operators opt in and out;
/// a network's middleware reads `stakeAt(networkId, operator, timestamp)`, pays rewards through the vault and slashes.
///
/// Slashing rules (shared by both kinds):
/// - a slash targets the stake captured at `captureTimestamp`, which must be in the past and no older than one epoch
///   when the slash is requested (for veto slashes: no older than `EPOCH_DURATION − vetoWindow`), and it executes no
///   later than `captureTimestamp + EPOCH_DURATION`;
/// - it is bounded by `slashableStake = stakeAt(network, operator, capture) − slashedSince(operator, capture)`, where
///   `slashedSince` counts what *every* network took after the capture. So several networks slashing the same
///   operator together can never take more than the stake captured (no over-slashing across networks);
/// - deposits activate two epoch boundaries after they are made, after every execution deadline of a slash whose
///   capture precedes them, so they are never touched.
/// *Objective* networks name an `ISlashVerifier`; anyone submits evidence and the slash executes at once. *Veto*
/// networks name a resolver: the middleware requests, the resolver may veto within `vetoWindow`, then anyone executes.
interface INetworkRegistry {
    /// @notice How a network slashes.
    enum SlashKind {
        Objective,
        Veto
    }

    /// @notice A network's parameters, fixed at registration.
    /// @param middleware Pays rewards and requests veto slashes.
    /// @param slasher The `ISlashVerifier` (objective) or the veto resolver (veto).
    /// @param slashReceiver Receives slashed divETH shares; zero burns them.
    /// @param kind Objective or veto.
    /// @param vetoWindow Seconds the resolver has to veto (veto kind; < `EPOCH_DURATION`).
    /// @param maxStakePerOperator Most stake (divETH shares) the network counts per operator.
    /// @param maxTotalStake Most stake the network wants in total (advisory, for the middleware's selection).
    /// @param rewardTokens Tokens it may pay rewards in (zero address: ether), at most `MAX_REWARD_TOKENS`.
    /// @param metadataURI Description of the network (≤ 512 bytes).
    struct NetworkConfig {
        address middleware;
        address slasher;
        address slashReceiver;
        SlashKind kind;
        uint32 vetoWindow;
        uint128 maxStakePerOperator;
        uint128 maxTotalStake;
        address[] rewardTokens;
        string metadataURI;
    }

    /// @notice An operator's membership in a network.
    /// @param optedInAt When it opted in (0: never).
    /// @param optedOutAt When its opt-out takes effect (0: none).
    struct OptIn {
        uint48 optedInAt;
        uint48 optedOutAt;
    }

    /// @notice A pending veto slash.
    struct SlashRequest {
        uint64 networkId;
        uint48 captureTimestamp;
        uint48 vetoDeadline;
        bool vetoed;
        bool executed;
        address operator;
        uint128 amount;
    }

    /// @notice `networkId` does not exist.
    error UnknownNetwork(uint256 networkId);
    /// @notice A required address in the configuration is zero.
    error ZeroAddress();
    /// @notice `maxStakePerOperator` is zero.
    error ZeroStakeLimit();
    /// @notice The veto window must be positive and shorter than an epoch (`epochDuration`).
    error InvalidVetoWindow(uint256 vetoWindow, uint256 epochDuration);
    /// @notice More than `max` reward tokens.
    error TooManyRewardTokens(uint256 count, uint256 max);
    /// @notice The metadata URI is longer than `max` bytes.
    error MetadataTooLong(uint256 length, uint256 max);
    /// @notice The caller is not a registered operator of the vault.
    error NotOperator(address account);
    /// @notice `operator` is already opted in to `networkId`.
    error AlreadyOptedIn(uint256 networkId, address operator);
    /// @notice `operator` may opt in to `networkId` again only from `allowedAt` (one epoch after its opt-out).
    error OptInTooEarly(uint256 networkId, address operator, uint256 allowedAt);
    /// @notice `operator` is not opted in to `networkId`.
    error NotOptedIn(uint256 networkId, address operator);
    /// @notice The opt-in signature expired at `deadline`.
    error SignatureExpired(uint256 deadline);
    /// @notice The opt-in signature is not `operator`'s.
    error InvalidSignature(address operator);
    /// @notice The caller is not allowed for this network action.
    error Unauthorized(uint256 networkId, address caller);
    /// @notice The network slashes the other way (objective vs veto).
    error WrongSlashKind(uint256 networkId);
    /// @notice `captureTimestamp` is in the future or older than the window allows (`earliest`).
    error CaptureOutOfWindow(uint256 captureTimestamp, uint256 earliest, uint256 latest);
    /// @notice The slash could only execute until `deadline`.
    error SlashWindowClosed(uint256 deadline);
    /// @notice Nothing is slashable (`requested` asked, `slashable` available).
    error NothingSlashable(uint256 requested, uint256 slashable);
    /// @notice `requestId` does not exist.
    error UnknownSlashRequest(uint256 requestId);
    /// @notice The request was vetoed or executed already.
    error SlashRequestClosed(uint256 requestId);
    /// @notice The veto window ended at `deadline`.
    error VetoWindowOver(uint256 deadline);
    /// @notice The veto window lasts until `deadline`.
    error VetoWindowOpen(uint256 deadline);

    /// @notice `networkId` was registered by `admin`.
    event NetworkRegistered(
        uint256 indexed networkId,
        address indexed admin,
        address middleware,
        address slasher,
        SlashKind kind,
        uint256 maxStakePerOperator,
        string metadataURI
    );
    /// @notice `operator` opted in to `networkId`.
    event OptedIn(uint256 indexed networkId, address indexed operator);
    /// @notice `operator` opted out of `networkId`, effective at `effectiveAt`.
    event OptedOut(uint256 indexed networkId, address indexed operator, uint256 effectiveAt);
    /// @notice `networkId` requested slashing `amount` of `operator`'s stake captured at `captureTimestamp`.
    event SlashRequested(
        uint256 indexed requestId,
        uint256 indexed networkId,
        address indexed operator,
        uint256 captureTimestamp,
        uint256 amount,
        uint256 vetoDeadline
    );
    /// @notice The resolver vetoed `requestId`.
    event SlashVetoed(uint256 indexed requestId);
    /// @notice `operator` was slashed `amount` by `networkId` (request 0: objective slash).
    event SlashExecuted(
        uint256 indexed requestId,
        uint256 indexed networkId,
        address indexed operator,
        uint256 captureTimestamp,
        uint256 amount
    );

    /// @notice Registers a network; the caller is its admin.
    /// @param config The network's parameters.
    /// @return networkId The new id (from 1).
    function registerNetwork(NetworkConfig calldata config) external returns (uint256 networkId);

    /// @notice Opts the calling operator in to `networkId` (effective at once).
    /// @param networkId The network.
    function optIn(uint256 networkId) external;

    /// @notice Opts `operator` in with its EIP-712 signature over `OptIn(address operator,uint256 networkId,uint256
    /// nonce,uint256 deadline)` (domain `Nektar Network Registry`/`1`, this chain, this contract); ECDSA or ERC-1271.
    /// @param operator The operator.
    /// @param networkId The network.
    /// @param deadline Signature deadline.
    /// @param signature The signature.
    function optInWithSignature(address operator, uint256 networkId, uint256 deadline, bytes calldata signature)
        external;

    /// @notice Opts the calling operator out of `networkId`; its stake stays visible (and slashable) until the start
    /// of the epoch after next.
    /// @param networkId The network.
    function optOut(uint256 networkId) external;

    /// @notice Slashes with on-chain evidence checked by the network's verifier (objective networks; anyone).
    /// @param networkId The network.
    /// @param operator The operator.
    /// @param captureTimestamp Capture time (within the last epoch).
    /// @param evidence Passed to the verifier.
    /// @return slashed divETH shares taken.
    function slashWithEvidence(
        uint256 networkId,
        address operator,
        uint48 captureTimestamp,
        bytes calldata evidence
    ) external returns (uint256 slashed);

    /// @notice Requests a veto slash (veto networks; middleware only).
    /// @param networkId The network.
    /// @param operator The operator.
    /// @param captureTimestamp Capture time.
    /// @param amount divETH shares asked (≤ slashable now).
    /// @return requestId The request.
    function requestSlash(uint256 networkId, address operator, uint48 captureTimestamp, uint256 amount)
        external
        returns (uint256 requestId);

    /// @notice Vetoes a request before its deadline (the network's resolver only).
    /// @param requestId The request.
    function vetoSlash(uint256 requestId) external;

    /// @notice Executes a request after its veto window, before `captureTimestamp + EPOCH_DURATION` (anyone); takes
    /// at most what is still slashable.
    /// @param requestId The request.
    /// @return slashed divETH shares taken.
    function executeSlash(uint256 requestId) external returns (uint256 slashed);

    /// @notice Stake of `operator` visible to `networkId` at `timestamp`: its vault stake, capped at the network's
    /// per-operator maximum, when opted in at that time; else zero.
    /// @param networkId The network.
    /// @param operator The operator.
    /// @param timestamp The time (≤ now).
    /// @return divETH shares.
    function stakeAt(uint256 networkId, address operator, uint256 timestamp) external view returns (uint256);

    /// @notice What `networkId` may still slash of `operator`'s stake captured at `captureTimestamp`.
    /// @param networkId The network.
    /// @param operator The operator.
    /// @param captureTimestamp The capture time.
    /// @return divETH shares.
    function slashableStake(uint256 networkId, address operator, uint256 captureTimestamp)
        external
        view
        returns (uint256);

    /// @notice Whether `operator` was opted in to `networkId` at `timestamp`.
    /// @param networkId The network.
    /// @param operator The operator.
    /// @param timestamp The time.
    /// @return True when opted in.
    function isOptedIn(uint256 networkId, address operator, uint256 timestamp) external view returns (bool);

    /// @notice A network's configuration and admin.
    /// @param networkId The network.
    /// @return config Its parameters.
    /// @return admin Its registrant.
    function getNetwork(uint256 networkId) external view returns (NetworkConfig memory config, address admin);

    /// @notice The middleware of `networkId` and whether `token` is one of its reward tokens (used by the vault).
    /// @param networkId The network.
    /// @param token The token.
    /// @return middleware The middleware.
    /// @return registered Whether `token` is a reward token of the network.
    function rewardAuthority(uint256 networkId, address token)
        external
        view
        returns (address middleware, bool registered);

    /// @notice `operator`'s membership record in `networkId`.
    /// @param networkId The network.
    /// @param operator The operator.
    /// @return The record.
    function optInOf(uint256 networkId, address operator) external view returns (OptIn memory);

    /// @notice A veto slash request.
    /// @param requestId The request.
    /// @return The request.
    function getSlashRequest(uint256 requestId) external view returns (SlashRequest memory);

    /// @notice Number of registered networks.
    /// @return The count (ids are 1..count).
    function networkCount() external view returns (uint256);

    /// @notice Next opt-in signature nonce of `operator`.
    /// @param operator The operator.
    /// @return The nonce.
    function nonces(address operator) external view returns (uint256);

    /// @notice The restaking vault.
    /// @return The vault address.
    function vault() external view returns (address);
}
