import { BaseError } from "../errors/base.ts";

/** The manifest file is missing, unreadable or not a valid Nektar manifest. */
export class ManifestError extends BaseError<{ code: "ERR_MANIFEST"; path: string }> {
  override name = "ManifestError";
  constructor(path: string, reason: string, cause?: unknown) {
    super({ code: "ERR_MANIFEST", path }, `manifest ${path}: ${reason}`, {
      cause,
      hint: "Start the devnet (`npm start` or `nektar devnet up`), pass --manifest <file>, or give --rpc with every contract address.",
    });
  }
}
