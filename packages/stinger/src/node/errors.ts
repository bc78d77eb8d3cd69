import { LodestarError } from "@lodestar/utils";

export type SupervisorErrorType =
  | { code: "ERR_SUPERVISOR_LOCK_INVALID"; lock: string; reason: string }
  | { code: "ERR_SUPERVISOR_LOCK_CONFLICT"; lock: string; reason: string };

/** A validator this node should serve cannot be loaded (its ceremony outputs are broken or contradict another lock). */
export class SupervisorError extends LodestarError<SupervisorErrorType> {}
