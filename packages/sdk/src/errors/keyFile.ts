import { BaseError } from "./base.ts";

/** A private-key file that cannot be used: missing, unreadable, readable by others, or not one hex key. */
export class KeyFileError extends BaseError<{ code: "ERR_KEY_FILE"; path: string; reason: string }> {
  override name = "KeyFileError";
  constructor(path: string, reason: string, hint: string, cause?: unknown) {
    // Never the file's content: it may be (part of) a key.
    super({ code: "ERR_KEY_FILE", path, reason }, `key file ${path}: ${reason}`, { hint, cause });
  }
}
