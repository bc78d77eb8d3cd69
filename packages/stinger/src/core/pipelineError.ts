import { LodestarError } from "@lodestar/utils";

/** Errors of the duty pipeline's steps; `reason` tells the operator what went wrong and what to check. */
export type PipelineErrorType =
  | { code: "ERR_DUTY_DATA_INVALID"; reason: string }
  | { code: "ERR_DUTY_SLASHABLE"; duty: string; reason: string }
  | { code: "ERR_DUTY_CONFLICT"; duty: string }
  | { code: "ERR_DUTY_ABORTED"; duty: string }
  | { code: "ERR_DUTY_UNKNOWN_VALIDATOR"; validator: number }
  | { code: "ERR_DUTY_INSUFFICIENT_PARTIALS"; duty: string; have: number; need: number; bad: string }
  | { code: "ERR_BEACON_NODE"; call: string; reason: string };

export class PipelineError extends LodestarError<PipelineErrorType> {}

/** The code of a step's typed error (`"error"` for an untyped one): the reason the tracker records. */
export const errorCode = (e: unknown): string => (e as { type?: { code?: string } }).type?.code ?? "error";

/** A typed error's metadata (which Beacon API call, why): what an operator needs in the log to act on a failure. */
export const errorDetail = (e: unknown): Record<string, unknown> =>
  (e as { type?: Record<string, unknown> }).type ?? { code: "error", reason: (e as Error).message };
