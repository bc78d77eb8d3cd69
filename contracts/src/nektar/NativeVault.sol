// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IDepositContract} from "../interfaces/IDepositContract.sol";
import {SSZ} from "../libraries/SSZ.sol";
import {INativeVault} from "./interfaces/INativeVault.sol";

/// @title NativeVault
/// @notice Native restaking: ether in, 0x02 validators out, native shares delegated through a `RestakingVault` over
/// this contract, slashes settled in ether through EIP-7002. See `INativeVault` for the rules.
/// @dev Share conversions use one virtual share and one virtual wei (OpenZeppelin ERC-4626 offset 0): deposits round
/// shares down, burns round ether down, so rounding always favours the vault. Ether sent to the vault without
/// `deposit` (beacon withdrawals, donations) never moves the rate until an oracle report counts it as withdrawn, so a
/// first depositor cannot inflate the rate.
contract NativeVault is INativeVault, ReentrancyGuardTransient {
    using SafeCast for uint256;

    /// @notice The EIP-7002 withdrawal request contract.
    address public constant WITHDRAWAL_REQUEST_PREDEPLOY = 0x00000961Ef480Eb55e80D19ad83579A64c007002;
    /// @notice Ether of one validator.
    uint256 public constant DEPOSIT_SIZE = 32 ether;
    /// @notice Ether deposited before the credentials are proven (front-running protection, as in the Diva pool).
    uint256 public constant PREDEPOSIT_SIZE = 1 ether;
    /// @notice Ether of the top-up after the proof.
    uint256 public constant TOP_UP_SIZE = DEPOSIT_SIZE - PREDEPOSIT_SIZE;
    /// @notice How long requested withdrawals count as in flight before new requests may be sent.
    uint256 public constant REQUEST_TIMEOUT = 1 days;
    /// @notice Gas forwarded with a pushed payout; a recipient that needs more claims it instead.
    uint256 public constant PAYOUT_GAS = 100_000;
    /// @notice Operators' share of positive rewards, in basis points.
    uint256 public immutable FEE_BPS;

    uint256 private constant _BPS = 10_000;
    uint256 private constant _PUBKEY_LENGTH = 48;
    /// @dev Deposits stop when one wei backs more than this many shares.
    uint256 private constant _MIN_RATE_INVERSE = 1e6;
    /// @dev 0x02 (compounding) credential prefix in the most significant byte.
    uint256 private constant _COMPOUNDING_PREFIX = 2 << 248;
    /// @dev `hash_tree_root` of the 96-byte zero signature of a top-up (see `StakingPool`).
    bytes32 private constant _ZERO_SIGNATURE_ROOT = 0xdb56114e00fdd4c1f85c892bf35ac9a89289aaecb1ebd0a96cde606a748b5d71;
    /// @dev 31 ETH in gwei, little-endian in the first 8 bytes of a chunk.
    bytes32 private constant _TOP_UP_AMOUNT_CHUNK = bytes32(uint256(0x0076be3707000000) << 192);

    uint8 private constant _KEY_PREDEPOSITED = 1;
    uint8 private constant _KEY_DEPOSITED = 2;
    uint8 private constant _KEY_WRITTEN_OFF = 3;

    address private immutable _DEPLOYER;
    address private immutable _DEPOSIT_CONTRACT;
    address private immutable _FEE_RECIPIENT;

    /// @dev Cumulative flows (wei): what stakers deposited, what went to the deposit contract, what was paid out;
    /// and what is owed: unsettled queue entries and refused payouts waiting for a claim.
    struct Flows {
        uint256 stakerIn;
        uint256 depositedOut;
        uint256 paidOut;
        uint256 owedQueued;
        uint256 refusedTotal;
    }

    /// @dev The last oracle report.
    struct Report {
        uint256 refTimestamp;
        uint256 validators;
        uint256 balance;
        uint256 withdrawnAtRef;
    }

    /// @dev EIP-7002 requests in flight: since `start`, `requested` wei were requested while `arrivals` had arrived.
    struct RequestWindow {
        uint256 start;
        uint256 arrivals;
        uint256 requested;
    }

    /// @dev Validator counters.
    struct Validators {
        uint128 deposited;
        uint128 pendingTopUps;
    }

    address private _restakingVault;
    address private _validatorRegistry;
    address private _oracle;

    mapping(address account => uint256) private _shares;
    uint256 private _totalShares;
    Flows private _flows;
    Report private _report;
    RequestWindow private _window;
    Validators private _validators;

    bytes[] private _keys;
    mapping(bytes32 keyHash => uint8 state) private _keyState;
    mapping(bytes32 keyHash => uint256 index) private _keyIndex;

    Payout[] private _payouts;
    uint256 private _nextPayout;
    mapping(address account => uint256) private _refused;

    /// @param depositContract_ The beacon deposit contract.
    /// @param feeRecipient Receives the operators' fee shares (the Diva operator rewards recipient).
    /// @param feeBps Operators' share of positive rewards (1,000 = 10%).
    constructor(address depositContract_, address feeRecipient, uint256 feeBps) {
        if (depositContract_ == address(0) || feeRecipient == address(0)) revert Wiring(msg.sender, address(0));
        if (feeBps > _BPS) revert FeeTooHigh(feeBps);
        _DEPLOYER = msg.sender;
        _DEPOSIT_CONTRACT = depositContract_;
        _FEE_RECIPIENT = feeRecipient;
        FEE_BPS = feeBps;
    }

    /// @notice Beacon withdrawals arrive without a call; other plain transfers are accepted and never counted by the
    /// rate until a report does (they cannot skew it).
    receive() external payable {}

    /// @inheritdoc INativeVault
    function wire(address restakingVault, address validatorRegistry, address oracle) external override {
        if (
            msg.sender != _DEPLOYER || _restakingVault != address(0) || restakingVault == address(0)
                || validatorRegistry == address(0) || oracle == address(0)
        ) revert Wiring(msg.sender, restakingVault);
        _restakingVault = restakingVault;
        _validatorRegistry = validatorRegistry;
        _oracle = oracle;
        emit ComponentsWired(restakingVault, validatorRegistry, oracle);
    }

    // ------------------------------------------------------------------ stakers

    /// @inheritdoc INativeVault
    function deposit() external payable override nonReentrant returns (uint256 shares) {
        if (msg.value == 0) revert ZeroAmount();
        uint256 pooled = _totalPooledEther();
        uint256 total = _totalShares;
        // After losses took (almost) everything, a deposit would mint shares by the billions per wei and buy into
        // the old holders' residual claims: deposits wait until a report shows value again.
        if (pooled * _MIN_RATE_INVERSE < total) revert VaultWipedOut(pooled, total);
        shares = Math.mulDiv(msg.value, total + 1, pooled + 1);
        if (shares == 0) revert ZeroAmount();
        _flows.stakerIn += msg.value;
        _mint(msg.sender, shares);
        emit Deposited(msg.sender, msg.value, shares);
    }

    /// @inheritdoc INativeVault
    function withdraw(uint256 shares, address recipient) external override nonReentrant returns (uint256 payoutId) {
        if (recipient == address(0)) revert ZeroRecipient();
        return _burnForPayout(msg.sender, recipient, shares);
    }

    /// @inheritdoc INativeVault
    function settlePayouts(uint256 maxPayouts) external override nonReentrant returns (uint256 settled) {
        uint256 next = _nextPayout;
        uint256 end = Math.min(_payouts.length, next + maxPayouts);
        uint256 liquid = _liquidEther();
        while (next < end) {
            Payout memory p = _payouts[next];
            if (p.amount > liquid) break;
            liquid -= p.amount;
            delete _payouts[next];
            _flows.owedQueued -= p.amount;
            ++next;
            ++settled;
            _flows.paidOut += p.amount;
            // A recipient that refuses ether (or needs more gas) cannot block the queue: its payout waits for a claim.
            (bool ok,) = p.recipient.call{value: p.amount, gas: PAYOUT_GAS}("");
            if (!ok) {
                _flows.paidOut -= p.amount;
                _refused[p.recipient] += p.amount;
                _flows.refusedTotal += p.amount;
            }
            emit PayoutSettled(next - 1, p.recipient, p.amount, ok);
        }
        _nextPayout = next;
    }

    /// @inheritdoc INativeVault
    function claimRefused(address recipient) external override nonReentrant returns (uint256 amount) {
        if (recipient == address(0)) revert ZeroRecipient();
        amount = _refused[msg.sender];
        if (amount == 0) revert NothingToClaim(msg.sender);
        delete _refused[msg.sender];
        _flows.refusedTotal -= amount;
        _flows.paidOut += amount;
        emit PayoutClaimed(msg.sender, recipient, amount);
        (bool ok,) = recipient.call{value: amount}("");
        if (!ok) revert EtherTransferFailed(recipient, amount);
    }

    /// @inheritdoc INativeVault
    function requestWithdrawal(uint256 index, uint64 amountGwei) external payable override nonReentrant {
        if (index >= _keys.length) revert UnknownValidator(index);
        bytes memory pubkey = _keys[index];
        if (_keyState[keccak256(pubkey)] != _KEY_DEPOSITED) revert UnknownValidator(index);
        uint256 fee = _withdrawalRequestFee();
        if (msg.value != fee) revert WrongWithdrawalRequestFee(msg.value, fee);
        uint256 arrivals = _arrivals() - msg.value;
        uint256 inFlight = _inFlight(arrivals);
        uint256 covered = _liquidEther() - msg.value + inFlight;
        uint256 owed = _flows.owedQueued;
        if (owed <= covered) revert NoShortfall(owed, covered);
        uint256 missing = owed - covered;
        uint256 requested;
        if (amountGwei == 0) {
            requested = DEPOSIT_SIZE;
        } else {
            // Never more than the shortfall (rounded up to whole gwei).
            uint256 maxGwei = Math.ceilDiv(missing, 1 gwei);
            if (amountGwei > maxGwei) amountGwei = uint64(maxGwei);
            requested = uint256(amountGwei) * 1 gwei;
        }
        if (inFlight == 0) _window = RequestWindow(block.timestamp, arrivals, 0);
        _window.requested += requested;
        emit WithdrawalRequested(index, pubkey, amountGwei, fee, requested);
        // EIP-7002 calldata: pubkey (48 bytes) ‖ amount in gwei (big-endian uint64); 0 = full exit.
        (bool ok,) = WITHDRAWAL_REQUEST_PREDEPLOY.call{value: fee}(abi.encodePacked(pubkey, amountGwei));
        if (!ok) revert WithdrawalRequestFailed();
    }

    // ------------------------------------------------------------------ restaking vault (divETH share calls)

    /// @inheritdoc INativeVault
    function transferShares(address recipient, uint256 shares) external override nonReentrant returns (uint256) {
        if (msg.sender != _restakingVault) revert NotRestakingVault(msg.sender);
        if (recipient == address(0)) revert ZeroRecipient();
        _burnForPayout(msg.sender, recipient, shares);
        return shares;
    }

    /// @inheritdoc INativeVault
    function transferSharesFrom(address sender, address recipient, uint256 shares)
        external
        override
        nonReentrant
        returns (uint256)
    {
        address vault = _restakingVault;
        if (msg.sender != vault) revert NotRestakingVault(msg.sender);
        if (recipient != vault) revert NonTransferable(sender, recipient);
        uint256 have = _shares[sender];
        if (shares > have) revert InsufficientShares(sender, have, shares);
        unchecked {
            _shares[sender] = have - shares; // Safe: checked above.
        }
        _shares[recipient] += shares;
        emit SharesTransferred(sender, recipient, shares);
        return shares;
    }

    // ------------------------------------------------------------------ validator registry

    /// @inheritdoc INativeVault
    function depositValidator(bytes calldata pubkey, bytes calldata signature, bytes32 depositDataRoot)
        external
        override
        nonReentrant
    {
        _onlyValidatorRegistry();
        if (pubkey.length != _PUBKEY_LENGTH) revert InvalidPubkeyLength(pubkey.length);
        bytes32 keyHash = keccak256(pubkey);
        if (_keyState[keyHash] != 0) revert KnownValidator(pubkey);
        uint256 free = _freeEther();
        if (free < DEPOSIT_SIZE) revert InsufficientFreeEther(free, DEPOSIT_SIZE);
        uint256 index = _keys.length;
        _keys.push(pubkey);
        _keyState[keyHash] = _KEY_PREDEPOSITED;
        _keyIndex[keyHash] = index;
        ++_validators.pendingTopUps;
        _flows.depositedOut += PREDEPOSIT_SIZE;
        emit ValidatorPredeposited(pubkey, index);
        IDepositContract(_DEPOSIT_CONTRACT).deposit{value: PREDEPOSIT_SIZE}(
            pubkey, abi.encodePacked(withdrawalCredentials()), signature, depositDataRoot
        );
    }

    /// @inheritdoc INativeVault
    function topUpValidator(bytes calldata pubkey) external override nonReentrant {
        _onlyValidatorRegistry();
        bytes32 keyHash = keccak256(pubkey);
        if (_keyState[keyHash] != _KEY_PREDEPOSITED) revert NoPendingTopUp(pubkey);
        _keyState[keyHash] = _KEY_DEPOSITED;
        --_validators.pendingTopUps;
        uint256 deposited = ++_validators.deposited;
        _flows.depositedOut += TOP_UP_SIZE;
        emit ValidatorDeposited(pubkey, _keyIndex[keyHash], deposited);
        bytes32 credentials = withdrawalCredentials();
        bytes32 root = SSZ.hashPair(
            SSZ.hashPair(SSZ.pubkeyRoot(pubkey), credentials), SSZ.hashPair(_TOP_UP_AMOUNT_CHUNK, _ZERO_SIGNATURE_ROOT)
        );
        IDepositContract(_DEPOSIT_CONTRACT).deposit{value: TOP_UP_SIZE}(
            pubkey, abi.encodePacked(credentials), new bytes(96), root
        );
    }

    /// @inheritdoc INativeVault
    function writeOffPredeposit(bytes calldata pubkey) external override {
        _onlyValidatorRegistry();
        bytes32 keyHash = keccak256(pubkey);
        if (_keyState[keyHash] != _KEY_PREDEPOSITED) revert NoPendingTopUp(pubkey);
        _keyState[keyHash] = _KEY_WRITTEN_OFF;
        --_validators.pendingTopUps;
        emit PredepositWrittenOff(pubkey);
    }

    // ------------------------------------------------------------------ oracle

    /// @inheritdoc INativeVault
    function handleReport(uint256 refTimestamp, uint256 validators, uint256 balance, uint256 withdrawnCumulative)
        external
        override
        nonReentrant
    {
        if (msg.sender != _oracle) revert NotOracle(msg.sender);
        if (refTimestamp <= _report.refTimestamp || refTimestamp > block.timestamp) {
            revert StaleReport(refTimestamp, _report.refTimestamp);
        }
        if (
            validators > _validators.deposited || validators < _report.validators
                || withdrawnCumulative < _report.withdrawnAtRef || withdrawnCumulative > _arrivals()
        ) revert InvalidReport(validators, withdrawnCumulative);
        uint256 before = _totalPooledEther();
        _report.refTimestamp = refTimestamp;
        _report.validators = validators;
        _report.balance = balance;
        _report.withdrawnAtRef = withdrawnCumulative;
        uint256 total = _totalPooledEther();
        uint256 feeShares;
        if (total > before && FEE_BPS != 0) {
            // Fee shares worth FEE_BPS of the rewards after minting: s = r·f·S / (T·BPS − r·f).
            uint256 feeWei = (total - before) * FEE_BPS;
            feeShares = Math.mulDiv(feeWei, _totalShares + 1, total * _BPS - feeWei + _BPS);
            if (feeShares != 0) _mint(_FEE_RECIPIENT, feeShares);
        }
        emit BalanceReported(refTimestamp, validators, balance, withdrawnCumulative, total, feeShares);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc INativeVault
    function sharesOf(address account) external view override returns (uint256) {
        return _shares[account];
    }

    /// @inheritdoc INativeVault
    function getTotalShares() external view override returns (uint256) {
        return _totalShares;
    }

    /// @inheritdoc INativeVault
    function getTotalPooledEther() external view override returns (uint256) {
        return _totalPooledEther();
    }

    /// @inheritdoc INativeVault
    function getPooledEthByShares(uint256 shares) public view override returns (uint256) {
        return Math.mulDiv(shares, _totalPooledEther() + 1, _totalShares + 1);
    }

    /// @inheritdoc INativeVault
    function getSharesByPooledEth(uint256 amount) external view override returns (uint256) {
        return Math.mulDiv(amount, _totalShares + 1, _totalPooledEther() + 1);
    }

    /// @inheritdoc INativeVault
    function withdrawalCredentials() public view override returns (bytes32) {
        return bytes32(_COMPOUNDING_PREFIX | uint256(uint160(address(this))));
    }

    /// @inheritdoc INativeVault
    function owedEther() external view override returns (uint256) {
        return _flows.owedQueued + _flows.refusedTotal;
    }

    /// @inheritdoc INativeVault
    function shortfall() external view override returns (uint256) {
        uint256 covered = _liquidEther() + _inFlight(_arrivals());
        return _flows.owedQueued > covered ? _flows.owedQueued - covered : 0;
    }

    /// @inheritdoc INativeVault
    function payoutOf(uint256 payoutId) external view override returns (Payout memory) {
        return _payouts[payoutId];
    }

    /// @inheritdoc INativeVault
    function payoutQueue() external view override returns (uint256 next, uint256 length) {
        return (_nextPayout, _payouts.length);
    }

    /// @inheritdoc INativeVault
    function validatorStats() external view override returns (uint256 deposited, uint256 pendingTopUps, uint256 reported) {
        return (_validators.deposited, _validators.pendingTopUps, _report.validators);
    }

    /// @inheritdoc INativeVault
    function validatorKey(uint256 index) external view override returns (bytes memory) {
        return _keys[index];
    }

    /// @inheritdoc INativeVault
    function refusedOf(address account) external view override returns (uint256) {
        return _refused[account];
    }

    /// @inheritdoc INativeVault
    function components() external view override returns (address, address, address) {
        return (_restakingVault, _validatorRegistry, _oracle);
    }

    // ------------------------------------------------------------------ internals

    function _onlyValidatorRegistry() private view {
        if (msg.sender != _validatorRegistry) revert NotValidatorRegistry(msg.sender);
    }

    function _mint(address account, uint256 shares) private {
        _totalShares += shares;
        _shares[account] += shares;
    }

    /// @dev Burns `shares` of `holder` at the current rate (ether rounded down) into a queued payout to `recipient`.
    function _burnForPayout(address holder, address recipient, uint256 shares) private returns (uint256 payoutId) {
        if (shares == 0) revert ZeroAmount();
        uint256 have = _shares[holder];
        if (shares > have) revert InsufficientShares(holder, have, shares);
        uint256 amount = getPooledEthByShares(shares);
        unchecked {
            _shares[holder] = have - shares; // Safe: checked above.
            _totalShares -= shares; // Safe: a holder's shares are part of the total.
        }
        payoutId = _payouts.length;
        _payouts.push(Payout(recipient, amount.toUint96()));
        _flows.owedQueued += amount;
        emit PayoutQueued(payoutId, holder, recipient, shares, amount);
    }

    /// @dev Ether backing the shares; see `INativeVault`. Clamped at zero (a report may show losses beyond it).
    function _totalPooledEther() private view returns (uint256) {
        uint256 assets = _flows.stakerIn + _report.withdrawnAtRef + _report.balance
            + (_validators.deposited - _report.validators) * DEPOSIT_SIZE + _validators.pendingTopUps * PREDEPOSIT_SIZE;
        uint256 liabilities = _flows.depositedOut + _flows.paidOut + _flows.owedQueued + _flows.refusedTotal;
        return assets > liabilities ? assets - liabilities : 0;
    }

    /// @dev Ether that arrived without `deposit` since deployment: beacon withdrawals, fees, donations.
    function _arrivals() private view returns (uint256) {
        return address(this).balance + _flows.depositedOut + _flows.paidOut - _flows.stakerIn;
    }

    /// @dev Balance minus refused payouts and the 31 ETH kept for each pending top-up: what may pay the queue.
    function _liquidEther() private view returns (uint256) {
        uint256 kept = _flows.refusedTotal + _validators.pendingTopUps * TOP_UP_SIZE;
        uint256 balance = address(this).balance;
        return balance > kept ? balance - kept : 0;
    }

    /// @dev Liquid ether not owed to the queue: what a new validator may use.
    function _freeEther() private view returns (uint256) {
        uint256 liquid = _liquidEther();
        return liquid > _flows.owedQueued ? liquid - _flows.owedQueued : 0;
    }

    /// @dev Requested wei not arrived yet, within the current window.
    function _inFlight(uint256 arrivals) private view returns (uint256) {
        if (block.timestamp > _window.start + REQUEST_TIMEOUT) return 0;
        uint256 arrived = arrivals - _window.arrivals;
        return _window.requested > arrived ? _window.requested - arrived : 0;
    }

    /// @dev EIP-7002: empty calldata returns the fee; a missing contract answers without data.
    function _withdrawalRequestFee() private view returns (uint256) {
        (bool ok, bytes memory data) = WITHDRAWAL_REQUEST_PREDEPLOY.staticcall("");
        if (!ok || data.length != 32) revert WithdrawalRequestFailed();
        return abi.decode(data, (uint256));
    }
}
