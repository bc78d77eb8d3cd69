import { LodestarError } from "@lodestar/utils";

export type PerformanceErrorType =
  | { code: "ERR_PERFORMANCE_STORE_CORRUPT"; path: string; reason: string }
  | { code: "ERR_PERFORMANCE_ALREADY_SIGNED"; validator: string; frame: number; signedRoot: string }
  | { code: "ERR_PERFORMANCE_PROPOSAL_REJECTED"; validator: string; frame: number; reason: string }
  | { code: "ERR_PERFORMANCE_TOO_FEW_SIGNATURES"; validator: string; frame: number; have: number; need: number };

/** A performance statement that cannot be recorded, agreed, signed or combined; nothing half-written is left. */
export class PerformanceError extends LodestarError<PerformanceErrorType> {}
