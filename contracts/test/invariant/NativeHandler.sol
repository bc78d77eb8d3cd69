// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {DepositContract} from "../../src/devnet/DepositContract.sol";
import {SSZ} from "../../src/libraries/SSZ.sol";
import {IDivETH} from "../../src/interfaces/IDivETH.sol";
import {IWrappedDivETH} from "../../src/interfaces/IWrappedDivETH.sol";
import {NativeVault} from "../../src/nektar/NativeVault.sol";
import {NetworkRegistry} from "../../src/nektar/NetworkRegistry.sol";
import {RestakingVault} from "../../src/nektar/RestakingVault.sol";
import {INetworkRegistry} from "../../src/nektar/interfaces/INetworkRegistry.sol";
import {IRestakingVault} from "../../src/nektar/interfaces/IRestakingVault.sol";
import {SlashVerifierDouble} from "../../src/test-doubles/SlashVerifierDouble.sol";
import {WithdrawalRequestPredeployDouble} from "../../src/test-doubles/WithdrawalRequestPredeployDouble.sol";
import {VM} from "./Vm.sol";

/// @notice Drives the real native vault, a restaking vault and network registry over it with random bounded calls
/// from three restakers and two operators; this handler also plays the validator registry, the oracle (reports that
/// move withdrawn ether from the validators' balance to the vault, add rewards, or take penalties) and the beacon
/// chain (ether of EIP-7002 requests and skims arrives by `deal`). Ghost totals let `NativeInvariants` check that
/// ether is conserved and that no claim exceeds the stake minus slashes.
contract NativeHandler {
    error SlashNotRecordedAtOnce(uint256 owedBefore, uint256 owedAfter, uint256 slashed);

    uint256 public constant EPOCH = 1 days;
    uint256 internal constant RESTAKERS = 3;
    uint256 internal constant OPERATORS = 2;

    NativeVault public immutable native;
    RestakingVault public immutable rv;
    NetworkRegistry public immutable nr;
    DepositContract public immutable depositContract;
    uint256 public immutable net;
    address public constant RECEIVER = address(0xbeef);
    address public constant FEE_RECIPIENT = address(0xfee);

    struct Entry {
        address restaker;
        address operator;
        uint256 epoch;
    }

    bytes32 internal constant _ZERO_SIGNATURE_ROOT = 0xdb56114e00fdd4c1f85c892bf35ac9a89289aaecb1ebd0a96cde606a748b5d71;

    Entry[] internal _entries;
    uint256 internal _seed = 1;
    uint256 internal _validatorBalance; // the beacon chain's total balance of the vault's validators
    uint256 internal _beaconValidators; // validators the beacon chain shows
    uint256 internal _withdrawnCumulative; // ether the beacon chain sent to the vault

    uint256 public ghostStakerIn;
    uint256 public ghostArrivals;
    uint256 public ghostPaid;
    uint256 public ghostRewards;
    uint256 public ghostPenalties;
    uint256 public ghostSlashedEther;
    /// @notice Per action, how many calls did something.
    uint256[12] public executed;

    constructor() {
        depositContract = new DepositContract();
        native = new NativeVault(address(depositContract), FEE_RECIPIENT, 1_000);
        rv = new RestakingVault(IDivETH(address(native)), IWrappedDivETH(address(0)), EPOCH, 2 days);
        nr = new NetworkRegistry(IRestakingVault(address(rv)));
        rv.wireNetworkRegistry(address(nr));
        native.wire(address(rv), address(this), address(this));
        VM.etch(native.WITHDRAWAL_REQUEST_PREDEPLOY(), address(new WithdrawalRequestPredeployDouble()).code);
        net = nr.registerNetwork(
            INetworkRegistry.NetworkConfig({
                middleware: address(this),
                slasher: address(new SlashVerifierDouble()),
                slashReceiver: RECEIVER,
                kind: INetworkRegistry.SlashKind.Objective,
                vetoWindow: 0,
                maxStakePerOperator: type(uint128).max,
                maxTotalStake: type(uint128).max,
                rewardTokens: new address[](0),
                metadataURI: "native"
            })
        );
        for (uint256 i = 0; i < RESTAKERS + OPERATORS; ++i) {
            VM.deal(actor(i), 100_000 ether);
            if (i >= RESTAKERS) {
                VM.startPrank(actor(i));
                rv.registerOperator(1_000);
                nr.optIn(net);
                VM.stopPrank();
            }
        }
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
        return _entries.length;
    }

    function entry(uint256 i) external view returns (address, address, uint256) {
        Entry memory e = _entries[i];
        return (e.restaker, e.operator, e.epoch);
    }

    /// @notice One random action.
    function step(uint256 seed) external {
        uint256 action = seed % 12;
        uint256 r = seed >> 8;
        address who = actor(r);
        if (action == 0) _deposit(who, r >> 8);
        else if (action == 1) _delegate(who, operator(r >> 8), r >> 16);
        else if (action == 2) _undelegate(who, operator(r >> 8), r >> 16);
        else if (action == 3) _claim(r >> 8);
        else if (action == 4) _withdraw(who, r >> 8);
        else if (action == 5) _createValidator();
        else if (action == 6) _report(r >> 8);
        else if (action == 7) _skim(r >> 8);
        else if (action == 8) _slash(operator(r >> 8), r >> 16);
        else if (action == 9) _settle(r >> 8);
        else if (action == 10) _requestAndArrive(r >> 8);
        else _warp(r >> 8);
    }

    function _deposit(address who, uint256 r) internal {
        uint256 amount = 0.01 ether + (r % 40 ether);
        VM.prank(who);
        try native.deposit{value: amount}() {
            ghostStakerIn += amount;
            ++executed[0];
        } catch {}
    }

    function _delegate(address who, address op, uint256 r) internal {
        uint256 have = native.sharesOf(who);
        if (have == 0) return;
        uint256 shares = 1 + (r % have);
        VM.prank(who);
        rv.deposit(op, shares);
        ++executed[1];
    }

    function _undelegate(address who, address op, uint256 r) internal {
        (uint256 active,,) = rv.positionOf(who, op);
        if (active == 0) return;
        uint256 shares = 1 + (r % active);
        VM.prank(who);
        uint256 claimEpoch = rv.undelegate(op, shares);
        _entries.push(Entry(who, op, claimEpoch));
        ++executed[2];
    }

    function _claim(uint256 r) internal {
        uint256 n = _entries.length;
        if (n == 0) return;
        Entry memory e = _entries[r % n];
        if (rv.currentEpoch() < e.epoch || rv.withdrawalOf(e.restaker, e.operator, e.epoch) == 0) return;
        VM.prank(e.restaker);
        try rv.claimWithdrawal(e.operator, e.epoch, e.restaker) {
            ++executed[3];
        } catch {}
    }

    function _withdraw(address who, uint256 r) internal {
        uint256 have = native.sharesOf(who);
        if (have == 0) return;
        VM.prank(who);
        native.withdraw(1 + (r % have), who);
        ++executed[4];
    }

    function _createValidator() internal {
        (, uint256 pending,) = native.validatorStats();
        if (pending != 0 || address(native).balance < native.owedEther() + 32 ether + 31 ether * pending) return;
        bytes memory pubkey = abi.encodePacked(bytes16(keccak256(abi.encode(_seed))), keccak256(abi.encode(_seed + 1)));
        ++_seed;
        bytes memory signature = new bytes(96);
        bytes32 credentials = native.withdrawalCredentials();
        // DepositData(pubkey, credentials, 1 ETH, zero signature) as the deposit contract hashes it.
        bytes32 root = SSZ.hashPair(
            SSZ.hashPair(SSZ.pubkeyRoot(pubkey), credentials),
            SSZ.hashPair(bytes32(uint256(0x00ca9a3b00000000) << 192), _ZERO_SIGNATURE_ROOT)
        );
        try native.depositValidator(pubkey, signature, root) {
            native.topUpValidator(pubkey);
            _validatorBalance += 32 ether;
            ++_beaconValidators;
            ++executed[5];
        } catch {}
    }

    /// @dev A report of the beacon chain as it is, after a random reward or penalty.
    function _report(uint256 r) internal {
        if (_beaconValidators != 0) {
            uint256 change = r % 0.5 ether;
            if ((r >> 128) & 1 == 0) {
                _validatorBalance += change;
                ghostRewards += change;
            } else if (change <= _validatorBalance) {
                _validatorBalance -= change;
                ghostPenalties += change;
            }
        }
        VM.warp(block.timestamp + 1);
        native.handleReport(block.timestamp - 1, _beaconValidators, _validatorBalance, _withdrawnCumulative);
        ++executed[6];
    }

    /// @dev The beacon chain withdraws part of the validators' balance to the vault.
    function _skim(uint256 r) internal {
        if (_validatorBalance == 0) return;
        _arrive(1 + (r % _validatorBalance));
        ++executed[7];
    }

    function _arrive(uint256 amount) internal {
        _validatorBalance -= amount;
        _withdrawnCumulative += amount;
        ghostArrivals += amount;
        VM.deal(address(native), address(native).balance + amount);
    }

    function _slash(address op, uint256 r) internal {
        uint256 slashable = nr.slashableStake(net, op, block.timestamp - 1);
        if (slashable == 0) return;
        // Whole stake, all but a few wei (deep slashes: the restaking vault rebases the pool; they used to make later
        // deposits overflow its units) or at most 20% of it.
        uint256 kind = (r >> 128) % 4;
        uint256 left = r % 4097;
        uint256 amount = kind == 0
            ? slashable
            : kind == 1 && slashable > left ? slashable - left : 1 + (r % (slashable / 5 + 1));
        uint256 owedBefore = native.owedEther();
        uint256 pooledBefore = native.getTotalPooledEther();
        uint256 sharesBefore = native.getTotalShares();
        try nr.slashWithEvidence(net, op, uint48(block.timestamp - 1), abi.encode(true, amount)) returns (
            uint256 slashed
        ) {
            uint256 queued = native.owedEther() - owedBefore;
            // The slash is the receiver's ether claim at once, at the rate of the moment (rounded down).
            if (queued != Math.mulDiv(slashed, pooledBefore + 1, sharesBefore + 1)) {
                revert SlashNotRecordedAtOnce(owedBefore, owedBefore + queued, slashed);
            }
            ghostSlashedEther += queued;
            ++executed[8];
        } catch {}
    }

    function _settle(uint256 r) internal {
        uint256 before = address(native).balance;
        native.settlePayouts(1 + (r % 4));
        ghostPaid += before - address(native).balance;
        ++executed[9];
    }

    /// @dev Sends an EIP-7002 request for the shortfall when there is one, then the beacon chain pays it.
    function _requestAndArrive(uint256 r) internal {
        (uint256 deposited,,) = native.validatorStats();
        if (deposited == 0 || native.shortfall() == 0) return;
        uint256 missing = native.shortfall();
        native.requestWithdrawal(r % deposited, uint64((missing + 1 gwei - 1) / 1 gwei));
        uint256 amount = missing < _validatorBalance ? missing : _validatorBalance;
        if (amount != 0) _arrive(amount);
        ++executed[10];
    }

    function _warp(uint256 r) internal {
        VM.warp(block.timestamp + 1 hours + (r % EPOCH));
        ++executed[11];
    }

    receive() external payable {}
}
