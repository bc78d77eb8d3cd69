import { LodestarError } from "@lodestar/utils";

export type BaseErrorParameters = {
  /** More context for the reader (what was received, what is expected). */
  details?: string | undefined;
  /** What to do next. */
  hint?: string | undefined;
  cause?: unknown;
};

/**
 * The root of every error the SDK throws. `shortMessage` is one line fit for a CLI; `message` adds the details and a
 * hint; `type.code` is a stable `ERR_…` code for programs.
 */
export class BaseError<T extends { code: string } = { code: string }> extends LodestarError<T> {
  override name = "NektarSdkError";
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly hint: string | undefined;

  constructor(type: T, shortMessage: string, params: BaseErrorParameters = {}) {
    const message = [shortMessage, params.details, params.hint].filter((part) => part !== undefined).join("\n");
    super(type, message);
    this.shortMessage = shortMessage;
    this.details = params.details;
    this.hint = params.hint;
    if (params.cause !== undefined) this.cause = params.cause;
  }
}
