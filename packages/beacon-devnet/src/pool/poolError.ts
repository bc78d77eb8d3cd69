import { LodestarError } from "@lodestar/utils";

export type PoolErrorType = { code: "ERR_POOL_INVALID"; kind: string; reason: string };

/** An operation submitted to a pool was rejected; the API answers it with 400 and the reason. */
export class PoolError extends LodestarError<PoolErrorType> {
  constructor(kind: string, reason: string) {
    super({ code: "ERR_POOL_INVALID", kind, reason }, `Invalid ${kind}: ${reason}`);
  }
}
