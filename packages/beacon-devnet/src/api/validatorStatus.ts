import { FAR_FUTURE_EPOCH } from "@lodestar/params";
import type { phase0 } from "@lodestar/types";

export type ValidatorStatus =
  | "pending_initialized"
  | "pending_queued"
  | "active_ongoing"
  | "active_exiting"
  | "active_slashed"
  | "exited_unslashed"
  | "exited_slashed"
  | "withdrawal_possible"
  | "withdrawal_done";

/** The Beacon API validator status at `epoch` (https://hackmd.io/ofFJ5gOmQpu1jjHilHbdQQ). */
export function getValidatorStatus(v: phase0.Validator, balance: number, epoch: number): ValidatorStatus {
  if (v.activationEpoch > epoch) {
    return v.activationEligibilityEpoch === FAR_FUTURE_EPOCH ? "pending_initialized" : "pending_queued";
  }
  if (v.activationEpoch <= epoch && epoch < v.exitEpoch) {
    if (v.exitEpoch === FAR_FUTURE_EPOCH) return "active_ongoing";
    return v.slashed ? "active_slashed" : "active_exiting";
  }
  if (v.exitEpoch <= epoch && epoch < v.withdrawableEpoch) {
    return v.slashed ? "exited_slashed" : "exited_unslashed";
  }
  return balance !== 0 ? "withdrawal_possible" : "withdrawal_done";
}

/** Does `status` match a requested filter (exact status or its prefix group: pending, active, exited, withdrawal)? */
export function statusMatches(status: ValidatorStatus, filters: string[]): boolean {
  if (filters.length === 0) return true;
  return filters.some((f) => f === status || status.startsWith(`${f}_`));
}
