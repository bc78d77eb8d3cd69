// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IExitManager
/// @notice Decides, permissionlessly and from on-chain facts only, which protocol validators must exit, and drives the
/// exit: it first asks the cluster for a free voluntary exit (an event Stinger answers by signing the exit with the
/// validator key), and after `voluntaryExitWindow()` lets anyone send the EIP-7002 full-withdrawal request through the
/// withdrawal vault (the validators' 0x01 credentials), paying the fee the EIP-7002 contract reports.
/// @dev Triggers (see `contracts/README.md`, "Exits"):
/// - withdrawal demand: the withdrawal queue owes more than the unreserved buffer, the vault's balance and the ether of
///   exits already in flight (32 ETH each) cover; the oldest exit-eligible validator (lowest id) goes first;
/// - lost bond: one of the validator's 16 operators was ejected by the registry.
/// An exit stays "in flight" (counted as expected inflow) until `settleExit` sees the registry record the validator
/// `Withdrawn` (proven by the accounting oracle from a beacon state).
interface IExitManager {
    /// @notice Why a validator was asked to exit.
    enum ExitReason {
        None,
        WithdrawalDemand,
        LostBond
    }

    /// @notice The exit record of a validator.
    /// @param reason Why it was asked to exit (`None`: never asked).
    /// @param requestedAt When the exit was requested (Unix seconds).
    /// @param lastWithdrawalRequestAt When the last EIP-7002 request was sent (0: none yet).
    /// @param settled The validator was proven withdrawn and no longer counts as expected inflow.
    struct ExitRecord {
        ExitReason reason;
        uint64 requestedAt;
        uint64 lastWithdrawalRequestAt;
        bool settled;
    }

    /// @notice The cluster of `validatorId` is asked to sign and publish a voluntary exit for `pubkey`.
    /// @param validatorId The validator (registry id).
    /// @param pubkey Its BLS public key.
    /// @param reason Why it must exit.
    /// @param withdrawalRequestAfter From this time on anyone may send the EIP-7002 request instead (Unix seconds).
    event ValidatorExitRequested(
        uint256 indexed validatorId, bytes pubkey, ExitReason reason, uint256 withdrawalRequestAfter
    );
    /// @notice An EIP-7002 full-withdrawal request was sent for `validatorId` through the vault.
    /// @param validatorId The validator.
    /// @param caller Who sent it and paid `fee`.
    /// @param fee Fee paid to the EIP-7002 contract, in wei.
    event WithdrawalRequestSent(uint256 indexed validatorId, address indexed caller, uint256 fee);
    /// @notice `validatorId` was proven withdrawn: its ether reached the vault and no longer counts as in flight.
    /// @param validatorId The validator.
    /// @param pendingExits Exits still in flight.
    event ExitSettled(uint256 indexed validatorId, uint256 pendingExits);

    /// @notice The staking pool is zero.
    error ZeroStakingPool();
    /// @notice The voluntary exit window is zero or longer than `max` seconds.
    error InvalidVoluntaryExitWindow(uint256 window, uint256 max);
    /// @notice The pool has no validator registry, withdrawal queue or withdrawal vault wired yet.
    error NotWired();
    /// @notice `validatorId` cannot be asked to exit: its registry status is `status` (only `Deposited` and `Active`
    /// validators can).
    error NotExitable(uint256 validatorId, uint8 status);
    /// @notice An exit was already requested for `validatorId` at `requestedAt`.
    error ExitAlreadyRequested(uint256 validatorId, uint256 requestedAt);
    /// @notice The withdrawal queue owes `demand` wei and `available` wei (unreserved buffer + vault balance + exits in
    /// flight) already cover it: no validator needs to exit.
    error DemandCovered(uint256 demand, uint256 available);
    /// @notice `validatorId` is not the next validator to exit for demand: `older` is older and exit-eligible.
    error NotNextInLine(uint256 validatorId, uint256 older);
    /// @notice `position` is not a cluster position (0..15).
    error InvalidClusterPosition(uint256 position);
    /// @notice The operator at `position` of the cluster, `operatorId`, was not ejected: its bond still backs the share.
    error OperatorNotEjected(uint256 validatorId, uint256 position, uint256 operatorId);
    /// @notice No exit was requested for `validatorId`.
    error ExitNotRequested(uint256 validatorId);
    /// @notice `validatorId` was already proven withdrawn and settled.
    error ExitAlreadySettled(uint256 validatorId);
    /// @notice The beacon chain already shows `validatorId` exiting (registry status `status`): no request is needed.
    error AlreadyExiting(uint256 validatorId, uint8 status);
    /// @notice The EIP-7002 request for `validatorId` can be sent only from `notBefore` (the cluster's voluntary exit
    /// window, or the wait after the previous request, has not passed).
    error WithdrawalRequestTooEarly(uint256 validatorId, uint256 notBefore);
    /// @notice `validatorId` is not yet proven withdrawn (registry status `status`).
    error NotWithdrawn(uint256 validatorId, uint8 status);

    /// @notice Asks the oldest exit-eligible validator to exit because withdrawal demand exceeds what the buffer, the
    /// vault and exits in flight will provide. Anyone may call. Validators with ids between the scan cursor and
    /// `validatorId` must all be ineligible (not `Deposited`/`Active`, or already exiting); the caller finds the id
    /// with `nextDemandExit`.
    /// @param validatorId The validator to exit.
    function requestExitForDemand(uint256 validatorId) external;

    /// @notice Asks a validator to exit because an operator of its cluster was ejected (its bond no longer backs its
    /// key share and resharing is not available). Anyone may call.
    /// @param validatorId The validator to exit.
    /// @param position Cluster position (0..15) of an ejected operator.
    function requestExitForLostBond(uint256 validatorId, uint256 position) external;

    /// @notice Sends the EIP-7002 full-withdrawal request (pubkey ‖ amount 0) for a validator whose exit was requested
    /// and that the registry does not yet show exiting, once `voluntaryExitWindow()` has passed since the exit request
    /// (and since any previous EIP-7002 request). The caller pays the fee the EIP-7002 contract reports out of
    /// `msg.value`; the excess is refunded to the caller. Anyone may call.
    /// @param validatorId The validator.
    function sendWithdrawalRequest(uint256 validatorId) external payable;

    /// @notice Stops counting a validator's exit as in flight once the registry records it `Withdrawn`. Anyone may call.
    /// @param validatorId The validator.
    function settleExit(uint256 validatorId) external;

    /// @notice The next validator `requestExitForDemand` would accept, scanning at most `maxScan` ids from the cursor.
    /// @param maxScan Upper bound on ids inspected.
    /// @return validatorId The validator id, or 0 if none was found within `maxScan` ids.
    function nextDemandExit(uint256 maxScan) external view returns (uint256 validatorId);

    /// @notice Withdrawal demand against what is expected to cover it.
    /// @return demand Ether owed to unfinalized withdrawal requests, in wei.
    /// @return available Unreserved buffer + withdrawal vault balance + 32 ETH per exit in flight, in wei.
    function withdrawalShortfall() external view returns (uint256 demand, uint256 available);

    /// @notice The exit record of `validatorId`.
    /// @param validatorId The validator.
    /// @return The record.
    function exitOf(uint256 validatorId) external view returns (ExitRecord memory);

    /// @notice Exits requested and not yet settled (each counted as 32 ETH of expected inflow).
    /// @return The count.
    function pendingExits() external view returns (uint256);

    /// @notice Lowest validator id the demand trigger still scans from (every lower id is permanently ineligible).
    /// @return The id.
    function demandCursor() external view returns (uint256);

    /// @notice Seconds the cluster has to publish a voluntary exit before the EIP-7002 request may be sent (also the
    /// wait between two EIP-7002 requests for the same validator).
    /// @return Seconds.
    function voluntaryExitWindow() external view returns (uint256);

    /// @notice The staking pool whose validators this manager exits.
    /// @return The pool address.
    function stakingPool() external view returns (address);
}
