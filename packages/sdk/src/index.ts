// Node-only: builds the per-share rewards distribution with @nektar/crypto (not in the browser bundle).
export {
  type BuildOperatorRewardsDistributionErrorType,
  type BuildOperatorRewardsDistributionParameters,
  type BuildOperatorRewardsDistributionReturnType,
  buildOperatorRewardsDistribution,
  type ValidatorStatementCounts,
} from "./actions/buildOperatorRewardsDistribution.ts";
export {
  type BuildOracleReportErrorType,
  type BuildOracleReportParameters,
  type BuildOracleReportReturnType,
  buildOracleReport,
} from "./actions/buildOracleReport.ts";
export {
  BeaconStateFetchError,
  type FetchAnchoredBeaconStateErrorType,
  type FetchAnchoredBeaconStateParameters,
  type FetchAnchoredBeaconStateReturnType,
  fetchAnchoredBeaconState,
} from "./beacon/fetchAnchoredBeaconState.ts";
export * from "./browser.ts";
export { loadKeyFile } from "./keyFile.ts";
export { loadManifest, writeManifest } from "./manifest/manifestFile.ts";
