// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title INativeVault
/// @notice Nektar native restaking: stakers deposit ether (any amount) and hold non-transferable **native shares** of
/// the ether this vault controls; 32-ETH batches become validators whose 0x02 (compounding, EIP-7251) withdrawal
/// credentials point at this vault. Native shares are delegated through a `RestakingVault` deployed over this vault
/// (the vault speaks the divETH share-transfer calls the restaking vault uses), so Networks, opt-ins and slashing apply
/// unchanged. Native shares only move between a holder and that restaking vault; every share the restaking vault
/// sends out (a claimed withdrawal, a slash to a Network's receiver or to the burn address, a reward in native shares)
/// is burnt at once at the current rate and becomes an ether **payout** in one FIFO queue, paid when the vault holds
/// the ether. A slash is therefore recorded against the restakers' claim immediately and every later withdrawal
/// queues behind it; when the queue lacks ether anyone may send an EIP-7002 withdrawal request (partial or full exit)
/// for one of the vault's validators, paying its fee.
/// Accounting (no per-validator proof): total ether = ether deposited by stakers + ether withdrawn to the vault up to
/// the last oracle report's reference time + the validators' balance in that report + ether in deposits the report
/// does not cover yet − ether sent to the deposit contract − ether owed or paid out. Only the wired oracle reports.
interface INativeVault {
    /// @notice Amount is zero.
    error ZeroAmount();
    /// @notice Recipient is the zero address.
    error ZeroRecipient();
    /// @notice Caller is not the restaking vault (the only mover of native shares).
    error NotRestakingVault(address caller);
    /// @notice Native shares can only be moved into the restaking vault.
    error NonTransferable(address from, address to);
    /// @notice Caller is not the validator registry.
    error NotValidatorRegistry(address caller);
    /// @notice Caller is not the oracle.
    error NotOracle(address caller);
    /// @notice Caller is not the deployer, or the component was already wired, or it is the zero address.
    error Wiring(address caller, address component);
    /// @notice A component the call needs is not wired yet.
    error NotWired();
    /// @notice Holder has fewer shares than asked.
    error InsufficientShares(address holder, uint256 have, uint256 need);
    /// @notice Free ether (balance − owed − kept for pending top-ups) is below what the call needs.
    error InsufficientFreeEther(uint256 free, uint256 need);
    /// @notice No predeposit is waiting for a top-up for this key.
    error NoPendingTopUp(bytes pubkey);
    /// @notice A predeposit for this key already exists or the key was deposited.
    error KnownValidator(bytes pubkey);
    /// @notice Public key is not 48 bytes.
    error InvalidPubkeyLength(uint256 length);
    /// @notice The report claims more validators than were deposited, or a cumulative withdrawal total that went
    /// down or exceeds what arrived.
    error InvalidReport(uint256 validators, uint256 withdrawnCumulative);
    /// @notice The report's reference time is not after the previous one.
    error StaleReport(uint256 refTimestamp, uint256 lastRefTimestamp);
    /// @notice No unpaid payouts exceed the ether held and already requested.
    error NoShortfall(uint256 owedUnpaid, uint256 covered);
    /// @notice Index is not one of the vault's validators.
    error UnknownValidator(uint256 index);
    /// @notice The EIP-7002 contract is missing or refused the request.
    error WithdrawalRequestFailed();
    /// @notice Fee sent does not match the EIP-7002 fee.
    error WrongWithdrawalRequestFee(uint256 sent, uint256 fee);
    /// @notice Nothing is claimable for the account.
    error NothingToClaim(address account);
    /// @notice Sending ether failed.
    error EtherTransferFailed(address recipient, uint256 amount);
    /// @notice Losses left less than one wei per million shares: deposits wait for a report showing value.
    error VaultWipedOut(uint256 pooledEther, uint256 totalShares);
    /// @notice Fee in basis points above 100%.
    error FeeTooHigh(uint256 feeBps);

    /// @notice `staker` deposited `amount` wei for `shares` native shares.
    event Deposited(address indexed staker, uint256 amount, uint256 shares);
    /// @notice `shares` of `holder` were burnt for a payout of `amount` wei to `recipient` (queue entry `payoutId`).
    event PayoutQueued(uint256 indexed payoutId, address indexed holder, address indexed recipient, uint256 shares, uint256 amount);
    /// @notice Payout `payoutId` was paid (`pushed`) or, when the recipient refused ether, made claimable.
    event PayoutSettled(uint256 indexed payoutId, address indexed recipient, uint256 amount, bool pushed);
    /// @notice `account` claimed `amount` wei of refused payouts.
    event PayoutClaimed(address indexed account, address recipient, uint256 amount);
    /// @notice A validator received its 1-ETH predeposit with the vault's credentials.
    event ValidatorPredeposited(bytes pubkey, uint256 index);
    /// @notice A validator received its 31-ETH top-up.
    event ValidatorDeposited(bytes pubkey, uint256 index, uint256 depositedValidators);
    /// @notice A predeposit front-run with foreign credentials was written off (1 ETH lost).
    event PredepositWrittenOff(bytes pubkey);
    /// @notice The oracle reported the vault's validators.
    event BalanceReported(
        uint256 refTimestamp, uint256 validators, uint256 balance, uint256 withdrawnCumulative, uint256 totalEther, uint256 feeShares
    );
    /// @notice An EIP-7002 request was sent for validator `index` (`amountGwei` 0 = full exit).
    event WithdrawalRequested(uint256 indexed index, bytes pubkey, uint64 amountGwei, uint256 fee, uint256 requestedWei);
    /// @notice Native shares moved from `from` to `to` (only into the restaking vault).
    event SharesTransferred(address indexed from, address indexed to, uint256 shares);
    /// @notice A component was wired.
    event ComponentsWired(address restakingVault, address validatorRegistry, address oracle);

    /// @notice A queued ether payout.
    /// @param recipient Who is paid.
    /// @param amount Wei owed.
    struct Payout {
        address recipient;
        uint96 amount;
    }

    /// @notice Wires the restaking vault (mover of native shares), the validator registry (creates validators) and
    /// the oracle (reports balances). Deployer only, once.
    function wire(address restakingVault, address validatorRegistry, address oracle) external;

    /// @notice Deposits `msg.value` wei for native shares minted to the caller (rounded down).
    /// @return shares Shares minted.
    function deposit() external payable returns (uint256 shares);

    /// @notice Burns `shares` of the caller's undelegated native shares for an ether payout to `recipient`, queued
    /// behind every earlier payout (slashes included).
    /// @return payoutId Queue entry.
    function withdraw(uint256 shares, address recipient) external returns (uint256 payoutId);

    /// @notice Pays up to `maxPayouts` queued payouts in order while the vault holds enough ether. Anyone.
    /// @return settled Payouts settled.
    function settlePayouts(uint256 maxPayouts) external returns (uint256 settled);

    /// @notice Sends an EIP-7002 withdrawal request for validator `index` when unpaid payouts exceed the ether held
    /// plus the ether already requested (requests lapse after `REQUEST_TIMEOUT`). `amountGwei` 0 asks for a full exit
    /// (counted as 32 ETH); otherwise at most the shortfall. Anyone; `msg.value` must equal the EIP-7002 fee.
    function requestWithdrawal(uint256 index, uint64 amountGwei) external payable;

    /// @notice Pays `msg.sender` the payouts its address refused, to `recipient`.
    function claimRefused(address recipient) external returns (uint256 amount);

    /// @notice Moves `shares` of `recipient`-bound native shares out of the restaking vault: burnt and queued as an
    /// ether payout to `recipient`. Restaking vault only.
    function transferShares(address recipient, uint256 shares) external returns (uint256);

    /// @notice Moves `shares` of `sender` into the restaking vault. Restaking vault only; `recipient` must be it.
    function transferSharesFrom(address sender, address recipient, uint256 shares) external returns (uint256);

    /// @notice Predeposits 1 ETH for a DKG'd validator with the vault's credentials. Validator registry only.
    function depositValidator(bytes calldata pubkey, bytes calldata signature, bytes32 depositDataRoot) external;

    /// @notice Tops up a predeposited validator with 31 ETH once its credentials are proven. Validator registry only.
    function topUpValidator(bytes calldata pubkey) external;

    /// @notice Writes off a predeposit whose key was front-run with foreign credentials. Validator registry only.
    function writeOffPredeposit(bytes calldata pubkey) external;

    /// @notice Oracle report over the vault's validators at `refTimestamp`: their number, their total balance and the
    /// cumulative ether withdrawn to the vault's credentials. Mints the operators' fee on positive rewards.
    function handleReport(uint256 refTimestamp, uint256 validators, uint256 balance, uint256 withdrawnCumulative)
        external;

    /// @notice Native shares of `account`.
    function sharesOf(address account) external view returns (uint256);
    /// @notice All native shares.
    function getTotalShares() external view returns (uint256);
    /// @notice Total ether backing the shares (see the accounting rule above).
    function getTotalPooledEther() external view returns (uint256);
    /// @notice Ether `shares` are worth now (rounded down).
    function getPooledEthByShares(uint256 shares) external view returns (uint256);
    /// @notice Shares `amount` wei buys now (rounded down).
    function getSharesByPooledEth(uint256 amount) external view returns (uint256);
    /// @notice The validators' withdrawal credentials: 0x02 ‖ 11 zero bytes ‖ this vault.
    function withdrawalCredentials() external view returns (bytes32);
    /// @notice Unpaid payouts plus refused payouts not yet claimed.
    function owedEther() external view returns (uint256);
    /// @notice Ether needed beyond the balance and the in-flight requests to pay every queued payout.
    function shortfall() external view returns (uint256);
    /// @notice Queue entry `payoutId` (amount 0 once settled).
    function payoutOf(uint256 payoutId) external view returns (Payout memory);
    /// @notice Next unsettled payout id and the number of payouts ever queued.
    function payoutQueue() external view returns (uint256 next, uint256 length);
    /// @notice Validators fully deposited, predeposits waiting for a top-up, and validators in the last report.
    function validatorStats() external view returns (uint256 deposited, uint256 pendingTopUps, uint256 reported);
    /// @notice Public key of validator `index` (in predeposit order).
    function validatorKey(uint256 index) external view returns (bytes memory);
    /// @notice Refused payouts claimable by `account`.
    function refusedOf(address account) external view returns (uint256);
    /// @notice The wired restaking vault, validator registry and oracle.
    function components() external view returns (address restakingVault, address validatorRegistry, address oracle);
}
