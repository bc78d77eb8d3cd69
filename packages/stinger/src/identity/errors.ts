import { LodestarError } from "@lodestar/utils";

export type IdentityErrorType =
  | { code: "ERR_IDENTITY_EXISTS"; path: string }
  | { code: "ERR_IDENTITY_NOT_FOUND"; path: string }
  | { code: "ERR_IDENTITY_INVALID"; path: string; reason: string }
  | { code: "ERR_IDENTITY_WRONG_PASSWORD"; path: string }
  | { code: "ERR_PASSWORD_UNAVAILABLE"; reason: string }
  | { code: "ERR_EL_ACCOUNT_INVALID"; reason: string };

export class IdentityError extends LodestarError<IdentityErrorType> {}
