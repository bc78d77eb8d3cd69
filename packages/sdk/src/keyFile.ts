import { readFileSync, statSync } from "node:fs";
import type { Hex, PrivateKeyAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { KeyFileError } from "./errors/keyFile.ts";

const FORMAT_HINT = "The file must hold one line: the 0x-prefixed 32-byte hex secp256k1 private key.";

/**
 * Loads an execution-layer account from a file holding its secp256k1 private key as 0x-prefixed hex (one line). The
 * file must not be readable or writable by group or others, as for an SSH key (checked before it is read); the key is
 * never put in an error.
 */
export function loadKeyFile(path: string): PrivateKeyAccount {
  let text: string;
  try {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new KeyFileError(
        path,
        `permissions too open (mode ${mode.toString(8).padStart(4, "0")}): run chmod 600 on it`,
        `Run \`chmod 600 ${path}\`: only its owner may read a private key.`,
      );
    }
    text = readFileSync(path, "utf8").trim();
  } catch (e) {
    if (e instanceof KeyFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new KeyFileError(
      path,
      code === "ENOENT" ? "not found" : `cannot read (${code ?? "error"})`,
      "Check the path (and that this user may read the file).",
      e,
    );
  }
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) {
    throw new KeyFileError(path, "must hold one 0x-prefixed 32-byte hex private key", FORMAT_HINT);
  }
  try {
    return privateKeyToAccount(text as Hex);
  } catch {
    throw new KeyFileError(path, "not a valid secp256k1 private key (zero or above the curve order)", FORMAT_HINT);
  }
}
