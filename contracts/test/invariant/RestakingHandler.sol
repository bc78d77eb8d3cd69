// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {DepositContract} from "../../src/devnet/DepositContract.sol";
import {StakingPool} from "../../src/diva/StakingPool.sol";
import {WithdrawalQueue} from "../../src/diva/WithdrawalQueue.sol";
import {ExitManager} from "../../src/diva/ExitManager.sol";
import {WithdrawalVault} from "../../src/diva/WithdrawalVault.sol";
import {WrappedDivETH} from "../../src/diva/WrappedDivETH.sol";
import {IDivETH} from "../../src/interfaces/IDivETH.sol";
import {IWrappedDivETH} from "../../src/interfaces/IWrappedDivETH.sol";
import {NetworkRegistry} from "../../src/nektar/NetworkRegistry.sol";
import {RestakingVault} from "../../src/nektar/RestakingVault.sol";
import {INetworkRegistry} from "../../src/nektar/interfaces/INetworkRegistry.sol";
import {IRestakingVault} from "../../src/nektar/interfaces/IRestakingVault.sol";
import {OracleRelay} from "../../src/test-doubles/OracleRelay.sol";
import {RewardTokenDouble} from "../../src/test-doubles/RewardTokenDouble.sol";
import {SlashVerifierDouble} from "../../src/test-doubles/SlashVerifierDouble.sol";
import {ValidatorRegistryDouble} from "../../src/test-doubles/ValidatorRegistryDouble.sol";
import {VM} from "./Vm.sol";

/// @notice Drives the real Diva pool and the restaking contracts with random bounded calls from three restakers and
/// two operators (who also self-stake), two networks (objective and veto; this handler is their middleware and veto
/// resolver) and one reward token. Each action checks its own properties; `RestakingInvariants` checks the global ones.
contract RestakingHandler {
    error SlashedBeyondCapture(uint256 slashedSince, uint256 capturedStake);
    error SlashedBeyondSlashable(uint256 slashed, uint256 slashable);
    error PendingDepositSlashed(uint256 pendingBefore, uint256 pendingAfter);
    error ClaimableWithdrawalSlashed(uint256 before, uint256 afterSlash);
    error WrongClaim(uint256 got, uint256 expected);
    error ClaimedTwice();
    error ClaimedEarly();
    error LateSlashExecuted();

    uint256 public constant EPOCH = 1 days;
    uint256 public constant VETO_WINDOW = 6 hours;
    uint256 internal constant RESTAKERS = 3;
    uint256 internal constant OPERATORS = 2;

    StakingPool public immutable pool;
    WrappedDivETH public immutable wrapper;
    RestakingVault public immutable rv;
    NetworkRegistry public immutable nr;
    RewardTokenDouble public immutable token;
    SlashVerifierDouble public immutable verifier;
    uint256 public immutable objectiveNet;
    uint256 public immutable vetoNet;

    struct Entry {
        address restaker;
        address operator;
        uint256 epoch;
        bool claimed;
    }

    struct Request {
        uint256 id;
        uint256 capture;
        bool closed;
    }

    Entry[] public entries;
    Request[] internal _requests;

    uint256 public ghostDeposited;
    uint256 public ghostWithdrawn;
    uint256 public ghostSlashed;
    uint256 public ghostRewardsDeposited;
    uint256 public ghostRewardsClaimed;
    uint256 public ghostDistributions;
    /// @notice Upper bound of the rewards kept by pools' unowned units: after each rebase at most one unit per position
    /// (5 here) is unowned, and a pool holds at least one unit per share, so a reward `x` credited to an operator with
    /// stake `s` after `g` generations leaves at most `x × 5g / s` unowned (doubled for rounding slack).
    uint256 public ghostOrphanBound;
    /// @notice Per action, how many calls did something rather than return early (12: deep slash).
    uint256[13] public executed;

    constructor() payable {
        DepositContract depositContract = new DepositContract();
        pool = new StakingPool{value: msg.value}(address(depositContract), address(0xbe7));
        WithdrawalVault vault = new WithdrawalVault(address(pool), address(new ExitManager(address(pool), 1 days)));
        wrapper = new WrappedDivETH(IDivETH(address(pool)));
        WithdrawalQueue queue = new WithdrawalQueue(address(pool), IWrappedDivETH(address(wrapper)));
        OracleRelay oracle = new OracleRelay(address(pool));
        pool.wireComponents(address(vault), address(queue), address(oracle));
        pool.setValidatorRegistry(address(new ValidatorRegistryDouble(address(pool))));

        rv = new RestakingVault(IDivETH(address(pool)), IWrappedDivETH(address(wrapper)), EPOCH, 2 days);
        nr = new NetworkRegistry(IRestakingVault(address(rv)));
        rv.wireNetworkRegistry(address(nr));
        token = new RewardTokenDouble();
        verifier = new SlashVerifierDouble();
        address[] memory tokens = new address[](1);
        tokens[0] = address(token);
        objectiveNet = nr.registerNetwork(
            INetworkRegistry.NetworkConfig({
                middleware: address(this),
                slasher: address(verifier),
                slashReceiver: address(0),
                kind: INetworkRegistry.SlashKind.Objective,
                vetoWindow: 0,
                maxStakePerOperator: type(uint128).max,
                maxTotalStake: type(uint128).max,
                rewardTokens: tokens,
                metadataURI: "objective"
            })
        );
        vetoNet = nr.registerNetwork(
            INetworkRegistry.NetworkConfig({
                middleware: address(this),
                slasher: address(this),
                slashReceiver: address(0xbeef),
                kind: INetworkRegistry.SlashKind.Veto,
                vetoWindow: uint32(VETO_WINDOW),
                maxStakePerOperator: 150 ether,
                maxTotalStake: type(uint128).max,
                rewardTokens: tokens,
                metadataURI: "veto"
            })
        );
        for (uint256 i = 0; i < RESTAKERS + OPERATORS; ++i) {
            address who = actor(i);
            VM.deal(who, 10_000 ether);
            VM.startPrank(who);
            pool.stake{value: 10_000 ether}();
            pool.approve(address(rv), type(uint256).max);
            if (i >= RESTAKERS) {
                rv.registerOperator(1_000);
                nr.optIn(objectiveNet);
                nr.optIn(vetoNet);
            }
            VM.stopPrank();
        }
        token.approve(address(rv), type(uint256).max);
    }

    /// @notice Restakers are actors 0..2, operators 3..4.
    function actor(uint256 index) public pure returns (address) {
        index %= RESTAKERS + OPERATORS;
        return index < RESTAKERS ? address(uint160(0x2000 + index)) : address(uint160(0x3000 + index - RESTAKERS));
    }

    function operator(uint256 index) public pure returns (address) {
        return actor(RESTAKERS + (index % OPERATORS));
    }

    function entryCount() external view returns (uint256) {
        return entries.length;
    }

    /// @notice Runs one random action chosen by `r`.
    function step(uint256 r) external {
        uint256 action = r % 13;
        uint256 a = uint256(keccak256(abi.encode(r, 1)));
        uint256 b = uint256(keccak256(abi.encode(r, 2)));
        if (action == 0 || action == 1) deposit(a, b);
        else if (action == 2) undelegate(a, b);
        else if (action == 3) claimWithdrawal(a);
        else if (action == 4) warp(a);
        else if (action == 5) slashObjective(a, b);
        else if (action == 6) requestSlash(a, b);
        else if (action == 7) settleRequest(a);
        else if (action == 8) distribute(a, b);
        else if (action == 9) claimRewards(a, b);
        else if (action == 10) claimCommission(a);
        else if (action == 11) toggleMembership(a, b);
        else deepSlash(a, b);
    }

    function deposit(uint256 a, uint256 b) public {
        address who = actor(a);
        address op = operator(a >> 8);
        uint256 shares = 1 + (b % 100 ether);
        VM.prank(who);
        rv.deposit(op, shares);
        ghostDeposited += shares;
        ++executed[0];
    }

    function undelegate(uint256 a, uint256 b) public {
        address who = actor(a);
        address op = operator(a >> 8);
        (uint256 active,,) = rv.positionOf(who, op);
        uint256 shares = b % (active + 1);
        if (shares == 0) return;
        VM.prank(who);
        uint256 claimEpoch = rv.undelegate(op, shares);
        entries.push(Entry(who, op, claimEpoch, false));
        ++executed[2];
    }

    function claimWithdrawal(uint256 a) public {
        uint256 n = entries.length;
        if (n == 0) return;
        Entry storage e = entries[a % n];
        if (e.claimed) return;
        uint256 expected = rv.withdrawalOf(e.restaker, e.operator, e.epoch);
        bool early = e.epoch > rv.currentEpoch();
        VM.prank(e.restaker);
        if (early) {
            // Not claimable before its epoch: stays slashable meanwhile.
            try rv.claimWithdrawal(e.operator, e.epoch, e.restaker) {
                revert ClaimedEarly();
            } catch {}
            return;
        }
        if (expected == 0) {
            // Wiped by a slash that took everything (and possibly reset by a later undelegation): nothing to pay.
            try rv.claimWithdrawal(e.operator, e.epoch, e.restaker) returns (uint256 got) {
                if (got != 0) revert WrongClaim(got, 0);
            } catch {}
            e.claimed = true;
            return;
        }
        uint256 got = rv.claimWithdrawal(e.operator, e.epoch, e.restaker);
        if (got != expected) revert WrongClaim(got, expected);
        e.claimed = true;
        ghostWithdrawn += got;
        // Exactly once (entries of the same restaker, operator and epoch were merged into one claim).
        for (uint256 i = 0; i < n; ++i) {
            Entry storage other = entries[i];
            if (other.restaker == e.restaker && other.operator == e.operator && other.epoch == e.epoch) {
                other.claimed = true;
            }
        }
        VM.prank(e.restaker);
        try rv.claimWithdrawal(e.operator, e.epoch, e.restaker) {
            revert ClaimedTwice();
        } catch {}
        ++executed[3];
    }

    function warp(uint256 a) public {
        VM.warp(block.timestamp + 1 + (a % (EPOCH * 3 / 2)));
        ++executed[4];
    }

    function slashObjective(uint256 a, uint256 b) public {
        address op = operator(a);
        uint256 capture = block.timestamp - 1 - ((a >> 8) % (EPOCH - 1));
        if (capture < rv.GENESIS()) return;
        uint256 slashable = nr.slashableStake(objectiveNet, op, capture);
        if (slashable == 0) return;
        uint256 amount = 1 + (b % (slashable + slashable / 4));
        (uint256 pendingBefore, uint256[] memory claimableBefore) = _unslashable(op);
        uint256 slashed = nr.slashWithEvidence(objectiveNet, op, uint48(capture), abi.encode(true, amount));
        _afterSlash(op, capture, slashed, slashable, pendingBefore, claimableBefore);
        ++executed[5];
    }

    /// @notice An objective slash of nearly all the captured slashable stake, leaving `1..4096` wei (or nothing): repeated,
    /// it drives the operator's units per share up by up to ~10^20 per call (the state that used to overflow).
    function deepSlash(uint256 a, uint256 b) public {
        address op = operator(a);
        uint256 capture = block.timestamp - 1;
        if (capture < rv.GENESIS()) return;
        uint256 slashable = nr.slashableStake(objectiveNet, op, capture);
        uint256 left = b % 4097;
        if (slashable <= left) return;
        (uint256 pendingBefore, uint256[] memory claimableBefore) = _unslashable(op);
        uint256 slashed = nr.slashWithEvidence(objectiveNet, op, uint48(capture), abi.encode(true, slashable - left));
        _afterSlash(op, capture, slashed, slashable, pendingBefore, claimableBefore);
        ++executed[12];
    }

    function requestSlash(uint256 a, uint256 b) public {
        address op = operator(a);
        uint256 capture = block.timestamp - 1 - ((a >> 8) % (EPOCH - VETO_WINDOW - 1));
        if (capture < rv.GENESIS()) return;
        uint256 slashable = nr.slashableStake(vetoNet, op, capture);
        if (slashable == 0) return;
        uint256 id = nr.requestSlash(vetoNet, op, uint48(capture), 1 + (b % slashable));
        _requests.push(Request(id, capture, false));
        ++executed[6];
    }

    /// @notice Vetoes, executes, or checks that a late or early execution fails.
    function settleRequest(uint256 a) public {
        uint256 n = _requests.length;
        if (n == 0) return;
        Request storage q = _requests[a % n];
        if (q.closed) return;
        INetworkRegistry.SlashRequest memory req = nr.getSlashRequest(q.id);
        if (block.timestamp < req.vetoDeadline) {
            if ((a >> 8) % 2 == 0) {
                nr.vetoSlash(q.id);
                q.closed = true;
                ++executed[7];
            }
            return;
        }
        if (block.timestamp > q.capture + EPOCH) {
            try nr.executeSlash(q.id) {
                revert LateSlashExecuted();
            } catch {}
            q.closed = true;
            return;
        }
        uint256 slashable = nr.slashableStake(vetoNet, req.operator, q.capture);
        if (slashable == 0) return;
        (uint256 pendingBefore, uint256[] memory claimableBefore) = _unslashable(req.operator);
        uint256 slashed = nr.executeSlash(q.id);
        q.closed = true;
        _afterSlash(req.operator, q.capture, slashed, slashable, pendingBefore, claimableBefore);
        ++executed[7];
    }

    function distribute(uint256 a, uint256 b) public {
        uint256 epoch = rv.currentEpoch();
        if (epoch == 0) return;
        --epoch;
        uint256 net = a % 2 == 0 ? objectiveNet : vetoNet;
        uint256 snapshot = rv.epochStart(epoch + 1) - 1;
        address[] memory ops = new address[](OPERATORS);
        uint256[] memory amounts = new uint256[](OPERATORS);
        uint256 count;
        for (uint256 i = 0; i < OPERATORS; ++i) {
            if (nr.stakeAt(net, operator(i), snapshot) != 0) {
                ops[count] = operator(i);
                amounts[count] = 1 + ((b >> (8 * i)) % 10 ether);
                ++count;
            }
        }
        if (count == 0) return;
        assembly ("memory-safe") {
            mstore(ops, count)
            mstore(amounts, count)
        }
        uint256 total;
        for (uint256 i = 0; i < count; ++i) {
            total += amounts[i];
        }
        for (uint256 i = 0; i < count; ++i) {
            uint256 generations = rv.getOperator(ops[i]).generation;
            uint256 stake = rv.operatorStake(ops[i]);
            if (generations != 0) ghostOrphanBound += stake == 0 ? total : total * 10 * generations / stake + 1;
        }
        token.mint(address(this), total);
        if ((a >> 8) % 2 == 0) rv.distributeRewards(net, address(token), epoch, ops, amounts);
        else rv.distributeRewardsByStake(net, address(token), epoch, ops, total);
        ghostRewardsDeposited += total;
        ++ghostDistributions;
        ++executed[8];
    }

    function claimRewards(uint256 a, uint256 b) public {
        address who = actor(a);
        address op = operator(b);
        uint256 expected = rv.rewardsOf(who, op, address(token));
        if (expected == 0) return;
        uint256 before = token.balanceOf(who);
        VM.prank(who);
        uint256 got = rv.claimRewards(op, address(token), who);
        if (got != expected || token.balanceOf(who) - before != expected) revert WrongClaim(got, expected);
        ghostRewardsClaimed += got;
        ++executed[9];
    }

    function claimCommission(uint256 a) public {
        address op = operator(a);
        uint256 expected = rv.operatorRewardsOf(op, address(token));
        if (expected == 0) return;
        VM.prank(op);
        uint256 got = rv.claimOperatorRewards(address(token), op);
        if (got != expected) revert WrongClaim(got, expected);
        ghostRewardsClaimed += got;
        ++executed[10];
    }

    function toggleMembership(uint256 a, uint256 b) public {
        address op = operator(a);
        uint256 net = b % 2 == 0 ? objectiveNet : vetoNet;
        INetworkRegistry.OptIn memory o = nr.optInOf(net, op);
        if (o.optedOutAt == 0) {
            VM.prank(op);
            nr.optOut(net);
        } else if (block.timestamp >= o.optedOutAt + EPOCH) {
            VM.prank(op);
            nr.optIn(net);
        } else {
            VM.prank(op);
            rv.setCommission((b >> 16) % 10_001);
        }
        ++executed[11];
    }

    /// @dev Pending deposits of everyone with `op`, and every claimable withdrawal's value with `op`.
    function _unslashable(address op) internal view returns (uint256 pending, uint256[] memory claimable) {
        for (uint256 i = 0; i < RESTAKERS + OPERATORS; ++i) {
            (, uint256 p,) = rv.positionOf(actor(i), op);
            pending += p;
        }
        uint256 n = entries.length;
        claimable = new uint256[](n);
        uint256 epoch = rv.currentEpoch();
        for (uint256 i = 0; i < n; ++i) {
            Entry storage e = entries[i];
            if (e.operator == op && !e.claimed && e.epoch <= epoch) {
                claimable[i] = rv.withdrawalOf(e.restaker, op, e.epoch);
            }
        }
    }

    function _afterSlash(
        address op,
        uint256 capture,
        uint256 slashed,
        uint256 slashable,
        uint256 pendingBefore,
        uint256[] memory claimableBefore
    ) internal {
        ghostSlashed += slashed;
        if (slashed > slashable) revert SlashedBeyondSlashable(slashed, slashable);
        // Every network together never took more than the stake captured.
        uint256 since = rv.slashedSince(op, capture);
        uint256 captured = rv.stakeAt(op, capture);
        if (since > captured) revert SlashedBeyondCapture(since, captured);
        // Deposits still pending (all deposits made after the capture are) and claimable withdrawals are untouched.
        (uint256 pendingAfter, uint256[] memory claimableAfter) = _unslashable(op);
        if (pendingAfter != pendingBefore) revert PendingDepositSlashed(pendingBefore, pendingAfter);
        for (uint256 i = 0; i < claimableBefore.length; ++i) {
            if (claimableAfter[i] != claimableBefore[i]) {
                revert ClaimableWithdrawalSlashed(claimableBefore[i], claimableAfter[i]);
            }
        }
    }
}
