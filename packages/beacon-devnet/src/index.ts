// The preset must be set before any other @lodestar module is evaluated: keep this import first.
import "./preset.ts";

export { BEACON_ROOTS_ADDRESS, beaconRootStorageWrites } from "./bridge/beaconRoots.ts";
export { DEPOSIT_EVENT_TOPIC, depositEventAbi, depositRequestFromLog } from "./bridge/depositEvents.ts";
export type { EvmBridgeOptions, WithdrawalRequestSupport } from "./bridge/evmBridge.ts";
export { createEvmBridge, EvmBridge } from "./bridge/evmBridge.ts";
export {
  WITHDRAWAL_REQUEST_ADDRESS,
  WITHDRAWAL_REQUEST_STUB_CODE,
  withdrawalRequestFromLog,
} from "./bridge/withdrawalRequests.ts";
export type { BuilderConnectionOptions, BuilderStats } from "./builder/builderConnection.ts";
export { BuilderConnection } from "./builder/builderConnection.ts";
export { chainPayloadSource } from "./builder/chainPayloadSource.ts";
export type { BuilderPayloadSource, LocalBuilderOptions, RunningBuilder } from "./builder/localBuilder.ts";
export { LocalBuilder, startLocalBuilder } from "./builder/localBuilder.ts";
export { BUILDER_EXTRA_DATA } from "./builder/marker.ts";
export {
  builderDomain,
  RegistrationBook,
  registrationProblem,
  registrationSigningRoot,
} from "./builder/registrations.ts";
export type { BeaconChainOptions, ProduceBlockArgs } from "./chain/chain.ts";
export { BeaconChain } from "./chain/chain.ts";
export { SlotClock } from "./chain/clock.ts";
export type { DevnetChainConfigOptions } from "./chain/config.ts";
export { createDevnetChainConfig, defaultChainConfigOptions } from "./chain/config.ts";
export type { Genesis, GenesisOptions, GenesisValidator } from "./chain/genesis.ts";
export { createGenesis, interopWithdrawalCredentials } from "./chain/genesis.ts";
export type { StoredBlock } from "./chain/types.ts";
export type { DevnetErrorType } from "./errors.ts";
export { DevnetError } from "./errors.ts";
export type { Devnet, DevnetBridge, DevnetBuilderOptions, DevnetOptions } from "./node/devnet.ts";
export { DEVNET_VERSION, startDevnet } from "./node/devnet.ts";
export type { Progress } from "./node/progress.ts";
export { formatProgress } from "./node/progress.ts";
export type { ChainSimulatorOptions } from "./node/simulator.ts";
export { ChainSimulator, serveSimulatedChain, unheldInteropValidators } from "./node/simulator.ts";
export { AttestationPool } from "./pool/attestationPool.ts";
export { PoolError } from "./pool/poolError.ts";
export { SyncCommitteePool } from "./pool/syncCommitteePool.ts";
export { VoluntaryExitPool } from "./pool/voluntaryExitPool.ts";
export type { LeafProof, ValidatorField, ValidatorProofs } from "./proofs/validatorProofs.ts";
export { getValidatorProofs, validatorFieldGindices } from "./proofs/validatorProofs.ts";
export { balanceFromLeaf, verifyMerkleProof } from "./proofs/verify.ts";
export { InteropValidatorClient } from "./validator/interopValidatorClient.ts";
