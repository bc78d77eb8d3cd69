import { readFileSync, statSync } from "node:fs";
import { BaseError } from "@nektar/sdk";
import type { LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";

/** The deployer's key file is missing, readable by others, or does not hold one private key. */
export class DeployerKeyFileError extends BaseError<{ code: "ERR_DEPLOYER_KEY_FILE"; path: string }> {
  override name = "DeployerKeyFileError";
  constructor(path: string, reason: string, hint: string) {
    super({ code: "ERR_DEPLOYER_KEY_FILE", path }, `deployer key file ${path}: ${reason}`, { hint });
  }
}

/**
 * Loads the deployer's account from a file holding its secp256k1 private key as 0x-prefixed hex (one line). Like an
 * SSH key, the file must not be readable by group or others (mode 600): the deployer holds every admin role of a
 * fresh deployment. The key never appears in argv, the environment or an error message.
 */
export function loadDeployerKeyFile(path: string): LocalAccount {
  let text: string;
  try {
    if ((statSync(path).mode & 0o077) !== 0) {
      throw new DeployerKeyFileError(path, "readable by group or others", `Run \`chmod 600 ${path}\`.`);
    }
    text = readFileSync(path, "utf8").trim();
  } catch (e) {
    if (e instanceof DeployerKeyFileError) throw e;
    throw new DeployerKeyFileError(
      path,
      `cannot read it (${(e as NodeJS.ErrnoException).code ?? "error"})`,
      "Give the path of an existing file holding the deployer's private key.",
    );
  }
  const malformed = () =>
    new DeployerKeyFileError(
      path,
      "does not hold one private key",
      "Write the key as one line of 0x-prefixed 32-byte hex.",
    );
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) throw malformed();
  try {
    return privateKeyToAccount(text as `0x${string}`);
  } catch {
    throw malformed();
  }
}
