import { LodestarError } from "@lodestar/utils";

export type ChainErrorType =
  | { code: "ERR_CHAIN_CURSOR_INVALID"; path: string; reason: string }
  | { code: "ERR_CHAIN_CURSOR_MISMATCH"; path: string; expected: string; found: string }
  | { code: "ERR_CHAIN_NOT_MEMBER"; requestId: string; identityPubkey: string }
  | { code: "ERR_CHAIN_RESULT_MISMATCH"; requestId: string; operator: number; reason: string }
  | { code: "ERR_CHAIN_SIGNATURES_MISSING"; requestId: string; missing: number[]; timeoutMs: number }
  | { code: "ERR_CHAIN_NOT_SUBMITTED"; requestId: string; status: string; timeoutMs: number }
  | { code: "ERR_CHAIN_SIGNER_NOT_REGISTERED"; requestId: string; position: number; expected: string; have: string }
  | { code: "ERR_CHAIN_BEACON_PROOF"; call: string; reason: string }
  | { code: "ERR_CHAIN_ATTESTATIONS_INVALID"; path: string; reason: string };

/** A failure of Stinger's on-chain operation (registry watcher, result signing and submission). */
export class ChainError extends LodestarError<ChainErrorType> {}
