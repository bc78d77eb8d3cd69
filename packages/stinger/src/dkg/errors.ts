import { LodestarError } from "@lodestar/utils";

export type DefinitionErrorType = { code: "ERR_DEFINITION_INVALID"; path: string; reason: string };
export class DefinitionError extends LodestarError<DefinitionErrorType> {}

export type CeremonyErrorType =
  | { code: "ERR_CEREMONY_NOT_MEMBER"; peerId: string }
  | { code: "ERR_CEREMONY_TIMEOUT"; phase: string; missing: number[]; timeoutMs: number }
  | { code: "ERR_CEREMONY_DKG_FAILED"; reason: string }
  | { code: "ERR_CEREMONY_PEER_ABORTED"; operator: number; reason: string }
  | { code: "ERR_CEREMONY_LOCK_MISMATCH"; operator: number; expected: string; got: string }
  | { code: "ERR_CEREMONY_QUALIFIED_SET_MISMATCH"; operator: number; expected: string; got: string }
  | { code: "ERR_CEREMONY_SESSION_MISMATCH"; operators: number[] }
  | { code: "ERR_CEREMONY_DEPOSIT_SIGNATURE"; reason: string }
  | { code: "ERR_CEREMONY_OUTPUT_EXISTS"; path: string };
export class CeremonyError extends LodestarError<CeremonyErrorType> {}

export type LockErrorType = { code: "ERR_LOCK_INVALID"; reason: string };
export class LockError extends LodestarError<LockErrorType> {}
