/**
 * The finality relay's client: typed actions over viem for everything a user of this Network does besides what
 * Stinger's module does on its own. Generic restaking (register an operator, opt in, delegate, claim rewards) is the
 * Nektar SDK's (`@nektar/sdk`); these are the Network's own.
 */
export { finalityRelayAbi } from "./abi.ts";
export {
  type DeployFinalityRelayParameters,
  type DeployFinalityRelayReturnType,
  deployFinalityRelay,
  RelayArtifactError,
} from "./deployFinalityRelay.ts";
export {
  decodeRelayRevert,
  FINALITY_ERROR_HINTS,
  FinalityCertificateError,
  FinalityEvidenceError,
  FinalityRelayRevertedError,
  NotAFinalityRelayError,
  RELAY_REVERT_HINTS,
} from "./errors.ts";
export {
  type FinalityCertificate,
  type FinalityOffence,
  type FinalityOperator,
  type GetFinalityRelayStateParameters,
  type GetFinalityRelayStateReturnType,
  getFinalityRelayState,
} from "./getFinalityRelayState.ts";
export {
  type PayFinalityRewardsParameters,
  type PayFinalityRewardsReturnType,
  payFinalityRewards,
} from "./payFinalityRewards.ts";
export {
  type RegisterNetworkKeyParameters,
  type RegisterNetworkKeyReturnType,
  registerNetworkKey,
} from "./registerNetworkKey.ts";
export {
  type FinalityEvidence,
  type SignedStatement,
  type SlashFinalityOperatorParameters,
  type SlashFinalityOperatorReturnType,
  slashFinalityOperator,
} from "./slashFinalityOperator.ts";
export {
  type OperatorSignature,
  type SubmitFinalityCertificateParameters,
  type SubmitFinalityCertificateReturnType,
  submitFinalityCertificate,
} from "./submitFinalityCertificate.ts";
