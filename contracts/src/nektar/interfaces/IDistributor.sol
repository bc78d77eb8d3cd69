// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IDistributor
/// @notice An ERC-4626 vault over wdivETH (one wdivETH = one divETH share) that delegates to up to `MAX_OPERATORS`
/// operators of the restaking vault by the target weights of a pluggable strategy. Deposits stay idle until
/// `rebalance` (anyone, bounded by `maxOperators` per call) moves them; ERC-4626 `withdraw`/`redeem` pay from idle
/// assets only; the rest leaves through `requestRedeem`, which burns shares and undelegates into the restaking vault's
/// withdrawal queue (slashable until claimable, so every pending slash is borne by the leaver), claimable in divETH
/// shares with `claim`. Total assets = idle wdivETH + every delegation (active and pending, after slashes) + what
/// rebalancing undelegated and has not collected yet. Withdrawals never call the strategy.
interface IDistributor {
    /// @notice Caller is not the curator.
    error NotCurator(address caller);
    /// @notice Too many operators.
    error TooManyOperators(uint256 max);
    /// @notice Operator already listed, not registered in the restaking vault, or the zero address.
    error InvalidOperator(address operator);
    /// @notice The strategy reverted or ran out of gas.
    error StrategyFailed();
    /// @notice The strategy returned weights of the wrong length, above 100% each, or above 100% together.
    error InvalidWeights(uint256 length, uint256 sum);
    /// @notice Not enough active delegation to undelegate what a redemption needs.
    error InsufficientLiquidity(uint256 available, uint256 needed);
    /// @notice Nothing to claim for the epoch, or not yet.
    error NothingToClaim(address account, uint256 claimEpoch);
    /// @notice Amount is zero.
    error ZeroAmount();
    /// @notice Zero address given.
    error ZeroAddress();

    /// @notice `operator` was added.
    event OperatorAdded(address indexed operator);
    /// @notice Rebalancing moved `delegated` into and `undelegated` out of `operator`.
    event Rebalanced(address indexed operator, uint256 delegated, uint256 undelegated, uint256 claimEpoch);
    /// @notice `owner`'s `shares` were burnt for `assets` leaving through the restaking queue at `claimEpoch`
    /// (`paidNow` of them paid at once from idle assets).
    event RedeemRequested(address indexed owner, address indexed receiver, uint256 shares, uint256 assets, uint256 paidNow, uint256 claimEpoch);
    /// @notice `account` claimed `divETHShares` for its requests of `claimEpoch`.
    event Claimed(address indexed account, address indexed receiver, uint256 claimEpoch, uint256 divETHShares);

    /// @notice A withdrawal bucket of one restaking epoch.
    /// @param requested Assets undelegated for requesters (holders and, under `address(this)`, rebalancing).
    /// @param received divETH shares the restaking vault paid (after slashes), once collected.
    /// @param paid Shares already paid out of `received`.
    /// @param collected Whether the restaking withdrawals were claimed.
    struct Bucket {
        uint128 requested;
        uint128 received;
        uint128 paid;
        bool collected;
    }

    /// @notice Adds an operator (curator only, at most `MAX_OPERATORS`).
    function addOperator(address operator) external;

    /// @notice Moves assets towards the strategy's targets for up to `maxOperators` operators from the rotating
    /// cursor. Anyone.
    /// @return touched Operators visited.
    function rebalance(uint256 maxOperators) external returns (uint256 touched);

    /// @notice Burns `shares` of `owner` (or with allowance) for their assets: paid from idle wdivETH first, the rest
    /// undelegated (operators from the rotating cursor, at most all of them) into the restaking queue.
    /// @return claimEpoch Restaking epoch from which `claim` pays (0 when everything was paid at once).
    function requestRedeem(uint256 shares, address receiver, address owner) external returns (uint256 claimEpoch);

    /// @notice Claims the caller's requests of `claimEpoch` (collects the restaking withdrawals at the first claim)
    /// and pays its pro-rata divETH shares to `receiver`.
    function claim(uint256 claimEpoch, address receiver) external returns (uint256 divETHShares);

    /// @notice The restaking vault.
    function restakingVault() external view returns (address);
    /// @notice The strategy.
    function strategy() external view returns (address);
    /// @notice The curator.
    function curator() external view returns (address);
    /// @notice The operators.
    function operators() external view returns (address[] memory);
    /// @notice Delegated assets (active + pending) per operator, in order.
    function delegations() external view returns (uint256[] memory);
    /// @notice Assets `account` requested in `claimEpoch`.
    function requestOf(address account, uint256 claimEpoch) external view returns (uint256);
    /// @notice Bucket of `claimEpoch`.
    function bucketOf(uint256 claimEpoch) external view returns (Bucket memory);
    /// @notice Assets rebalancing undelegated and not collected yet.
    function rebalancingInFlight() external view returns (uint256);
}
