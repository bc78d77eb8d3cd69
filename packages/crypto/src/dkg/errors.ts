import { LodestarError } from "@lodestar/utils";

export type DkgMessageErrorType =
  | { code: "ERR_DKG_MESSAGE_TOO_LARGE"; size: number; max: number }
  | { code: "ERR_DKG_MALFORMED_MESSAGE"; reason: string }
  | { code: "ERR_DKG_UNSUPPORTED_VERSION"; version: number }
  | { code: "ERR_DKG_WRONG_SESSION" }
  | { code: "ERR_DKG_SENDER_MISMATCH"; from: number; claimed: number }
  | { code: "ERR_DKG_UNKNOWN_SENDER"; from: number }
  | { code: "ERR_DKG_WRONG_RECIPIENT"; recipient: number; self: number }
  | { code: "ERR_DKG_WRONG_ROUND"; messageType: string; phase: string }
  | { code: "ERR_DKG_DUPLICATE_MESSAGE"; messageType: string; from: number }
  | { code: "ERR_DKG_EQUIVOCATION"; messageType: string; from: number }
  | { code: "ERR_DKG_INVALID_MESSAGE"; messageType: string; from: number; reason: string };

/**
 * A received DKG message was rejected. The ceremony state is unchanged (except that equivocation is remembered as
 * evidence against the sender); the transport should drop the message and count it per sender.
 */
export class DkgMessageError extends LodestarError<DkgMessageErrorType> {}

export type DkgAbortedErrorType = {
  code: "ERR_DKG_ABORTED";
  /** Too few dealers stayed qualified, or (resharing) the result does not reproduce the configured group key. */
  reason: "insufficient_qualified_dealers" | "group_key_mismatch";
  qualified: string;
  needed: number;
};

/** Fewer than the required number of dealers stayed qualified: no key was produced. Start a new session. */
export class DkgAbortedError extends LodestarError<DkgAbortedErrorType> {}

export type DkgUsageErrorType =
  | { code: "ERR_DKG_INVALID_CONFIG"; reason: string }
  | { code: "ERR_DKG_INVALID_PHASE"; action: string; phase: string };

/** The caller used the state machine wrongly (bad config, start twice, closeRound after the end). */
export class DkgUsageError extends LodestarError<DkgUsageErrorType> {}
