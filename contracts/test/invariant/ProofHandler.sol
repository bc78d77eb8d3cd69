// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {DepositContract} from "../../src/devnet/DepositContract.sol";
import {AccountingOracle} from "../../src/diva/AccountingOracle.sol";
import {ExitManager} from "../../src/diva/ExitManager.sol";
import {OracleProver} from "../../src/diva/OracleProver.sol";
import {StakingPool} from "../../src/diva/StakingPool.sol";
import {WithdrawalQueue} from "../../src/diva/WithdrawalQueue.sol";
import {WithdrawalVault} from "../../src/diva/WithdrawalVault.sol";
import {WrappedDivETH} from "../../src/diva/WrappedDivETH.sol";
import {IAccountingOracle} from "../../src/interfaces/IAccountingOracle.sol";
import {IDivETH} from "../../src/interfaces/IDivETH.sol";
import {IOracleProver} from "../../src/interfaces/IOracleProver.sol";
import {IWrappedDivETH} from "../../src/interfaces/IWrappedDivETH.sol";
import {SSZ} from "../../src/libraries/SSZ.sol";
import {ValidatorRegistryDouble} from "../../src/test-doubles/ValidatorRegistryDouble.sol";
import {VM} from "./Vm.sol";

/// @notice The pool's validator registry for the proof fuzz: the test double that forwards the pool's deposit entry
/// points, plus the one registry read the prover makes (`validatorIdByPubkey`).
contract ProofValidatorRegistry is ValidatorRegistryDouble {
    mapping(bytes32 pubkeyHash => uint256 id) private _ids;
    uint256 private _count;

    constructor(address pool) ValidatorRegistryDouble(pool) {}

    /// @notice Gives `pubkey` the next validator id (what `submitDkgResult` does in the real registry).
    function register(bytes calldata pubkey) external {
        _ids[keccak256(pubkey)] = ++_count;
    }

    /// @notice The id of the validator with `pubkey` (0: none).
    function validatorIdByPubkey(bytes calldata pubkey) external view returns (uint256) {
        return _ids[keccak256(pubkey)];
    }
}

/// @notice Drives finalize-by-proofs (`OracleProver.startProofFrame` / `proveValidators`) on the real oracle, prover,
/// pool, queue and vault with random actions over a synthetic beacon state built here with SSZ (validators and
/// balances lists, the Electra state's field tree and the block header, the block root written into the EIP-4788
/// contract): open a frame, start or restart a prover's session, prove the next validators in random batches, skip
/// one (a session that can then never finish), send a bad batch (a validator again, two copies in one batch, a wrong
/// balance, a record that is not the state's, an unregistered validator with the pool's credentials, a foreign one),
/// stake, let ether reach the vault, let time pass. Ghost variables record what the invariants need.
/// @dev The validator registry is a test double (the real `OperatorRegistry` needs DKG results with BLS deposit
/// signatures, covered by test/unit/operators); everything the prover and oracle do is the real code.
contract ProofHandler {
    uint256 public constant VALIDATORS = 6;
    uint256 public constant PROVERS = 2;
    uint64 public constant SECONDS_PER_SLOT = 12;
    uint64 public constant FRAME_SLOTS = 32;
    uint256 internal constant MAX_LIST = 40;
    address internal constant _BEACON_ROOTS = 0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02;
    uint64 internal constant FAR_FUTURE = type(uint64).max;

    StakingPool public immutable pool;
    WithdrawalVault public immutable vault;
    WithdrawalQueue public immutable queue;
    AccountingOracle public immutable oracle;
    OracleProver public immutable prover;
    ProofValidatorRegistry public immutable registry;
    DepositContract public immutable depositContract;
    bytes32 public immutable credentials;

    /// @dev The synthetic beacon state: list length, each index's pubkey seed, credentials kind and balance (gwei).
    uint256 public listLength;
    mapping(uint256 index => uint256 seed) private _pubkeySeed;
    /// @dev 0: the pool's credentials; 1: another address's.
    mapping(uint256 index => uint256 kind) private _credentialsKind;
    mapping(uint256 index => uint64 balanceGwei) private _balance;
    /// @dev `hash_tree_root` of each index's record (records never change here; only balances do).
    mapping(uint256 index => bytes32 root) private _recordRoot;
    /// @notice Beacon indices of the protocol validators, increasing.
    uint256[VALIDATORS] public protocolIndex;

    /// @notice The open frame (0: none) and its anchor.
    uint256 public openFrame;
    uint256 public openAnchor;
    /// @notice Per prover: the frame of its session (0: none) and how many protocol validators it proved (its
    /// cursor in `protocolIndex`), and how many it skipped (a session with a skip can never finish).
    mapping(uint256 prover => uint256) public sessionFrame;
    mapping(uint256 prover => uint256) public proven;
    mapping(uint256 prover => uint256) public skips;

    uint256 public ghostIn;
    uint256 public ghostVaultIn;
    uint256 public calls;
    uint256 public framesFinalized;
    /// @notice Calls that moved the share rate without finalizing a frame (must stay 0).
    uint256 public unexplainedRateMoves;
    /// @notice Frames finalized with a count or balance other than the anchored state's (must stay 0).
    uint256 public wrongFinalizations;
    /// @notice Bad batches the prover accepted (must stay 0).
    uint256 public liesAccepted;
    /// @notice Sessions whose on-chain count differs from the validators its prover proved (must stay 0).
    uint256 public countMismatches;
    uint256[7] public executed;

    error NoForeignValidator(uint256 kind);

    /// @dev A batch under construction.
    struct Batch {
        bytes records;
        bytes32[] chunks;
        bytes32[] proof;
    }

    constructor() payable {
        depositContract = new DepositContract();
        pool = new StakingPool{value: 0.001 ether}(address(depositContract), address(0xbe7));
        ghostIn = 0.001 ether;
        vault = new WithdrawalVault(address(pool), address(new ExitManager(address(pool), 1 days)));
        WrappedDivETH wrapper = new WrappedDivETH(IDivETH(address(pool)));
        queue = new WithdrawalQueue(address(pool), IWrappedDivETH(address(wrapper)));
        oracle = new AccountingOracle(
            pool,
            IAccountingOracle.Config({
                genesisTime: uint64(block.timestamp - 10 * FRAME_SLOTS * SECONDS_PER_SLOT),
                secondsPerSlot: SECONDS_PER_SLOT,
                slotsPerEpoch: 8,
                frameSlots: FRAME_SLOTS,
                challengeWindow: 120,
                reporterBondUnits: 100,
                // The limits are not under test here: wide enough that the small random balance moves and vault
                // inflows of a frame never reach them (the report/dispute suite and unit tests cover them).
                maxIncreaseBpPerDay: 10_000,
                maxDecreaseBpPerReport: 500
            })
        );
        prover = OracleProver(oracle.prover());
        pool.wireComponents(address(vault), address(queue), address(oracle));
        registry = new ProofValidatorRegistry(address(pool));
        pool.setValidatorRegistry(address(registry));
        credentials = pool.withdrawalCredentials();
        // Six fully deposited validators: reserve, 1 ETH predeposit, 31 ETH top-up.
        pool.stake{value: 32 ether * VALIDATORS}();
        ghostIn += 32 ether * VALIDATORS;
        // The state: foreign validators between the protocol ones, two of them in one balance chunk.
        uint256[VALIDATORS] memory at = [uint256(1), 2, 4, 7, 11, 12];
        listLength = 14;
        for (uint256 i; i < listLength; ++i) {
            _pubkeySeed[i] = 1000 + i;
            _credentialsKind[i] = i % 3 == 0 ? 0 : 1; // Some foreign validators even carry the pool's credentials.
            _balance[i] = 32 gwei;
        }
        for (uint256 k; k < VALIDATORS; ++k) {
            uint256 index = at[k];
            protocolIndex[k] = index;
            _pubkeySeed[index] = k + 1;
            _credentialsKind[index] = 0;
            bytes memory pubkey = _pubkey(k + 1);
            registry.register(pubkey);
            registry.reserve();
            bytes memory signature = abi.encodePacked(keccak256(abi.encode(k, 1)), keccak256(abi.encode(k, 2)), bytes32(0));
            registry.deposit(pubkey, signature, _depositDataRoot(pubkey, signature));
            registry.topUp(pubkey);
        }
        for (uint256 i; i < listLength; ++i) {
            _recordRoot[i] = _validatorRoot(_record(i));
        }
    }

    /// @notice The share rate, 1e27-scaled.
    function rate() public view returns (uint256) {
        return pool.getTotalPooledEther() * 1e27 / pool.getTotalShares();
    }

    /// @notice Prover `p`'s address.
    function proverAddress(uint256 p) public pure returns (address) {
        return address(uint160(0x7000 + p));
    }

    /// @notice Sum of the protocol validators' balances in the state (gwei).
    function truthSum() public view returns (uint256 sum) {
        for (uint256 k; k < VALIDATORS; ++k) {
            sum += _balance[protocolIndex[k]];
        }
    }

    /// @notice Runs one random action chosen by `r`.
    function step(uint256 r) external {
        ++calls;
        uint256 action = r % 7;
        uint256 a = uint256(keccak256(abi.encode(r, 1)));
        uint256 preRate = rate();
        uint256 applied = oracle.lastAppliedFrame();
        if (action == 0) _open(a);
        else if (action == 1 || action == 2) _prove(a);
        else if (action == 3) _lie(a);
        else if (action == 4) _stake(a);
        else if (action == 5) _vaultInflow(a);
        else _warp(a);
        ++executed[action];
        if (oracle.lastAppliedFrame() == applied) {
            if (rate() < preRate) ++unexplainedRateMoves;
            if (action != 4 && rate() != preRate) ++unexplainedRateMoves;
        }
    }

    /// @notice An honest prover (not one of the fuzzed ones) finalizes a frame from scratch in random batches; returns
    /// whether it applied with the state's numbers.
    function finish(uint256 seed) external returns (bool) {
        if (openFrame == 0 || openFrame != oracle.currentFrame() || openFrame <= oracle.lastAppliedFrame()) {
            _newFrame(seed);
        }
        uint256 p = 9; // A prover address the fuzz never used.
        _start(p);
        uint256 applied = oracle.lastAppliedFrame();
        for (uint256 i; proven[p] < VALIDATORS && i < VALIDATORS; ++i) {
            uint256 k = 1 + uint256(keccak256(abi.encode(seed, i))) % 3;
            if (proven[p] + k > VALIDATORS) k = VALIDATORS - proven[p];
            _proveNext(p, k);
        }
        return oracle.lastAppliedFrame() > applied && _finalizedRight();
    }

    // ------------------------------------------------------------------ actions

    /// @dev Opens the next frame (new balances, maybe new foreign validators) or (re)starts a prover's session on the
    /// open one.
    function _open(uint256 a) private {
        bool stale =
            openFrame == 0 || openFrame != oracle.currentFrame() || openFrame <= oracle.lastAppliedFrame();
        if (stale || a % 4 == 0) _newFrame(a >> 8);
        _start((a >> 4) % PROVERS);
    }

    function _prove(uint256 a) private {
        uint256 p = a % PROVERS;
        if (!_live(p) || proven[p] == VALIDATORS) return;
        uint256 k = 1 + (a >> 8) % 3;
        uint256 left = VALIDATORS - proven[p];
        if (k > left) k = left;
        // Now and then the prover skips a validator: the batch is valid, but the session can then never finish.
        if ((a >> 16) % 16 == 0 && left >= 2) {
            uint256[] memory picks = new uint256[](1);
            picks[0] = proven[p] + 1;
            _send(p, picks);
            ++skips[p];
            proven[p] += 2;
            return;
        }
        _proveNext(p, k);
    }

    /// @dev A batch that must be refused.
    function _lie(uint256 a) private {
        uint256 p = a % PROVERS;
        if (!_live(p)) return;
        uint256 kind = (a >> 8) % 6;
        uint256 cursor = proven[p];
        uint256[] memory picks;
        if (kind == 0) {
            // A validator already counted.
            if (cursor == 0) return;
            picks = new uint256[](1);
            picks[0] = cursor - 1 - (a >> 16) % cursor;
        } else if (kind == 1) {
            // The same validator twice in one batch.
            if (cursor >= VALIDATORS) return;
            picks = new uint256[](2);
            (picks[0], picks[1]) = (cursor, cursor);
        } else {
            if (cursor >= VALIDATORS) return;
            picks = new uint256[](1);
            picks[0] = cursor;
        }
        // Kinds 2–5 tamper with the honest batch: balance, record, a foreign validator with the pool's credentials
        // and no registry entry, a foreign validator with other credentials.
        if (_try(p, picks, kind)) ++liesAccepted;
    }

    function _stake(uint256 a) private {
        uint256 amount = 1 gwei + a % 3 ether;
        address who = address(uint160(0x9000 + a % 5));
        VM.deal(who, amount);
        VM.prank(who);
        pool.stake{value: amount}();
        ghostIn += amount;
    }

    function _vaultInflow(uint256 a) private {
        uint256 amount = a % 0.005 ether;
        VM.deal(address(this), address(this).balance + amount);
        (bool ok,) = address(vault).call{value: amount}("");
        if (!ok) revert();
        ghostIn += amount;
        ghostVaultIn += amount;
    }

    function _warp(uint256 a) private {
        VM.warp(block.timestamp + 1 + a % (FRAME_SLOTS * SECONDS_PER_SLOT));
    }

    // ------------------------------------------------------------------ frames and sessions

    /// @dev Moves into the next frame's anchor window, evolves the state (rewards and penalties of at most 0.004 ETH
    /// per validator, maybe new validators), snapshots the frame and writes the state's block root at its anchor.
    function _newFrame(uint256 a) private {
        uint256 next = oracle.currentFrame() + 1;
        uint256 ref = oracle.frameReferenceTime(next);
        VM.warp(ref + 1 + a % (8 * SECONDS_PER_SLOT));
        for (uint256 i; i < listLength; ++i) {
            uint256 r = uint256(keccak256(abi.encode(a, i)));
            uint64 delta = uint64(r % 4_000_000);
            _balance[i] = r & (1 << 200) == 0 ? _balance[i] + delta : _balance[i] - delta;
        }
        uint256 grow = (a >> 32) % 3;
        for (uint256 j; j < grow && listLength < MAX_LIST; ++j) {
            uint256 i = listLength++;
            _pubkeySeed[i] = 1000 + i;
            _credentialsKind[i] = (a >> (40 + j)) & 1;
            _balance[i] = 32 gwei;
            _recordRoot[i] = _validatorRoot(_record(i));
        }
        openFrame = next;
        openAnchor = prover.snapshotFrame(next);
        VM.warp(openAnchor);
        VM.store(_BEACON_ROOTS, bytes32(openAnchor % 8191), bytes32(openAnchor));
        VM.store(_BEACON_ROOTS, bytes32(openAnchor % 8191 + 8191), _blockRoot());
        for (uint256 p; p < PROVERS; ++p) {
            sessionFrame[p] = 0;
        }
    }

    function _start(uint256 p) private {
        (bytes32 vRoot, bytes32[] memory vProof, bytes32 bRoot, bytes32[] memory bProof) = _listProofs();
        VM.prank(proverAddress(p));
        prover.startProofFrame(openFrame, openAnchor, listLength, vRoot, vProof, bRoot, bProof);
        sessionFrame[p] = openFrame;
        proven[p] = 0;
        skips[p] = 0;
    }

    function _live(uint256 p) private view returns (bool) {
        return sessionFrame[p] != 0 && sessionFrame[p] == openFrame && openFrame == oracle.currentFrame()
            && openFrame > oracle.lastAppliedFrame();
    }

    /// @dev Proves prover `p`'s next `k` validators; checks the frame applied with the state's numbers when the last
    /// one is in.
    function _proveNext(uint256 p, uint256 k) private {
        uint256[] memory picks = new uint256[](k);
        for (uint256 j; j < k; ++j) {
            picks[j] = proven[p] + j;
        }
        uint256 applied = oracle.lastAppliedFrame();
        _send(p, picks);
        proven[p] += k;
        if (oracle.lastAppliedFrame() != applied) {
            ++framesFinalized;
            if (!_finalizedRight()) ++wrongFinalizations;
        } else if (proven[p] == VALIDATORS && skips[p] == 0) {
            ++wrongFinalizations; // Every validator proven, yet the frame did not apply.
        }
        _checkSession(p);
    }

    function _finalizedRight() private view returns (bool) {
        (uint256 count, uint256 balance) = pool.beaconStats();
        return count == VALIDATORS && balance == truthSum() * 1 gwei;
    }

    function _checkSession(uint256 p) private {
        if (oracle.lastAppliedFrame() >= openFrame) return; // Applied: the session is spent.
        IOracleProver.Session memory s = prover.proofSession(proverAddress(p));
        uint256 expected = proven[p] - skips[p];
        if (s.proof.count != expected || s.proof.count > s.proof.expectedCount) ++countMismatches;
    }

    /// @dev Sends a batch that must succeed.
    function _send(uint256 p, uint256[] memory picks) private {
        Batch memory b = _batch(picks, 0);
        VM.prank(proverAddress(p));
        prover.proveValidators(openFrame, b.records, b.chunks, b.proof);
    }

    /// @dev Sends a batch; returns whether it was accepted.
    function _try(uint256 p, uint256[] memory picks, uint256 kind) private returns (bool) {
        Batch memory b = _batch(picks, kind);
        VM.prank(proverAddress(p));
        try prover.proveValidators(openFrame, b.records, b.chunks, b.proof) {
            return true;
        } catch {
            return false;
        }
    }

    // ------------------------------------------------------------------ SSZ of the synthetic state

    function _pubkey(uint256 seed) private pure returns (bytes memory) {
        return abi.encodePacked(keccak256(abi.encode("pubkey", seed)), bytes16(uint128(seed)));
    }

    function _credentialsOf(uint256 index) private view returns (bytes32) {
        return _credentialsKind[index] == 0 ? credentials : bytes32(uint256(0x01) << 248 | uint256(0xf0e1));
    }

    /// @dev The 129-byte record `proveValidators` takes for `index` (see `OracleProver.RECORD_SIZE`).
    function _record(uint256 index) private view returns (bytes memory) {
        uint64 le32 = uint64(uint256(SSZ.toLittleEndian64(32 gwei)) >> 192);
        return abi.encodePacked(
            uint64(index),
            _pubkey(_pubkeySeed[index]),
            _credentialsOf(index),
            le32, // effective balance
            uint8(0), // slashed
            uint64(0), // activation eligibility epoch
            uint64(0), // activation epoch
            FAR_FUTURE, // exit epoch
            FAR_FUTURE // withdrawable epoch
        );
    }

    function _validatorRoot(bytes memory record) private pure returns (bytes32) {
        bytes32[8] memory f;
        bytes memory pubkey = new bytes(48);
        for (uint256 i; i < 48; ++i) {
            pubkey[i] = record[8 + i];
        }
        f[0] = sha256(abi.encodePacked(pubkey, bytes16(0)));
        for (uint256 w; w < 7; ++w) {
            // Fields 1..7 at offsets 56, 88, 96, 97, 105, 113, 121 (credentials 32 bytes, the others 8 or 1).
            uint256 o = [uint256(56), 88, 96, 97, 105, 113, 121][w];
            uint256 len = w == 0 ? 32 : w == 2 ? 1 : 8;
            bytes32 chunk;
            for (uint256 i; i < len; ++i) {
                chunk |= bytes32(uint256(uint8(record[o + i])) << (248 - 8 * i));
            }
            f[w + 1] = chunk;
        }
        bytes32 a = sha256(abi.encodePacked(sha256(abi.encodePacked(f[0], f[1])), sha256(abi.encodePacked(f[2], f[3]))));
        bytes32 b = sha256(abi.encodePacked(sha256(abi.encodePacked(f[4], f[5])), sha256(abi.encodePacked(f[6], f[7]))));
        return sha256(abi.encodePacked(a, b));
    }

    function _chunk(uint256 c) private view returns (bytes32 chunk) {
        for (uint256 j; j < 4; ++j) {
            uint256 i = 4 * c + j;
            if (i < listLength) chunk |= SSZ.toLittleEndian64(_balance[i]) >> (64 * j);
        }
    }

    /// @dev Levels of the validators (`chunks` false) or balances data subtree, leaves first.
    function _levels(bool chunks) private view returns (bytes32[][] memory levels) {
        uint256 depth = prover.subtreeDepth(listLength) - (chunks ? 2 : 0);
        levels = new bytes32[][](depth + 1);
        uint256 width = 1 << depth;
        levels[0] = new bytes32[](width);
        uint256 filled = chunks ? (listLength + 3) / 4 : listLength;
        for (uint256 i; i < filled; ++i) {
            levels[0][i] = chunks ? _chunk(i) : _recordRoot[i];
        }
        for (uint256 h; h < depth; ++h) {
            width >>= 1;
            levels[h + 1] = new bytes32[](width);
            for (uint256 i; i < width; ++i) {
                levels[h + 1][i] = SSZ.hashPair(levels[h][2 * i], levels[h][2 * i + 1]);
            }
        }
    }

    /// @dev The list root (`hash_tree_root`, length mixed in) from the data subtree root of height `depth`.
    function _listRoot(bytes32 node, uint256 depth, uint256 limitDepth) private view returns (bytes32) {
        bytes32 zero;
        for (uint256 h; h < limitDepth; ++h) {
            if (h >= depth) node = SSZ.hashPair(node, zero);
            zero = SSZ.hashPair(zero, zero);
        }
        return SSZ.hashPair(node, SSZ.toLittleEndian64(uint64(listLength)));
    }

    /// @dev The state's field tree (64 leaves, `validators` at 11, `balances` at 12, filler elsewhere) and the header
    /// tree (8 leaves, the state root at 3): their node arrays, heap-indexed.
    function _trees() private view returns (bytes32[128] memory state, bytes32[16] memory header) {
        bytes32[][] memory v = _levels(false);
        bytes32[][] memory b = _levels(true);
        state[64 + 11] = _listRoot(v[v.length - 1][0], v.length - 1, 40);
        state[64 + 12] = _listRoot(b[b.length - 1][0], b.length - 1, 38);
        state[64 + 2] = SSZ.toLittleEndian64(uint64(openAnchor));
        state[64 + 30] = keccak256("filler");
        for (uint256 i = 63; i > 0; --i) {
            state[i] = SSZ.hashPair(state[2 * i], state[2 * i + 1]);
        }
        header[8] = SSZ.toLittleEndian64(uint64(openAnchor / SECONDS_PER_SLOT));
        header[8 + 2] = keccak256(abi.encode("parent", openFrame));
        header[8 + 3] = state[1];
        header[8 + 4] = keccak256("body");
        for (uint256 i = 7; i > 0; --i) {
            header[i] = SSZ.hashPair(header[2 * i], header[2 * i + 1]);
        }
    }

    function _blockRoot() private view returns (bytes32) {
        (, bytes32[16] memory header) = _trees();
        return header[1];
    }

    /// @dev Data subtree roots of both lists and their list roots' proofs from the block root.
    function _listProofs() private view returns (bytes32, bytes32[] memory, bytes32, bytes32[] memory) {
        (bytes32[128] memory state, bytes32[16] memory header) = _trees();
        bytes32[][] memory v = _levels(false);
        bytes32[][] memory b = _levels(true);
        return (v[v.length - 1][0], _fieldProof(state, header, 75), b[b.length - 1][0], _fieldProof(state, header, 76));
    }

    function _fieldProof(bytes32[128] memory state, bytes32[16] memory header, uint256 g)
        private
        pure
        returns (bytes32[] memory proof)
    {
        proof = new bytes32[](9);
        for (uint256 i; i < 6; ++i) {
            proof[i] = state[g ^ 1];
            g >>= 1;
        }
        g = 11;
        for (uint256 i = 6; i < 9; ++i) {
            proof[i] = header[g ^ 1];
            g >>= 1;
        }
    }

    /// @dev The batch for protocol validators `picks` (cursor positions), tampered with by `kind` (0 honest, 2 a
    /// balance, 3 a record field, 4 an unregistered validator with the pool's credentials, 5 a foreign one).
    function _batch(uint256[] memory picks, uint256 kind) private view returns (Batch memory batch) {
        uint256 n = picks.length;
        uint256[] memory indices = new uint256[](n);
        for (uint256 j; j < n; ++j) {
            indices[j] = protocolIndex[picks[j]];
        }
        if (kind == 4 || kind == 5) indices[0] = _foreign(kind == 4 ? 0 : 1, indices[0]);
        uint256[] memory chunkPos = new uint256[](n);
        uint256 chunks;
        for (uint256 j; j < n; ++j) {
            bytes memory record = _record(indices[j]);
            if (kind == 3) record[88] = bytes1(uint8(record[88]) ^ 1); // Effective balance off by a gwei.
            batch.records = bytes.concat(batch.records, record);
            if (chunks == 0 || chunkPos[chunks - 1] != indices[j] >> 2) chunkPos[chunks++] = indices[j] >> 2;
        }
        batch.chunks = new bytes32[](chunks);
        for (uint256 c; c < chunks; ++c) {
            batch.chunks[c] = _chunk(chunkPos[c]);
        }
        if (kind == 2) batch.chunks[0] = bytes32(uint256(batch.chunks[0]) ^ (1 << 200)); // A balance changed.
        bytes32[] memory out = new bytes32[](64);
        uint256 used = _multiproof(_levels(false), indices, n, out, 0);
        uint256[] memory cp = new uint256[](chunks);
        for (uint256 c; c < chunks; ++c) {
            cp[c] = chunkPos[c];
        }
        used = _multiproof(_levels(true), cp, chunks, out, used);
        batch.proof = new bytes32[](used);
        for (uint256 i; i < used; ++i) {
            batch.proof[i] = out[i];
        }
    }

    /// @dev A foreign validator index of credentials kind `kind`: the first at or after `near`, else the first (the
    /// initial state holds both kinds).
    function _foreign(uint256 kind, uint256 near) private view returns (uint256) {
        for (uint256 i = near; i < listLength; ++i) {
            if (_pubkeySeed[i] >= 1000 && _credentialsKind[i] == kind) return i;
        }
        for (uint256 i; i < near; ++i) {
            if (_pubkeySeed[i] >= 1000 && _credentialsKind[i] == kind) return i;
        }
        revert NoForeignValidator(kind);
    }

    /// @dev Appends to `out` from `used` the siblings `OracleProver._multiRoot` reads for `positions` (increasing),
    /// level by level from the leaves, left to right; returns the new count. Duplicate positions take a sibling each.
    function _multiproof(
        bytes32[][] memory levels,
        uint256[] memory positions,
        uint256 n,
        bytes32[] memory out,
        uint256 used
    ) private pure returns (uint256) {
        uint256[] memory pos = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            pos[i] = positions[i];
        }
        for (uint256 h; h + 1 < levels.length; ++h) {
            uint256 w;
            for (uint256 i; i < n; ++w) {
                uint256 x = pos[i];
                if (x & 1 == 0 && i + 1 < n && pos[i + 1] == x + 1) {
                    i += 2;
                } else {
                    if (used < out.length) out[used] = levels[h][x ^ 1];
                    ++used;
                    ++i;
                }
                pos[w] = x >> 1;
            }
            n = w;
        }
        return used;
    }

    /// @dev SSZ hash tree root of a phase0 DepositData for the 1 ETH predeposit.
    function _depositDataRoot(bytes memory pubkey, bytes memory signature) private view returns (bytes32) {
        bytes32 pubkeyRoot = sha256(abi.encodePacked(pubkey, bytes16(0)));
        (bytes memory sigA, bytes memory sigB) = (new bytes(64), new bytes(32));
        for (uint256 i = 0; i < 64; ++i) {
            sigA[i] = signature[i];
        }
        for (uint256 i = 0; i < 32; ++i) {
            sigB[i] = signature[64 + i];
        }
        bytes32 signatureRoot = sha256(abi.encodePacked(sha256(sigA), sha256(abi.encodePacked(sigB, bytes32(0)))));
        return sha256(
            abi.encodePacked(
                sha256(abi.encodePacked(pubkeyRoot, credentials)),
                sha256(abi.encodePacked(bytes8(0x00ca9a3b00000000), bytes24(0), signatureRoot))
            )
        );
    }

    receive() external payable {}
}
