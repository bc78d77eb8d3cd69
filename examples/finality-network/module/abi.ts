import { parseAbi } from "viem";

/** The parts of `FinalityRelay` and `NetworkRegistry` the module calls (kept in step by `test/module/abi.test.ts`). */
export const finalityRelayAbi = parseAbi([
  "struct Statement { uint64 epoch; bytes32 checkpointRoot; bytes32 executionBlockHash; }",
  "struct Certificate { bytes32 checkpointRoot; bytes32 executionBlockHash; uint256 signers; uint48 certifiedAt; }",
  "function registerKey(bytes pubkey, bytes pubkeyPoint, bytes popSignature)",
  "function submitCertificate(Statement statement, uint256[] signers, bytes signerKeys, bytes aggregateSignature)",
  "function operatorAt(uint256 index) view returns (address operator, bytes pubkey)",
  "function operatorCount() view returns (uint256)",
  "function indexOf(address operator) view returns (uint256)",
  "function latestCertificate() view returns (uint256 epoch, Certificate certificate)",
  "function networkId() view returns (uint256)",
  "function payRewards(uint256 vaultEpoch)",
  "function owedRewards(uint256 vaultEpoch, address operator) view returns (uint256)",
  "event CheckpointCertified(uint256 indexed epoch, bytes32 checkpointRoot, bytes32 executionBlockHash, uint256 signers, uint256 signedStake, uint256 totalStake, uint256 reward)",
  "event OffenceProven(address indexed operator, uint256 indexed epoch, uint8 offence)",
]);

export const networkRegistryAbi = parseAbi([
  "function stakeAt(uint256 networkId, address operator, uint256 timestamp) view returns (uint256)",
  "function slashWithEvidence(uint256 networkId, address operator, uint48 captureTimestamp, bytes evidence) returns (uint256)",
  "function vault() view returns (address)",
  "function isOptedIn(uint256 networkId, address operator, uint256 timestamp) view returns (bool)",
]);

/** Reverts the module treats as a race another operator won. */
export const benignErrorsAbi = parseAbi([
  "error EpochAlreadyCertified(uint256 epoch, uint256 last)",
  "error NothingToPay(uint256 epoch)",
  "error AlreadySlashed(address operator, uint256 epoch)",
  "error NothingSlashable(uint256 requested, uint256 slashable)",
]);

export const restakingVaultAbi = parseAbi(["function currentEpoch() view returns (uint256)"]);
