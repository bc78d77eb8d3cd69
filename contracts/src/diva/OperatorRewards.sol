// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IAccountingOracle} from "../interfaces/IAccountingOracle.sol";
import {IDivETH} from "../interfaces/IDivETH.sol";
import {IOperatorFeeRecipient} from "../interfaces/IOperatorFeeRecipient.sol";
import {IOperatorRegistry} from "../interfaces/IOperatorRegistry.sol";
import {IOperatorRewards} from "../interfaces/IOperatorRewards.sol";
import {IStakingPool} from "../interfaces/IStakingPool.sol";
import {PerformanceRewards} from "../libraries/PerformanceRewards.sol";
import {PerformanceStatement} from "../libraries/PerformanceStatement.sol";

/// @title OperatorRewards
/// @notice The staking pool's operator-rewards recipient: it pays the operators' fee per key share, by performance
/// measured per share and signed by each validator's own key, with cumulative Merkle claims in divETH.
/// @dev Design (issue 13, item 2).
/// - **Fees.** When an oracle report is applied the pool mints the operator fee to this contract and calls
///   `onOperatorFee`; the fee is recorded with the frame just applied (`AccountingOracle.lastAppliedFrame`), as fee
///   `sequence` 0, 1, 2, …
/// - **What is committed.** For the next fee anyone posts, with a `BOND` in wei and a `CHALLENGE_WINDOW`, a
///   `Commitment`: `sharesRoot` over one `ShareLeaf` per (validator, share) of every registry validator (exactly
///   `16 × requestCount()` leaves, sorted strictly by (operatorId, validatorId, shareIndex)), the totals (Σ weight,
///   Σ performance, leaves with a statement, Σ paid) and `operatorsRoot`, each operator's cumulative earnings at
///   position `operatorId`. Both trees are positional (leaf i at index i, padded with zero leaves to a power of two,
///   pairs hashed `keccak256(left ‖ right)`), so a path proves one position and the widths are fixed by the counts.
/// - **The split.** A validator's weight is Σ of its statement's `expected` duties (its duties in the frame: a
///   protocol validator's rewards are its duties' rewards, all validators having 32 ETH); its part of the fee is
///   `fee × weight / totalWeight` (rounded down); each of its 16 shares has a seat of part / 16 and earns
///   `seat × performance`, or nothing when its performance (`contributed / expected`, bps) is 0 or below the
///   threshold `average − MARGIN_BPS` (average over all shares with a statement). A validator without a signed
///   statement for the frame has weight 0 and its shares earn nothing: the fee goes to validators with statements.
///   The leaf rule is `PerformanceRewards`'s (`splitReport` by weight, `splitValidator` per share).
/// - **To the holders.** `fee − totalPaid` (every unearned part and rounding remainder) is burned when the
///   distribution becomes final (`StakingPool.burnShares`), raising every holder's share rate. So Σ paid + Σ burned
///   is the fee, to the wei; post refuses a `totalPaid` above the fee.
/// - **Disputes** (each voids the commitment and pays the whole bond to the disputer; the fee can be posted again):
///   `Statement` (the validator key's signed statement for the frame, verified with EIP-2537 against the registry's
///   validator key, contradicts a leaf's counts or weight, or the leaf says there is no statement); `ShareRule` (a
///   leaf contradicts the rules on its own: ids, seat owner, fields without statement, amount ≠ the split rule for
///   its fields and the totals); `Link` (two adjacent leaves out of order, a prefix sum that does not add up, an end
///   that misses the totals, an operator's running cumulative that does not continue its previous final one);
///   `OperatorTotal` (an operator leaf that is not the last running cumulative of its operator's leaves, or its
///   previous cumulative when it has none).
/// - **Why one honest watcher suffices.** Rebuilding the commitment needs only public data (the registry, the fee,
///   the clusters' statements, which Stinger gossips). A wrong commitment has a first wrong leaf or total; with
///   leaves complete (count = 16 × validators, strictly sorted, every leaf's seat checked) and the totals chained by
///   prefix sums, any difference from the honest trees shows up as one of the four local contradictions above, each
///   checkable with at most three Merkle paths and one statement, so no bounded-gas dispute is missing.
/// - **Known limit.** A leaf that invents a statement for a validator whose cluster signed none cannot be disproven
///   (absence has no evidence); the amounts it can take are still bounded by the fee and by the split rule.
/// - **Claims.** After the window `finalize` makes it final; each operator's owner `claim`s its cumulative minus what
///   it claimed, as divETH shares (they keep earning), with a path in the last final `operatorsRoot`.
contract OperatorRewards is IOperatorRewards, ReentrancyGuardTransient {
    /// @notice Shares per cluster.
    uint256 public constant CLUSTER_SIZE = 16;

    IStakingPool private immutable _POOL;
    uint256 private immutable _BOND;
    uint256 private immutable _CHALLENGE_WINDOW;
    uint256 private immutable _MARGIN_BPS;
    bytes4 private immutable _GENESIS_FORK_VERSION;

    Distribution[] private _distributions;
    mapping(uint256 sequence => Commitment) private _commitments;
    uint256 private _finalCount;
    mapping(uint256 operatorId => uint256) private _claimed;
    mapping(address account => uint256) private _withdrawable;

    /// @param stakingPool_ The staking pool whose operator-rewards recipient this is.
    /// @param bond_ Wei a poster bonds (> 0).
    /// @param challengeWindow_ Seconds a posted distribution can be disputed (> 0).
    /// @param marginBps_ Threshold margin below the average performance, bps (≤ 10,000).
    /// @param genesisForkVersion_ The beacon network's genesis fork version.
    constructor(
        address stakingPool_,
        uint256 bond_,
        uint256 challengeWindow_,
        uint256 marginBps_,
        bytes4 genesisForkVersion_
    ) {
        if (stakingPool_ == address(0) || bond_ == 0 || challengeWindow_ == 0 || marginBps_ > PerformanceRewards.BPS) {
            revert InvalidConfig();
        }
        _POOL = IStakingPool(stakingPool_);
        _BOND = bond_;
        _CHALLENGE_WINDOW = challengeWindow_;
        _MARGIN_BPS = marginBps_;
        _GENESIS_FORK_VERSION = genesisForkVersion_;
    }

    /// @inheritdoc IOperatorFeeRecipient
    function onOperatorFee(uint256 feeShares) external override {
        if (msg.sender != address(_POOL)) revert NotStakingPool(msg.sender);
        uint256 frame = IAccountingOracle(_POOL.accountingOracle()).lastAppliedFrame();
        uint256 sequence = _distributions.length;
        // Safe casts: frames are far below 2^64 and minted shares below 2^128 (the pool's share supply is uint256
        // but bounded by ether in existence scaled by the rate).
        _distributions.push(
            Distribution({
                frame: uint64(frame),
                feeShares: uint128(feeShares),
                status: Status.None,
                poster: address(0),
                deadline: 0
            })
        );
        emit FeeReceived(sequence, frame, feeShares);
    }

    /// @inheritdoc IOperatorRewards
    function post(uint256 sequence, Commitment calldata commitment) external payable override {
        uint256 fees = _distributions.length;
        if (sequence != _finalCount || sequence >= fees) revert NotNextDistribution(sequence, _finalCount, fees);
        Distribution storage d = _distributions[sequence];
        if (d.status == Status.Pending) revert DistributionExists(sequence, d.status);
        if (msg.value != _BOND) revert WrongBond(msg.value, _BOND);
        IOperatorRegistry registry = _registry();
        uint256 validators = registry.requestCount();
        uint256 operators = registry.operatorCount();
        if (commitment.validatorCount != validators || commitment.operatorCount != operators) {
            revert CountsMismatch(commitment.validatorCount, validators, commitment.operatorCount, operators);
        }
        if (commitment.totalPaid > d.feeShares) revert PaysMoreThanFee(commitment.totalPaid, d.feeShares);
        _commitments[sequence] = commitment;
        d.status = Status.Pending;
        d.poster = msg.sender;
        uint256 deadline = block.timestamp + _CHALLENGE_WINDOW;
        d.deadline = uint64(deadline);
        emit DistributionPosted(sequence, msg.sender, commitment, deadline);
    }

    /// @inheritdoc IOperatorRewards
    function disputeStatement(uint256 sequence, ShareProof calldata share, SignedStatement calldata evidence)
        external
        override
    {
        (Distribution storage d, Commitment storage c) = _requireDisputable(sequence);
        _requireShare(c, share);
        ShareLeaf calldata leaf = share.leaf;
        PerformanceStatement.Statement memory s = evidence.statement;
        (bytes memory pubkey,) = _registry().validatorKeys(leaf.validatorId);
        if (
            s.chainId != block.chainid || s.oracle != _POOL.accountingOracle() || s.frame != d.frame
                || s.expected.length != CLUSTER_SIZE || keccak256(s.validatorPubkey) != keccak256(pubkey)
                || leaf.shareIndex == 0 || leaf.shareIndex > CLUSTER_SIZE
        ) revert StatementMismatch();
        if (
            !PerformanceStatement.verify(
                s, _GENESIS_FORK_VERSION, evidence.pubkeyPoint, evidence.signature, evidence.signaturePoint
            )
        ) revert InvalidStatementSignature();
        uint256 weight;
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            weight += s.expected[i];
        }
        uint256 k = leaf.shareIndex - 1;
        if (
            leaf.hasStatement && leaf.expected == s.expected[k] && leaf.contributed == s.contributed[k]
                && leaf.validatorWeight == weight
        ) revert NoContradiction();
        _void(sequence, d, DisputeKind.Statement);
    }

    /// @inheritdoc IOperatorRewards
    function disputeShare(uint256 sequence, ShareProof calldata share) external override {
        (Distribution storage d, Commitment storage c) = _requireDisputable(sequence);
        _requireShare(c, share);
        if (_shareFollowsRules(share.leaf, d.feeShares, c)) revert NoContradiction();
        _void(sequence, d, DisputeKind.ShareRule);
    }

    /// @inheritdoc IOperatorRewards
    function disputeLink(
        uint256 sequence,
        uint256 position,
        ShareProof calldata before,
        ShareProof calldata at,
        PriorCumulative calldata prior
    ) external override {
        (Distribution storage d, Commitment storage c) = _requireDisputable(sequence);
        uint256 count = uint256(c.validatorCount) * CLUSTER_SIZE;
        if (position > count) revert InvalidProof(position, count);
        // The sums `at` must carry: zeros at the start, else `before`'s prefix plus `before`'s part.
        Sums memory sums;
        if (position != 0) {
            if (before.position != position - 1) revert InvalidProof(before.position, count);
            _requireShare(c, before);
            sums = _sumsThrough(before.leaf);
        }
        bool broken;
        if (position != count) {
            if (at.position != position) revert InvalidProof(at.position, count);
            _requireShare(c, at);
            broken = _atBreaksLink(sequence, position != 0, before.leaf, at.leaf, sums, prior);
        } else {
            broken = c.totalPaid != sums.paid || c.totalWeight != sums.weight || c.totalPerf != sums.perf
                || c.totalCounted != sums.counted;
        }
        if (!broken) revert NoContradiction();
        _void(sequence, d, DisputeKind.Link);
    }

    /// @inheritdoc IOperatorRewards
    function disputeOperatorTotal(
        uint256 sequence,
        OperatorProof calldata operator,
        ShareProof calldata below,
        ShareProof calldata above,
        PriorCumulative calldata prior
    ) external override {
        (Distribution storage d, Commitment storage c) = _requireDisputable(sequence);
        uint256 operatorId = operator.operatorId;
        _requireProof(
            c.operatorsRoot,
            uint256(c.operatorCount) + 1,
            operatorId,
            _operatorLeafHash(operatorId, operator.cumulative),
            operator.proof
        );
        if (operator.cumulative == _operatorTotal(sequence, c, operatorId, below, above, prior)) {
            revert NoContradiction();
        }
        _void(sequence, d, DisputeKind.OperatorTotal);
    }

    /// @inheritdoc IOperatorRewards
    function finalize(uint256 sequence) external override nonReentrant {
        if (sequence >= _distributions.length) revert NotPending(sequence, Status.None);
        Distribution storage d = _distributions[sequence];
        if (d.status != Status.Pending) revert NotPending(sequence, d.status);
        if (block.timestamp < d.deadline) revert DisputeWindowOpen(sequence, d.deadline);
        d.status = Status.Final;
        _finalCount = sequence + 1;
        _withdrawable[d.poster] += _BOND;
        uint256 paid = _commitments[sequence].totalPaid;
        uint256 toHolders = d.feeShares - paid; // post checked totalPaid ≤ feeShares
        if (toHolders != 0) _POOL.burnShares(toHolders);
        emit DistributionFinalized(sequence, paid, toHolders);
    }

    /// @inheritdoc IOperatorRewards
    function claim(uint256 operatorId, uint256 cumulative, bytes32[] calldata proof)
        external
        override
        nonReentrant
        returns (uint256 shares)
    {
        uint256 finalCount = _finalCount;
        if (finalCount == 0) revert NothingFinal();
        if (_registry().operatorIdByOwner(msg.sender) != operatorId || operatorId == 0) {
            revert NotOperatorOwner(msg.sender, operatorId);
        }
        Commitment storage c = _commitments[finalCount - 1];
        _requireProof(
            c.operatorsRoot, uint256(c.operatorCount) + 1, operatorId, _operatorLeafHash(operatorId, cumulative), proof
        );
        uint256 already = _claimed[operatorId];
        if (cumulative <= already) revert NothingToClaim(operatorId, cumulative, already);
        _claimed[operatorId] = cumulative;
        shares = cumulative - already;
        IDivETH(address(_POOL)).transferShares(msg.sender, shares);
        emit RewardsClaimed(operatorId, msg.sender, shares, cumulative);
    }

    /// @inheritdoc IOperatorRewards
    function withdrawEther() external override nonReentrant {
        uint256 amount = _withdrawable[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        _withdrawable[msg.sender] = 0;
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert EtherTransferFailed(msg.sender, amount);
        emit EtherWithdrawn(msg.sender, amount);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IOperatorRewards
    function stakingPool() external view override returns (address) {
        return address(_POOL);
    }

    /// @inheritdoc IOperatorRewards
    function bond() external view override returns (uint256) {
        return _BOND;
    }

    /// @inheritdoc IOperatorRewards
    function challengeWindow() external view override returns (uint256) {
        return _CHALLENGE_WINDOW;
    }

    /// @inheritdoc IOperatorRewards
    function marginBps() external view override returns (uint256) {
        return _MARGIN_BPS;
    }

    /// @inheritdoc IOperatorRewards
    function genesisForkVersion() external view override returns (bytes4) {
        return _GENESIS_FORK_VERSION;
    }

    /// @inheritdoc IOperatorRewards
    function feeCount() external view override returns (uint256) {
        return _distributions.length;
    }

    /// @inheritdoc IOperatorRewards
    function finalCount() external view override returns (uint256) {
        return _finalCount;
    }

    /// @inheritdoc IOperatorRewards
    function getDistribution(uint256 sequence) external view override returns (Distribution memory) {
        return _distributions[sequence];
    }

    /// @inheritdoc IOperatorRewards
    function getCommitment(uint256 sequence) external view override returns (Commitment memory) {
        return _commitments[sequence];
    }

    /// @inheritdoc IOperatorRewards
    function claimed(uint256 operatorId) external view override returns (uint256) {
        return _claimed[operatorId];
    }

    /// @inheritdoc IOperatorRewards
    function withdrawableEther(address account) external view override returns (uint256) {
        return _withdrawable[account];
    }

    /// @inheritdoc IOperatorRewards
    function shareLeafHash(ShareLeaf calldata leaf) external pure override returns (bytes32) {
        return keccak256(abi.encode(leaf));
    }

    // ---------------------------------------------------------------- internals

    function _registry() private view returns (IOperatorRegistry) {
        return IOperatorRegistry(_POOL.validatorRegistry());
    }

    function _requireDisputable(uint256 sequence)
        private
        view
        returns (Distribution storage d, Commitment storage c)
    {
        if (sequence >= _distributions.length) revert NotPending(sequence, Status.None);
        d = _distributions[sequence];
        if (d.status != Status.Pending) revert NotPending(sequence, d.status);
        if (block.timestamp >= d.deadline) revert DisputeWindowClosed(sequence, d.deadline);
        c = _commitments[sequence];
    }

    function _void(uint256 sequence, Distribution storage d, DisputeKind kind) private {
        d.status = Status.Voided;
        delete _commitments[sequence];
        _withdrawable[msg.sender] += _BOND;
        emit DistributionDisputed(sequence, msg.sender, kind, _BOND);
    }

    function _requireShare(Commitment storage c, ShareProof calldata share) private view {
        _requireProof(
            c.sharesRoot,
            uint256(c.validatorCount) * CLUSTER_SIZE,
            share.position,
            keccak256(abi.encode(share.leaf)),
            share.proof
        );
    }

    /// @dev The previous final distribution's cumulative of `operatorId`, proven; 0 when there is none or the
    /// operator lies beyond its tree.
    function _priorCumulative(uint256 sequence, uint256 operatorId, PriorCumulative calldata prior)
        private
        view
        returns (uint256)
    {
        if (sequence == 0) return 0;
        Commitment storage p = _commitments[sequence - 1];
        if (operatorId > p.operatorCount) return 0;
        _requireProof(
            p.operatorsRoot,
            uint256(p.operatorCount) + 1,
            operatorId,
            _operatorLeafHash(operatorId, prior.cumulative),
            prior.proof
        );
        return prior.cumulative;
    }

    /// @dev Whether a leaf follows the rules on its own, given the fee and the committed totals.
    function _shareFollowsRules(ShareLeaf calldata leaf, uint256 feeShares, Commitment storage c)
        private
        view
        returns (bool)
    {
        if (leaf.validatorId == 0 || leaf.validatorId > c.validatorCount) return false;
        if (leaf.shareIndex == 0 || leaf.shareIndex > CLUSTER_SIZE) return false;
        if (_registry().getRequest(leaf.validatorId).operatorIds[leaf.shareIndex - 1] != leaf.operatorId) return false;
        if (leaf.contributed > leaf.expected) return false;
        if (!leaf.hasStatement) {
            return leaf.expected == 0 && leaf.validatorWeight == 0 && leaf.amount == 0;
        }
        return leaf.amount == shareAmount(feeShares, c, leaf);
    }

    /// @notice What a share with a statement earns for a fee under a commitment's totals (the split rule).
    /// @param feeShares The fee.
    /// @param c The commitment (its totals).
    /// @param leaf The share's leaf (its counts and its validator's weight).
    function shareAmount(uint256 feeShares, Commitment memory c, ShareLeaf memory leaf) public view returns (uint256) {
        if (c.totalWeight == 0) return 0;
        uint256 validatorFee = Math.mulDiv(feeShares, leaf.validatorWeight, c.totalWeight);
        uint256 seat = validatorFee / CLUSTER_SIZE;
        uint256 p = PerformanceRewards.performanceBps(leaf.expected, leaf.contributed);
        uint256 average = c.totalCounted == 0 ? 0 : uint256(c.totalPerf) / c.totalCounted;
        uint256 threshold = PerformanceRewards.thresholdBelowAverage(average, _MARGIN_BPS);
        if (p == 0 || p < threshold) return 0;
        return Math.mulDiv(seat, p, PerformanceRewards.BPS);
    }

    /// @dev What operator `operatorId`'s leaf must say: the running cumulative of its last share leaf (`below`, with
    /// `above` of another operator or past the end), or its prior cumulative when `below` and `above` bracket it.
    function _operatorTotal(
        uint256 sequence,
        Commitment storage c,
        uint256 operatorId,
        ShareProof calldata below,
        ShareProof calldata above,
        PriorCumulative calldata prior
    ) private view returns (uint256) {
        uint256 count = uint256(c.validatorCount) * CLUSTER_SIZE;
        bool hasBelow = below.position != type(uint256).max;
        uint256 abovePosition = hasBelow ? below.position + 1 : 0;
        bool hasAbove = abovePosition < count;
        if (hasBelow) _requireShare(c, below);
        if (hasAbove) {
            if (above.position != abovePosition) revert InvalidProof(above.position, count);
            _requireShare(c, above);
        }
        if (hasBelow && below.leaf.operatorId == operatorId && (!hasAbove || above.leaf.operatorId != operatorId)) {
            return below.leaf.operatorCumulative;
        }
        if ((!hasBelow || below.leaf.operatorId < operatorId) && (!hasAbove || above.leaf.operatorId > operatorId)) {
            return _priorCumulative(sequence, operatorId, prior);
        }
        revert OperatorNotLocated(operatorId);
    }

    /// @dev Running sums through (and including) a leaf.
    struct Sums {
        uint256 paid;
        uint256 weight;
        uint256 perf;
        uint256 counted;
    }

    function _sumsThrough(ShareLeaf calldata b) private pure returns (Sums memory) {
        return Sums({
            paid: uint256(b.prefixPaid) + b.amount,
            weight: uint256(b.prefixWeight) + b.expected,
            perf: uint256(b.prefixPerf) + _perf(b),
            counted: uint256(b.prefixCounted) + (b.hasStatement ? 1 : 0)
        });
    }

    /// @dev Whether leaf `a` breaks the chain after `b` (absent when `hasBefore` is false): prefixes, order, and the
    /// operator's running cumulative.
    function _atBreaksLink(
        uint256 sequence,
        bool hasBefore,
        ShareLeaf calldata b,
        ShareLeaf calldata a,
        Sums memory sums,
        PriorCumulative calldata prior
    ) private view returns (bool) {
        if (
            a.prefixPaid != sums.paid || a.prefixWeight != sums.weight || a.prefixPerf != sums.perf
                || a.prefixCounted != sums.counted
        ) return true;
        if (hasBefore && _key(b) >= _key(a)) return true;
        uint256 base = hasBefore && b.operatorId == a.operatorId
            ? b.operatorCumulative
            : _priorCumulative(sequence, a.operatorId, prior);
        return a.operatorCumulative != base + a.amount;
    }

    function _perf(ShareLeaf calldata leaf) private pure returns (uint256) {
        return leaf.hasStatement ? PerformanceRewards.performanceBps(leaf.expected, leaf.contributed) : 0;
    }

    function _key(ShareLeaf calldata leaf) private pure returns (uint256) {
        return (uint256(leaf.operatorId) << 64) | (uint256(leaf.validatorId) << 8) | leaf.shareIndex;
    }

    function _operatorLeafHash(uint256 operatorId, uint256 cumulative) private pure returns (bytes32) {
        return keccak256(abi.encode(operatorId, cumulative));
    }

    /// @dev Verifies a positional path: `position < width`, exactly `ceil(log2(width))` siblings, bit i of the
    /// position says whether the node is the right child at level i.
    function _requireProof(bytes32 root, uint256 width, uint256 position, bytes32 leafHash, bytes32[] calldata proof)
        private
        pure
    {
        uint256 depth = width <= 1 ? 0 : Math.log2(width - 1) + 1;
        if (position >= width || proof.length != depth) revert InvalidProof(position, width);
        bytes32 node = leafHash;
        for (uint256 i; i < depth; ++i) {
            bytes32 sibling = proof[i];
            node = (position >> i) & 1 == 1
                ? keccak256(abi.encodePacked(sibling, node))
                : keccak256(abi.encodePacked(node, sibling));
        }
        if (node != root) revert InvalidProof(position, width);
    }
}
