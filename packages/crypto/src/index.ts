export {
  AnchoredBeaconState,
  type BeaconStateView,
  FAR_FUTURE_EPOCH,
  type ProofFrameRoots,
  proofSubtreeDepth,
  type ValidatorBatchProof,
  type ValidatorRecord,
} from "./accounting/beaconState.ts";
export {
  type CombineNodes,
  EMPTY_LEAF_HASH,
  honestCombine,
  type ReportLeaf,
  ReportTree,
  type ReportTreeNode,
  reportInnerHash,
  reportLeafHash,
  reportLeafNode,
  reportTreeDepth,
} from "./accounting/reportTree.ts";
export {
  computeDepositDataRoot,
  computeDepositDomain,
  computeDepositMessageRoot,
  computeDepositMessageSigningRoot,
  type DepositDataParameters,
  DepositError,
  type DepositErrorType,
  type DepositMessageParameters,
  type DepositSigningRootParameters,
  verifyDepositSignature,
} from "./deposit/deposit.ts";
export {
  DKG_WIRE_VERSION,
  decodeDkgMessage,
  encodeDkgMessage,
  MAX_DKG_MESSAGE_BYTES,
  MAX_DKG_PARTICIPANTS,
} from "./dkg/codec.ts";
export {
  DkgAbortedError,
  type DkgAbortedErrorType,
  DkgMessageError,
  type DkgMessageErrorType,
  DkgUsageError,
  type DkgUsageErrorType,
} from "./dkg/errors.ts";
export { DEFAULT_DKG_PARTICIPANTS, DEFAULT_DKG_THRESHOLD, DkgParticipant } from "./dkg/participant.ts";
export { secureRandom } from "./dkg/random.ts";
export {
  type ComputeDkgSessionIdParameters,
  type ComputeReshareSessionIdParameters,
  computeDkgSessionId,
  computeReshareSessionId,
} from "./dkg/session.ts";
export type * from "./dkg/types.ts";
export { g1PointFromPublicKey, g2PointFromSignature } from "./eip2537/points.ts";
export { CryptoInputError, type CryptoInputErrorType } from "./errors.ts";
export { evaluateCommitment, linearCombinationG1, linearCombinationG2 } from "./field/combination.ts";
export {
  cachedIntegerLagrangePlan,
  cachedLagrangeCoefficients,
  type IntegerLagrangePlan,
  integerLagrangePlan,
  interpolateAtZero,
  lagrangeCoefficientsAtZero,
} from "./field/lagrange.ts";
export { evaluatePolynomial, type Polynomial, randomPolynomial } from "./field/polynomial.ts";
export { CURVE_ORDER, Fr, randomScalar, scalarFromBytes, scalarToBytes } from "./field/scalar.ts";
export {
  decryptKeyShare,
  decryptKeystore,
  type EncryptKeystoreOptions,
  encryptKeyShare,
  encryptKeystore,
  type IKeystore,
  KeystoreError,
  type KeystoreErrorType,
  type KeystoreKdf,
  type KeystoreKeyType,
} from "./keystore/keystore.ts";
export {
  checkPerformanceStatement,
  computePerformanceDomain,
  computePerformanceSigningRoot,
  computePerformanceStatementRoot,
  computePerformanceViewSigningRoot,
  DOMAIN_NEKTAR_PERFORMANCE,
  encodePerformanceStatement,
  encodePerformanceView,
  MAX_DUTY_COUNT,
  PERFORMANCE_STATEMENT_TAG,
  PERFORMANCE_VIEW_TAG,
  PerformanceMessageError,
  type PerformanceMessageErrorType,
  type PerformanceStatement,
  type PerformanceSubject,
  type PerformanceView,
} from "./performance/message.ts";
export {
  type BuildRewardsParameters,
  buildRewardsDistribution,
  emptyShareLeaf,
  operatorLeafHash,
  performanceBps,
  positionalTree,
  REWARDS_CLUSTER_SIZE,
  type RewardsCommitment,
  type RewardsDistribution,
  RewardsError,
  type RewardsErrorType,
  type RewardsValidator,
  type ShareLeaf,
  shareLeafHash,
} from "./performance/rewards.ts";
export {
  computeReshareDomain,
  computeReshareResultRoot,
  computeReshareSigningRoot,
  DOMAIN_NEKTAR_RESHARE,
  encodeReshareResult,
  RESHARE_RESULT_TAG,
  ReshareMessageError,
  type ReshareMessageErrorType,
  type ReshareMessageParameters,
} from "./reshare/message.ts";
export { type ReshareConfig, ReshareParticipant, type ReshareResult } from "./reshare/participant.ts";
export { encodeExecutionHeader, type RpcBlockHeader } from "./rlp/executionHeader.ts";
export {
  type CombinePartialSignaturesParameters,
  type CombinePartialSignaturesReturnType,
  combinePartialSignatures,
  interpolateSignatures,
} from "./threshold/combine.ts";
export { type CombineBatchOutcome, combinePartialSignaturesBatch } from "./threshold/combineBatch.ts";
export { ThresholdError, type ThresholdErrorType } from "./threshold/errors.ts";
export {
  type BatchVerifyResult,
  type PartialToVerify,
  parsePublicKey,
  parseSignature,
  signPartial,
  verifyPartial,
  verifyPartialsBatch,
} from "./threshold/partial.ts";
export type { KeyShare, PartialSignature } from "./threshold/types.ts";
