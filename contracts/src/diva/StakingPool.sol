// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAccountingOracle} from "../interfaces/IAccountingOracle.sol";
import {IDepositContract} from "../interfaces/IDepositContract.sol";
import {IOperatorFeeRecipient} from "../interfaces/IOperatorFeeRecipient.sol";
import {IStakingPool} from "../interfaces/IStakingPool.sol";
import {IValidatorRegistry} from "../interfaces/IValidatorRegistry.sol";
import {IWithdrawalQueue} from "../interfaces/IWithdrawalQueue.sol";
import {IWithdrawalVault} from "../interfaces/IWithdrawalVault.sol";
import {SSZ} from "../libraries/SSZ.sol";
import {DivETH} from "./DivETH.sol";

/// @title StakingPool
/// @notice The Diva staking pool and divETH token. See `IStakingPool` for the accounting model.
/// @dev First-depositor protection: the deployer must send at least `MIN_BOOTSTRAP_DEPOSIT` with the deployment; its
/// shares are minted to `LOCKED_SHARES_HOLDER` (0x…dEaD) and can never move, so total shares never return to zero and
/// the share rate cannot be set by a tiny first stake. Plain ether sent to the pool is a stake (it mints shares), so
/// ether cannot be donated to the pool to skew the rate; vault ether only counts through sanity-limited reports.
contract StakingPool is DivETH, IStakingPool {
    /// @notice Ether per validator deposit.
    uint256 public constant DEPOSIT_SIZE = 32 ether;
    /// @notice Ether of the first deposit for a validator, made before its withdrawal credentials are proven.
    uint256 public constant PREDEPOSIT_SIZE = 1 ether;
    /// @notice Ether of the top-up that completes a validator's deposit once its credentials are proven.
    uint256 public constant TOP_UP_SIZE = DEPOSIT_SIZE - PREDEPOSIT_SIZE;
    /// @notice Share of positive rewards minted to the operator rewards recipient, in basis points (10%).
    uint256 public constant OPERATOR_REWARDS_BP = 1000;
    /// @notice Minimum ether sent with the deployment; its shares are locked forever.
    uint256 public constant MIN_BOOTSTRAP_DEPOSIT = 1 gwei;
    /// @notice Holder of the shares minted for the deployment deposit; they can never be moved.
    address public constant LOCKED_SHARES_HOLDER = address(0xdEaD);

    uint256 private constant _BASIS_POINTS = 10_000;
    /// @dev 0x01 credential prefix in the most significant byte.
    uint256 private constant _ETH1_CREDENTIALS_PREFIX = 1 << 248;
    /// @dev `hash_tree_root` of the 96-byte zero signature a top-up carries: `sha256(z ‖ z)` with
    /// `z = sha256(0^64)` (the signature is three zero chunks padded to four).
    bytes32 private constant _ZERO_SIGNATURE_ROOT = 0xdb56114e00fdd4c1f85c892bf35ac9a89289aaecb1ebd0a96cde606a748b5d71;
    /// @dev 31 ETH in gwei, little-endian in the first 8 bytes of a chunk (SSZ `uint64`).
    bytes32 private constant _TOP_UP_AMOUNT_CHUNK = bytes32(uint256(0x0076be3707000000) << 192);

    address private immutable _DEPLOYER;
    address private immutable _DEPOSIT_CONTRACT;
    address private immutable _OPERATOR_REWARDS_RECIPIENT;

    // Packed hot accounting, one slot read by every stake and share conversion: the buffer, and the ether outside it
    // (`(depositedValidators - beaconValidators) * 32 ETH + beaconBalance + pendingTopUps * 1 ETH`, kept up to date
    // by deposits and reports), so total pooled ether is their sum. Then the validator counters.
    uint128 private _bufferedEther;
    uint128 private _consensusEther;
    uint64 private _depositedValidators;
    uint64 private _beaconValidators;
    uint64 private _reservedDeposits;
    uint64 private _pendingTopUps;

    address private _withdrawalVault;
    address private _withdrawalQueue;
    address private _accountingOracle;
    address private _validatorRegistry;
    // Packed: every report writes all three. Safe widths: request ids and Unix seconds stay far below 2^64.
    uint64 private _finalizableRequestId;
    uint64 private _lastReportRefTimestamp;
    uint128 private _beaconBalance;

    /// @param depositContract_ The beacon deposit contract.
    /// @param operatorRewardsRecipient_ Receives the operators' 10% of positive rewards as divETH shares.
    constructor(address depositContract_, address operatorRewardsRecipient_) payable {
        if (depositContract_ == address(0) || operatorRewardsRecipient_ == address(0)) revert ZeroAddress();
        if (msg.value < MIN_BOOTSTRAP_DEPOSIT) revert BootstrapDepositTooSmall(msg.value, MIN_BOOTSTRAP_DEPOSIT);
        _DEPLOYER = msg.sender;
        _DEPOSIT_CONTRACT = depositContract_;
        _OPERATOR_REWARDS_RECIPIENT = operatorRewardsRecipient_;
        _bufferedEther = SafeCast.toUint128(msg.value);
        // The mint's Transfer/TransferShares events to LOCKED_SHARES_HOLDER record the bootstrap deposit.
        _mintShares(LOCKED_SHARES_HOLDER, msg.value, msg.value);
    }

    /// @notice Plain ether transfers stake for the sender, like `stake()`.
    receive() external payable {
        _stake(address(0));
    }

    // ---------------------------------------------------------------- staking

    /// @inheritdoc IStakingPool
    function stake() external payable override returns (uint256 shares) {
        return _stake(address(0));
    }

    /// @inheritdoc IStakingPool
    function stakeWithReferral(address referral) external payable override returns (uint256 shares) {
        return _stake(referral);
    }

    // ---------------------------------------------------------------- validator registry

    /// @inheritdoc IStakingPool
    function reserveValidatorDeposit() external override {
        _onlyValidatorRegistry();
        uint256 available = depositableEther();
        if (available < DEPOSIT_SIZE) revert InsufficientUnreservedBuffer(available, DEPOSIT_SIZE);
        uint256 reserved = _reservedDeposits + 1;
        _reservedDeposits = uint64(reserved); // Safe: bounded by buffer / 32 ETH, far below 2^64.
        emit ValidatorDepositReserved(reserved);
    }

    /// @inheritdoc IStakingPool
    function releaseValidatorDeposit() external override {
        _onlyValidatorRegistry();
        uint256 reserved = _reservedDeposits;
        if (reserved == 0) revert NoReservedDeposit();
        _reservedDeposits = uint64(reserved - 1);
        emit ValidatorDepositReleased(reserved - 1);
    }

    /// @inheritdoc IStakingPool
    function depositValidator(bytes calldata pubkey, bytes calldata signature, bytes32 depositDataRoot)
        external
        override
    {
        _onlyValidatorRegistry();
        uint256 reserved = _reservedDeposits;
        if (reserved == 0) revert NoReservedDeposit();
        bytes32 credentials = withdrawalCredentials();
        uint256 pending = _pendingTopUps + 1;
        // Safe: a reservation guarantees the buffer holds at least 32 ETH per outstanding reservation; the 31 ETH kept
        // back move from the reservation to the pending top-up, so the unreserved buffer does not change.
        unchecked {
            _reservedDeposits = uint64(reserved - 1);
            _bufferedEther -= uint128(PREDEPOSIT_SIZE);
            // Safe: bounded by the ether ever staked, far below 2^128.
            _consensusEther += uint128(PREDEPOSIT_SIZE);
        }
        _pendingTopUps = uint64(pending); // Safe: bounded by buffer / 31 ETH, far below 2^64.
        emit ValidatorPredeposited(pubkey, pending);
        IDepositContract(_DEPOSIT_CONTRACT).deposit{value: PREDEPOSIT_SIZE}(
            pubkey, abi.encodePacked(credentials), signature, depositDataRoot
        );
    }

    /// @inheritdoc IStakingPool
    function topUpValidator(bytes calldata pubkey) external override {
        _onlyValidatorRegistry();
        uint256 pending = _pendingTopUps;
        if (pending == 0) revert NoPendingTopUp();
        bytes32 credentials = withdrawalCredentials();
        // Safe: each pending top-up keeps 31 ETH of the buffer reserved.
        unchecked {
            _pendingTopUps = uint64(pending - 1);
            _bufferedEther -= uint128(TOP_UP_SIZE);
            _consensusEther += uint128(TOP_UP_SIZE);
        }
        uint256 deposited = _depositedValidators + 1;
        _depositedValidators = uint64(deposited);
        emit ValidatorDeposited(pubkey, deposited);
        // DepositData(pubkey, credentials, 31 ETH, zero signature), as the deposit contract hashes it.
        bytes32 root = SSZ.hashPair(
            SSZ.hashPair(SSZ.pubkeyRoot(pubkey), credentials), SSZ.hashPair(_TOP_UP_AMOUNT_CHUNK, _ZERO_SIGNATURE_ROOT)
        );
        IDepositContract(_DEPOSIT_CONTRACT).deposit{value: TOP_UP_SIZE}(
            pubkey, abi.encodePacked(credentials), new bytes(96), root
        );
    }

    /// @inheritdoc IStakingPool
    function writeOffPredeposit(bytes calldata pubkey, uint256 bondShares) external override {
        _onlyValidatorRegistry();
        uint256 pending = _pendingTopUps;
        if (pending == 0) revert NoPendingTopUp();
        // Safe: each pending top-up carries 1 ETH in the consensus ether (reports keep it there, see
        // `handleOracleReport`).
        unchecked {
            _pendingTopUps = uint64(pending - 1);
            _consensusEther -= uint128(PREDEPOSIT_SIZE);
        }
        _burnShares(msg.sender, bondShares);
        emit PredepositWrittenOff(pubkey, bondShares);
    }

    /// @inheritdoc IStakingPool
    function burnShares(uint256 shares) external override {
        // The operator-rewards recipient burns the unearned part of each operator fee (to the holders).
        if (msg.sender != _OPERATOR_REWARDS_RECIPIENT) _onlyValidatorRegistry();
        _burnShares(msg.sender, shares);
        emit SharesBurned(msg.sender, shares);
    }

    // ---------------------------------------------------------------- accounting

    /// @inheritdoc IStakingPool
    function handleOracleReport(
        uint256 beaconValidators,
        uint256 beaconBalance,
        uint256 withdrawalVaultBalance,
        uint256 refTimestamp
    ) external override returns (ReportResult memory result) {
        if (msg.sender != _accountingOracle || msg.sender == address(0)) revert NotAccountingOracle(msg.sender);
        if (refTimestamp > block.timestamp) revert ReportFromFuture(refTimestamp, block.timestamp);
        uint256 lastRef = _lastReportRefTimestamp;
        if (refTimestamp <= lastRef) revert StaleReport(refTimestamp, lastRef);
        uint256 previousValidators = _beaconValidators;
        if (beaconValidators < previousValidators) revert BeaconValidatorsDecreased(previousValidators, beaconValidators);
        uint256 deposited = _depositedValidators;
        if (beaconValidators > deposited) revert BeaconValidatorsExceedDeposited(beaconValidators, deposited);

        result.preTotalPooledEther = _getTotalPooledEther();
        result.preTotalShares = getTotalShares();
        // Validators that appeared since the last report arrived with their 32 ETH deposit: that is not a reward.
        uint256 expectedBalance = _beaconBalance + (beaconValidators - previousValidators) * DEPOSIT_SIZE;
        uint256 reportedBalance = beaconBalance + withdrawalVaultBalance;

        _beaconValidators = uint64(beaconValidators); // Safe: bounded by `_depositedValidators`.
        _beaconBalance = SafeCast.toUint128(beaconBalance);
        _consensusEther = SafeCast.toUint128(
            (deposited - beaconValidators) * DEPOSIT_SIZE + beaconBalance + uint256(_pendingTopUps) * PREDEPOSIT_SIZE
        );
        if (withdrawalVaultBalance > 0) {
            _bufferedEther = SafeCast.toUint128(_bufferedEther + withdrawalVaultBalance);
            IWithdrawalVault(_withdrawalVault).withdrawToPool(withdrawalVaultBalance);
        }
        result.postTotalPooledEther = _getTotalPooledEther();

        uint256 rewards = reportedBalance > expectedBalance ? reportedBalance - expectedBalance : 0;
        if (rewards > 0) {
            result.sharesMintedAsRewards = _mintOperatorRewards(rewards, result.postTotalPooledEther, result.preTotalShares);
        }
        result.postTotalShares = getTotalShares();
        // Rule 1 (late losses stay with the leaver): only requests made strictly before the reference point become
        // finalizable, so a request placed after a slashing the report does not cover waits for a report that does.
        // Safe casts: request ids stay far below 2^64, and `refTimestamp <= block.timestamp`.
        _finalizableRequestId = uint64(IWithdrawalQueue(_withdrawalQueue).lastRequestIdBefore(refTimestamp));
        _lastReportRefTimestamp = uint64(refTimestamp);
        emit OracleReportHandled(
            refTimestamp,
            beaconValidators,
            beaconBalance,
            withdrawalVaultBalance,
            rewards,
            result.postTotalPooledEther,
            result.postTotalShares
        );
    }

    /// @inheritdoc IStakingPool
    function receiveWithdrawalVaultEther() external payable override {
        if (msg.sender != _withdrawalVault || msg.sender == address(0)) revert NotWithdrawalVault(msg.sender);
    }

    /// @inheritdoc IStakingPool
    function finalizeWithdrawals(uint256 maxRequests) external override returns (uint256 finalized) {
        address queue = _withdrawalQueue;
        if (queue == address(0)) revert NotWired();
        uint256 firstId = IWithdrawalQueue(queue).lastFinalizedRequestId();
        (uint256 lastId, uint256 etherToLock, uint256 sharesToBurn) = IWithdrawalQueue(queue).finalize(
            _finalizableRequestId, maxRequests, unreservedBufferedEther(), _getTotalPooledEther(), getTotalShares()
        );
        finalized = lastId - firstId;
        if (finalized == 0) return 0;
        _burnShares(queue, sharesToBurn);
        // Safe: the queue only locks ether within the unreserved buffer passed to it.
        unchecked {
            _bufferedEther -= uint128(etherToLock);
        }
        emit WithdrawalsFinalized(lastId, etherToLock, sharesToBurn);
        (bool ok,) = queue.call{value: etherToLock}("");
        if (!ok) revert EtherTransferFailed(queue, etherToLock);
    }

    // ---------------------------------------------------------------- wiring (deployer, once)

    /// @inheritdoc IStakingPool
    function wireComponents(address withdrawalVault_, address withdrawalQueue_, address accountingOracle_)
        external
        override
    {
        if (msg.sender != _DEPLOYER) revert NotDeployer(msg.sender);
        if (_withdrawalVault != address(0)) revert AlreadyWired();
        _requireBound(withdrawalVault_, IWithdrawalVault(withdrawalVault_).stakingPool);
        _requireBound(withdrawalQueue_, IWithdrawalQueue(withdrawalQueue_).stakingPool);
        _requireBound(accountingOracle_, IAccountingOracle(accountingOracle_).stakingPool);
        _withdrawalVault = withdrawalVault_;
        _withdrawalQueue = withdrawalQueue_;
        _accountingOracle = accountingOracle_;
        emit ComponentsWired(withdrawalVault_, withdrawalQueue_, accountingOracle_);
    }

    /// @inheritdoc IStakingPool
    function setValidatorRegistry(address validatorRegistry_) external override {
        if (msg.sender != _DEPLOYER) revert NotDeployer(msg.sender);
        if (_validatorRegistry != address(0)) revert AlreadyWired();
        _requireBound(validatorRegistry_, IValidatorRegistry(validatorRegistry_).stakingPool);
        _validatorRegistry = validatorRegistry_;
        emit ValidatorRegistrySet(validatorRegistry_);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IStakingPool
    function bufferedEther() external view override returns (uint256) {
        return _bufferedEther;
    }

    /// @inheritdoc IStakingPool
    function reservedEther() public view override returns (uint256) {
        return uint256(_reservedDeposits) * DEPOSIT_SIZE + uint256(_pendingTopUps) * TOP_UP_SIZE;
    }

    /// @inheritdoc IStakingPool
    function pendingTopUps() external view override returns (uint256) {
        return _pendingTopUps;
    }

    /// @inheritdoc IStakingPool
    function unreservedBufferedEther() public view override returns (uint256) {
        // Never negative: reservations require unreserved ether and finalization only spends unreserved ether.
        return _bufferedEther - reservedEther();
    }

    /// @inheritdoc IStakingPool
    function depositableEther() public view override returns (uint256) {
        uint256 unreserved = unreservedBufferedEther();
        address queue = _withdrawalQueue;
        // Rule 2 (withdrawals before new validators): ether owed to unfinalized requests is set aside first.
        uint256 demand = queue == address(0) ? 0 : IWithdrawalQueue(queue).unfinalizedEther();
        return unreserved > demand ? unreserved - demand : 0;
    }

    /// @inheritdoc IStakingPool
    function withdrawalCredentials() public view override returns (bytes32) {
        address vault = _withdrawalVault;
        if (vault == address(0)) revert NotWired();
        return bytes32(_ETH1_CREDENTIALS_PREFIX | uint256(uint160(vault)));
    }

    /// @inheritdoc IStakingPool
    function depositedValidators() external view override returns (uint256) {
        return _depositedValidators;
    }

    /// @inheritdoc IStakingPool
    function beaconStats() external view override returns (uint256 validators, uint256 balance) {
        return (_beaconValidators, _beaconBalance);
    }

    /// @inheritdoc IStakingPool
    function finalizableRequestId() external view override returns (uint256) {
        return _finalizableRequestId;
    }

    /// @inheritdoc IStakingPool
    function lastReportRefTimestamp() external view override returns (uint256) {
        return _lastReportRefTimestamp;
    }

    /// @inheritdoc IStakingPool
    function operatorRewardsRecipient() external view override returns (address) {
        return _OPERATOR_REWARDS_RECIPIENT;
    }

    /// @inheritdoc IStakingPool
    function depositContract() external view override returns (address) {
        return _DEPOSIT_CONTRACT;
    }

    /// @inheritdoc IStakingPool
    function withdrawalVault() external view override returns (address) {
        return _withdrawalVault;
    }

    /// @inheritdoc IStakingPool
    function withdrawalQueue() external view override returns (address) {
        return _withdrawalQueue;
    }

    /// @inheritdoc IStakingPool
    function accountingOracle() external view override returns (address) {
        return _accountingOracle;
    }

    /// @inheritdoc IStakingPool
    function validatorRegistry() external view override returns (address) {
        return _validatorRegistry;
    }

    // ---------------------------------------------------------------- internal

    function _getTotalPooledEther() internal view override returns (uint256) {
        // `_consensusEther` counts the deposited validators not yet seen by the beacon chain at 32 ETH each.
        return uint256(_bufferedEther) + uint256(_consensusEther);
    }

    function _stake(address referral) private returns (uint256 shares) {
        if (msg.value == 0) revert ZeroStake();
        // Shares are priced before the ether is added and rounded down, so a stake never lowers the share rate.
        shares = getSharesByPooledEth(msg.value);
        if (shares == 0) revert StakeTooSmall(msg.value);
        _bufferedEther = SafeCast.toUint128(_bufferedEther + msg.value);
        _mintShares(msg.sender, shares, msg.value);
        emit Staked(msg.sender, msg.value, shares, referral);
    }

    /// @dev Mints shares worth `OPERATOR_REWARDS_BP` of `rewards` at the post-report rate: with `fee` the operators'
    /// ether, `shares = fee * totalShares / (totalPooledEther - fee)` makes the new shares worth `fee` (rounded down, in
    /// favour of holders).
    function _mintOperatorRewards(uint256 rewards, uint256 totalPooledEther, uint256 totalShares)
        private
        returns (uint256 shares)
    {
        uint256 fee = (rewards * OPERATOR_REWARDS_BP) / _BASIS_POINTS;
        if (fee == 0) return 0;
        shares = (fee * totalShares) / (totalPooledEther - fee);
        if (shares == 0) return 0;
        uint256 amount = getPooledEthByShares(shares);
        _mintShares(_OPERATOR_REWARDS_RECIPIENT, shares, amount);
        emit OperatorRewardsMinted(_OPERATOR_REWARDS_RECIPIENT, shares, amount);
        // A contract recipient (`OperatorRewards`) records the fee with its frame; an account recipient just holds it.
        if (_OPERATOR_REWARDS_RECIPIENT.code.length != 0) {
            IOperatorFeeRecipient(_OPERATOR_REWARDS_RECIPIENT).onOperatorFee(shares);
        }
    }

    function _onlyValidatorRegistry() private view {
        if (msg.sender != _validatorRegistry || msg.sender == address(0)) revert NotValidatorRegistry(msg.sender);
    }

    function _requireBound(address component, function() external view returns (address) stakingPoolOf)
        private
        view
    {
        if (component == address(0)) revert ZeroAddress();
        if (stakingPoolOf() != address(this)) revert ComponentNotBoundToPool(component);
    }
}
