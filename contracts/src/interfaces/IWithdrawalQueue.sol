// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IWithdrawalQueue
/// @notice Queue of divETH withdrawal requests. Each request is an ERC-721 token (transferable receipt). Requests are
/// finalized strictly first in first out by the staking pool at `min(rate at request, rate at finalization)`, then
/// claimed by the token owner (pull payment; the token is burnt).
interface IWithdrawalQueue {
    /// @notice EIP-2612 permit parameters for the token being withdrawn.
    struct PermitInput {
        uint256 value;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice Status of one request, for wallets.
    /// @param amountOfEther divETH value locked at request while pending; the ether claimable once finalized (never
    /// more than the value at request).
    /// @param amountOfShares divETH shares locked at request (burnt at finalization).
    /// @param owner Current owner of the receipt token (zero once claimed).
    /// @param timestamp Request time (zero once claimed).
    /// @param isFinalized Whether the request is finalized.
    /// @param isClaimed Whether the ether was claimed.
    struct WithdrawalRequestStatus {
        uint256 amountOfEther;
        uint256 amountOfShares;
        address owner;
        uint256 timestamp;
        bool isFinalized;
        bool isClaimed;
    }

    /// @notice Request `requestId` was created.
    /// @param requestId The request (and token) id.
    /// @param requestor The account whose divETH or wdivETH was taken.
    /// @param owner The owner of the receipt token.
    /// @param amountOfEther divETH value locked, in wei.
    /// @param amountOfShares divETH shares locked.
    event WithdrawalRequested(
        uint256 indexed requestId,
        address indexed requestor,
        address indexed owner,
        uint256 amountOfEther,
        uint256 amountOfShares
    );
    /// @notice Requests `fromRequestId..toRequestId` were finalized.
    /// @param fromRequestId First request finalized.
    /// @param toRequestId Last request finalized.
    /// @param etherLocked Ether locked for their claims, in wei.
    /// @param sharesBurnt Their shares, burnt by the pool.
    event WithdrawalsFinalized(
        uint256 indexed fromRequestId, uint256 indexed toRequestId, uint256 etherLocked, uint256 sharesBurnt
    );
    /// @notice Request `requestId` was claimed.
    /// @param requestId The request.
    /// @param owner The receipt owner that claimed.
    /// @param receiver The ether recipient.
    /// @param amountOfEther Ether paid, in wei.
    event WithdrawalClaimed(
        uint256 indexed requestId, address indexed owner, address indexed receiver, uint256 amountOfEther
    );

    /// @notice The request is below the minimum.
    error RequestAmountTooSmall(uint256 amount, uint256 min);
    /// @notice The request is above the maximum.
    error RequestAmountTooLarge(uint256 amount, uint256 max);
    /// @notice The request id does not exist or was already claimed.
    error InvalidRequestId(uint256 requestId);
    /// @notice The request is not finalized yet.
    error RequestNotFinalized(uint256 requestId, uint256 lastFinalizedRequestId);
    /// @notice The caller does not own the request.
    error NotRequestOwner(uint256 requestId, address caller, address owner);
    /// @notice The caller is not the staking pool.
    error NotStakingPool(address caller);
    /// @notice Sending `amount` wei to `receiver` failed.
    error EtherTransferFailed(address receiver, uint256 amount);
    /// @notice An address is zero.
    error ZeroAddress();

    /// @notice Requests the withdrawal of `amount` divETH of the caller (approved to this queue).
    /// @param amount divETH amount, within `[MIN_WITHDRAWAL_AMOUNT, MAX_WITHDRAWAL_AMOUNT]`.
    /// @param owner Owner of the receipt token; zero means the caller.
    /// @return requestId The new request id.
    function requestWithdrawal(uint256 amount, address owner) external returns (uint256 requestId);

    /// @notice `requestWithdrawal` with an EIP-2612 permit for divETH.
    /// @param amount divETH amount.
    /// @param owner Owner of the receipt token; zero means the caller.
    /// @param permit The permit signed by the caller for this queue.
    /// @return requestId The new request id.
    function requestWithdrawalWithPermit(uint256 amount, address owner, PermitInput calldata permit)
        external
        returns (uint256 requestId);

    /// @notice Requests the withdrawal of the divETH behind `amount` wdivETH of the caller (approved to this queue).
    /// @param amount wdivETH amount; its divETH value must be within the request limits.
    /// @param owner Owner of the receipt token; zero means the caller.
    /// @return requestId The new request id.
    function requestWithdrawalWdivETH(uint256 amount, address owner) external returns (uint256 requestId);

    /// @notice `requestWithdrawalWdivETH` with an EIP-2612 permit for wdivETH.
    /// @param amount wdivETH amount.
    /// @param owner Owner of the receipt token; zero means the caller.
    /// @param permit The permit signed by the caller for this queue.
    /// @return requestId The new request id.
    function requestWithdrawalWdivETHWithPermit(uint256 amount, address owner, PermitInput calldata permit)
        external
        returns (uint256 requestId);

    /// @notice Claims finalized request `requestId` to the caller, who must own it. Burns the receipt.
    /// @param requestId The request.
    function claimWithdrawal(uint256 requestId) external;

    /// @notice Claims finalized request `requestId` to `receiver`; the caller must own it. Burns the receipt.
    /// @param requestId The request.
    /// @param receiver The ether recipient.
    function claimWithdrawalTo(uint256 requestId, address receiver) external;

    /// @notice Claims several finalized requests owned by the caller to the caller in one transfer.
    /// @param requestIds The requests.
    function claimWithdrawals(uint256[] calldata requestIds) external;

    /// @notice Finalizes requests after the last finalized one, up to `upToRequestId` and at most `maxRequests`, while
    /// `availableEther` covers them, at `min(value at request, shares * totalPooledEther / totalShares)`. The pool then
    /// burns `sharesToBurn` from this queue and sends `etherToLock`. Only the staking pool.
    /// @param upToRequestId Highest id eligible.
    /// @param maxRequests Maximum number of requests to finalize.
    /// @param availableEther Ether the pool can spend, in wei.
    /// @param totalPooledEther The pool's total pooled ether (current share rate numerator).
    /// @param totalShares The pool's total shares (current share rate denominator).
    /// @return lastFinalizedRequestId The last finalized id after this call.
    /// @return etherToLock Ether the pool must send.
    /// @return sharesToBurn Shares the pool must burn from the queue.
    function finalize(
        uint256 upToRequestId,
        uint256 maxRequests,
        uint256 availableEther,
        uint256 totalPooledEther,
        uint256 totalShares
    ) external returns (uint256 lastFinalizedRequestId, uint256 etherToLock, uint256 sharesToBurn);

    /// @notice Status of each request in `requestIds`.
    /// @param requestIds The requests.
    /// @return statuses One status per id.
    function getWithdrawalStatus(uint256[] calldata requestIds)
        external
        view
        returns (WithdrawalRequestStatus[] memory statuses);

    /// @notice Ether claimable now for `requestId` (zero if pending or already claimed).
    /// @param requestId The request.
    /// @return The claimable ether in wei.
    function claimableEther(uint256 requestId) external view returns (uint256);

    /// @notice The id of the most recent request (zero before the first).
    /// @return The id.
    function lastRequestId() external view returns (uint256);

    /// @notice The id of the last request made strictly before `timestamp`, never below `lastFinalizedRequestId()`
    /// (request times never decrease with ids, so a binary search over the pending requests finds it).
    /// @param timestamp A report's reference time, Unix seconds.
    /// @return The request id.
    function lastRequestIdBefore(uint256 timestamp) external view returns (uint256);

    /// @notice The id of the last finalized request (zero before the first finalization).
    /// @return The id.
    function lastFinalizedRequestId() external view returns (uint256);

    /// @notice divETH value locked by requests not finalized yet (at their request rate), in wei: the withdrawal
    /// demand the buffer has still to cover.
    /// @return The pending value.
    function unfinalizedEther() external view returns (uint256);

    /// @notice Ether held for finalized, unclaimed requests, in wei.
    /// @return The locked ether.
    function lockedEther() external view returns (uint256);

    /// @notice The staking pool (and divETH token).
    /// @return Its address.
    function stakingPool() external view returns (address);

    /// @notice The wdivETH vault.
    /// @return Its address.
    function wrappedDivETH() external view returns (address);
}
