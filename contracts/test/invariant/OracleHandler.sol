// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {DepositContract} from "../../src/devnet/DepositContract.sol";
import {AccountingOracle} from "../../src/diva/AccountingOracle.sol";
import {OracleProver} from "../../src/diva/OracleProver.sol";
import {OperatorRegistry} from "../../src/diva/OperatorRegistry.sol";
import {StakingPool} from "../../src/diva/StakingPool.sol";
import {WithdrawalQueue} from "../../src/diva/WithdrawalQueue.sol";
import {ExitManager} from "../../src/diva/ExitManager.sol";
import {WithdrawalVault} from "../../src/diva/WithdrawalVault.sol";
import {WrappedDivETH} from "../../src/diva/WrappedDivETH.sol";
import {IAccountingOracle} from "../../src/interfaces/IAccountingOracle.sol";
import {IDivETH} from "../../src/interfaces/IDivETH.sol";
import {IOperatorRegistry} from "../../src/interfaces/IOperatorRegistry.sol";
import {IWrappedDivETH} from "../../src/interfaces/IWrappedDivETH.sol";
import {FleetOperator} from "../../src/test-doubles/OperatorFleet.sol";
import {VM} from "./Vm.sol";

/// @notice Drives the report/dispute state machine of the real `AccountingOracle` (with the real pool, queue, vault
/// and operator registry) with random actions: post an honest report or one of two lies (a root or a leaf claiming a
/// sum its children do not hold), dispute (rightly or wrongly), let time pass, apply, stake, and let ether arrive in
/// the withdrawal vault (before or after a frame's snapshot). Ghost variables record what the invariants need.
/// @dev No validators are deposited (the state machine does not depend on them; beacon-proof disputes are covered by
/// test/integration/AdversarialReporters.test.ts), so reports carry count 0 and rewards come through the vault.
contract OracleHandler {
    uint256 public constant REPORTERS = 3;
    uint256 public constant BOND_UNITS = 100;
    uint64 public constant SECONDS_PER_SLOT = 12;
    uint64 public constant FRAME_SLOTS = 32;
    uint64 public constant WINDOW = 120;
    address internal constant _BEACON_ROOTS = 0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02;

    StakingPool public immutable pool;
    WithdrawalVault public immutable vault;
    WrappedDivETH public immutable wrapper;
    WithdrawalQueue public immutable queue;
    AccountingOracle public immutable oracle;
    OperatorRegistry public immutable registry;
    DepositContract public immutable depositContract;

    /// @notice Lie of a posted report: 0 honest, 1 root sum, 2 leaf sum.
    mapping(uint256 frame => uint256 lie) public lieOf;
    uint256 public pendingFrame;
    uint256 public ghostIn;
    /// @notice Ether that ever arrived in the vault.
    uint256 public ghostVaultIn;
    uint256 public ghostLockedUnits;
    uint256 public ghostSlashedUnits;
    uint256 public ghostDisputerShares;
    uint256 public calls;
    /// @notice Calls that changed the share rate without an applied report or a successful dispute (must stay 0).
    uint256 public unexplainedRateMoves;
    /// @notice Lies that were applied (a lie nobody disputed applies: the limits are then the only defence).
    uint256 public appliedLies;
    uint256[6] public executed;
    address public constant DISPUTER = address(0xD15);

    constructor() payable {
        depositContract = new DepositContract();
        pool = new StakingPool{value: 0.001 ether}(address(depositContract), address(0xbe7));
        ghostIn = 0.001 ether;
        vault = new WithdrawalVault(address(pool), address(new ExitManager(address(pool), 1 days)));
        wrapper = new WrappedDivETH(IDivETH(address(pool)));
        queue = new WithdrawalQueue(address(pool), IWrappedDivETH(address(wrapper)));
        oracle = new AccountingOracle(
            pool,
            IAccountingOracle.Config({
                genesisTime: uint64(block.timestamp - 10 * FRAME_SLOTS * SECONDS_PER_SLOT),
                secondsPerSlot: SECONDS_PER_SLOT,
                slotsPerEpoch: 8,
                frameSlots: FRAME_SLOTS,
                challengeWindow: WINDOW,
                reporterBondUnits: uint32(BOND_UNITS),
                maxIncreaseBpPerDay: 1000,
                maxDecreaseBpPerReport: 500
            })
        );
        pool.wireComponents(address(vault), address(queue), address(oracle));
        registry = new OperatorRegistry(address(pool), address(wrapper), 1 ether, 1e16, 3600, bytes4(0x00000001));
        pool.setValidatorRegistry(address(registry));
        for (uint256 i = 0; i < REPORTERS; ++i) {
            new FleetOperator{value: 20 ether}(registry, reporter(i), bytes32(i + 1));
        }
        ghostIn += 20 ether * REPORTERS;
    }

    /// @notice Signer of reporter `i` (operator id `i + 1`).
    function reporter(uint256 i) public pure returns (address) {
        return address(uint160(0x5000 + i));
    }

    /// @notice The share rate, 1e27-scaled.
    function rate() public view returns (uint256) {
        return pool.getTotalPooledEther() * 1e27 / pool.getTotalShares();
    }

    /// @notice Runs one random action chosen by `r`.
    function step(uint256 r) external {
        ++calls;
        uint256 action = r % 6;
        uint256 a = uint256(keccak256(abi.encode(r, 1)));
        uint256 preRate = rate();
        uint256 prePooled = pool.getTotalPooledEther();
        bool explained;
        if (action == 0) _post(a);
        else if (action == 1) explained = _dispute(a);
        else if (action == 2) _warp(a);
        else if (action == 3) explained = _apply();
        else if (action == 4) explained = _stake(a);
        else _vaultInflow(a);
        if (!explained && rate() != preRate) ++unexplainedRateMoves;
        // A dispute only burns: pooled ether never changes outside applied reports and stakes.
        if (action != 3 && action != 4 && pool.getTotalPooledEther() != prePooled) ++unexplainedRateMoves;
    }

    function _post(uint256 a) private {
        if (pendingFrame != 0) return;
        uint256 frame = oracle.currentFrame();
        IAccountingOracle.ReportStatus status = oracle.getReport(frame).status;
        if (
            frame <= oracle.lastAppliedFrame() || status == IAccountingOracle.ReportStatus.Applied
                || status == IAccountingOracle.ReportStatus.Pending
        ) return;
        // The frame's anchor and vault pull come from its snapshot (taken here by whoever reports first).
        OracleProver prover = OracleProver(oracle.prover());
        (uint256 anchor,) = prover.frameSnapshot(frame);
        if (anchor == 0) {
            uint256 ref = oracle.frameReferenceTime(frame);
            if (block.timestamp > ref + (FRAME_SLOTS - 1) * SECONDS_PER_SLOT) return; // The frame's last slot.
            if (block.timestamp <= ref) VM.warp(ref + 1);
            anchor = prover.snapshotFrame(frame);
        }
        if (block.timestamp < anchor) VM.warp(anchor);
        VM.store(_BEACON_ROOTS, bytes32(anchor % 8191), bytes32(anchor));
        VM.store(_BEACON_ROOTS, bytes32(anchor % 8191 + 8191), keccak256(abi.encode("root", frame)));
        uint256 lie = a % 3;
        uint256 lieSum = lie == 0 ? 0 : 1 + (a >> 16) % 10 gwei;
        (bytes32 root, uint256 sum) = _tree(lie, lieSum);
        uint256 id = (a >> 32) % REPORTERS;
        if (registry.getOperator(id + 1).freeUnits < BOND_UNITS) return;
        VM.prank(reporter(id));
        oracle.postReport(frame, anchor, root, 0, sum);
        lieOf[frame] = lie;
        pendingFrame = frame;
        ghostLockedUnits += BOND_UNITS;
        ++executed[0];
    }

    /// @dev A depth-1 tree with two empty leaves; a lie claims `lieSum` at the root (1) or at leaf 0 (2).
    function _tree(uint256 lie, uint256 lieSum) private pure returns (bytes32 root, uint256 sum) {
        uint256 leftSum = lie == 2 ? lieSum : 0;
        root = keccak256(abi.encode(bytes32(0), uint256(0), leftSum, bytes32(0), uint256(0), uint256(0)));
        sum = lie == 0 ? 0 : lieSum;
    }

    function _dispute(uint256 a) private returns (bool explained) {
        uint256 frame = pendingFrame;
        if (frame == 0) return false;
        IAccountingOracle.ReportRecord memory rep = oracle.getReport(frame);
        uint256 lie = lieOf[frame];
        uint256 lieSum = lie == 0 ? 0 : rep.balanceSum;
        IAccountingOracle.TreeNode memory empty = IAccountingOracle.TreeNode(bytes32(0), 0, 0);
        IAccountingOracle.TreeNode memory left = IAccountingOracle.TreeNode(bytes32(0), 0, lie == 2 ? lieSum : 0);
        IAccountingOracle.TreeNode memory node = IAccountingOracle.TreeNode(rep.root, 0, rep.balanceSum);
        bool open = block.timestamp < rep.disputeDeadline;
        uint256 sharesBefore = pool.sharesOf(DISPUTER);
        VM.prank(DISPUTER);
        bool ok;
        if ((a & 1) == 0) {
            try oracle.disputeNodeSum(frame, 0, 0, node, left, empty, new IAccountingOracle.TreeNode[](0)) {
                ok = true;
            } catch {}
        } else {
            IAccountingOracle.TreeNode[] memory path = new IAccountingOracle.TreeNode[](1);
            path[0] = empty;
            try oracle.disputeLeafSum(frame, 0, left, IAccountingOracle.Leaf(0, 0, false, false), path) {
                ok = true;
            } catch {}
        }
        // A dispute succeeds exactly when the report lies in the opened node, the window is open.
        bool expected = open && ((a & 1) == 0 ? lie == 1 : lie == 2);
        if (ok != expected) ++unexplainedRateMoves;
        if (!ok) return false;
        ghostLockedUnits -= BOND_UNITS;
        ghostSlashedUnits += BOND_UNITS;
        ghostDisputerShares += pool.sharesOf(DISPUTER) - sharesBefore;
        pendingFrame = 0;
        ++executed[1];
        return true;
    }

    function _warp(uint256 a) private {
        VM.warp(block.timestamp + 1 + a % (FRAME_SLOTS * SECONDS_PER_SLOT));
        ++executed[2];
    }

    function _apply() private returns (bool explained) {
        uint256 frame = pendingFrame;
        if (frame == 0) return false;
        if (block.timestamp < oracle.getReport(frame).disputeDeadline) return false;
        oracle.applyReport(frame);
        if (oracle.getReport(frame).status == IAccountingOracle.ReportStatus.Applied && lieOf[frame] != 0) {
            ++appliedLies;
        }
        ghostLockedUnits -= BOND_UNITS;
        pendingFrame = 0;
        ++executed[3];
        return true;
    }

    function _stake(uint256 a) private returns (bool explained) {
        uint256 amount = 1 gwei + a % 10 ether;
        VM.deal(address(this), amount);
        pool.stake{value: amount}();
        ghostIn += amount;
        ++executed[4];
        // A stake prices shares before adding the ether and rounds down: the rate can only tick up.
        return true;
    }

    function _vaultInflow(uint256 a) private {
        uint256 amount = a % 0.05 ether;
        VM.deal(address(vault), address(vault).balance + amount);
        ghostIn += amount;
        ghostVaultIn += amount;
        ++executed[5];
    }
}
