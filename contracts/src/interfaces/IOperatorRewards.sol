// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {PerformanceStatement} from "../libraries/PerformanceStatement.sol";
import {IOperatorFeeRecipient} from "./IOperatorFeeRecipient.sol";

/// @title IOperatorRewards
/// @notice The recipient of the operators' fee (10 % of each applied report's rewards, as divETH shares): it pays each
/// key share by its measured performance, with a disputable commitment per fee and cumulative Merkle claims. No key
/// moves money and nothing costs gas per validator per frame unless someone disputes. See `OperatorRewards` for the
/// design (what is committed, every dispute kind, why one honest watcher suffices).
interface IOperatorRewards is IOperatorFeeRecipient {
    /// @notice Where a distribution stands.
    enum Status {
        None,
        Pending,
        Voided,
        Final
    }

    /// @notice One key share's line of a distribution (a leaf of `sharesRoot`), with the running sums that make the
    /// totals disputable one link at a time. Leaves are sorted by (operatorId, validatorId, shareIndex), strictly.
    /// @param operatorId The registry's operator at the seat (`getRequest(validatorId).operatorIds[shareIndex - 1]`).
    /// @param validatorId The registry's validator (request) id, 1..validatorCount.
    /// @param shareIndex The share index, 1..16.
    /// @param hasStatement Whether the cluster signed a performance statement for the frame.
    /// @param expected Duties expected of the share (the statement's; 0 without one).
    /// @param contributed Duties it contributed to (the statement's; 0 without one).
    /// @param validatorWeight Σ of the statement's `expected` (the validator's weight in the fee; 0 without one).
    /// @param amount divETH shares this share earns for the fee.
    /// @param prefixPaid Σ `amount` of the leaves before this one.
    /// @param prefixWeight Σ `expected` of the leaves before this one.
    /// @param prefixPerf Σ performance (bps) of the leaves with a statement before this one.
    /// @param prefixCounted Number of leaves with a statement before this one.
    /// @param operatorCumulative The operator's cumulative earnings through this leaf: its cumulative of the previous
    /// distribution plus the amounts of its leaves up to this one.
    struct ShareLeaf {
        uint32 operatorId;
        uint32 validatorId;
        uint8 shareIndex;
        bool hasStatement;
        uint32 expected;
        uint32 contributed;
        uint64 validatorWeight;
        uint128 amount;
        uint128 prefixPaid;
        uint64 prefixWeight;
        uint64 prefixPerf;
        uint32 prefixCounted;
        uint128 operatorCumulative;
    }

    /// @notice A share leaf with its position and Merkle path in `sharesRoot`.
    struct ShareProof {
        uint256 position;
        ShareLeaf leaf;
        bytes32[] proof;
    }

    /// @notice An operator's cumulative earnings in the previous final distribution, with its path (ignored, and 0,
    /// when there is none or the operator lies beyond it).
    struct PriorCumulative {
        uint256 cumulative;
        bytes32[] proof;
    }

    /// @notice An operator's leaf of `operatorsRoot` with its path.
    struct OperatorProof {
        uint256 operatorId;
        uint256 cumulative;
        bytes32[] proof;
    }

    /// @notice What a poster commits for one fee.
    /// @param sharesRoot Positional Merkle root of the `16 × validatorCount` share leaves.
    /// @param operatorsRoot Positional Merkle root of `keccak256(abi.encode(operatorId, cumulative))` at position
    /// `operatorId`, for 0..operatorCount: what operators claim against.
    /// @param validatorCount The registry's `requestCount()` when posted.
    /// @param operatorCount The registry's `operatorCount()` when posted.
    /// @param totalWeight Σ `expected` over all leaves.
    /// @param totalPerf Σ performance (bps) over leaves with a statement.
    /// @param totalCounted Leaves with a statement.
    /// @param totalPaid Σ `amount` (≤ the fee; the rest goes to the holders).
    struct Commitment {
        bytes32 sharesRoot;
        bytes32 operatorsRoot;
        uint32 validatorCount;
        uint32 operatorCount;
        uint64 totalWeight;
        uint64 totalPerf;
        uint32 totalCounted;
        uint128 totalPaid;
    }

    /// @notice A fee received from the pool, and the distribution of it.
    /// @param frame The oracle frame whose applied report minted it.
    /// @param feeShares divETH shares minted.
    /// @param status Where its distribution stands.
    /// @param poster Who posted the pending or final commitment.
    /// @param deadline Disputes are accepted before it.
    struct Distribution {
        uint64 frame;
        uint128 feeShares;
        Status status;
        address poster;
        uint64 deadline;
    }

    /// @notice The evidence of a dispute by statement: the cluster's signed statement and the EIP-2537 points.
    struct SignedStatement {
        PerformanceStatement.Statement statement;
        bytes pubkeyPoint;
        bytes signature;
        bytes signaturePoint;
    }

    /// @notice What a successful dispute showed.
    enum DisputeKind {
        Statement,
        ShareRule,
        Link,
        OperatorTotal
    }

    /// @notice The pool minted the operator fee of `frame`'s report to this contract.
    event FeeReceived(uint256 indexed sequence, uint256 indexed frame, uint256 feeShares);
    /// @notice `poster` committed the distribution of fee `sequence`.
    event DistributionPosted(uint256 indexed sequence, address indexed poster, Commitment commitment, uint256 deadline);
    /// @notice `disputer` voided the distribution of fee `sequence` and was paid the poster's bond.
    event DistributionDisputed(uint256 indexed sequence, address indexed disputer, DisputeKind kind, uint256 bond);
    /// @notice The distribution of fee `sequence` became final; `toHolders` shares were burned.
    event DistributionFinalized(uint256 indexed sequence, uint256 paid, uint256 toHolders);
    /// @notice Operator `operatorId` claimed `shares` divETH shares (cumulative now `cumulative`).
    event RewardsClaimed(uint256 indexed operatorId, address indexed owner, uint256 shares, uint256 cumulative);
    /// @notice `account` withdrew `amount` wei of returned bonds and dispute payouts.
    event EtherWithdrawn(address indexed account, uint256 amount);

    /// @notice The caller is not the staking pool.
    error NotStakingPool(address caller);
    /// @notice A constructor argument is out of range.
    error InvalidConfig();
    /// @notice Distributions are posted in fee order: `sequence` is not the next one (`next`) or no fee is there.
    error NotNextDistribution(uint256 sequence, uint256 next, uint256 fees);
    /// @notice Fee `sequence` has a pending or final distribution.
    error DistributionExists(uint256 sequence, Status status);
    /// @notice The bond sent is not the required one.
    error WrongBond(uint256 sent, uint256 required);
    /// @notice The commitment's counts are not the registry's now.
    error CountsMismatch(uint256 validatorCount, uint256 registryValidators, uint256 operatorCount, uint256 registryOperators);
    /// @notice The commitment pays more than the fee.
    error PaysMoreThanFee(uint256 totalPaid, uint256 feeShares);
    /// @notice Fee `sequence` has no pending distribution.
    error NotPending(uint256 sequence, Status status);
    /// @notice The dispute window of fee `sequence` is over.
    error DisputeWindowClosed(uint256 sequence, uint256 deadline);
    /// @notice The dispute window of fee `sequence` is still open.
    error DisputeWindowOpen(uint256 sequence, uint256 deadline);
    /// @notice A Merkle path does not prove the leaf at `position` (or the position is beyond the tree's width).
    error InvalidProof(uint256 position, uint256 width);
    /// @notice The statement is not the one of this leaf's validator, frame, oracle and chain, or has not 16 shares.
    error StatementMismatch();
    /// @notice The statement's signature does not verify against the validator key.
    error InvalidStatementSignature();
    /// @notice The evidence agrees with the commitment: nothing to void.
    error NoContradiction();
    /// @notice The operator's share leaves are not located by the two leaves given.
    error OperatorNotLocated(uint256 operatorId);
    /// @notice No distribution is final yet.
    error NothingFinal();
    /// @notice The caller does not own operator `operatorId`.
    error NotOperatorOwner(address caller, uint256 operatorId);
    /// @notice Operator `operatorId` has already claimed `claimed` of its `cumulative`.
    error NothingToClaim(uint256 operatorId, uint256 cumulative, uint256 claimed);
    /// @notice No ether to withdraw.
    error NothingToWithdraw(address account);
    /// @notice An ether transfer failed.
    error EtherTransferFailed(address to, uint256 amount);

    /// @notice Commits the distribution of fee `sequence` with a bond of `BOND` wei (returned when it becomes final,
    /// paid to the disputer when voided). Anyone may post; the next fee in order only, once the previous is final.
    /// @param sequence The fee (`0..feeCount() - 1`), the next one to distribute.
    /// @param commitment The roots and totals.
    function post(uint256 sequence, Commitment calldata commitment) external payable;

    /// @notice Voids a distribution whose share leaf contradicts the cluster's signed performance statement (counts,
    /// weight, or a leaf saying no statement exists).
    /// @param sequence The fee.
    /// @param share The leaf of one share of the statement's validator.
    /// @param evidence The statement, the validator key's threshold signature and the EIP-2537 points.
    function disputeStatement(uint256 sequence, ShareProof calldata share, SignedStatement calldata evidence)
        external;

    /// @notice Voids a distribution with a share leaf that contradicts the rules on its own: ids out of range, a seat
    /// not held by its operator, counts or weight without a statement, contributed above expected, or an amount that
    /// is not the split rule's (`PerformanceRewards`) for its fields and the committed totals.
    /// @param sequence The fee.
    /// @param share The leaf.
    function disputeShare(uint256 sequence, ShareProof calldata share) external;

    /// @notice Voids a distribution whose running sums break between two adjacent leaves (or at either end): leaves
    /// out of order, a prefix that is not the previous prefix plus the previous leaf's part, an end that does not meet
    /// the committed totals, or an operator's running cumulative that does not follow from the previous final one.
    /// @param sequence The fee.
    /// @param position The position of the second leaf (0: the first leaf against zero prefixes; `shareCount`: the
    /// last leaf against the totals).
    /// @param before The leaf at `position - 1` (ignored when `position` is 0).
    /// @param at The leaf at `position` (ignored when `position` is the share count).
    /// @param prior `at`'s operator in the previous final distribution (used when `at` opens its operator's run).
    function disputeLink(
        uint256 sequence,
        uint256 position,
        ShareProof calldata before,
        ShareProof calldata at,
        PriorCumulative calldata prior
    ) external;

    /// @notice Voids a distribution whose operator leaf is not its operator's last running cumulative (or, for an
    /// operator without share leaves, its previous final cumulative).
    /// @param sequence The fee.
    /// @param operator The operator's leaf (its cumulative) and path in `operatorsRoot`.
    /// @param below The share leaf at the end of the operator's run, or just below where it would be; position
    /// `type(uint256).max` for "before the first leaf".
    /// @param above The share leaf right after `below` (ignored when `below` is the last leaf).
    /// @param prior The operator's cumulative in the previous final distribution.
    function disputeOperatorTotal(
        uint256 sequence,
        OperatorProof calldata operator,
        ShareProof calldata below,
        ShareProof calldata above,
        PriorCumulative calldata prior
    ) external;

    /// @notice Makes the pending distribution of fee `sequence` final after its window: operators can claim against
    /// it, the unpaid rest of the fee is burned (to the holders) and the poster's bond becomes withdrawable.
    /// @param sequence The fee.
    function finalize(uint256 sequence) external;

    /// @notice Transfers operator `operatorId`'s unclaimed divETH shares to its owner (the caller).
    /// @param operatorId The operator.
    /// @param cumulative Its cumulative earnings in the last final distribution.
    /// @param proof Its leaf's path in that distribution's `operatorsRoot`.
    /// @return shares divETH shares transferred.
    function claim(uint256 operatorId, uint256 cumulative, bytes32[] calldata proof) external returns (uint256 shares);

    /// @notice Withdraws the caller's returned bonds and dispute payouts.
    function withdrawEther() external;

    /// @notice The staking pool (and divETH token).
    function stakingPool() external view returns (address);

    /// @notice Wei a poster bonds.
    function bond() external view returns (uint256);

    /// @notice Seconds a posted distribution can be disputed.
    function challengeWindow() external view returns (uint256);

    /// @notice The threshold margin below the network average performance, in basis points.
    function marginBps() external view returns (uint256);

    /// @notice The network's genesis fork version (statements are signed in a domain built on it).
    function genesisForkVersion() external view returns (bytes4);

    /// @notice Fees received so far.
    function feeCount() external view returns (uint256);

    /// @notice Distributions final so far (the next to post is this one).
    function finalCount() external view returns (uint256);

    /// @notice A fee and its distribution.
    function getDistribution(uint256 sequence) external view returns (Distribution memory);

    /// @notice The pending or final commitment of fee `sequence` (zero when none).
    function getCommitment(uint256 sequence) external view returns (Commitment memory);

    /// @notice divETH shares operator `operatorId` has claimed in total.
    function claimed(uint256 operatorId) external view returns (uint256);

    /// @notice Wei `account` can withdraw.
    function withdrawableEther(address account) external view returns (uint256);

    /// @notice The hash of a share leaf (positional Merkle leaf of `sharesRoot`).
    function shareLeafHash(ShareLeaf calldata leaf) external pure returns (bytes32);
}
