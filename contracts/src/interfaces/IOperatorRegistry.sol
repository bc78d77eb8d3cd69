// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IValidatorRegistry} from "./IValidatorRegistry.sol";

/// @title IOperatorRegistry
/// @notice Diva's permissionless operator registry and distributed-validator lifecycle. Operators register a Stinger
/// node identity, bond divETH (held as divETH shares, so the bond earns staking rewards), and are drawn 16 at a time,
/// with probability proportional to their free bond, to run the key shares of a new validator. Each assignment locks
/// one key share's worth of bond (`BOND_PER_KEY_SHARE` of ether, converted to shares at the rate of the request) on each
/// of the 16 operators until the validator is withdrawn or the request expires.
/// @dev Bond is accounted in integer *bond units* of `BOND_UNIT_SHARES` divETH shares. An operator's free units live
/// in a packed sum tree (`WeightedSelection`) so a draw costs O(log n) storage reads whatever the number of operators;
/// locked units are `bondUnits - freeUnits` and are never stored separately.
interface IOperatorRegistry is IValidatorRegistry {
    /// @notice Lifecycle of a validator request. A request that completes its DKG becomes the validator with the same
    /// id: `Predeposited` (1 ETH deposited, credentials not yet proven), then `Deposited` (32 ETH) and on. `Expired` is
    /// terminal for requests that timed out, `Unusable` for validators whose key the beacon chain holds with foreign
    /// withdrawal credentials (a front-running deposit; see `completeDeposit`).
    enum ValidatorStatus {
        None,
        Requested,
        Predeposited,
        Deposited,
        Active,
        Exiting,
        Exited,
        Withdrawn,
        Expired,
        Unusable
    }

    /// @notice Uncompressed EIP-2537 encodings of a DKG result's group key and deposit signature, which the registry
    /// checks against the compressed ones before verifying the signature (decompressing on-chain would cost more).
    /// @param groupPubkey The group public key as a G1 point (128 bytes: x ‖ y, each 64-byte padded).
    /// @param depositSignature The deposit signature as a G2 point (256 bytes: x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1).
    struct DepositPoints {
        bytes groupPubkey;
        bytes depositSignature;
    }

    /// @notice An operator as returned by the views.
    /// @param owner Controls the operator record and its bond (bond, unbond, update, pause).
    /// @param signer Signs DKG results (EIP-712, or ERC-1271 if a contract); usually the Stinger node's hot key.
    /// @param nodeIdentity The Stinger node's Ed25519 libp2p public key (32 bytes).
    /// @param bondUnits Total bond, in bond units.
    /// @param freeUnits Bond not locked by any validator, in bond units (withdrawable).
    /// @param paused The owner paused the operator: it keeps its validators but is not drawn for new ones.
    /// @param ejected Anyone removed the operator from the draw for good on evidence (`ejectOperator`).
    /// @param metadataURI Where the operator describes itself (name, contact, infrastructure).
    struct Operator {
        address owner;
        address signer;
        bytes32 nodeIdentity;
        uint256 bondUnits;
        uint256 freeUnits;
        bool paused;
        bool ejected;
        string metadataURI;
    }

    /// @notice A validator request (and, once deposited, the validator with the same id).
    /// @param status Current status.
    /// @param lockUnits Bond units locked on each of the 16 operators.
    /// @param requestedAt Timestamp of the request.
    /// @param attestedBitmap Bit `i` set: the operator at position `i` approved the DKG result on-chain (all 16 once
    /// the result is accepted).
    /// @param missedBitmap For an expired request, bit `i` set: the operator at position `i` had not attested.
    /// For a request whose missed seats were redrawn, the seats of the last redraw.
    /// @param operatorIds The 16 operators, in cluster order (share index `i + 1` belongs to `operatorIds[i]`).
    /// @param redraws How many times seats of the request were redrawn after a missed DKG (at most `MAX_REDRAWS`).
    struct ValidatorRequest {
        ValidatorStatus status;
        uint256 lockUnits;
        uint256 requestedAt;
        uint256 attestedBitmap;
        uint256 missedBitmap;
        uint16[16] operatorIds;
        uint256 redraws;
    }

    /// @notice A new operator registered.
    /// @param operatorId The operator id (leaf of the selection tree; ids start at 1).
    /// @param owner The owner.
    /// @param signer The DKG result signer.
    /// @param nodeIdentity The Stinger node identity key.
    /// @param metadataURI The metadata URI.
    event OperatorRegistered(
        uint256 indexed operatorId, address indexed owner, address signer, bytes32 nodeIdentity, string metadataURI
    );
    /// @notice An operator changed its signer, node identity or metadata URI.
    /// @param operatorId The operator id.
    /// @param signer The new signer.
    /// @param nodeIdentity The new node identity.
    /// @param metadataURI The new metadata URI.
    event OperatorUpdated(uint256 indexed operatorId, address signer, bytes32 nodeIdentity, string metadataURI);
    /// @notice An operator was paused/unpaused by its owner or ejected (`ejectOperator`).
    /// @param operatorId The operator id.
    /// @param paused Whether the owner paused it.
    /// @param ejected Whether it is ejected.
    event OperatorStatusChanged(uint256 indexed operatorId, bool paused, bool ejected);
    /// @notice An operator's bond changed (bond, unbond, lock or unlock).
    /// @param operatorId The operator id.
    /// @param bondUnits Total bond after the change, in bond units.
    /// @param freeUnits Free bond after the change, in bond units.
    event BondChanged(uint256 indexed operatorId, uint256 bondUnits, uint256 freeUnits);
    /// @notice 32 ETH of the pool's buffer were reserved and 16 operators drawn to create a distributed validator.
    /// @param requestId The request (and future validator) id.
    /// @param cluster The 16 operators in cluster order, packed 15 bits each (operator at position `i` is
    /// `(cluster >> (15 * i)) & 0x7fff`; bits 240..255 hold `lockUnits`); packed to keep the draw within its gas budget.
    /// `requestOperators` returns them unpacked with their signers and node identities.
    /// @param threshold Signatures needed out of 16 (11).
    /// @param withdrawalCredentials The protocol's withdrawal credentials the deposit must use.
    /// @param lockUnits Bond units locked on each operator.
    event ValidatorRequested(
        uint256 indexed requestId,
        uint256 cluster,
        uint256 threshold,
        bytes32 withdrawalCredentials,
        uint256 lockUnits
    );
    /// @notice 32 ETH of the pool's buffer were reserved for a validator and the drawable bond weights frozen; the 16
    /// operators are drawn by `drawCluster` once block `drawBlock` exists, from its RANDAO mix. Emitted again with a
    /// new `drawBlock` when the draw was re-armed (its block fell out of the last 256).
    /// @param requestId The request (and future validator) id.
    /// @param drawBlock The block whose `mixHash` seeds the draw (the request's block + `DRAW_DELAY`).
    /// @param lockUnits Bond units the draw will lock on each operator (operators with less free bond carry no weight).
    event ValidatorDrawScheduled(uint256 indexed requestId, uint256 drawBlock, uint256 lockUnits);
    /// @notice An operator approved a DKG result on-chain.
    /// @param requestId The request.
    /// @param operatorId The operator.
    /// @param resultDigest The EIP-712 digest of the result it approves.
    event DkgResultAttested(uint256 indexed requestId, uint256 indexed operatorId, bytes32 resultDigest);
    /// @notice The DKG result of a request was accepted with the approval of all 16 operators.
    /// @param requestId The request (now the validator id).
    /// @param groupPubkey The validator public key.
    /// @param sharePubkeys The 16 share public keys, 48 bytes each, in cluster order.
    /// @param resultDigest The EIP-712 digest every operator approved.
    event DkgResultAccepted(uint256 indexed requestId, bytes groupPubkey, bytes sharePubkeys, bytes32 resultDigest);
    /// @notice The pool sent the 1 ETH predeposit of a validator (its signature checked on-chain); 31 ETH stay reserved
    /// until `completeDeposit`.
    /// @param validatorId The validator id.
    /// @param pubkey The validator public key.
    event ValidatorPredeposited(uint256 indexed validatorId, bytes pubkey);
    /// @notice A beacon-state proof showed the validator with the protocol's withdrawal credentials and the pool sent
    /// the remaining 31 ETH: the validator now holds its full 32 ETH deposit.
    /// @param validatorId The validator id.
    /// @param pubkey The validator public key.
    event ValidatorDeposited(uint256 indexed validatorId, bytes pubkey);
    /// @notice A beacon-state proof showed the validator's key with foreign withdrawal credentials (a front-running
    /// deposit): the validator is `Unusable`, its 31 ETH reservation returned to the buffer, and each of its 16
    /// operators lost `slashedUnits` locked bond units (burnt to cover the 1 ETH predeposit); the rest of their lock
    /// is free again.
    /// @param validatorId The validator id.
    /// @param beaconIndex The validator's index on the beacon chain.
    /// @param withdrawalCredentials The foreign credentials the beacon chain holds.
    /// @param slashedUnits Bond units slashed from each operator of the cluster.
    event DepositFrontRun(
        uint256 indexed validatorId, uint256 beaconIndex, bytes32 withdrawalCredentials, uint256 slashedUnits
    );
    /// @notice A request timed out: its reservation was released and the locked bonds unlocked.
    /// @param requestId The request.
    /// @param missedBitmap Bit `i` set: the operator at position `i` had not attested the result.
    event RequestExpired(uint256 indexed requestId, uint256 missedBitmap);
    /// @notice A request's DKG timed out with operators that had not attested: each got a strike and a penalty of
    /// `penaltyUnits` burnt from its released lock; its seat is redrawn (`ValidatorDrawScheduled` follows) unless the
    /// request has used its `MAX_REDRAWS` (then `RequestExpired` follows).
    /// @param requestId The request.
    /// @param missedBitmap Bit `i` set: the operator at position `i` had not attested.
    /// @param penaltyUnits Bond units burnt from each missing operator.
    /// @param redraw Whether the missed seats are being redrawn.
    event DkgSeatsMissed(uint256 indexed requestId, uint256 missedBitmap, uint256 penaltyUnits, bool redraw);
    /// @notice An operator received a strike.
    /// @param operatorId The operator.
    /// @param requestId The request whose DKG it missed (0 for other evidence).
    /// @param frame The accounting-oracle frame of the strike.
    /// @param strikesInWindow Its strikes within the window ending at `frame`.
    event OperatorStruck(uint256 indexed operatorId, uint256 indexed requestId, uint256 frame, uint256 strikesInWindow);
    /// @notice A validator's lifecycle status changed (after its deposit).
    /// @param validatorId The validator.
    /// @param status The new status.
    event ValidatorStatusChanged(uint256 indexed validatorId, ValidatorStatus status);

    /// @notice Bond of an operator was locked behind an accounting report.
    /// @param operatorId The operator.
    /// @param units Units locked.
    event ReporterBondLocked(uint256 indexed operatorId, uint256 units);
    /// @notice A report's bond was returned to the operator's free bond.
    /// @param operatorId The operator.
    /// @param units Units released.
    event ReporterBondReleased(uint256 indexed operatorId, uint256 units);
    /// @notice A voided report's bond was taken: paid to the disputer and burned to the holders.
    /// @param operatorId The operator.
    /// @param units Units taken.
    /// @param disputer Receiver of the reward.
    /// @param paidShares divETH shares paid.
    /// @param burnedShares divETH shares burned.
    event ReporterBondSlashed(
        uint256 indexed operatorId, uint256 units, address indexed disputer, uint256 paidShares, uint256 burnedShares
    );

    /// @notice The deposit signature of a DKG result is not a valid BLS signature of the group key over the 1 ETH
    /// deposit message (protocol credentials, the network's genesis fork version).
    error InvalidDepositSignature(uint256 requestId);
    /// @notice No validator of the registry has this public key.
    error UnknownValidatorPubkey(bytes pubkey);
    /// @notice A constructor parameter is out of range.
    error InvalidConfiguration(string parameter);
    /// @notice An address argument is zero.
    error ZeroAddress();
    /// @notice The node identity is zero.
    error ZeroNodeIdentity();
    /// @notice The metadata URI is longer than `max` bytes.
    error MetadataURITooLong(uint256 length, uint256 max);
    /// @notice `account` already owns or signs for operator `operatorId`.
    error AddressInUse(address account, uint256 operatorId);
    /// @notice The node identity is already registered by operator `operatorId`.
    error NodeIdentityInUse(bytes32 nodeIdentity, uint256 operatorId);
    /// @notice All `max` operator ids are taken.
    error RegistryFull(uint256 max);
    /// @notice No operator has this id.
    error UnknownOperator(uint256 operatorId);
    /// @notice Only the operator's owner may do this.
    error NotOperatorOwner(uint256 operatorId, address caller);
    /// @notice The amount converts to zero bond units at the current rate.
    error BondTooSmall(uint256 amount, uint256 minimum);
    /// @notice The bond would exceed the per-operator or total limit of the selection tree.
    error BondLimitExceeded(uint256 bondUnits, uint256 max);
    /// @notice Unbonding more than the free bond.
    error InsufficientFreeBond(uint256 operatorId, uint256 freeUnits, uint256 requested);
    /// @notice A bond amount of zero units.
    error ZeroUnits();
    /// @notice The operator is already in the requested pause state.
    error PauseUnchanged(uint256 operatorId, bool paused);
    /// @notice The operator has `strikes` strikes within the window; ejection needs `needed`.
    error NotEjectable(uint256 operatorId, uint256 strikes, uint256 needed);
    /// @notice Fewer than 16 operators have enough free bond (`found` were drawn before giving up).
    error NotEnoughEligibleOperators(uint256 found, uint256 needed);
    /// @notice A validator request waits for its draw: bond weights are frozen until `drawCluster` (or its re-arm).
    error DrawPending(uint256 requestId, uint256 drawBlock);
    /// @notice The request is not the one waiting for its draw.
    error NoPendingDraw(uint256 requestId);
    /// @notice The draw's block (whose RANDAO mix seeds it) is not in the chain yet; call after block `drawBlock`.
    error DrawTooEarly(uint256 requestId, uint256 drawBlock);
    /// @notice The lock per key share, in bond units, does not fit the selection tree.
    error LockTooLarge(uint256 lockUnits);
    /// @notice No request has this id.
    error UnknownRequest(uint256 requestId);
    /// @notice The request or validator is not in the status this action needs.
    error InvalidStatus(uint256 requestId, ValidatorStatus status);
    /// @notice A byte field has the wrong length.
    error InvalidLength(string field, uint256 length, uint256 expected);
    /// @notice `operatorSignatures` must hold exactly 16 entries.
    error WrongSignatureCount(uint256 count, uint256 expected);
    /// @notice The signature at `position` is not a valid approval of the result by the operator at that position.
    error InvalidOperatorSignature(uint256 requestId, uint256 position, uint256 operatorId);
    /// @notice A validator with this public key already exists.
    error DuplicateValidatorPubkey(bytes pubkey, uint256 validatorId);
    /// @notice The caller is not the signer of any of the request's operators.
    error NotRequestOperator(uint256 requestId, address caller);
    /// @notice The request cannot be expired before `deadline`.
    error RequestNotExpired(uint256 requestId, uint256 deadline);
    /// @notice Only the pool's accounting oracle may call.
    error NotAccountingOracle(address caller);
    /// @notice The operator is ejected (it cannot stake a reporter bond, and cannot be ejected twice).
    error OperatorIsEjected(uint256 operatorId);
    /// @notice Lifecycle statuses only move forward, from `Deposited` to `Withdrawn`.
    error InvalidStatusTransition(uint256 validatorId, ValidatorStatus from, ValidatorStatus to);
    /// @notice Only the registry's `RESHARE_MANAGER` may call.
    error NotReshareManager(address caller);

    // ------------------------------------------------------------------ operators

    /// @notice Registers the caller as the owner of a new operator.
    /// @param signer Address whose EIP-712 (or ERC-1271) signatures approve DKG results for this operator.
    /// @param nodeIdentity The Stinger node's Ed25519 libp2p public key.
    /// @param metadataURI Operator metadata (at most 512 bytes; stored and emitted).
    /// @return operatorId The new operator's id.
    function registerOperator(address signer, bytes32 nodeIdentity, string calldata metadataURI)
        external
        returns (uint256 operatorId);

    /// @notice Changes an operator's signer, node identity and metadata URI. Owner only.
    /// @param operatorId The operator.
    /// @param signer The new signer.
    /// @param nodeIdentity The new node identity.
    /// @param metadataURI The new metadata URI.
    function updateOperator(uint256 operatorId, address signer, bytes32 nodeIdentity, string calldata metadataURI)
        external;

    /// @notice Pauses or resumes the operator in future draws; its validators and bond are unaffected. Owner only.
    /// @param operatorId The operator.
    /// @param paused The new state.
    function setOperatorPaused(uint256 operatorId, bool paused) external;

    /// @notice Ejects an operator holding `STRIKES_TO_EJECT` strikes within the last `STRIKE_WINDOW_FRAMES` oracle
    /// frames: it leaves future draws for good (its free bond stays withdrawable, its validators keep running until
    /// the exit flows move them). Anyone may call; reverts with `NotEjectable` below the limit, `OperatorIsEjected`
    /// for an ejected operator and `DrawPending` while a draw is pending.
    /// @param operatorId The operator.
    function ejectOperator(uint256 operatorId) external;

    /// @notice Bonds divETH: pulls the whole bond units `amount` divETH is worth (rounded down) from the caller.
    /// Owner only; the caller must have approved this registry on divETH.
    /// @param operatorId The operator.
    /// @param amount divETH (ether) amount.
    /// @return units Bond units added.
    function bond(uint256 operatorId, uint256 amount) external returns (uint256 units);

    /// @notice Bonds wdivETH: unwraps the whole bond units of `wdivETHAmount` (one wdivETH is one share) from the
    /// caller. Owner only; the caller must have approved this registry on wdivETH.
    /// @param operatorId The operator.
    /// @param wdivETHAmount wdivETH amount.
    /// @return units Bond units added.
    function bondWrapped(uint256 operatorId, uint256 wdivETHAmount) external returns (uint256 units);

    /// @notice Bonds ether: stakes `msg.value` in the pool and bonds the whole units of the shares minted; the share
    /// remainder below one unit is sent back to the caller as divETH. Owner only.
    /// @param operatorId The operator.
    /// @return units Bond units added.
    function bondEther(uint256 operatorId) external payable returns (uint256 units);

    /// @notice Withdraws free bond as divETH shares. Owner only.
    /// @param operatorId The operator.
    /// @param units Bond units to withdraw.
    /// @param recipient Receiver of the `units * BOND_UNIT_SHARES` divETH shares.
    function unbond(uint256 operatorId, uint256 units, address recipient) external;

    // ------------------------------------------------------------------ validators

    /// @notice Step 1 of 2: reserves 32 ETH of the pool's unreserved buffer, freezes the drawable bond weights and
    /// schedules the draw from the RANDAO mix of block `block.number + DRAW_DELAY` (unknown now). Anyone may call.
    /// Reverts with the pool's `InsufficientUnreservedBuffer` when its `depositableEther()` (the unreserved buffer
    /// minus the ether owed to unfinalized withdrawals, which are served first) is below 32 ETH, and `DrawPending`
    /// while another request waits for its draw. Until the draw, bond changes are recorded but do not move the frozen
    /// weights, and an operator whose frozen weight covers one lock cannot take its free bond below one lock (pause,
    /// ejection and such unbonds or reporter locks revert with `DrawPending`).
    /// @return requestId The request id.
    function requestValidator() external returns (uint256 requestId);

    /// @notice Step 2 of 2: draws the 16 operators of the pending request with probability proportional to the frozen
    /// free bond, seeded by the `mixHash` of its draw block, locks one key share of bond on each, applies the bond
    /// changes made since the freeze and emits `ValidatorRequested` (the DKG's start). Anyone may call, in any block
    /// after the draw block while it is among the last 256; later, the call re-arms instead (applies the recorded
    /// changes, refreshes the lock, schedules a new draw block, emits `ValidatorDrawScheduled`, returns false).
    /// Reverts with `NoPendingDraw`, `DrawTooEarly`, `UnknownBlockHeader` (of the randomness helper) for a header that
    /// is not the draw block's, and `NotEnoughEligibleOperators` with fewer than 16 operators holding one lock of
    /// frozen free bond (the request then waits for its re-arm).
    /// @param requestId The pending request.
    /// @param blockHeader The RLP-encoded execution header of the draw block.
    /// @return drawn True if the cluster was drawn, false if the draw was re-armed.
    function drawCluster(uint256 requestId, bytes calldata blockHeader) external returns (bool drawn);

    /// @notice Records on-chain that the caller (the signer of one of the request's operators) approves a DKG result;
    /// `submitDkgResult` then accepts an empty signature at that position for that same digest.
    /// @param requestId The request.
    /// @param resultDigest The EIP-712 digest of the result (see `dkgResultDigest`).
    function attestDkgResult(uint256 requestId, bytes32 resultDigest) external;

    /// @notice Accepts a request's DKG result approved by all 16 operators, verifies its deposit signature on-chain
    /// and has the pool predeposit 1 ETH (31 ETH stay reserved until `completeDeposit`). The share public keys are
    /// kept as a hash (they are in `DkgResultAccepted`). Reverts with `InvalidDepositSignature` for a signature the
    /// beacon chain would ignore.
    /// @param requestId The request.
    /// @param groupPubkey The validator public key (48 bytes).
    /// @param sharePubkeys The 16 share public keys in cluster order (16 × 48 bytes).
    /// @param depositSignature The group key's signature of the 1 ETH `DepositMessage` (96 bytes).
    /// @param depositDataRoot The 1 ETH deposit data root (checked by the deposit contract).
    /// @param points The group key and deposit signature uncompressed (EIP-2537 encodings).
    /// @param operatorSignatures One signature per operator in cluster order, over `dkgResultDigest(...)`; an empty
    /// entry is accepted for an operator that attested that digest on-chain.
    function submitDkgResult(
        uint256 requestId,
        bytes calldata groupPubkey,
        bytes calldata sharePubkeys,
        bytes calldata depositSignature,
        bytes32 depositDataRoot,
        DepositPoints calldata points,
        bytes[] calldata operatorSignatures
    ) external;

    /// @notice Completes the deposit of a `Predeposited` validator from a beacon-state proof, permissionlessly. The
    /// proof shows `validators[beaconIndex]` with this public key and `withdrawalCredentials` in the state of the
    /// beacon block whose root the EIP-4788 contract holds for `beaconTimestamp`. If the credentials are the
    /// protocol's (0x01 or 0x02 prefix, the withdrawal vault), the pool deposits the remaining 31 ETH and the
    /// validator is `Deposited`. Otherwise someone deposited for the key first with their own credentials: the
    /// validator becomes `Unusable`, its 31 ETH return to the buffer and its cluster's locked bond is slashed to cover
    /// the 1 ETH predeposit (`DepositFrontRun`).
    /// @param pubkey The validator public key (48 bytes).
    /// @param beaconTimestamp Timestamp of an execution block whose parent beacon block root is proven against
    /// (within the EIP-4788 buffer of 8191 blocks).
    /// @param beaconIndex The validator's index in the beacon state's registry.
    /// @param withdrawalCredentials The credentials of `validators[beaconIndex]`.
    /// @param proof The 53 sibling hashes of `validators[beaconIndex].withdrawal_credentials` from the block root,
    /// bottom-up; the first is the record's pubkey root, which must be this key's (checked by `DEPOSIT_VERIFIER`, whose
    /// errors propagate).
    /// @return deposited True if the 31 ETH were deposited, false if the validator was found front-run.
    function completeDeposit(
        bytes calldata pubkey,
        uint256 beaconTimestamp,
        uint256 beaconIndex,
        bytes32 withdrawalCredentials,
        bytes32[] calldata proof
    ) external returns (bool deposited);

    /// @notice Settles a request whose DKG did not complete within `DKG_TIMEOUT`. Anyone may call. Each operator
    /// that had not attested a result on-chain (`attestDkgResult`; an operator attests even without a result, e.g.
    /// a zero digest, to show it was there) gets a strike, loses `MISSED_DKG_PENALTY_BPS` of its lock (burnt to the
    /// holders) and its seat: its lock is released and, while the request has redrawn fewer than `MAX_REDRAWS`
    /// times, the missed seats are redrawn with the two-step draw (the remaining members excluded, attestations
    /// cleared, the DKG's time restarting at the draw; reverts with `DrawPending` while another draw is pending).
    /// Otherwise the request expires: the pool reservation is released and the remaining locks unlocked. That is
    /// the case with no redraw left, when every operator attested yet no result was accepted, and when no operator
    /// attested at all (nothing on-chain tells a staller from the others then: nobody is struck). A request still waiting for
    /// its draw `DKG_TIMEOUT` after `requestValidator` (too few operators with one lock of free bond) expires the same
    /// way: its 32 ETH return to the buffer and the weights unfreeze (`RequestExpired` with an empty bitmap; it never
    /// had a cluster, so `getRequest` does not know it).
    /// @param requestId The request.
    function expireRequest(uint256 requestId) external;

    /// @notice Moves a deposited validator forward in its lifecycle; `Withdrawn` unlocks its operators' bonds.
    /// Accounting oracle only: it proves the status from a beacon state (`IAccountingOracle.proveValidatorStatus`).
    /// @param validatorId The validator.
    /// @param status The new status (later than the current one, `Active`..`Withdrawn`).
    function recordValidatorStatus(uint256 validatorId, ValidatorStatus status) external;

    /// @notice Locks `units` of an operator's free bond behind an accounting report it posted. Oracle only.
    /// @param operatorId The reporting operator (not ejected, with enough free bond).
    /// @param units Bond units.
    function lockReporterBond(uint256 operatorId, uint256 units) external;

    /// @notice Returns a report's locked bond to the operator's free bond (the report applied or was dropped).
    /// Oracle only.
    /// @param operatorId The operator.
    /// @param units Bond units.
    function releaseReporterBond(uint256 operatorId, uint256 units) external;

    /// @notice Takes a voided report's locked bond: `rewardUnits` go to the disputer as divETH shares, the rest is
    /// burned, which raises the share rate for all holders. Oracle only.
    /// @param operatorId The operator.
    /// @param units Bond units locked for the report.
    /// @param disputer Receiver of the reward.
    /// @param rewardUnits Units paid to the disputer (at most `units`).
    /// @return paidShares divETH shares sent to the disputer.
    /// @return burnedShares divETH shares burned.
    function slashReporterBond(uint256 operatorId, uint256 units, address disputer, uint256 rewardUnits)
        external
        returns (uint256 paidShares, uint256 burnedShares);

    // ------------------------------------------------------------------ views

    /// @notice An operator's strikes.
    /// @param operatorId The operator.
    /// @return inWindow Strikes within the last `STRIKE_WINDOW_FRAMES` oracle frames (ejectable at `STRIKES_TO_EJECT`).
    /// @return total Strikes ever.
    /// @return lastFrame Oracle frame of the latest strike (0 if none).
    function operatorStrikes(uint256 operatorId)
        external
        view
        returns (uint256 inWindow, uint256 total, uint256 lastFrame);

    /// @notice The EIP-712 digest operators sign to approve a DKG result of `requestId`.
    /// @param requestId The request.
    /// @param groupPubkey The validator public key.
    /// @param sharePubkeys The concatenated share public keys.
    /// @param depositSignature The deposit signature.
    /// @param depositDataRoot The deposit data root.
    /// @return The digest.
    function dkgResultDigest(
        uint256 requestId,
        bytes calldata groupPubkey,
        bytes calldata sharePubkeys,
        bytes calldata depositSignature,
        bytes32 depositDataRoot
    ) external view returns (bytes32);

    /// @notice An operator by id.
    /// @param operatorId The operator.
    /// @return The operator.
    function getOperator(uint256 operatorId) external view returns (Operator memory);

    /// @notice The operator owned by `owner` (0 if none).
    /// @param owner The owner address.
    /// @return The operator id.
    function operatorIdByOwner(address owner) external view returns (uint256);

    /// @notice The operator whose signer is `signer` (0 if none).
    /// @param signer The signer address.
    /// @return The operator id.
    function operatorIdBySigner(address signer) external view returns (uint256);

    /// @notice The operator with this node identity (0 if none).
    /// @param nodeIdentity The Stinger identity key.
    /// @return The operator id.
    function operatorIdByNodeIdentity(bytes32 nodeIdentity) external view returns (uint256);

    /// @notice Number of registered operators (ids are `1..operatorCount()`).
    /// @return The count.
    function operatorCount() external view returns (uint256);

    /// @notice Sum of all drawable free bond, in bond units (the selection tree's total).
    /// @return The total.
    function totalDrawableUnits() external view returns (uint256);

    /// @notice Bond units a new request would lock on each operator at the current share rate.
    /// @return The lock.
    function currentLockUnits() external view returns (uint256);

    /// @notice A request (or validator) by id.
    /// @param requestId The request.
    /// @return The request.
    function getRequest(uint256 requestId) external view returns (ValidatorRequest memory);

    /// @notice The request's operators with what Stinger needs to build the cluster definition.
    /// @param requestId The request.
    /// @return operatorIds Operator ids in cluster order.
    /// @return signers Their signers.
    /// @return nodeIdentities Their node identities.
    function requestOperators(uint256 requestId)
        external
        view
        returns (uint256[16] memory operatorIds, address[16] memory signers, bytes32[16] memory nodeIdentities);

    /// @notice Number of requests made so far (ids are `1..requestCount()`).
    /// @return The count.
    function requestCount() external view returns (uint256);

    // ------------------------------------------------------------------ resharing (`RESHARE_MANAGER` only)

    /// @notice Freezes the weights for the draw of a replacement in live validator `validatorId` (a pending draw
    /// whose `pendingDraw().requestId` is `validatorId | 1 << 63`); reverts `DrawPending` if another draw is pending.
    /// @param validatorId A validator between `Predeposited` and `Active`.
    /// @return drawBlock The block whose RANDAO mix seeds the draw.
    /// @return lockUnits The validator's lock per operator (what the replacement will lock).
    function scheduleReshareDraw(uint256 validatorId) external returns (uint256 drawBlock, uint256 lockUnits);

    /// @notice Draws the replacement for the seat at `position` (0-based) of `validatorId`, all 16 current members
    /// excluded, and locks its bond; the cluster itself is unchanged until `replaceMember`. Past 256 blocks the draw
    /// is scheduled again and 0 returned.
    /// @param validatorId The validator whose reshare draw is pending.
    /// @param position The seat to fill.
    /// @param blockHeader The RLP header of the draw block.
    /// @return newcomerId The drawn operator, 0 if the draw was rescheduled.
    function drawReshareSeat(uint256 validatorId, uint256 position, bytes calldata blockHeader)
        external
        returns (uint256 newcomerId);

    /// @notice Ends `validatorId`'s pending reshare draw without drawing (the weights unfrozen); no-op if none.
    /// @param validatorId The validator.
    function cancelReshareDraw(uint256 validatorId) external;

    /// @notice Puts `newcomerId` (whose lock the draw took) in seat `position` of `validatorId`, records the new share
    /// keys' hash and releases the leaver's lock less `penaltyUnits`, whose divETH shares are burnt (to the holders).
    /// @param validatorId The validator.
    /// @param position The seat (0-based).
    /// @param newcomerId The new member.
    /// @param penaltyUnits Units of the leaver's lock taken (at most the lock).
    /// @param sharePubkeysHash keccak256 of the 16 new share public keys.
    function replaceMember(
        uint256 validatorId,
        uint256 position,
        uint256 newcomerId,
        uint256 penaltyUnits,
        bytes32 sharePubkeysHash
    ) external;

    /// @notice Frees `units` locked units of `operatorId` (a replacement whose reshare failed).
    /// @param operatorId The operator.
    /// @param units The units to free.
    function releaseReshareLock(uint256 operatorId, uint256 units) external;

    /// @notice The request waiting for its draw, if any.
    /// @return requestId The pending request (0: none).
    /// @return drawBlock The block whose RANDAO mix seeds its draw.
    /// @return lockUnits Bond units its draw will lock on each operator.
    function pendingDraw() external view returns (uint256 requestId, uint256 drawBlock, uint256 lockUnits);

    /// @notice A deposited validator's public key and the keccak256 of its concatenated share public keys.
    /// @param validatorId The validator.
    /// @return pubkey The public key (empty before the deposit).
    /// @return sharePubkeysHash The commitment to the share public keys.
    function validatorKeys(uint256 validatorId) external view returns (bytes memory pubkey, bytes32 sharePubkeysHash);

    /// @notice The validator id of a public key (0 if none).
    /// @param pubkey The validator public key.
    /// @return The validator id.
    function validatorIdByPubkey(bytes calldata pubkey) external view returns (uint256);
}
