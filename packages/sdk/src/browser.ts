// The SDK for browsers and Node: every action, error and the manifest's parser, without file access (the Node entry,
// index.ts, adds the key-file and manifest-file loaders). The marketplace web app imports `@nektar/sdk/browser`.

// Native restaking and Distributors (issue 16).
export {
  type AddDistributorOperatorErrorType,
  type AddDistributorOperatorParameters,
  type AddDistributorOperatorReturnType,
  addDistributorOperator,
} from "./actions/addDistributorOperator.ts";
export {
  type ApplyOracleReportErrorType,
  type ApplyOracleReportParameters,
  type ApplyOracleReportReturnType,
  applyOracleReport,
} from "./actions/applyOracleReport.ts";
export {
  type AssertDeploymentErrorType,
  type AssertDeploymentParameters,
  type AssertDeploymentReturnType,
  assertDeployment,
} from "./actions/assertDeployment.ts";
export {
  type AttestDkgResultErrorType,
  type AttestDkgResultParameters,
  type AttestDkgResultReturnType,
  attestDkgResult,
} from "./actions/attestDkgResult.ts";
export {
  type BondAsset,
  type BondOperatorErrorType,
  type BondOperatorParameters,
  type BondOperatorReturnType,
  bondOperator,
} from "./actions/bondOperator.ts";
export {
  type ClaimDistributorErrorType,
  type ClaimDistributorParameters,
  type ClaimDistributorReturnType,
  claimDistributor,
} from "./actions/claimDistributor.ts";
export {
  type ClaimOperatorRewardsErrorType,
  type ClaimOperatorRewardsParameters,
  type ClaimOperatorRewardsReturnType,
  claimOperatorRewards,
} from "./actions/claimOperatorRewards.ts";
export {
  type ClaimRestakeWithdrawalErrorType,
  type ClaimRestakeWithdrawalParameters,
  type ClaimRestakeWithdrawalReturnType,
  claimRestakeWithdrawal,
} from "./actions/claimRestakeWithdrawal.ts";
export {
  type ClaimRestakingRewardsErrorType,
  type ClaimRestakingRewardsParameters,
  type ClaimRestakingRewardsReturnType,
  claimRestakingRewards,
} from "./actions/claimRestakingRewards.ts";
export {
  type ClaimWithdrawalErrorType,
  type ClaimWithdrawalParameters,
  type ClaimWithdrawalReturnType,
  claimWithdrawal,
} from "./actions/claimWithdrawal.ts";
export {
  type CollectDistributorRebalanceErrorType,
  type CollectDistributorRebalanceParameters,
  type CollectDistributorRebalanceReturnType,
  collectDistributorRebalance,
} from "./actions/collectDistributorRebalance.ts";
export {
  type CompleteDepositErrorType,
  type CompleteDepositParameters,
  type CompleteDepositReturnType,
  completeDeposit,
  type WithdrawalCredentialsProof,
} from "./actions/completeDeposit.ts";
export {
  type CreateDistributorErrorType,
  type CreateDistributorParameters,
  type CreateDistributorReturnType,
  createDistributor,
} from "./actions/createDistributor.ts";
export {
  type DepositDistributorErrorType,
  type DepositDistributorParameters,
  type DepositDistributorReturnType,
  depositDistributor,
} from "./actions/depositDistributor.ts";
export {
  type DepositNativeErrorType,
  type DepositNativeParameters,
  type DepositNativeReturnType,
  depositNative,
} from "./actions/depositNative.ts";
export {
  type DepositRestakeErrorType,
  type DepositRestakeParameters,
  type DepositRestakeReturnType,
  depositRestake,
} from "./actions/depositRestake.ts";
export {
  type DisputeOracleReportErrorType,
  type DisputeOracleReportParameters,
  type DisputeOracleReportReturnType,
  disputeOracleReport,
  type OracleDispute,
  type RevealedLeaf,
} from "./actions/disputeOracleReport.ts";
export {
  type DistributeNetworkRewardsErrorType,
  type DistributeNetworkRewardsParameters,
  type DistributeNetworkRewardsReturnType,
  distributeNetworkRewards,
} from "./actions/distributeNetworkRewards.ts";
export {
  type DrawClusterErrorType,
  type DrawClusterParameters,
  type DrawClusterReturnType,
  drawCluster,
} from "./actions/drawCluster.ts";
export {
  type DrawReplacementErrorType,
  type DrawReplacementParameters,
  type DrawReplacementReturnType,
  drawReplacement,
} from "./actions/drawReplacement.ts";
export {
  type EjectOperatorErrorType,
  type EjectOperatorParameters,
  type EjectOperatorReturnType,
  ejectOperator,
} from "./actions/ejectOperator.ts";
export {
  type ExpireRequestErrorType,
  type ExpireRequestParameters,
  type ExpireRequestReturnType,
  expireRequest,
} from "./actions/expireRequest.ts";
export {
  type ExpireReshareErrorType,
  type ExpireReshareParameters,
  type ExpireReshareReturnType,
  expireReshare,
} from "./actions/expireReshare.ts";
export {
  type FinalizeFrameByProofsErrorType,
  type FinalizeFrameByProofsParameters,
  type FinalizeFrameByProofsReturnType,
  finalizeFrameByProofs,
} from "./actions/finalizeFrameByProofs.ts";
export {
  type FinalizeRewardsDistributionErrorType,
  type FinalizeRewardsDistributionParameters,
  type FinalizeRewardsDistributionReturnType,
  finalizeRewardsDistribution,
} from "./actions/finalizeRewardsDistribution.ts";
export {
  type FinalizeWithdrawalsErrorType,
  type FinalizeWithdrawalsParameters,
  type FinalizeWithdrawalsReturnType,
  finalizeWithdrawals,
} from "./actions/finalizeWithdrawals.ts";
export {
  type GetBalancesErrorType,
  type GetBalancesParameters,
  type GetBalancesReturnType,
  getBalances,
} from "./actions/getBalances.ts";
export {
  BEACON_ROOTS_ADDRESS,
  type GetBeaconRootErrorType,
  type GetBeaconRootParameters,
  type GetBeaconRootReturnType,
  getBeaconRoot,
} from "./actions/getBeaconRoot.ts";
export {
  type GetDistributorInfoErrorType,
  type GetDistributorInfoParameters,
  type GetDistributorInfoReturnType,
  getDistributorInfo,
} from "./actions/getDistributorInfo.ts";
export {
  type DkgResult,
  type GetDkgResultDigestErrorType,
  type GetDkgResultDigestParameters,
  type GetDkgResultDigestReturnType,
  getDkgResultDigest,
} from "./actions/getDkgResultDigest.ts";
// Validator exits (EIP-7002 through the withdrawal vault; the exit manager is found through the vault).
export {
  type GetExitStateErrorType,
  type GetExitStateParameters,
  type GetExitStateReturnType,
  getExitState,
} from "./actions/getExitState.ts";
export {
  type GetNativePositionErrorType,
  type GetNativePositionParameters,
  type GetNativePositionReturnType,
  getNativePosition,
  type NativeDelegation,
} from "./actions/getNativePosition.ts";
export {
  type GetOperatorErrorType,
  type GetOperatorParameters,
  type GetOperatorReturnType,
  getOperator,
  type Operator,
} from "./actions/getOperator.ts";
export {
  type GetOperatorCountErrorType,
  type GetOperatorCountParameters,
  type GetOperatorCountReturnType,
  getOperatorCount,
} from "./actions/getOperatorCount.ts";
export {
  type GetOperatorEventsErrorType,
  type GetOperatorEventsParameters,
  type GetOperatorEventsReturnType,
  getOperatorEvents,
  OPERATOR_EVENT_NAMES,
  type OperatorEvent,
  type OperatorEventName,
} from "./actions/getOperatorEvents.ts";
export {
  type GetOperatorIdByNodeIdentityErrorType,
  type GetOperatorIdByNodeIdentityParameters,
  type GetOperatorIdByNodeIdentityReturnType,
  getOperatorIdByNodeIdentity,
} from "./actions/getOperatorIdByNodeIdentity.ts";
export {
  type GetOperatorIdByOwnerErrorType,
  type GetOperatorIdByOwnerParameters,
  type GetOperatorIdByOwnerReturnType,
  getOperatorIdByOwner,
} from "./actions/getOperatorIdByOwner.ts";
export {
  type GetOperatorNetworksErrorType,
  type GetOperatorNetworksParameters,
  type GetOperatorNetworksReturnType,
  getOperatorNetworks,
  type OperatorNetwork,
} from "./actions/getOperatorNetworks.ts";
export {
  type GetOperatorRewardsErrorType,
  type GetOperatorRewardsParameters,
  type GetOperatorRewardsReturnType,
  getOperatorRewards,
  type RewardsDistributionStatus,
} from "./actions/getOperatorRewards.ts";
export {
  type GetOperatorStrikesErrorType,
  type GetOperatorStrikesParameters,
  type GetOperatorStrikesReturnType,
  getOperatorStrikes,
} from "./actions/getOperatorStrikes.ts";
export {
  type GetOracleFrameSnapshotErrorType,
  type GetOracleFrameSnapshotParameters,
  type GetOracleFrameSnapshotReturnType,
  getOracleFrameSnapshot,
  type OracleFrameSnapshot,
} from "./actions/getOracleFrameSnapshot.ts";
export {
  type GetOracleLeafRequestsErrorType,
  type GetOracleLeafRequestsParameters,
  type GetOracleLeafRequestsReturnType,
  getOracleLeafRequests,
  type OracleLeafRequest,
} from "./actions/getOracleLeafRequests.ts";
export {
  type GetOracleReportErrorType,
  type GetOracleReportParameters,
  type GetOracleReportReturnType,
  getOracleReport,
  ORACLE_REPORT_STATUSES,
  type OracleReportRecord,
  type OracleReportStatus,
} from "./actions/getOracleReport.ts";
export {
  type GetOracleStateErrorType,
  type GetOracleStateParameters,
  type GetOracleStateReturnType,
  getOracleState,
  type OracleState,
} from "./actions/getOracleState.ts";
export {
  type GetPendingDrawErrorType,
  type GetPendingDrawParameters,
  type GetPendingDrawReturnType,
  getPendingDraw,
} from "./actions/getPendingDraw.ts";
export {
  type GetPoolStateErrorType,
  type GetPoolStateParameters,
  type GetPoolStateReturnType,
  getPoolState,
  type PoolState,
} from "./actions/getPoolState.ts";
export {
  type GetRegistryStateErrorType,
  type GetRegistryStateParameters,
  type GetRegistryStateReturnType,
  getRegistryState,
  type RegistryState,
} from "./actions/getRegistryState.ts";
export {
  type GetRequestOperatorsErrorType,
  type GetRequestOperatorsParameters,
  type GetRequestOperatorsReturnType,
  getRequestOperators,
} from "./actions/getRequestOperators.ts";
export {
  type GetReshareErrorType,
  type GetReshareParameters,
  type GetReshareReturnType,
  getReshare,
  RESHARE_STAGES,
  type ReshareStage,
} from "./actions/getReshare.ts";
export {
  type GetRestakePositionsErrorType,
  type GetRestakePositionsParameters,
  type GetRestakePositionsReturnType,
  getRestakePositions,
  type RestakePosition,
  type RestakeWithdrawal,
} from "./actions/getRestakePositions.ts";
export {
  type GetRestakingHistoryErrorType,
  type GetRestakingHistoryParameters,
  type GetRestakingHistoryReturnType,
  getRestakingHistory,
  type NetworkMembershipEvent,
  type NetworkRewardEvent,
  type NetworkSlashEvent,
  type NetworkSlashRequestEvent,
} from "./actions/getRestakingHistory.ts";
export {
  type GetRestakingRewardsErrorType,
  type GetRestakingRewardsParameters,
  type GetRestakingRewardsReturnType,
  getRestakingRewards,
  type RestakingReward,
} from "./actions/getRestakingRewards.ts";
export {
  type GetRestakingStateErrorType,
  type GetRestakingStateParameters,
  type GetRestakingStateReturnType,
  getRestakingState,
  type RestakingNetworkSummary,
} from "./actions/getRestakingState.ts";
export {
  type GetShareRateHistoryErrorType,
  type GetShareRateHistoryParameters,
  type GetShareRateHistoryReturnType,
  getShareRateHistory,
  type ShareRatePoint,
} from "./actions/getShareRateHistory.ts";
export {
  type GetValidatorErrorType,
  type GetValidatorParameters,
  type GetValidatorReturnType,
  getValidator,
  type Validator,
} from "./actions/getValidator.ts";
export {
  EXIT_REASONS,
  type ExitReason,
  type GetValidatorExitErrorType,
  type GetValidatorExitParameters,
  type GetValidatorExitReturnType,
  getValidatorExit,
  type ValidatorExit,
} from "./actions/getValidatorExit.ts";
export {
  type GetValidatorExitRequestedEventsErrorType,
  type GetValidatorExitRequestedEventsParameters,
  type GetValidatorExitRequestedEventsReturnType,
  getValidatorExitRequestedEvents,
  type ValidatorExitRequestedEvent,
} from "./actions/getValidatorExitRequestedEvents.ts";
export {
  type GetValidatorIdByPubkeyErrorType,
  type GetValidatorIdByPubkeyParameters,
  type GetValidatorIdByPubkeyReturnType,
  getValidatorIdByPubkey,
} from "./actions/getValidatorIdByPubkey.ts";
export {
  type GetValidatorRequestErrorType,
  type GetValidatorRequestParameters,
  type GetValidatorRequestReturnType,
  getValidatorRequest,
  type ValidatorRequest,
} from "./actions/getValidatorRequest.ts";
export {
  type GetValidatorRequestedEventsErrorType,
  type GetValidatorRequestedEventsParameters,
  type GetValidatorRequestedEventsReturnType,
  getValidatorRequestedEvents,
  type ValidatorRequestedEvent,
} from "./actions/getValidatorRequestedEvents.ts";
export {
  type GetWithdrawalQueueStateErrorType,
  type GetWithdrawalQueueStateParameters,
  type GetWithdrawalQueueStateReturnType,
  getWithdrawalQueueState,
  type WithdrawalQueueState,
} from "./actions/getWithdrawalQueueState.ts";
export {
  type GetWithdrawalRequestFeeErrorType,
  type GetWithdrawalRequestFeeParameters,
  type GetWithdrawalRequestFeeReturnType,
  getWithdrawalRequestFee,
} from "./actions/getWithdrawalRequestFee.ts";
export {
  type GetWithdrawalRequestsErrorType,
  type GetWithdrawalRequestsParameters,
  type GetWithdrawalRequestsReturnType,
  getWithdrawalRequests,
} from "./actions/getWithdrawalRequests.ts";
export {
  type GetWithdrawalStatusErrorType,
  type GetWithdrawalStatusParameters,
  type GetWithdrawalStatusReturnType,
  getWithdrawalStatus,
  type WithdrawalStatus,
} from "./actions/getWithdrawalStatus.ts";
export {
  type GetWithdrawalsFinalizedEventsErrorType,
  type GetWithdrawalsFinalizedEventsParameters,
  type GetWithdrawalsFinalizedEventsReturnType,
  getWithdrawalsFinalizedEvents,
  type WithdrawalsFinalizedEvent,
} from "./actions/getWithdrawalsFinalizedEvents.ts";
// Resharing: replace a member of a live validator (`ReshareManager`, found through the registry).
export {
  type LeaveClusterErrorType,
  type LeaveClusterParameters,
  type LeaveClusterReturnType,
  leaveCluster,
} from "./actions/leaveCluster.ts";
export {
  type ListDistributorsErrorType,
  type ListDistributorsParameters,
  type ListDistributorsReturnType,
  listDistributors,
} from "./actions/listDistributors.ts";
export {
  type ListOperatorStrikesErrorType,
  type ListOperatorStrikesParameters,
  type ListOperatorStrikesReturnType,
  listOperatorStrikes,
  type OperatorStrikeCount,
} from "./actions/listOperatorStrikes.ts";
export {
  type ListValidatorsErrorType,
  type ListValidatorsParameters,
  type ListValidatorsReturnType,
  listValidators,
} from "./actions/listValidators.ts";
export {
  type PostOracleReportErrorType,
  type PostOracleReportParameters,
  type PostOracleReportReturnType,
  postOracleReport,
} from "./actions/postOracleReport.ts";
export {
  type PostRewardsDistributionErrorType,
  type PostRewardsDistributionParameters,
  type PostRewardsDistributionReturnType,
  postRewardsDistribution,
} from "./actions/postRewardsDistribution.ts";
export {
  type ProveValidatorStatusErrorType,
  type ProveValidatorStatusParameters,
  type ProveValidatorStatusReturnType,
  proveValidatorStatus,
} from "./actions/proveValidatorStatus.ts";
export {
  type DistributorMove,
  type RebalanceDistributorErrorType,
  type RebalanceDistributorParameters,
  type RebalanceDistributorReturnType,
  rebalanceDistributor,
} from "./actions/rebalanceDistributor.ts";
export {
  type RegisterNetworkErrorType,
  type RegisterNetworkParameters,
  type RegisterNetworkReturnType,
  registerNetwork,
} from "./actions/registerNetwork.ts";
export {
  type RegisterOperatorErrorType,
  type RegisterOperatorParameters,
  type RegisterOperatorReturnType,
  registerOperator,
} from "./actions/registerOperator.ts";
export {
  type RegisterRestakingOperatorErrorType,
  type RegisterRestakingOperatorParameters,
  type RegisterRestakingOperatorReturnType,
  registerRestakingOperator,
} from "./actions/registerRestakingOperator.ts";
export {
  type ReplaceEjectedErrorType,
  type ReplaceEjectedParameters,
  type ReplaceEjectedReturnType,
  replaceEjected,
} from "./actions/replaceEjected.ts";
export {
  type RequestExitForDemandErrorType,
  type RequestExitForDemandParameters,
  type RequestExitForDemandReturnType,
  requestExitForDemand,
} from "./actions/requestExitForDemand.ts";
export {
  type RequestExitForLostBondErrorType,
  type RequestExitForLostBondParameters,
  type RequestExitForLostBondReturnType,
  requestExitForLostBond,
} from "./actions/requestExitForLostBond.ts";
export {
  type RequestOracleLeafErrorType,
  type RequestOracleLeafParameters,
  type RequestOracleLeafReturnType,
  requestOracleLeaf,
} from "./actions/requestOracleLeaf.ts";
export {
  type RequestValidatorErrorType,
  type RequestValidatorParameters,
  type RequestValidatorReturnType,
  requestValidator,
} from "./actions/requestValidator.ts";
export {
  type RequestWithdrawalErrorType,
  type RequestWithdrawalParameters,
  type RequestWithdrawalReturnType,
  requestWithdrawal,
} from "./actions/requestWithdrawal.ts";
export {
  type ResolveSlashRequestErrorType,
  type ResolveSlashRequestParameters,
  type ResolveSlashRequestReturnType,
  resolveSlashRequest,
} from "./actions/resolveSlashRequest.ts";
export {
  type RevealOracleLeafErrorType,
  type RevealOracleLeafParameters,
  type RevealOracleLeafReturnType,
  revealOracleLeaf,
} from "./actions/revealOracleLeaf.ts";
export {
  type ScheduleReplacementErrorType,
  type ScheduleReplacementParameters,
  type ScheduleReplacementReturnType,
  scheduleReplacement,
} from "./actions/scheduleReplacement.ts";
export {
  type SendWithdrawalRequestErrorType,
  type SendWithdrawalRequestParameters,
  type SendWithdrawalRequestReturnType,
  sendWithdrawalRequest,
} from "./actions/sendWithdrawalRequest.ts";
export {
  type SetNetworkMembershipErrorType,
  type SetNetworkMembershipParameters,
  type SetNetworkMembershipReturnType,
  setNetworkMembership,
} from "./actions/setNetworkMembership.ts";
export {
  type SetOperatorPausedErrorType,
  type SetOperatorPausedParameters,
  type SetOperatorPausedReturnType,
  setOperatorPaused,
} from "./actions/setOperatorPaused.ts";
export {
  type SetRestakingCommissionErrorType,
  type SetRestakingCommissionParameters,
  type SetRestakingCommissionReturnType,
  setRestakingCommission,
} from "./actions/setRestakingCommission.ts";
export {
  type SettleExitErrorType,
  type SettleExitParameters,
  type SettleExitReturnType,
  settleExit,
} from "./actions/settleExit.ts";
export {
  type SlashOperatorErrorType,
  type SlashOperatorParameters,
  type SlashOperatorReturnType,
  slashOperator,
} from "./actions/slashOperator.ts";
export {
  type SnapshotOracleFrameErrorType,
  type SnapshotOracleFrameParameters,
  type SnapshotOracleFrameReturnType,
  snapshotOracleFrame,
} from "./actions/snapshotOracleFrame.ts";
export {
  type StakeErrorType,
  type StakeParameters,
  type StakeReturnType,
  stake,
} from "./actions/stake.ts";
export {
  type DepositPoints,
  type SubmitDkgResultErrorType,
  type SubmitDkgResultParameters,
  type SubmitDkgResultReturnType,
  submitDkgResult,
} from "./actions/submitDkgResult.ts";
export {
  type SubmitReshareResultErrorType,
  type SubmitReshareResultParameters,
  type SubmitReshareResultReturnType,
  submitReshareResult,
} from "./actions/submitReshareResult.ts";
export {
  type UnbondOperatorErrorType,
  type UnbondOperatorParameters,
  type UnbondOperatorReturnType,
  unbondOperator,
} from "./actions/unbondOperator.ts";
export {
  type UndelegateRestakeErrorType,
  type UndelegateRestakeParameters,
  type UndelegateRestakeReturnType,
  undelegateRestake,
} from "./actions/undelegateRestake.ts";
export {
  type UnwrapErrorType,
  type UnwrapParameters,
  type UnwrapReturnType,
  unwrap,
} from "./actions/unwrap.ts";
export {
  type VoidUnrevealedOracleReportErrorType,
  type VoidUnrevealedOracleReportParameters,
  type VoidUnrevealedOracleReportReturnType,
  voidUnrevealedOracleReport,
} from "./actions/voidUnrevealedOracleReport.ts";
export {
  type WatchValidatorRequestedErrorType,
  type WatchValidatorRequestedParameters,
  type WatchValidatorRequestedReturnType,
  watchValidatorRequested,
} from "./actions/watchValidatorRequested.ts";
export {
  type WithdrawDistributorErrorType,
  type WithdrawDistributorParameters,
  type WithdrawDistributorReturnType,
  withdrawDistributor,
} from "./actions/withdrawDistributor.ts";
export {
  type WithdrawNativeErrorType,
  type WithdrawNativeParameters,
  type WithdrawNativeReturnType,
  withdrawNative,
} from "./actions/withdrawNative.ts";
export {
  type WrapErrorType,
  type WrapParameters,
  type WrapReturnType,
  wrap,
} from "./actions/wrap.ts";
export { nektarChain } from "./chain.ts";
export type { NektarReadClient, NektarWriteClient, TransactionResult, WithContracts } from "./client.ts";
export {
  type CreateNektarClientsErrorType,
  type CreateNektarClientsParameters,
  createNektarClients,
  type NektarClients,
  type NektarWalletClient,
} from "./createNektarClients.ts";
export {
  assertLocalChain,
  type DeployDepositContractReturnType,
  deployDepositContract,
  LOCAL_CHAIN_IDS,
} from "./deploy/deployDepositContract.ts";
export type { OracleConfig } from "./deploy/deployNektar.ts";
export { type DeployNektarParameters, type DeployNektarReturnType, deployNektar } from "./deploy/deployNektar.ts";
export { DeploymentError, DepositContractChainError, LinkBytecodeError } from "./deploy/errors.ts";
export { type LibraryAddresses, type LinkReferences, linkBytecode } from "./deploy/linkBytecode.ts";
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
export { ContractRevertedError, MissingEventError, RpcError, toSdkError } from "./errors/contract.ts";
export { ExitConditionError } from "./errors/exits.ts";
export {
  ContractNotDeployedError,
  InsufficientBalanceError,
  InvalidAddressError,
  InvalidAmountError,
  InvalidIdError,
  InvalidUrlError,
  WrongNetworkError,
} from "./errors/input.ts";
export { KeyFileError } from "./errors/keyFile.ts";
export { NativeNotDeployedError } from "./errors/native.ts";
export { UnknownNetworkError, UnknownRestakingOperatorError } from "./errors/restaking.ts";
export * from "./generated/abis.ts";
export { parseAddress, parseAmount, parseEpoch, parseId } from "./input.ts";
export type { ReadErrorType } from "./internal/read.ts";
export type { SendErrorType } from "./internal/send.ts";
export { ManifestError } from "./manifest/errors.ts";
export { DEFAULT_DEVNET_MANIFEST, parseManifest, serializeManifest } from "./manifest/manifest.ts";
export {
  CONTRACT_NAMES,
  DISTRIBUTOR_CONTRACT_NAMES,
  NATIVE_CONTRACT_NAMES,
  type NativeContracts,
  type NektarContracts,
  type NektarManifest,
} from "./manifest/types.ts";
export {
  VALIDATOR_STATUSES,
  type ValidatorStatus,
  validatorStatusIndex,
  validatorStatusName,
} from "./validatorStatus.ts";
