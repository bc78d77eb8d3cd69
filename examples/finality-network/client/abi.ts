import { parseAbi } from "viem";
import { finalityRelayAbi as moduleRelayAbi } from "../module/abi.ts";

/**
 * The whole `IFinalityRelay` surface a user calls, with its errors and events (kept equal to the compiled artifact by
 * `test/contracts/client.test.ts`).
 */
export const finalityRelayAbi = [
  ...moduleRelayAbi,
  ...parseAbi([
    "struct Statement { uint64 epoch; bytes32 checkpointRoot; bytes32 executionBlockHash; }",
    "struct Certificate { bytes32 checkpointRoot; bytes32 executionBlockHash; uint256 signers; uint48 certifiedAt; }",
    "function certificateOf(uint256 epoch) view returns (Certificate)",
    "function statementDigest(Statement statement) view returns (bytes32)",
    "function popMessage(address operator, bytes pubkey) view returns (bytes32)",
    "function finalizedEpochOf(bytes32 executionBlockHash) view returns (uint256 epoch)",
    "function latestFinalizableEpoch() view returns (uint256)",
    "event KeyRegistered(address indexed operator, uint256 indexed index, bytes pubkey)",
    "event RewardsPaid(uint256 indexed vaultEpoch, uint256 total, uint256 operators)",
  ]),
  ...finalityRelayErrorsAbi(),
] as const;

function finalityRelayErrorsAbi() {
  return parseAbi([
    "error NotOptedIn(address operator)",
    "error KeyAlreadyRegistered(address operator)",
    "error KeyInUse(address owner)",
    "error InvalidProofOfPossession(address operator)",
    "error TooManyOperators(uint256 max)",
    "error EpochNotFinalizable(uint256 epoch, uint256 latest)",
    "error EpochAlreadyCertified(uint256 epoch, uint256 last)",
    "error NoSigners()",
    "error DuplicateSigner(uint256 index)",
    "error SignersNotAscending(uint256 previous, uint256 index)",
    "error UnknownSigner(uint256 index)",
    "error SignerKeyMismatch(address operator)",
    "error SignerKeysLength(uint256 length, uint256 expected)",
    "error InsufficientStake(uint256 signed, uint256 total)",
    "error InvalidAggregateSignature()",
    "error OnlyRegistry(address caller)",
    "error WrongNetwork(uint256 networkId)",
    "error InvalidEvidence(string reason)",
    "error AlreadySlashed(address operator, uint256 epoch)",
    "error NothingToPay(uint256 epoch)",
    "error BeaconRootNotFound(uint256 timestamp)",
    "error BLSInvalidLength(uint256 length, uint256 expected)",
    "error BLSInvalidCompressedEncoding()",
    "error BLSPointMismatch()",
    "error BLSPubkeyAtInfinity()",
    "error BLSPrecompileFailed(address precompile)",
    "error BLSInvalidExpandLength(uint256 lenInBytes)",
    "error BLSInvalidAggregate(uint256 length)",
  ]);
}
