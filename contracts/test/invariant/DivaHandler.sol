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
import {OracleRelay} from "../../src/test-doubles/OracleRelay.sol";
import {ValidatorRegistryDouble} from "../../src/test-doubles/ValidatorRegistryDouble.sol";
import {WithdrawalRequestPredeployDouble} from "../../src/test-doubles/WithdrawalRequestPredeployDouble.sol";
import {VM} from "./Vm.sol";

/// @notice Drives the Diva contracts with random bounded calls from a few actors and keeps ghost totals of the ether
/// that entered and left the system. Every action asserts its own rounding property; `DivaInvariants` checks the
/// global ones after each call.
contract DivaHandler {
    error RoundingFavoursCaller(string action, uint256 got, uint256 paid);
    error ShareRateDecreased(string action);
    error FifoViolated(uint256 previousLast, uint256 newLast);
    error FinalizedAfterReference(uint256 requestId, uint256 requestTimestamp, uint256 refTimestamp);
    error WithdrawalDemandReserved(uint256 unreserved, uint256 demand);
    error ReservationNotExact(string step);
    error RefundNotExact(uint256 refunded, uint256 expected);

    uint256 internal constant ACTORS = 4;

    DepositContract public immutable depositContract;
    StakingPool public immutable pool;
    WithdrawalVault public immutable vault;
    WrappedDivETH public immutable wrapper;
    WithdrawalQueue public immutable queue;
    OracleRelay public immutable oracle;
    ValidatorRegistryDouble public immutable registry;
    ExitManager public immutable exitManager;
    address internal constant _WITHDRAWAL_REQUEST_PREDEPLOY = 0x00000961Ef480Eb55e80D19ad83579A64c007002;
    address public immutable operators = address(uint160(0xbe7));

    uint256 public ghostStaked;
    uint256 public ghostVaultInflows;
    uint256 public ghostClaimed;
    uint256 public calls;
    /// @notice Per action (in `step` order), how many calls did something rather than return early.
    uint256[14] public executed;
    /// @notice Predeposited validators awaiting their top-up or write-off (the handler's own count).
    uint256 public ghostPendingTopUps;
    bytes[] private _pendingPubkeys;
    uint256 private _depositSeed;
    uint256 private _nextClaim = 1;

    constructor() payable {
        depositContract = new DepositContract();
        pool = new StakingPool{value: msg.value}(address(depositContract), operators);
        ghostStaked = msg.value;
        exitManager = new ExitManager(address(pool), 1 days);
        vault = new WithdrawalVault(address(pool), address(exitManager));
        VM.etch(_WITHDRAWAL_REQUEST_PREDEPLOY, address(new WithdrawalRequestPredeployDouble()).code);
        wrapper = new WrappedDivETH(IDivETH(address(pool)));
        queue = new WithdrawalQueue(address(pool), IWrappedDivETH(address(wrapper)));
        oracle = new OracleRelay(address(pool));
        pool.wireComponents(address(vault), address(queue), address(oracle));
        registry = new ValidatorRegistryDouble(address(pool));
        pool.setValidatorRegistry(address(registry));
    }

    function actor(uint256 index) public pure returns (address) {
        return address(uint160(0x1000 + (index % ACTORS)));
    }

    /// @notice Runs one random action chosen by `r`.
    function step(uint256 r) external {
        ++calls;
        uint256 action = r % 14;
        uint256 a = uint256(keccak256(abi.encode(r, 1)));
        uint256 b = uint256(keccak256(abi.encode(r, 2)));
        (uint256 tpe, uint256 ts) = (pool.getTotalPooledEther(), pool.getTotalShares());
        if (action == 0) stake(a, b);
        else if (action == 1) transfer(a, b);
        else if (action == 2) transferShares(a, b);
        else if (action == 3) wrap(a, b);
        else if (action == 4) unwrap(a, b);
        else if (action == 5) request(a, b);
        else if (action == 6) finalize(a);
        else if (action == 7) claim(a);
        else if (action == 8) depositValidator();
        else if (action == 9) elRewards(a);
        else if (action == 10) report(a, b);
        else if (action == 11) topUp(a);
        else if (action == 12) writeOffFrontRun(a, b);
        else exitRequest(a, b);
        // Only reports may lower the share rate; every user action keeps or raises it (rounding favours holders).
        if (action != 10 && pool.getTotalPooledEther() * ts < tpe * pool.getTotalShares()) {
            revert ShareRateDecreased("user action");
        }
    }

    function stake(uint256 a, uint256 b) public {
        address who = actor(a);
        uint256 amount = 1 + (b % 50 ether);
        if (pool.getSharesByPooledEth(amount) == 0) return;
        VM.deal(who, amount);
        VM.prank(who);
        uint256 shares = pool.stake{value: amount}();
        ++executed[0];
        ghostStaked += amount;
        uint256 value = pool.getPooledEthByShares(shares);
        if (value > amount) revert RoundingFavoursCaller("stake", value, amount);
    }

    function transfer(uint256 a, uint256 b) public {
        (address from, address to) = (actor(a), actor(a + 1 + (b % (ACTORS - 1))));
        uint256 amount = b % (pool.balanceOf(from) + 1);
        uint256 toBefore = pool.balanceOf(to);
        VM.prank(from);
        pool.transfer(to, amount);
        ++executed[1];
        uint256 got = pool.balanceOf(to) - toBefore;
        if (got > amount) revert RoundingFavoursCaller("transfer", got, amount);
    }

    function transferShares(uint256 a, uint256 b) public {
        (address from, address spender, address to) = (actor(a), actor(a + 1), actor(a + 2));
        uint256 shares = b % (pool.sharesOf(from) + 1);
        uint256 allowance = b % 100 ether;
        VM.prank(from);
        pool.approve(spender, allowance);
        uint256 valueUp = pool.getPooledEthByShares(shares) + (shares == 0 ? 0 : 1);
        if (valueUp > allowance) {
            // Not enough allowance for the shares' value rounded up: the plain variant by the owner instead.
            VM.prank(from);
            pool.transferShares(to, shares);
            ++executed[2];
            return;
        }
        VM.prank(spender);
        pool.transferSharesFrom(from, to, shares);
        ++executed[2];
        uint256 spent = allowance - pool.allowance(from, spender);
        uint256 value = pool.getPooledEthByShares(shares);
        if (spent < value) revert RoundingFavoursCaller("transferSharesFrom", value, spent);
    }

    function wrap(uint256 a, uint256 b) public {
        address who = actor(a);
        uint256 amount = b % (pool.balanceOf(who) + 1);
        if (pool.getSharesByPooledEth(amount) == 0) return;
        VM.startPrank(who);
        pool.approve(address(wrapper), amount);
        uint256 minted = wrapper.wrap(amount);
        VM.stopPrank();
        uint256 spent = amount - pool.allowance(who, address(wrapper));
        ++executed[3];
        uint256 value = pool.getPooledEthByShares(minted);
        if (value > spent) revert RoundingFavoursCaller("wrap", value, spent);
    }

    function unwrap(uint256 a, uint256 b) public {
        address who = actor(a);
        uint256 amount = b % (wrapper.balanceOf(who) + 1);
        if (amount == 0) return;
        uint256 sharesBefore = pool.sharesOf(who);
        VM.prank(who);
        wrapper.unwrap(amount);
        ++executed[4];
        uint256 got = pool.sharesOf(who) - sharesBefore;
        if (got > amount) revert RoundingFavoursCaller("unwrap", got, amount);
    }

    function request(uint256 a, uint256 b) public {
        // Requests land at spread-out times so reports with a reference time in the past cut the queue in between.
        VM.warp(block.timestamp + (a >> 128) % 3 hours);
        address who = actor(a);
        bool viaWrapper = b % 3 == 0;
        uint256 min = queue.MIN_WITHDRAWAL_AMOUNT();
        if (viaWrapper) {
            uint256 wdiv = b % (wrapper.balanceOf(who) + 1);
            uint256 value = pool.getPooledEthByShares(wdiv);
            if (value < min || value > queue.MAX_WITHDRAWAL_AMOUNT()) return;
            VM.startPrank(who);
            wrapper.approve(address(queue), wdiv);
            uint256 id = queue.requestWithdrawalWdivETH(wdiv, who);
            VM.stopPrank();
            _checkRequest(id, value);
            ++executed[5];
        } else {
            uint256 balance = pool.balanceOf(who);
            if (balance < min) return;
            uint256 amount = min + (b % (balance - min + 1));
            if (amount > queue.MAX_WITHDRAWAL_AMOUNT()) amount = queue.MAX_WITHDRAWAL_AMOUNT();
            VM.startPrank(who);
            pool.approve(address(queue), amount);
            uint256 id = queue.requestWithdrawal(amount, who);
            VM.stopPrank();
            _checkRequest(id, amount);
            ++executed[5];
        }
    }

    function finalize(uint256 a) public {
        uint256 before = queue.lastFinalizedRequestId();
        pool.finalizeWithdrawals(1 + (a % 100));
        uint256 last = queue.lastFinalizedRequestId();
        if (last < before || last > pool.finalizableRequestId()) revert FifoViolated(before, last);
        if (last > before) ++executed[6];
        // Rule 1: every request a report made finalizable was placed strictly before the report's reference time.
        uint256 ref = pool.lastReportRefTimestamp();
        for (uint256 id = before + 1; id <= last; ++id) {
            uint256 at = _status(id).timestamp;
            if (at >= ref) revert FinalizedAfterReference(id, at, ref);
        }
        // The first unfinalized eligible request was not affordable: nothing was skipped.
        if (last < pool.finalizableRequestId() && last - before < 1 + (a % 100)) {
            IWithdrawalQueueStatus memory next = _status(last + 1);
            uint256 payout = next.amountOfEther;
            uint256 atRate = pool.getPooledEthByShares(next.amountOfShares);
            if (atRate < payout) payout = atRate;
            if (payout <= pool.unreservedBufferedEther() && payout > 0) revert FifoViolated(before, last);
        }
    }

    function claim(uint256 a) public {
        uint256 last = queue.lastFinalizedRequestId();
        // Claim in order of ids with some randomness: skip ahead by up to 2 ids.
        uint256 id = _nextClaim + (a % 3);
        if (id > last || queue.claimableEther(id) == 0) return;
        address owner = queue.ownerOf(id);
        uint256 amount = queue.claimableEther(id);
        uint256 before = owner.balance;
        VM.prank(owner);
        queue.claimWithdrawal(id);
        ++executed[7];
        ghostClaimed += amount;
        if (owner.balance - before != amount) revert RoundingFavoursCaller("claim", owner.balance - before, amount);
        if (id == _nextClaim) {
            ++_nextClaim;
            while (_nextClaim <= last && queue.claimableEther(_nextClaim) == 0) ++_nextClaim;
        }
    }

    function depositValidator() public {
        if (pool.depositableEther() < 32 ether) return;
        registry.reserve();
        // Rule 2: a reservation never takes ether owed to unfinalized withdrawal requests.
        uint256 unreserved = pool.unreservedBufferedEther();
        if (unreserved < queue.unfinalizedEther()) revert WithdrawalDemandReserved(unreserved, queue.unfinalizedEther());
        bytes memory pubkey = abi.encodePacked(keccak256(abi.encode(++_depositSeed)), bytes16(uint128(_depositSeed)));
        bytes memory signature = abi.encodePacked(
            keccak256(abi.encode(_depositSeed, 1)), keccak256(abi.encode(_depositSeed, 2)), keccak256(abi.encode(_depositSeed, 3))
        );
        bytes32 root = _depositDataRoot(pubkey, pool.withdrawalCredentials(), signature);
        uint256 unreservedBefore = pool.unreservedBufferedEther();
        registry.deposit(pubkey, signature, root);
        // The predeposit takes 1 ETH of the reservation; its other 31 ETH stay reserved.
        if (pool.unreservedBufferedEther() != unreservedBefore) revert ReservationNotExact("predeposit");
        _pendingPubkeys.push(pubkey);
        ++ghostPendingTopUps;
        ++executed[8];
    }

    /// @notice Completes a random predeposit with its 31 ETH (the registry saw the protocol's credentials).
    function topUp(uint256 a) public {
        uint256 n = _pendingPubkeys.length;
        if (n == 0) return;
        bytes memory pubkey = _takePending(a % n);
        uint256 unreservedBefore = pool.unreservedBufferedEther();
        registry.topUp(pubkey);
        if (pool.unreservedBufferedEther() != unreservedBefore) revert ReservationNotExact("top-up");
        ++executed[11];
    }

    /// @notice Writes off a random predeposit found front-run, burning bond shares worth at least its 1 ETH (the
    /// registry's rule; the bond is staked here and handed to the registry double, which holds it like the registry).
    function writeOffFrontRun(uint256 a, uint256 b) public {
        uint256 n = _pendingPubkeys.length;
        if (n == 0) return;
        bytes memory pubkey = _takePending(a % n);
        uint256 bondShares = pool.getSharesByPooledEth(1 ether) + 1 + (b % 1e15);
        uint256 bond = pool.getPooledEthByShares(bondShares) + 1;
        VM.deal(address(this), bond);
        ghostStaked += bond;
        pool.stake{value: bond}();
        pool.transferShares(address(registry), bondShares);
        uint256 unreservedBefore = pool.unreservedBufferedEther();
        registry.writeOff(pubkey, bondShares);
        // The 31 ETH reservation returns to the buffer.
        if (pool.unreservedBufferedEther() != unreservedBefore + 31 ether) revert ReservationNotExact("write-off");
        ++executed[12];
    }

    function _takePending(uint256 i) private returns (bytes memory pubkey) {
        uint256 last = _pendingPubkeys.length - 1;
        pubkey = _pendingPubkeys[i];
        _pendingPubkeys[i] = _pendingPubkeys[last];
        _pendingPubkeys.pop();
        --ghostPendingTopUps;
    }

    /// @notice The exit manager has the vault send an EIP-7002 request with a random fee and a random overpayment from
    /// an actor: the actor pays exactly the fee, and the vault's own ether (checked by the conservation invariant) never
    /// pays any of it. The request's ether comes from outside the system and its fee leaves it.
    function exitRequest(uint256 a, uint256 b) public {
        uint256 fee = a % 1 ether;
        uint256 value = fee + b % 1 ether;
        address payer = actor(b >> 128);
        VM.store(_WITHDRAWAL_REQUEST_PREDEPLOY, bytes32(0), bytes32(fee));
        VM.deal(address(exitManager), value);
        uint256 before = payer.balance;
        VM.prank(address(exitManager));
        vault.requestFullWithdrawal{value: value}(abi.encodePacked(bytes32(a), bytes16(bytes32(b))), payer);
        if (payer.balance - before != value - fee) revert RefundNotExact(payer.balance - before, value - fee);
        ++executed[13];
    }

    function elRewards(uint256 a) public {
        uint256 amount = a % 1 ether;
        VM.deal(address(this), amount);
        (bool ok,) = address(vault).call{value: amount}("");
        require(ok);
        ghostVaultInflows += amount;
        ++executed[9];
    }

    /// @notice Reports every deposited validator with its balance moved by a bounded random reward or penalty, a day
    /// after the previous report, and pulls the vault's whole balance.
    function report(uint256 a, uint256 b) public {
        // The reference time lies anywhere between the previous report's and now: requests after it must wait.
        uint256 lastRef = pool.lastReportRefTimestamp();
        VM.warp(block.timestamp + 1 days);
        uint256 refTimestamp = block.timestamp - (b >> 128) % (block.timestamp - lastRef);
        uint256 deposited = pool.depositedValidators();
        (uint256 seen, uint256 balance) = pool.beaconStats();
        uint256 expected = balance + (deposited - seen) * 32 ether;
        uint256 tpe = pool.getTotalPooledEther();
        uint256 vaultBalance = address(vault).balance;
        // Keep the rate move within the oracle limits (±1% per day here, limits are 1%/day up and 10% down).
        uint256 maxUp = tpe / 200;
        uint256 reward = a % (maxUp + 1);
        uint256 penalty = b % (tpe / 50 + 1);
        if (penalty > expected) penalty = expected;
        if (vaultBalance > maxUp) vaultBalance = maxUp;
        uint256 newBalance = expected + reward - penalty;
        oracle.submitReport(
            OracleRelay.Report({
                beaconValidators: deposited,
                beaconBalance: newBalance,
                withdrawalVaultBalance: vaultBalance,
                refTimestamp: refTimestamp
            })
        );
        ++executed[10];
    }

    struct IWithdrawalQueueStatus {
        uint256 amountOfEther;
        uint256 amountOfShares;
        uint256 timestamp;
    }

    function _status(uint256 id) private view returns (IWithdrawalQueueStatus memory s) {
        uint256[] memory ids = new uint256[](1);
        ids[0] = id;
        WithdrawalQueue.WithdrawalRequestStatus[] memory st = queue.getWithdrawalStatus(ids);
        s.amountOfEther = st[0].amountOfEther;
        s.timestamp = st[0].timestamp;
        s.amountOfShares = st[0].amountOfShares;
    }

    /// @notice Value and shares recorded for request `id`.
    function requestAmounts(uint256 id) external view returns (uint256 amountOfEther, uint256 amountOfShares) {
        IWithdrawalQueueStatus memory s = _status(id);
        return (s.amountOfEther, s.amountOfShares);
    }

    function _checkRequest(uint256 id, uint256 paid) private view {
        IWithdrawalQueueStatus memory s = _status(id);
        if (s.amountOfEther > paid) revert RoundingFavoursCaller("request", s.amountOfEther, paid);
    }

    /// @dev SSZ hash tree root of a phase0 DepositData for the 1 ETH predeposit.
    function _depositDataRoot(bytes memory pubkey, bytes32 credentials, bytes memory signature)
        private
        pure
        returns (bytes32)
    {
        bytes32 pubkeyRoot = sha256(abi.encodePacked(pubkey, bytes16(0)));
        (bytes memory sigA, bytes memory sigB) = (new bytes(64), new bytes(32));
        for (uint256 i = 0; i < 64; ++i) sigA[i] = signature[i];
        for (uint256 i = 0; i < 32; ++i) sigB[i] = signature[64 + i];
        bytes32 signatureRoot =
            sha256(abi.encodePacked(sha256(sigA), sha256(abi.encodePacked(sigB, bytes32(0)))));
        // 1 ETH = 1e9 gwei, little-endian 8 bytes: 0x00ca9a3b00000000.
        bytes8 amountLE = 0x00ca9a3b00000000;
        return sha256(
            abi.encodePacked(
                sha256(abi.encodePacked(pubkeyRoot, credentials)),
                sha256(abi.encodePacked(amountLE, bytes24(0), signatureRoot))
            )
        );
    }

    receive() external payable {}
}
