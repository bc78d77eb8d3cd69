export {
  type AssertDeploymentParameters,
  type AssertDeploymentReturnType,
  assertDeployment,
} from "./actions/assertDeployment.ts";
export {
  type BondAsset,
  type BondOperatorParameters,
  type BondOperatorReturnType,
  bondOperator,
} from "./actions/bondOperator.ts";
export {
  type ClaimWithdrawalParameters,
  type ClaimWithdrawalReturnType,
  claimWithdrawal,
} from "./actions/claimWithdrawal.ts";
export {
  type FinalizeWithdrawalsParameters,
  type FinalizeWithdrawalsReturnType,
  finalizeWithdrawals,
} from "./actions/finalizeWithdrawals.ts";
export { type GetBalancesParameters, type GetBalancesReturnType, getBalances } from "./actions/getBalances.ts";
export {
  type GetOperatorParameters,
  type GetOperatorReturnType,
  getOperator,
  type Operator,
} from "./actions/getOperator.ts";
export {
  type GetOperatorIdByOwnerParameters,
  type GetOperatorIdByOwnerReturnType,
  getOperatorIdByOwner,
} from "./actions/getOperatorIdByOwner.ts";
export {
  type GetPoolStateParameters,
  type GetPoolStateReturnType,
  getPoolState,
  type PoolState,
} from "./actions/getPoolState.ts";
export {
  type GetValidatorParameters,
  type GetValidatorReturnType,
  getValidator,
  type Validator,
} from "./actions/getValidator.ts";
export {
  type GetWithdrawalStatusParameters,
  type GetWithdrawalStatusReturnType,
  getWithdrawalStatus,
  type WithdrawalStatus,
} from "./actions/getWithdrawalStatus.ts";
export {
  type ListValidatorsParameters,
  type ListValidatorsReturnType,
  listValidators,
} from "./actions/listValidators.ts";
export {
  type RegisterOperatorParameters,
  type RegisterOperatorReturnType,
  registerOperator,
} from "./actions/registerOperator.ts";
export {
  type ReportValidatorStatusParameters,
  type ReportValidatorStatusReturnType,
  reportValidatorStatus,
} from "./actions/reportValidatorStatus.ts";
export {
  type RequestValidatorParameters,
  type RequestValidatorReturnType,
  requestValidator,
} from "./actions/requestValidator.ts";
export {
  type RequestWithdrawalParameters,
  type RequestWithdrawalReturnType,
  requestWithdrawal,
} from "./actions/requestWithdrawal.ts";
export {
  type SetOperatorPausedParameters,
  type SetOperatorPausedReturnType,
  setOperatorPaused,
} from "./actions/setOperatorPaused.ts";
export { type StakeParameters, type StakeReturnType, stake } from "./actions/stake.ts";
export {
  type OracleReport,
  type SubmitOracleReportParameters,
  type SubmitOracleReportReturnType,
  submitOracleReport,
} from "./actions/submitOracleReport.ts";
export {
  type UnbondOperatorParameters,
  type UnbondOperatorReturnType,
  unbondOperator,
} from "./actions/unbondOperator.ts";
export { type UnwrapParameters, type UnwrapReturnType, unwrap } from "./actions/unwrap.ts";
export { type WrapParameters, type WrapReturnType, wrap } from "./actions/wrap.ts";
export { nektarChain } from "./chain.ts";
export type { NektarReadClient, NektarWriteClient, TransactionResult, WithContracts } from "./client.ts";
export { BaseError, type BaseErrorParameters } from "./errors/base.ts";
export {
  type CliErrorOutput,
  CliUsageError,
  describeError,
  type ErrorHint,
  type ErrorHints,
  type ErrorReport,
  EXIT_FAILURE,
  EXIT_USAGE,
  type FormatCliErrorOptions,
  formatCliError,
  printCliError,
  SDK_ERROR_HINTS,
} from "./errors/cli.ts";
export { ContractRevertedError, RpcError, toSdkError } from "./errors/contract.ts";
export {
  ContractNotDeployedError,
  InsufficientBalanceError,
  InvalidAddressError,
  InvalidAmountError,
  InvalidIdError,
  WrongNetworkError,
} from "./errors/input.ts";
export * from "./generated/abis.ts";
export { parseAddress, parseAmount, parseId } from "./input.ts";
export { ManifestError } from "./manifest/errors.ts";
export {
  DEFAULT_DEVNET_MANIFEST,
  loadManifest,
  parseManifest,
  serializeManifest,
  writeManifest,
} from "./manifest/manifest.ts";
export { CONTRACT_NAMES, type NektarContracts, type NektarManifest } from "./manifest/types.ts";
export {
  VALIDATOR_STATUSES,
  type ValidatorStatus,
  validatorStatusIndex,
  validatorStatusName,
} from "./validatorStatus.ts";
