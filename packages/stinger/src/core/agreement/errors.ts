import { LodestarError } from "@lodestar/utils";

export type AgreementErrorType =
  | { code: "ERR_AGREEMENT_MESSAGE_INVALID"; reason: string }
  | { code: "ERR_AGREEMENT_CONFIG_INVALID"; reason: string };

/** Typed error of `core/agreement`. Malformed peer messages are reported as faults, never thrown to the transport. */
export class AgreementError extends LodestarError<AgreementErrorType> {}
