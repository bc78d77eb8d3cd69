/** Validator lifecycle as the registry's `ValidatorStatus` enum numbers it. */
export const VALIDATOR_STATUSES = [
  "none",
  "requested",
  "predeposited",
  "deposited",
  "active",
  "exiting",
  "exited",
  "withdrawn",
  "expired",
  "unusable",
] as const;

export type ValidatorStatus = (typeof VALIDATOR_STATUSES)[number];

export function validatorStatusName(index: number): ValidatorStatus {
  return VALIDATOR_STATUSES[index] ?? "none";
}

export function validatorStatusIndex(status: ValidatorStatus): number {
  return VALIDATOR_STATUSES.indexOf(status);
}
