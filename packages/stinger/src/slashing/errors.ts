import { LodestarError } from "@lodestar/utils";

/** Why the slashing-protection DB refused an operation or could not be opened. */
export type SlashingProtectionErrorType =
  | { code: "ERR_SLASHING_DB_GENESIS_MISMATCH"; expected: string; actual: string }
  | { code: "ERR_SLASHING_DB_CORRUPT"; file: string; reason: string }
  | { code: "ERR_SLASHING_DB_CLOSED" }
  | { code: "ERR_SLASHING_DB_FAILED"; reason: string }
  | { code: "ERR_SLASHING_DB_LOCKED"; dir: string }
  | { code: "ERR_INTERCHANGE_INVALID"; path: string; reason: string }
  | { code: "ERR_INTERCHANGE_VERSION"; version: string }
  | { code: "ERR_INTERCHANGE_GENESIS_MISMATCH"; expected: string; actual: string }
  | { code: "ERR_SIGNING_REQUEST_INVALID"; reason: string };

/** Typed error of `src/slashing`; `type.code` says what went wrong, the message what to do next. */
export class SlashingProtectionError extends LodestarError<SlashingProtectionErrorType> {}
