// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IRestakingVault
/// @notice Nektar restaking vault for divETH. Restakers deposit divETH (or wdivETH, unwrapped 1:1 into shares) and
/// delegate it to registered operators; everything is accounted in divETH **shares**, so restaked stake keeps earning
/// the Diva staking rewards through the rebase. Time is cut into epochs of `EPOCH_DURATION` seconds from `GENESIS`:
/// - a deposit made in epoch `e` becomes active (counted by `stakeAt`, slashable, earning rewards) at the start of
///   epoch `e + 2`, so no slash whose capture timestamp precedes the deposit can ever reach it;
/// - an undelegation made in epoch `e` leaves the active stake at once, waits in the operator's withdrawal bucket of
///   epoch `e + 2` (E to 2E) and stays slashable until that epoch starts; it is then claimable exactly once.
/// Slashes (only from the `NetworkRegistry`) take the operator's own active stake (its delegation to itself) first,
/// then the other delegators and the unclaimable withdrawal buckets pro-rata. Networks pay rewards on-chain; each
/// operator keeps its commission and the rest accrues to its active delegators through per-token accumulators.
/// Positions are not transferable: they leave the vault only through the withdrawal queue.
interface IRestakingVault {
    /// @notice Operator record.
    /// @param registered Whether the address registered as an operator.
    /// @param commissionBps Commission in force before `commissionEffectiveAt` (or always, when nothing is pending).
    /// @param pendingCommissionBps Commission in force from `commissionEffectiveAt` on.
    /// @param commissionEffectiveAt When the pending commission applies (0: none pending).
    /// @param generation Incremented when a slash takes the whole active stake (older positions are then worth zero) or
    /// rebases the pool after a deep slash (older positions' units are then divided by the rebase's divisor).
    /// @param rewardTokenCount Number of reward tokens ever credited to the operator (at most `MAX_REWARD_TOKENS`).
    struct Operator {
        bool registered;
        uint16 commissionBps;
        uint16 pendingCommissionBps;
        uint48 commissionEffectiveAt;
        uint32 generation;
        uint8 rewardTokenCount;
    }

    /// @notice A restaker's position with one operator, as stored (units of the operator's active pool).
    struct Position {
        uint96 units;
        uint96 pendingShares;
        uint32 pendingEpoch;
        uint32 generation;
    }

    /// @notice The amount is zero.
    error ZeroAmount();
    /// @notice `operator` is not a registered operator.
    error UnknownOperator(address operator);
    /// @notice `operator` is already registered.
    error OperatorAlreadyRegistered(address operator);
    /// @notice The commission exceeds 100% (10,000 basis points).
    error CommissionTooHigh(uint256 commissionBps);
    /// @notice The caller's active stake with `operator` is `available` shares, `requested` were asked.
    error InsufficientStake(address operator, uint256 available, uint256 requested);
    /// @notice The withdrawal bucket of `claimEpoch` is not claimable before that epoch starts.
    error WithdrawalNotClaimable(uint256 claimEpoch, uint256 currentEpoch);
    /// @notice The caller has no withdrawal with `operator` claimable in `claimEpoch`.
    error NothingToClaim(address operator, uint256 claimEpoch);
    /// @notice Only the network registry may call.
    error OnlyNetworkRegistry(address caller);
    /// @notice Only the deployer may wire the network registry, once, to a registry naming this vault.
    error RegistryWiring(address caller, address registry);
    /// @notice The caller is not the middleware of `networkId`.
    error NotNetworkMiddleware(uint256 networkId, address caller);
    /// @notice `token` is not a reward token registered by `networkId`.
    error RewardTokenNotRegistered(uint256 networkId, address token);
    /// @notice Rewards can only be paid for a finished epoch.
    error EpochNotFinished(uint256 epoch, uint256 currentEpoch);
    /// @notice `operator` had no stake visible to `networkId` at the end of `epoch`.
    error OperatorNotStaked(uint256 networkId, address operator, uint256 epoch);
    /// @notice The operator and amount arrays differ in length or are empty.
    error LengthMismatch(uint256 operators, uint256 amounts);
    /// @notice The ether sent differs from the reward total.
    error WrongEtherAmount(uint256 sent, uint256 expected);
    /// @notice The token moved `received` instead of `expected` (fee-on-transfer tokens are not accepted).
    error WrongTokenAmount(uint256 received, uint256 expected);
    /// @notice `operator` already has rewards in `MAX_REWARD_TOKENS` tokens.
    error TooManyRewardTokens(address operator, address token);
    /// @notice Sending ether to `recipient` failed.
    error EtherTransferFailed(address recipient, uint256 amount);
    /// @notice The recipient is the zero address.
    error ZeroRecipient();

    /// @notice `operator` registered with `commissionBps`.
    event OperatorRegistered(address indexed operator, uint256 commissionBps);
    /// @notice `operator` scheduled `commissionBps` to apply from `effectiveAt`.
    event CommissionChangeScheduled(address indexed operator, uint256 commissionBps, uint256 effectiveAt);
    /// @notice `restaker` deposited `shares` divETH shares for `operator`, active from `activationEpoch`.
    event Deposited(address indexed restaker, address indexed operator, uint256 shares, uint256 activationEpoch);
    /// @notice `restaker` undelegated `shares` from `operator`; claimable from `claimEpoch`.
    event Undelegated(address indexed restaker, address indexed operator, uint256 shares, uint256 claimEpoch);
    /// @notice `restaker` claimed `shares` from `operator`'s withdrawal bucket of `claimEpoch` to `recipient`.
    event WithdrawalClaimed(
        address indexed restaker, address indexed operator, uint256 claimEpoch, address recipient, uint256 shares
    );
    /// @notice `operator` lost `shares` (of which `selfShares` from its own stake), sent to `receiver` (0xdEaD: burnt).
    event Slashed(address indexed operator, uint256 shares, uint256 selfShares, address receiver);
    /// @notice A deep slash left the operator's pool above 256 units per share: a new `generation` started whose units
    /// are the previous generation's divided by `divisor` (positions convert at their next touch, rounded down).
    event PoolRebased(address indexed operator, uint256 generation, uint256 divisor);
    /// @notice `networkId` paid `amount` of `token` to `operator` for `epoch`, `commission` of it to the operator.
    event RewardsDistributed(
        uint256 indexed networkId,
        address indexed operator,
        address indexed token,
        uint256 epoch,
        uint256 amount,
        uint256 commission
    );
    /// @notice `account` claimed `amount` of `token` earned with `operator` (as operator when `account == operator`
    /// and `asOperator`).
    event RewardsClaimed(
        address indexed account, address indexed operator, address indexed token, address recipient, uint256 amount
    );
    /// @notice The network registry was wired.
    event NetworkRegistryWired(address registry);

    /// @notice Wires the network registry (deployer only, once; the registry must name this vault).
    /// @param registry The `NetworkRegistry`.
    function wireNetworkRegistry(address registry) external;

    /// @notice Registers the caller as an operator with `commissionBps` (≤ 10,000).
    /// @param commissionBps Share of delegator rewards kept by the operator, in basis points.
    function registerOperator(uint256 commissionBps) external;

    /// @notice Schedules a new commission, in force after `COMMISSION_DELAY`.
    /// @param commissionBps New commission in basis points (≤ 10,000).
    function setCommission(uint256 commissionBps) external;

    /// @notice Deposits `shares` divETH shares of the caller and delegates them to `operator`.
    /// @param operator A registered operator (itself, to add self-stake).
    /// @param shares divETH shares; the caller must have approved their value (rounded up).
    function deposit(address operator, uint256 shares) external;

    /// @notice `deposit` with an EIP-2612 permit for divETH (`value` approves the vault, then `shares` are pulled).
    /// @param operator A registered operator.
    /// @param shares divETH shares to deposit.
    /// @param value divETH (ether) amount the permit approves.
    /// @param deadline Permit deadline.
    /// @param v Signature v.
    /// @param r Signature r.
    /// @param s Signature s.
    function depositWithPermit(
        address operator,
        uint256 shares,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice Deposits `wdivETHAmount` wdivETH (unwrapped into exactly as many divETH shares) for `operator`.
    /// @param operator A registered operator.
    /// @param wdivETHAmount wdivETH to deposit; the caller must have approved the vault.
    function depositWrapped(address operator, uint256 wdivETHAmount) external;

    /// @notice Moves `shares` of the caller's active stake with `operator` to the withdrawal queue.
    /// @param operator The operator.
    /// @param shares divETH shares to undelegate (its units are rounded up against the caller).
    /// @return claimEpoch The epoch from which the withdrawal is claimable.
    function undelegate(address operator, uint256 shares) external returns (uint256 claimEpoch);

    /// @notice Claims the caller's withdrawal from `operator`'s bucket of `claimEpoch` (after slashes) to `recipient`.
    /// @param operator The operator.
    /// @param claimEpoch The bucket's epoch (≤ the current epoch).
    /// @param recipient Receiver of the divETH shares.
    /// @return shares divETH shares sent.
    function claimWithdrawal(address operator, uint256 claimEpoch, address recipient) external returns (uint256 shares);

    /// @notice Slashes up to `shares` of `operator`'s slashable stake: its own active stake first, then delegators and
    /// unclaimable withdrawals pro-rata (network registry only; the registry enforces the capture bounds).
    /// @param operator The operator.
    /// @param shares divETH shares to take.
    /// @param receiver Receiver of the slashed shares; zero burns them (sent to 0xdEaD, where shares never move).
    /// @return slashed Shares actually taken (≤ `shares`, ≤ the operator's slashable holdings).
    function slash(address operator, uint256 shares, address receiver) external returns (uint256 slashed);

    /// @notice Pays rewards in `token` (zero address: ether; divETH: counted in shares) to `operators` for a finished
    /// `epoch`, `amounts[i]` each (the network's middleware only).
    /// @param networkId The paying network.
    /// @param token A reward token the network registered.
    /// @param epoch A finished epoch the operators had stake in.
    /// @param operators Operators paid.
    /// @param amounts Amount per operator.
    function distributeRewards(
        uint256 networkId,
        address token,
        uint256 epoch,
        address[] calldata operators,
        uint256[] calldata amounts
    ) external payable;

    /// @notice Pays `total` of `token` to `operators` for `epoch`, weighted by the stake the network saw for each at
    /// the end of the epoch (`NetworkRegistry.stakeAt`); the rounding remainder goes to the first operator.
    /// @param networkId The paying network.
    /// @param token A reward token the network registered.
    /// @param epoch A finished epoch.
    /// @param operators Operators paid (each must have had stake).
    /// @param total Total amount.
    function distributeRewardsByStake(
        uint256 networkId,
        address token,
        uint256 epoch,
        address[] calldata operators,
        uint256 total
    ) external payable;

    /// @notice Claims the caller's delegator rewards in `token` earned with `operator`.
    /// @param operator The operator.
    /// @param token The reward token.
    /// @param recipient Receiver.
    /// @return amount Amount paid.
    function claimRewards(address operator, address token, address recipient) external returns (uint256 amount);

    /// @notice Claims the calling operator's commission in `token`.
    /// @param token The reward token.
    /// @param recipient Receiver.
    /// @return amount Amount paid.
    function claimOperatorRewards(address token, address recipient) external returns (uint256 amount);

    /// @notice Length of an epoch in seconds.
    /// @return Seconds.
    function EPOCH_DURATION() external view returns (uint256);

    /// @notice Start of epoch 0 (the vault's deployment time).
    /// @return The timestamp.
    function GENESIS() external view returns (uint256);

    /// @notice Epoch of `timestamp` (`(timestamp − GENESIS) / EPOCH_DURATION`).
    /// @param timestamp A time at or after `GENESIS`.
    /// @return The epoch number.
    function epochAt(uint256 timestamp) external view returns (uint256);

    /// @notice The current epoch.
    /// @return The epoch number.
    function currentEpoch() external view returns (uint256);

    /// @notice Start time of `epoch`.
    /// @param epoch The epoch.
    /// @return The timestamp.
    function epochStart(uint256 epoch) external view returns (uint256);

    /// @notice `operator`'s active stake (own + delegated, divETH shares) at `timestamp` (≤ now), from checkpoints.
    /// @param operator The operator.
    /// @param timestamp The time.
    /// @return The stake in divETH shares.
    function stakeAt(address operator, uint256 timestamp) external view returns (uint256);

    /// @notice divETH shares slashed from `operator` strictly after `timestamp`, by any network.
    /// @param operator The operator.
    /// @param timestamp The time.
    /// @return The shares slashed since.
    function slashedSince(address operator, uint256 timestamp) external view returns (uint256);

    /// @notice `operator`'s active stake now (divETH shares, including matured deposits not yet processed).
    /// @param operator The operator.
    /// @return The stake in divETH shares.
    function operatorStake(address operator) external view returns (uint256);

    /// @notice `restaker`'s position with `operator` now.
    /// @param restaker The restaker.
    /// @param operator The operator.
    /// @return active Active divETH shares (slashable, earning).
    /// @return pending divETH shares waiting for activation.
    /// @return activationEpoch Epoch at which `pending` activates.
    function positionOf(address restaker, address operator)
        external
        view
        returns (uint256 active, uint256 pending, uint256 activationEpoch);

    /// @notice divETH shares `restaker` would receive from `operator`'s withdrawal bucket of `claimEpoch` now.
    /// @param restaker The restaker.
    /// @param operator The operator.
    /// @param claimEpoch The bucket's epoch.
    /// @return The shares.
    function withdrawalOf(address restaker, address operator, uint256 claimEpoch) external view returns (uint256);

    /// @notice `restaker`'s unclaimed delegator rewards in `token` with `operator`.
    /// @param restaker The restaker.
    /// @param operator The operator.
    /// @param token The reward token.
    /// @return The claimable amount.
    function rewardsOf(address restaker, address operator, address token) external view returns (uint256);

    /// @notice `operator`'s unclaimed commission in `token`.
    /// @param operator The operator.
    /// @param token The reward token.
    /// @return The claimable amount.
    function operatorRewardsOf(address operator, address token) external view returns (uint256);

    /// @notice `operator`'s record.
    /// @param operator The operator.
    /// @return The record.
    function getOperator(address operator) external view returns (Operator memory);

    /// @notice `operator`'s commission in force now.
    /// @param operator The operator.
    /// @return Basis points.
    function commissionOf(address operator) external view returns (uint256);

    /// @notice Reward tokens credited to `operator` so far.
    /// @param operator The operator.
    /// @return The tokens (zero address: ether).
    function rewardTokensOf(address operator) external view returns (address[] memory);

    /// @notice divETH shares the vault holds for stake (pending, active, queued), excluding divETH rewards.
    /// @return The shares.
    function totalStakeShares() external view returns (uint256);
}
