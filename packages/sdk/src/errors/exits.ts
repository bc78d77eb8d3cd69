import { BaseError } from "./base.ts";

/**
 * A validator exit trigger's condition does not hold, found before any transaction: no validator to exit for demand
 * within the scan, or no ejected operator in the cluster.
 */
export class ExitConditionError extends BaseError<{ code: "ERR_EXIT_CONDITION"; validatorId?: string }> {
  override name = "ExitConditionError";
  constructor(shortMessage: string, validatorId?: bigint) {
    super(
      validatorId === undefined
        ? { code: "ERR_EXIT_CONDITION" }
        : { code: "ERR_EXIT_CONDITION", validatorId: `${validatorId}` },
      shortMessage,
    );
  }
}
