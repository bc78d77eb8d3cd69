import { LodestarError } from "@lodestar/utils";

export type ThresholdErrorType =
  | { code: "ERR_THRESHOLD_INSUFFICIENT_PARTIALS"; have: number; need: number; bad: string }
  | { code: "ERR_THRESHOLD_INCONSISTENT_KEYS"; used: string }
  | { code: "ERR_THRESHOLD_INVALID_SHARE_PUBLIC_KEY"; shareIndex: number }
  | { code: "ERR_THRESHOLD_INVALID_GROUP_PUBLIC_KEY" };

/** Combining partial signatures failed; `bad` lists the share indices whose partials were rejected. */
export class ThresholdError extends LodestarError<ThresholdErrorType> {}
