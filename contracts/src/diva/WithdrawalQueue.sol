// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {ERC721Utils} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Utils.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IDivETH} from "../interfaces/IDivETH.sol";
import {IWithdrawalQueue} from "../interfaces/IWithdrawalQueue.sol";
import {IWrappedDivETH} from "../interfaces/IWrappedDivETH.sol";

/// @title WithdrawalQueue
/// @notice divETH withdrawal requests as ERC-721 receipts, finalized first in first out by the staking pool and claimed
/// by pull payment. See `IWithdrawalQueue`.
/// @dev A request is one storage slot, receipt owner included. `amountOfEther` holds the divETH value locked at request
/// until finalization, then the ether paid for it (never more: `min(value at request, value at finalization)`); the
/// `WithdrawalRequested` event keeps the original amount. The slot is deleted on claim.
/// The ERC-721 bookkeeping is this contract's own (OpenZeppelin's interfaces, errors and receiver check): instead of an
/// owner slot per token, each account that ever holds a receipt gets a 40-bit holder index once, stored next to its
/// receipt count, and a request records its owner's index. A request then writes one new slot instead of two. Token ids
/// are never reused, so a burnt receipt's approval is left in place: `getApproved` of a burnt id reverts anyway.
contract WithdrawalQueue is IERC721Metadata, IERC721Errors, IWithdrawalQueue {
    /// @notice Smallest request, in divETH (wei).
    uint256 public constant MIN_WITHDRAWAL_AMOUNT = 100 gwei;
    /// @notice Largest request, in divETH (wei).
    uint256 public constant MAX_WITHDRAWAL_AMOUNT = 1000 ether;

    /// @dev Widths: ether at most `MAX_WITHDRAWAL_AMOUNT` (< 2^80), shares as wide as before (uint96), Unix seconds,
    /// and the owner's holder index (zero for a claimed request).
    struct Request {
        uint80 amountOfEther;
        uint96 amountOfShares;
        uint40 timestamp;
        uint40 ownerIndex;
    }

    /// @dev An account's holder index (zero until it first holds a receipt) and its receipt count (ERC-721 balance).
    struct Holder {
        uint40 index;
        uint216 balance;
    }

    /// @dev Running totals of one finalization batch.
    struct Batch {
        uint256 etherToLock;
        uint256 sharesToBurn;
        uint256 requestedEther;
    }

    address private immutable _STAKING_POOL;
    IWrappedDivETH private immutable _WRAPPED_DIV_ETH;

    mapping(uint256 requestId => Request) private _requests;
    mapping(address account => Holder) private _holders;
    mapping(uint256 index => address) private _holderAccounts;
    mapping(uint256 requestId => address) private _tokenApprovals;
    mapping(address owner => mapping(address operator => bool)) private _operatorApprovals;
    // Packed: every request updates both in one storage write.
    uint64 private _lastRequestId;
    uint192 private _unfinalizedEther;
    // Packed: finalization and claims update the first and last together. Safe widths: ids and holder counts stay far
    // below 2^64 and 2^40, locked ether below the ether supply (< 2^152).
    uint64 private _lastFinalizedRequestId;
    uint40 private _holderCount;
    uint152 private _lockedEther;

    /// @param stakingPool_ The staking pool (divETH token).
    /// @param wrappedDivETH_ The wdivETH vault over that divETH.
    constructor(address stakingPool_, IWrappedDivETH wrappedDivETH_) {
        if (stakingPool_ == address(0) || address(wrappedDivETH_) == address(0)) revert ZeroAddress();
        _STAKING_POOL = stakingPool_;
        _WRAPPED_DIV_ETH = wrappedDivETH_;
    }

    /// @notice Receives finalized ether from the staking pool; nobody else can send ether.
    receive() external payable {
        if (msg.sender != _STAKING_POOL) revert NotStakingPool(msg.sender);
    }

    // ---------------------------------------------------------------- requests

    /// @inheritdoc IWithdrawalQueue
    function requestWithdrawal(uint256 amount, address owner) external override returns (uint256) {
        return _requestDivETH(amount, owner);
    }

    /// @inheritdoc IWithdrawalQueue
    function requestWithdrawalWithPermit(uint256 amount, address owner, PermitInput calldata permit)
        external
        override
        returns (uint256)
    {
        _permit(_STAKING_POOL, permit);
        return _requestDivETH(amount, owner);
    }

    /// @inheritdoc IWithdrawalQueue
    function requestWithdrawalWdivETH(uint256 amount, address owner) external override returns (uint256) {
        return _requestWdivETH(amount, owner);
    }

    /// @inheritdoc IWithdrawalQueue
    function requestWithdrawalWdivETHWithPermit(uint256 amount, address owner, PermitInput calldata permit)
        external
        override
        returns (uint256)
    {
        _permit(address(_WRAPPED_DIV_ETH), permit);
        return _requestWdivETH(amount, owner);
    }

    // ---------------------------------------------------------------- claims

    /// @inheritdoc IWithdrawalQueue
    function claimWithdrawal(uint256 requestId) external override {
        _sendEther(msg.sender, _claim(requestId, msg.sender));
    }

    /// @inheritdoc IWithdrawalQueue
    function claimWithdrawalTo(uint256 requestId, address receiver) external override {
        if (receiver == address(0)) revert ZeroAddress();
        _sendEther(receiver, _claim(requestId, receiver));
    }

    /// @inheritdoc IWithdrawalQueue
    function claimWithdrawals(uint256[] calldata requestIds) external override {
        uint256 total;
        for (uint256 i = 0; i < requestIds.length; ++i) {
            total += _claim(requestIds[i], msg.sender);
        }
        _sendEther(msg.sender, total);
    }

    // ---------------------------------------------------------------- finalization (staking pool)

    /// @inheritdoc IWithdrawalQueue
    function finalize(
        uint256 upToRequestId,
        uint256 maxRequests,
        uint256 availableEther,
        uint256 totalPooledEther,
        uint256 totalShares
    ) external override returns (uint256 lastFinalizedId, uint256 etherToLock, uint256 sharesToBurn) {
        if (msg.sender != _STAKING_POOL) revert NotStakingPool(msg.sender);
        uint256 firstId = _lastFinalizedRequestId + 1;
        uint256 lastId = Math.min(upToRequestId, _lastRequestId);
        if (lastId < firstId || maxRequests == 0) return (firstId - 1, 0, 0);
        if (lastId - firstId >= maxRequests) lastId = firstId + maxRequests - 1;
        Batch memory batch;
        lastFinalizedId = _finalizeRange(firstId, lastId, availableEther, totalPooledEther, totalShares, batch);
        if (lastFinalizedId < firstId) return (firstId - 1, 0, 0);
        _lastFinalizedRequestId = uint64(lastFinalizedId); // Safe: at most `_lastRequestId`, a uint64.
        // Safe: `_unfinalizedEther` is the sum of the pending requests' values, these ones included; locked ether is
        // bounded by the ether supply (< 2^152).
        _unfinalizedEther -= uint192(batch.requestedEther);
        _lockedEther += uint152(batch.etherToLock);
        emit WithdrawalsFinalized(firstId, lastFinalizedId, batch.etherToLock, batch.sharesToBurn);
        return (lastFinalizedId, batch.etherToLock, batch.sharesToBurn);
    }

    // ---------------------------------------------------------------- ERC-721

    /// @inheritdoc IERC721Metadata
    function name() external pure override returns (string memory) {
        return "Diva Withdrawal Request";
    }

    /// @inheritdoc IERC721Metadata
    function symbol() external pure override returns (string memory) {
        return "wqDIV";
    }

    /// @inheritdoc IERC721Metadata
    function tokenURI(uint256 tokenId) external view override returns (string memory) {
        _requireOwned(tokenId);
        return "";
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure override returns (bool) {
        return interfaceId == type(IERC721).interfaceId || interfaceId == type(IERC721Metadata).interfaceId
            || interfaceId == type(IERC165).interfaceId;
    }

    /// @inheritdoc IERC721
    function balanceOf(address owner) external view override returns (uint256) {
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _holders[owner].balance;
    }

    /// @inheritdoc IERC721
    function ownerOf(uint256 tokenId) external view override returns (address) {
        return _requireOwned(tokenId);
    }

    /// @inheritdoc IERC721
    function approve(address to, uint256 tokenId) external override {
        address owner = _requireOwned(tokenId);
        if (msg.sender != owner && !_operatorApprovals[owner][msg.sender]) revert ERC721InvalidApprover(msg.sender);
        _tokenApprovals[tokenId] = to;
        emit Approval(owner, to, tokenId);
    }

    /// @inheritdoc IERC721
    function getApproved(uint256 tokenId) external view override returns (address) {
        _requireOwned(tokenId);
        return _tokenApprovals[tokenId];
    }

    /// @inheritdoc IERC721
    function setApprovalForAll(address operator, bool approved) external override {
        if (operator == address(0)) revert ERC721InvalidOperator(operator);
        _operatorApprovals[msg.sender][operator] = approved;
        emit ApprovalForAll(msg.sender, operator, approved);
    }

    /// @inheritdoc IERC721
    function isApprovedForAll(address owner, address operator) external view override returns (bool) {
        return _operatorApprovals[owner][operator];
    }

    /// @inheritdoc IERC721
    function transferFrom(address from, address to, uint256 tokenId) public override {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        address owner = _ownerOf(tokenId);
        if (owner == address(0)) revert ERC721NonexistentToken(tokenId);
        if (
            msg.sender != owner && !_operatorApprovals[owner][msg.sender] && _tokenApprovals[tokenId] != msg.sender
        ) revert ERC721InsufficientApproval(msg.sender, tokenId);
        if (owner != from) revert ERC721IncorrectOwner(from, tokenId, owner);
        if (_tokenApprovals[tokenId] != address(0)) delete _tokenApprovals[tokenId];
        // Safe: `from` holds this receipt, and no account holds more than the ids ever issued (< 2^64).
        unchecked {
            --_holders[from].balance;
        }
        _requests[tokenId].ownerIndex = _addReceipt(to);
        emit Transfer(from, to, tokenId);
    }

    /// @inheritdoc IERC721
    function safeTransferFrom(address from, address to, uint256 tokenId) external override {
        safeTransferFrom(from, to, tokenId, "");
    }

    /// @inheritdoc IERC721
    function safeTransferFrom(address from, address to, uint256 tokenId, bytes memory data) public override {
        transferFrom(from, to, tokenId);
        ERC721Utils.checkOnERC721Received(msg.sender, from, to, tokenId, data);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IWithdrawalQueue
    function getWithdrawalStatus(uint256[] calldata requestIds)
        external
        view
        override
        returns (WithdrawalRequestStatus[] memory statuses)
    {
        statuses = new WithdrawalRequestStatus[](requestIds.length);
        for (uint256 i = 0; i < requestIds.length; ++i) {
            uint256 id = requestIds[i];
            if (id == 0 || id > _lastRequestId) revert InvalidRequestId(id);
            Request memory request = _requests[id];
            bool isFinalized = id <= _lastFinalizedRequestId;
            statuses[i] = WithdrawalRequestStatus({
                amountOfEther: request.amountOfEther,
                amountOfShares: request.amountOfShares,
                owner: _ownerOf(id),
                timestamp: request.timestamp,
                isFinalized: isFinalized,
                isClaimed: request.timestamp == 0
            });
        }
    }

    /// @inheritdoc IWithdrawalQueue
    function claimableEther(uint256 requestId) external view override returns (uint256) {
        if (requestId > _lastFinalizedRequestId) return 0;
        return _requests[requestId].amountOfEther;
    }

    /// @inheritdoc IWithdrawalQueue
    function lastRequestId() external view override returns (uint256) {
        return _lastRequestId;
    }

    /// @inheritdoc IWithdrawalQueue
    function lastRequestIdBefore(uint256 timestamp) external view override returns (uint256) {
        // Pending requests (after the last finalized one) are never claimed, so their timestamps are all set.
        uint256 low = _lastFinalizedRequestId;
        uint256 high = _lastRequestId;
        // Common case first: every pending request predates the reference time (one read).
        if (high == low || _requests[high].timestamp < timestamp) return high;
        // Invariant: requests up to `low` are before `timestamp` (or finalized), request `high` is not.
        while (high - low > 1) {
            uint256 mid = (low + high) / 2;
            if (_requests[mid].timestamp < timestamp) low = mid;
            else high = mid;
        }
        return low;
    }

    /// @inheritdoc IWithdrawalQueue
    function lastFinalizedRequestId() external view override returns (uint256) {
        return _lastFinalizedRequestId;
    }

    /// @inheritdoc IWithdrawalQueue
    function unfinalizedEther() external view override returns (uint256) {
        return _unfinalizedEther;
    }

    /// @inheritdoc IWithdrawalQueue
    function lockedEther() external view override returns (uint256) {
        return _lockedEther;
    }

    /// @inheritdoc IWithdrawalQueue
    function stakingPool() external view override returns (address) {
        return _STAKING_POOL;
    }

    /// @inheritdoc IWithdrawalQueue
    function wrappedDivETH() external view override returns (address) {
        return address(_WRAPPED_DIV_ETH);
    }

    // ---------------------------------------------------------------- internal

    function _requestDivETH(uint256 amount, address owner) private returns (uint256) {
        IDivETH divETH = IDivETH(_STAKING_POOL);
        uint256 shares = divETH.getSharesByPooledEth(amount);
        // Returns the shares' value rounded down: the value locked by the request.
        uint256 value = divETH.transferSharesFrom(msg.sender, address(this), shares);
        return _createRequest(amount, value, shares, owner);
    }

    function _requestWdivETH(uint256 amount, address owner) private returns (uint256) {
        // One wdivETH is one divETH share: redeeming sends exactly `amount` shares to this queue.
        IERC20(address(_WRAPPED_DIV_ETH)).transferFrom(msg.sender, address(this), amount);
        uint256 value = _WRAPPED_DIV_ETH.redeem(amount, address(this), address(this));
        return _createRequest(value, value, amount, owner);
    }

    /// @dev `amount` is checked against the limits; `value` (the shares' value at request, rounded down) is locked.
    function _createRequest(uint256 amount, uint256 value, uint256 shares, address owner)
        private
        returns (uint256 requestId)
    {
        if (amount < MIN_WITHDRAWAL_AMOUNT) revert RequestAmountTooSmall(amount, MIN_WITHDRAWAL_AMOUNT);
        if (amount > MAX_WITHDRAWAL_AMOUNT) revert RequestAmountTooLarge(amount, MAX_WITHDRAWAL_AMOUNT);
        if (owner == address(0)) owner = msg.sender;
        // Safe casts: ids stay far below 2^64; pending value is bounded by the ether supply, far below 2^192.
        requestId = _lastRequestId + 1;
        _lastRequestId = uint64(requestId);
        _unfinalizedEther += uint192(value);
        // Safe casts: value is at most `amount` (< 2^80), shares are its share equivalent (< 2^96 unless the rate fell
        // below 1e-8, as before); the owner's index fits 40 bits (see `_addReceipt`).
        _requests[requestId] = Request({
            amountOfEther: uint80(value),
            amountOfShares: uint96(shares),
            timestamp: uint40(block.timestamp),
            ownerIndex: _addReceipt(owner)
        });
        emit WithdrawalRequested(requestId, msg.sender, owner, value, shares);
        emit Transfer(address(0), owner, requestId);
    }

    /// @dev Checks ownership and finalization, deletes the request, burns the receipt; returns the ether to pay.
    function _claim(uint256 requestId, address receiver) private returns (uint256 amount) {
        if (requestId > _lastFinalizedRequestId) revert RequestNotFinalized(requestId, _lastFinalizedRequestId);
        Request memory request = _requests[requestId];
        if (request.ownerIndex == 0) revert InvalidRequestId(requestId);
        // The caller's own holder record gives its index: no read of the owner's address on the happy path.
        Holder storage holder = _holders[msg.sender];
        if (holder.index != request.ownerIndex) {
            revert NotRequestOwner(requestId, msg.sender, _holderAccounts[request.ownerIndex]);
        }
        amount = request.amountOfEther;
        delete _requests[requestId];
        // Safe: `_lockedEther` is the sum of the finalized, unclaimed requests' amounts, this one included; the caller
        // holds this receipt.
        unchecked {
            _lockedEther -= uint152(amount);
            --holder.balance;
        }
        emit Transfer(msg.sender, address(0), requestId);
        emit WithdrawalClaimed(requestId, msg.sender, receiver, amount);
    }

    /// @dev Counts one more receipt for `account`, giving it a holder index on its first; returns the index.
    function _addReceipt(address account) private returns (uint40 index) {
        Holder storage holder = _holders[account];
        index = holder.index;
        if (index == 0) {
            // Safe: each new holder costs a transaction's gas; 2^40 - 1 holders cannot be reached.
            index = _holderCount + 1;
            _holderCount = index;
            holder.index = index;
            _holderAccounts[index] = account;
        }
        // Safe: no account holds more receipts than the ids ever issued (< 2^64).
        unchecked {
            ++holder.balance;
        }
    }

    /// @dev The owner of `tokenId`, zero if it does not exist (never issued or claimed).
    function _ownerOf(uint256 tokenId) private view returns (address) {
        uint256 index = _requests[tokenId].ownerIndex;
        return index == 0 ? address(0) : _holderAccounts[index];
    }

    /// @dev The owner of `tokenId`; reverts with `ERC721NonexistentToken` if there is none.
    function _requireOwned(uint256 tokenId) private view returns (address owner) {
        owner = _ownerOf(tokenId);
        if (owner == address(0)) revert ERC721NonexistentToken(tokenId);
    }

    /// @dev Finalizes `firstId..lastId` in order while `availableEther` covers the payouts, recording each payout in
    /// place of the value at request; returns the last id finalized (`firstId - 1` if none).
    function _finalizeRange(
        uint256 firstId,
        uint256 lastId,
        uint256 availableEther,
        uint256 totalPooledEther,
        uint256 totalShares,
        Batch memory batch
    ) private returns (uint256) {
        uint256 id = firstId;
        for (; id <= lastId; ++id) {
            Request storage request = _requests[id];
            uint256 shares = request.amountOfShares;
            uint256 requested = request.amountOfEther;
            uint256 payout = Math.min(requested, Math.mulDiv(shares, totalPooledEther, totalShares));
            // Strict FIFO: stop at the first request the available ether cannot cover.
            if (batch.etherToLock + payout > availableEther) break;
            batch.etherToLock += payout;
            batch.sharesToBurn += shares;
            batch.requestedEther += requested;
            // Safe: `payout` is at most the stored uint80 value.
            request.amountOfEther = uint80(payout);
        }
        return id - 1;
    }

    function _sendEther(address receiver, uint256 amount) private {
        (bool ok,) = receiver.call{value: amount}("");
        if (!ok) revert EtherTransferFailed(receiver, amount);
    }

    /// @dev Applies a permit for `msg.sender`; tolerates a permit already used by a front-runner as long as the
    /// allowance is in place (the request itself then fails if it is not).
    function _permit(address token, PermitInput calldata permit) private {
        try IERC20Permit(token).permit(
            msg.sender, address(this), permit.value, permit.deadline, permit.v, permit.r, permit.s
        ) {}
            catch {}
    }
}
