// Public API of @nektar/stinger (identity, operator network, DKG ceremonies, the registry follower, metrics/logging).
export { type LogPosition, RequestCursor } from "./chain/cursor.ts";
export { credentialsProofFromState, fetchWithdrawalCredentialsProof } from "./chain/depositProof.ts";
export { type DisputeSearchInput, type DisputeStep, nextDisputeStep } from "./chain/disputeSearch.ts";
export {
  ATTESTATIONS_FILE,
  AttestationStore,
  type AttestOutcome,
  DkgAttestor,
  type DkgRound,
  NO_RESULT_DIGEST,
} from "./chain/dkgAttestation.ts";
export { DKG_RESULT_TYPES, type DkgResult, dkgResultDigest, signDkgResult } from "./chain/dkgResult.ts";
export { DkgUpkeep, type DkgUpkeepEvent, type DkgUpkeepOptions } from "./chain/dkgUpkeep.ts";
export { ChainError } from "./chain/errors.ts";
export { CURSOR_FILE, createFollower, type FollowerOptions } from "./chain/follower.ts";
export {
  executeValidatorRequest,
  type OnchainOperatorOptions,
  type PreparedRequest,
  prepareValidatorRequest,
  type RequestOutcome,
} from "./chain/onchainOperator.ts";
export { RegistryReader, type RequestStatus } from "./chain/registryReader.ts";
export { definitionFromRequest, type ValidatorRequest } from "./chain/requestDefinition.ts";
export { type SubmitOptions, type SubmitOutcome, submitWhenDue } from "./chain/submitter.ts";
export { fetchPerformance, type PerformanceListing } from "./cli/performanceView.ts";
export { ConfigError, DEFAULT_CONFIG, resolveConfig, type StingerConfig } from "./config/config.ts";
export { createAgreement, validateAgreementConfig } from "./core/agreement/create.ts";
export { AgreementError } from "./core/agreement/errors.ts";
export type {
  AgreementConfig,
  AgreementDecision,
  AgreementFault,
  AgreementInstance,
  AgreementInstanceParams,
  AgreementOutput,
  AgreementProtocol,
} from "./core/agreement/types.ts";
export * from "./core/interfaces.ts";
export { type CeremonyDeps, type CeremonyOutcome, ceremonySessionId, runDkgCeremony } from "./dkg/ceremony.ts";
export type { ProgressEvent } from "./dkg/ceremonyContext.ts";
export {
  type ClusterDefinition,
  DEFINITION_VERSION,
  definitionHash,
  parseClusterDefinition,
  readClusterDefinition,
  serializeClusterDefinition,
} from "./dkg/definition.ts";
export { depositDataRoot, depositSigningRoot, verifyDepositSignature } from "./dkg/deposit.ts";
export { CeremonyError, DefinitionError, LockError } from "./dkg/errors.ts";
export { type ClusterLock, computeLockHash, LOCK_VERSION } from "./dkg/lock.ts";
export { verifyClusterLock } from "./dkg/verifyLock.ts";
export { IdentityError } from "./identity/errors.ts";
export { createIdentity, loadIdentity, type OperatorIdentity, type OperatorRecord } from "./identity/identity.ts";
export { createLogger, type Logger } from "./logger/logger.ts";
export { createMetricsRegistry } from "./metrics/registry.ts";
export { type MetricsServer, startMetricsServer } from "./metrics/server.ts";
export { NetworkModuleError, type NetworkModuleErrorType } from "./networks/errors.ts";
export { type ModuleSetup, type ModuleStatus, NetworkModuleHost, networkTopicName } from "./networks/host.ts";
export type {
  FinalizedCheckpoint,
  NetworkEvent,
  NetworkMessage,
  NetworkModule,
  NetworkModuleContext,
  NetworkModuleDefinition,
  NetworkPubSub,
  NetworkRef,
  NetworkTopic,
} from "./networks/interfaces.ts";
export {
  loadNetworkKey,
  loadOrCreateNetworkKey,
  NETWORK_KEYSTORE_FILE,
  NetworkKey,
  networkDir,
} from "./networks/networkKey.ts";
export { NETWORK_PROTECTION_FILE, StatementProtection } from "./networks/protection.ts";
export { gossipsubNetworkPubSub } from "./networks/pubsub.ts";
export { type BeaconConnection, connectBeaconNode } from "./node/beaconConnection.ts";
export { type OperatorRuntime, startOperatorRuntime } from "./node/runtime.ts";
export { ClusterNetwork, DIRECT_PROTOCOL } from "./p2p/clusterNetwork.ts";
export { MAX_PAYLOAD_BYTES, MessageKind } from "./p2p/envelope.ts";
export { PeerAllowlist } from "./p2p/gater.ts";
export { createOperatorNode, type OperatorNode } from "./p2p/node.ts";
export type { FramePerformance, ValidatorPerformance } from "./performance/report.ts";
export { type ImportResult, SlashingProtectionDB, type SlashingProtectionDBOptions } from "./slashing/db.ts";
export { SlashingProtectionError } from "./slashing/errors.ts";
export type { Interchange } from "./slashing/interchange.ts";
export type { AttestationSigningRequest, BlockSigningRequest, SafetyVerdict } from "./slashing/rules.ts";
export { AtomicWriteError, writeFileAtomic } from "./storage/atomicFile.ts";
