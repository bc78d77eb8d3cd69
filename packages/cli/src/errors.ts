import { BaseError } from "@nektar/sdk";

/** A CLI usage problem that is not a bad value of one argument (missing account, missing addresses, …). */
export class CliUsageError extends BaseError<{ code: "ERR_CLI_USAGE" }> {
  override name = "CliUsageError";
  constructor(shortMessage: string, hint?: string) {
    super({ code: "ERR_CLI_USAGE" }, shortMessage, { hint });
  }
}
