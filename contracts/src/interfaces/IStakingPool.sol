// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IStakingPool
/// @notice The Diva staking pool: takes ether, mints divETH (the pool is the divETH token), keeps ether in a buffer,
/// deposits 32 ETH validators on behalf of the validator registry, applies accounting reports and funds the withdrawal
/// queue. Total pooled ether = buffer + ether deposited to validators not yet seen by the beacon chain + last reported
/// beacon balance (withdrawal vault ether enters the buffer at each report).
/// @dev Deposits take two steps (the deposit guarantee, see `contracts/README.md`): a 1 ETH predeposit when the
/// registry accepts a DKG result, then the remaining 31 ETH (`topUpValidator`) once a beacon-state proof shows the key
/// with the protocol's withdrawal credentials — or, if it shows foreign credentials, the predeposit is written off and
/// the 31 ETH return to the buffer (`writeOffPredeposit`). A validator counts in `depositedValidators` once it holds
/// its full 32 ETH; until then its 1 ETH is carried in the consensus ether and its 31 ETH stay reserved.
interface IStakingPool {
    /// @notice Result of an accounting report, used by the oracle to check its sanity limits.
    struct ReportResult {
        uint256 preTotalPooledEther;
        uint256 preTotalShares;
        uint256 postTotalPooledEther;
        uint256 postTotalShares;
        uint256 sharesMintedAsRewards;
    }

    /// @notice `sender` staked `amount` wei and received `shares` divETH shares.
    /// @param sender The staker (and divETH recipient).
    /// @param amount Ether staked, in wei.
    /// @param shares divETH shares minted.
    /// @param referral Referral address given by the staker (zero if none).
    event Staked(address indexed sender, uint256 amount, uint256 shares, address indexed referral);
    /// @notice The withdrawal vault, withdrawal queue and accounting oracle were wired (once).
    /// @param withdrawalVault The withdrawal vault.
    /// @param withdrawalQueue The withdrawal queue.
    /// @param accountingOracle The accounting oracle.
    event ComponentsWired(address withdrawalVault, address withdrawalQueue, address accountingOracle);
    /// @notice The validator registry burned divETH shares it held (a voided oracle report's bond): the ether they
    /// were worth now backs the remaining shares.
    /// @param from The registry.
    /// @param shares Shares burned.
    event SharesBurned(address indexed from, uint256 shares);
    /// @notice The validator registry was wired (once).
    /// @param validatorRegistry The validator registry.
    event ValidatorRegistrySet(address validatorRegistry);
    /// @notice The registry reserved 32 ETH of the buffer for a validator deposit.
    /// @param reservedDeposits Reservations outstanding after this one.
    event ValidatorDepositReserved(uint256 reservedDeposits);
    /// @notice The registry released a reservation.
    /// @param reservedDeposits Reservations outstanding after the release.
    event ValidatorDepositReleased(uint256 reservedDeposits);
    /// @notice The 1 ETH predeposit was made for `pubkey`; 31 ETH stay reserved for its top-up.
    /// @param pubkey The validator public key.
    /// @param pendingTopUps Predeposited validators awaiting their top-up, including this one.
    event ValidatorPredeposited(bytes pubkey, uint256 pendingTopUps);
    /// @notice The remaining 31 ETH were deposited for `pubkey`: it now holds the full 32 ETH.
    /// @param pubkey The validator public key.
    /// @param depositedValidators Validators deposited in full so far, including this one.
    event ValidatorDeposited(bytes pubkey, uint256 depositedValidators);
    /// @notice The predeposit of `pubkey` was lost to a front-running deposit: its 1 ETH left the pooled ether, its 31
    /// ETH reservation returned to the buffer and `sharesBurnt` bond shares of its cluster were burnt to cover the loss.
    /// @param pubkey The validator public key.
    /// @param sharesBurnt Bond shares burnt from the registry (raising the share rate by what they were worth).
    event PredepositWrittenOff(bytes pubkey, uint256 sharesBurnt);
    /// @notice An accounting report was applied.
    /// @param refTimestamp Reference time of the beacon state the report describes (Unix seconds).
    /// @param beaconValidators Validators seen by the beacon chain.
    /// @param beaconBalance Their total balance in wei.
    /// @param withdrawalVaultBalance Ether moved from the withdrawal vault into the buffer.
    /// @param rewards Positive rewards since the last report (zero on a loss), in wei.
    /// @param postTotalPooledEther Total pooled ether after the report.
    /// @param postTotalShares Total shares after the report.
    event OracleReportHandled(
        uint256 refTimestamp,
        uint256 beaconValidators,
        uint256 beaconBalance,
        uint256 withdrawalVaultBalance,
        uint256 rewards,
        uint256 postTotalPooledEther,
        uint256 postTotalShares
    );
    /// @notice `shares` divETH shares worth `amount` wei were minted to the operator rewards recipient.
    /// @param recipient The operator rewards recipient.
    /// @param shares Shares minted.
    /// @param amount Their ether value right after minting, in wei.
    event OperatorRewardsMinted(address indexed recipient, uint256 shares, uint256 amount);
    /// @notice Withdrawal requests up to `lastRequestId` were finalized.
    /// @param lastRequestId The last finalized request id.
    /// @param etherLocked Ether sent to the withdrawal queue for claims, in wei.
    /// @param sharesBurnt divETH shares of the finalized requests that were burnt.
    event WithdrawalsFinalized(uint256 lastRequestId, uint256 etherLocked, uint256 sharesBurnt);

    /// @notice The deployment deposit (whose shares are locked forever) is below the minimum.
    error BootstrapDepositTooSmall(uint256 value, uint256 min);
    /// @notice Staking zero ether.
    error ZeroStake();
    /// @notice `amount` wei buys zero shares at the current rate.
    error StakeTooSmall(uint256 amount);
    /// @notice Only the deployer can wire components, once.
    error NotDeployer(address caller);
    /// @notice The components (or the registry) were already wired.
    error AlreadyWired();
    /// @notice A required component is not wired yet.
    error NotWired();
    /// @notice An address is zero.
    error ZeroAddress();
    /// @notice `component` does not name this pool as its staking pool.
    error ComponentNotBoundToPool(address component);
    /// @notice The caller is not the validator registry.
    error NotValidatorRegistry(address caller);
    /// @notice The caller is not the accounting oracle.
    error NotAccountingOracle(address caller);
    /// @notice The caller is not the withdrawal vault.
    error NotWithdrawalVault(address caller);
    /// @notice The unreserved buffer holds `available` wei but `needed` are required.
    error InsufficientUnreservedBuffer(uint256 available, uint256 needed);
    /// @notice A report's reference time is later than the current block.
    error ReportFromFuture(uint256 refTimestamp, uint256 blockTimestamp);
    /// @notice A report's reference time is not after the last applied report's (replayed or out-of-order report).
    error StaleReport(uint256 refTimestamp, uint256 lastRefTimestamp);
    /// @notice There is no outstanding validator deposit reservation.
    error NoReservedDeposit();
    /// @notice There is no predeposited validator awaiting its top-up.
    error NoPendingTopUp();
    /// @notice The reported validator count is below the last reported one.
    error BeaconValidatorsDecreased(uint256 previous, uint256 reported);
    /// @notice The reported validator count exceeds the validators deposited.
    error BeaconValidatorsExceedDeposited(uint256 reported, uint256 deposited);
    /// @notice Sending `amount` wei to `recipient` failed.
    error EtherTransferFailed(address recipient, uint256 amount);

    /// @notice Stakes `msg.value` wei and mints divETH to the caller. Plain ether transfers to the pool do the same.
    /// @return shares divETH shares minted.
    function stake() external payable returns (uint256 shares);

    /// @notice Stakes `msg.value` wei with a referral and mints divETH to the caller.
    /// @param referral Referral address recorded in `Staked`.
    /// @return shares divETH shares minted.
    function stakeWithReferral(address referral) external payable returns (uint256 shares);

    /// @notice Burns `shares` divETH shares held by the caller, raising the share rate of every holder. Only the
    /// validator registry (it burns the bond of a reporter whose accounting report was disputed and voided).
    /// @param shares Shares to burn.
    function burnShares(uint256 shares) external;

    /// @notice Reserves 32 ETH of the buffer for a future validator deposit. Only the validator registry.
    /// @dev Withdrawals are served before new validators: the reservation must fit in `depositableEther()`, the
    /// unreserved buffer minus the ether owed to every unfinalized withdrawal request, else it reverts with
    /// `InsufficientUnreservedBuffer(depositableEther(), 32 ether)`.
    function reserveValidatorDeposit() external;

    /// @notice Releases one reservation made by `reserveValidatorDeposit`. Only the validator registry.
    function releaseValidatorDeposit() external;

    /// @notice Consumes one reservation and deposits the 1 ETH predeposit to the beacon deposit contract with the
    /// protocol's withdrawal credentials; the other 31 ETH of the reservation stay reserved for the top-up. Only the
    /// validator registry, which has checked the deposit signature.
    /// @param pubkey Validator BLS public key (48 bytes).
    /// @param signature BLS deposit signature over the 1 ETH deposit message (96 bytes).
    /// @param depositDataRoot SSZ root of the 1 ETH deposit data, checked by the deposit contract.
    function depositValidator(bytes calldata pubkey, bytes calldata signature, bytes32 depositDataRoot) external;

    /// @notice Deposits the remaining 31 ETH for a predeposited validator. Only the validator registry, after a
    /// beacon-state proof showed `pubkey` with the protocol's withdrawal credentials.
    /// @dev A deposit for a key the beacon chain already knows is a top-up: its signature is never checked, so the
    /// pool sends the 96-byte zero signature and computes the deposit data root itself.
    /// @param pubkey Validator BLS public key (48 bytes).
    function topUpValidator(bytes calldata pubkey) external;

    /// @notice Gives up a predeposited validator whose key the beacon chain holds with foreign withdrawal credentials:
    /// writes off its 1 ETH, releases its 31 ETH reservation to the buffer and burns `bondShares` divETH shares the
    /// registry holds (the cluster's slashed bond). Only the validator registry.
    /// @param pubkey Validator BLS public key (for the event).
    /// @param bondShares Shares to burn from the registry's balance.
    function writeOffPredeposit(bytes calldata pubkey, uint256 bondShares) external;

    /// @notice Applies beacon-chain accounting: pulls `withdrawalVaultBalance` from the vault, records the validator
    /// count and balance, and mints 10% of positive rewards as divETH shares to the operator rewards recipient. Only the
    /// accounting oracle, which checks the returned rates against its sanity limits.
    /// @dev Holders are protected from late losses: the report makes finalizable only the withdrawal requests made
    /// strictly before `refTimestamp`, the time of the beacon state it describes. A request made after that state (for
    /// instance after a slashing the chain already shows) is finalized only by a later report that accounts for it.
    /// Reference times strictly increase and never exceed the current block's time.
    /// @param beaconValidators Protocol validators seen by the beacon chain.
    /// @param beaconBalance Their total balance in wei.
    /// @param withdrawalVaultBalance Ether to move from the withdrawal vault, in wei.
    /// @param refTimestamp Time of the beacon state the report describes (its reference slot's time), Unix seconds.
    /// @return result Total pooled ether and shares before and after the report.
    function handleOracleReport(
        uint256 beaconValidators,
        uint256 beaconBalance,
        uint256 withdrawalVaultBalance,
        uint256 refTimestamp
    ) external returns (ReportResult memory result);

    /// @notice Receives ether from the withdrawal vault during a report. Only the withdrawal vault.
    function receiveWithdrawalVaultEther() external payable;

    /// @notice Finalizes up to `maxRequests` withdrawal requests, first in first out, that were made before the last
    /// accounting report's reference time (`finalizableRequestId()`), paying each `min(value at request, value at the
    /// current share rate)` from the unreserved buffer. Anyone can call it; it stops at the first request the buffer
    /// cannot cover.
    /// @param maxRequests Upper bound on requests finalized in this call.
    /// @return finalized Number of requests finalized.
    function finalizeWithdrawals(uint256 maxRequests) external returns (uint256 finalized);

    /// @notice Wires the withdrawal vault, withdrawal queue and accounting oracle. Deployer only, once.
    /// @param withdrawalVault_ The withdrawal vault (its `stakingPool()` must be this pool).
    /// @param withdrawalQueue_ The withdrawal queue (its `stakingPool()` must be this pool).
    /// @param accountingOracle_ The accounting oracle (its `stakingPool()` must be this pool).
    function wireComponents(address withdrawalVault_, address withdrawalQueue_, address accountingOracle_) external;

    /// @notice Wires the validator registry. Deployer only, once.
    /// @param validatorRegistry_ The registry (its `stakingPool()` must be this pool).
    function setValidatorRegistry(address validatorRegistry_) external;

    /// @notice Ether held by the pool for deposits and withdrawals, in wei.
    /// @return The buffered ether.
    function bufferedEther() external view returns (uint256);

    /// @notice Buffered ether reserved for validator deposits (32 ETH per reservation, 31 ETH per predeposited
    /// validator awaiting its top-up), in wei.
    /// @return The reserved ether.
    function reservedEther() external view returns (uint256);

    /// @notice Predeposited validators (1 ETH deposited) awaiting their 31 ETH top-up or write-off.
    /// @return The count.
    function pendingTopUps() external view returns (uint256);

    /// @notice Buffered ether not reserved for validator deposits, in wei; only this can fund withdrawals.
    /// @return The unreserved buffered ether.
    function unreservedBufferedEther() external view returns (uint256);

    /// @notice Buffered ether a new validator reservation may take, in wei: the unreserved buffer minus the ether owed
    /// to unfinalized withdrawal requests (their value at request), floored at zero. Withdrawal demand is served first.
    /// @return The depositable ether.
    function depositableEther() external view returns (uint256);

    /// @notice The withdrawal credentials of every protocol validator: `0x01 ‖ 11 zero bytes ‖ withdrawalVault`.
    /// @return The credentials.
    function withdrawalCredentials() external view returns (bytes32);

    /// @notice Validators deposited in full (32 ETH) by the pool so far; predeposits awaiting their top-up are not
    /// counted (see `pendingTopUps`).
    /// @return The count.
    function depositedValidators() external view returns (uint256);

    /// @notice Last reported beacon-chain validator count and balance.
    /// @return validators Validators seen by the beacon chain.
    /// @return balance Their total balance in wei.
    function beaconStats() external view returns (uint256 validators, uint256 balance);

    /// @notice Highest withdrawal request id that may be finalized: the last request made strictly before the last
    /// report's reference time.
    /// @return The request id.
    function finalizableRequestId() external view returns (uint256);

    /// @notice Reference time of the last applied report (zero before the first).
    /// @return Unix seconds.
    function lastReportRefTimestamp() external view returns (uint256);

    /// @notice Recipient of the operators' 10% of positive rewards, as divETH shares.
    /// @return The recipient.
    function operatorRewardsRecipient() external view returns (address);

    /// @notice The beacon deposit contract.
    /// @return Its address.
    function depositContract() external view returns (address);

    /// @notice The withdrawal vault (zero until wired).
    /// @return Its address.
    function withdrawalVault() external view returns (address);

    /// @notice The withdrawal queue (zero until wired).
    /// @return Its address.
    function withdrawalQueue() external view returns (address);

    /// @notice The accounting oracle (zero until wired).
    /// @return Its address.
    function accountingOracle() external view returns (address);

    /// @notice The validator registry (zero until wired).
    /// @return Its address.
    function validatorRegistry() external view returns (address);
}
