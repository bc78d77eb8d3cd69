import { LodestarError } from "@lodestar/utils";

/** Input that is not a valid scalar, point, id or parameter for a cryptographic operation. */
export type CryptoInputErrorType =
  | { code: "ERR_CRYPTO_INVALID_SCALAR"; reason: string }
  | { code: "ERR_CRYPTO_INVALID_POINT"; kind: "G1" | "G2"; reason: string }
  | { code: "ERR_CRYPTO_INVALID_SHARE_INDEX"; shareIndex: number; max: number }
  | { code: "ERR_CRYPTO_INVALID_THRESHOLD"; threshold: number; participants: number }
  | { code: "ERR_CRYPTO_DUPLICATE_SHARE_INDEX"; shareIndex: number };

export class CryptoInputError extends LodestarError<CryptoInputErrorType> {}
