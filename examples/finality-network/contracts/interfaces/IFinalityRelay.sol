// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IFinalityRelay
/// @notice An example Nektar Network: restaked operators certify, every beacon epoch, the beacon chain's finalized
/// checkpoint (its epoch and block root) and the execution block hash of the finalized block. A certificate is one BLS
/// aggregate signature (EIP-2537) by operators holding at least two thirds of the Network's stake (`stakeAt`).
/// Consumers read certified checkpoints. Misbehaviour is slashed objectively through the `NetworkRegistry`:
/// two signatures of one operator's Network key over different statements for the same epoch, or a certified (or
/// signed) root that contradicts the EIP-4788 beacon root of the slot after the checkpoint. Every certificate earns a
/// fixed ether reward, split among its signers by stake and paid through the restaking vault (operator commission,
/// delegators pro-rata).
///
/// Signed message: `statementDigest(statement)` = keccak256 of (`STATEMENT_TAG`, chain id, this contract, epoch,
/// checkpoint root, execution block hash), signed with Ethereum's BLS scheme (proof-of-possession ciphersuite).
interface IFinalityRelay {
    /// @notice What operators sign each epoch.
    /// @param epoch The finalized checkpoint's epoch.
    /// @param checkpointRoot The finalized checkpoint's beacon block root.
    /// @param executionBlockHash The execution block hash of the finalized beacon block.
    struct Statement {
        uint64 epoch;
        bytes32 checkpointRoot;
        bytes32 executionBlockHash;
    }

    /// @notice A certified checkpoint.
    /// @param checkpointRoot The beacon block root.
    /// @param executionBlockHash The execution block hash.
    /// @param signers Bitmap of operator indices that signed.
    /// @param certifiedAt Block timestamp of the certificate (0: not certified).
    struct Certificate {
        bytes32 checkpointRoot;
        bytes32 executionBlockHash;
        uint256 signers;
        uint48 certifiedAt;
    }

    /// @notice How a slashing evidence blob is to be read (its first ABI word).
    enum Offence {
        DoubleSign,
        CertifiedRootMismatch,
        SignedRootMismatch
    }

    /// @notice The caller is not opted in to the Network.
    error NotOptedIn(address operator);
    /// @notice `operator` already registered a Network key.
    error KeyAlreadyRegistered(address operator);
    /// @notice The key is already registered by `owner`.
    error KeyInUse(address owner);
    /// @notice The proof of possession does not verify for the key and operator.
    error InvalidProofOfPossession(address operator);
    /// @notice The Network has `max` operators with keys.
    error TooManyOperators(uint256 max);
    /// @notice `epoch` is not finalizable yet (latest finalizable: `latest`).
    error EpochNotFinalizable(uint256 epoch, uint256 latest);
    /// @notice `epoch` is not after the last certified epoch `last` (a replay or an older checkpoint).
    error EpochAlreadyCertified(uint256 epoch, uint256 last);
    /// @notice A certificate without signers.
    error NoSigners();
    /// @notice Signer index `index` appears twice.
    error DuplicateSigner(uint256 index);
    /// @notice Signer indices must be strictly ascending (`index` after `previous`).
    error SignersNotAscending(uint256 previous, uint256 index);
    /// @notice Signer index `index` has no registered key.
    error UnknownSigner(uint256 index);
    /// @notice The key supplied for `operator` is not its registered key.
    error SignerKeyMismatch(address operator);
    /// @notice `signerKeys` holds `length` bytes where `expected` (128 per signer) are required.
    error SignerKeysLength(uint256 length, uint256 expected);
    /// @notice The signers hold `signed` of the `total` stake; at least two thirds are required.
    error InsufficientStake(uint256 signed, uint256 total);
    /// @notice The aggregate signature does not verify.
    error InvalidAggregateSignature();
    /// @notice Only the `NetworkRegistry` calls `verifySlash`.
    error OnlyRegistry(address caller);
    /// @notice The evidence is for another network.
    error WrongNetwork(uint256 networkId);
    /// @notice The evidence does not prove an offence (`reason`).
    error InvalidEvidence(string reason);
    /// @notice `operator` was already slashed for epoch `epoch`.
    error AlreadySlashed(address operator, uint256 epoch);
    /// @notice Nothing is owed for vault epoch `epoch`.
    error NothingToPay(uint256 epoch);

    /// @notice `operator` registered its Network key `pubkey` (compressed) at `index`.
    event KeyRegistered(address indexed operator, uint256 indexed index, bytes pubkey);
    /// @notice `epoch` was certified with `checkpointRoot`, by `signers` (bitmap) holding `signedStake` of `totalStake`.
    event CheckpointCertified(
        uint256 indexed epoch,
        bytes32 checkpointRoot,
        bytes32 executionBlockHash,
        uint256 signers,
        uint256 signedStake,
        uint256 totalStake,
        uint256 reward
    );
    /// @notice Rewards owed for vault epoch `vaultEpoch` were paid through the vault (`total` wei).
    event RewardsPaid(uint256 indexed vaultEpoch, uint256 total, uint256 operators);
    /// @notice `operator` was proven to have committed `offence` in `epoch`.
    event OffenceProven(address indexed operator, uint256 indexed epoch, Offence offence);

    /// @notice Registers the caller's Network key with a proof of possession: a BLS signature, under the DST
    /// `POP_DST`, of `popMessage(operator, pubkey)` (binding the key to this operator, Network and chain). The caller
    /// must be opted in.
    /// @param pubkey Compressed G1 key (48 bytes).
    /// @param pubkeyPoint The same key uncompressed (EIP-2537, 128 bytes).
    /// @param popSignature Uncompressed G2 proof-of-possession signature (256 bytes).
    function registerKey(bytes calldata pubkey, bytes calldata pubkeyPoint, bytes calldata popSignature) external;

    /// @notice Submits a certificate for `statement` (anyone; in practice the epoch's rotating aggregator).
    /// @param statement The certified statement.
    /// @param signers Operator indices that signed, strictly ascending.
    /// @param signerKeys Their uncompressed keys, concatenated in the same order (128 bytes each).
    /// @param aggregateSignature Uncompressed G2 aggregate of their signatures (256 bytes).
    function submitCertificate(
        Statement calldata statement,
        uint256[] calldata signers,
        bytes calldata signerKeys,
        bytes calldata aggregateSignature
    ) external;

    /// @notice Pays the rewards owed for a finished vault epoch through `RestakingVault.distributeRewards` (anyone).
    /// Operators without stake at the epoch's end are skipped; their share stays in the relay.
    /// @param vaultEpoch The restaking vault epoch.
    function payRewards(uint256 vaultEpoch) external;

    /// @notice The message digest operators sign for `statement`.
    function statementDigest(Statement calldata statement) external view returns (bytes32);

    /// @notice The message an operator's proof of possession signs.
    function popMessage(address operator, bytes calldata pubkey) external view returns (bytes32);

    /// @notice The certificate of `epoch` (zero `certifiedAt`: none).
    function certificateOf(uint256 epoch) external view returns (Certificate memory);

    /// @notice The last certified epoch and its certificate.
    function latestCertificate() external view returns (uint256 epoch, Certificate memory certificate);

    /// @notice The epoch whose finalized block had `executionBlockHash` (reverts when never certified).
    function finalizedEpochOf(bytes32 executionBlockHash) external view returns (uint256 epoch);

    /// @notice Operator at `index` and its compressed Network key.
    function operatorAt(uint256 index) external view returns (address operator, bytes memory pubkey);

    /// @notice Index + 1 of `operator` (0: no key).
    function indexOf(address operator) external view returns (uint256);

    /// @notice Number of operators with a Network key.
    function operatorCount() external view returns (uint256);

    /// @notice Wei owed to `operator` for `vaultEpoch`, not yet paid.
    function owedRewards(uint256 vaultEpoch, address operator) external view returns (uint256);

    /// @notice The latest beacon epoch a certificate may name now (finality trails the head by two epochs).
    function latestFinalizableEpoch() external view returns (uint256);

    /// @notice The Network's id in the registry.
    function networkId() external view returns (uint256);
}
