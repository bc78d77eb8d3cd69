import { BaseError } from "./base.ts";

/** The manifest has no native restaking / Distributor contracts (a deployment from before issue 16). */
export class NativeNotDeployedError extends BaseError<{ code: "ERR_NATIVE_NOT_DEPLOYED"; contract: string }> {
  override name = "NativeNotDeployedError";
  constructor(contract: string) {
    super({ code: "ERR_NATIVE_NOT_DEPLOYED", contract }, `the deployment has no ${contract}`, {
      hint: "Redeploy with a current `nektar devnet` / deployNektar, or pass the manifest of a deployment that has it.",
    });
  }
}
