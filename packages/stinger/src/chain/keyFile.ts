import { readFileSync, statSync } from "node:fs";
import type { LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ChainError } from "./errors.ts";

/**
 * Load an execution-layer account from a file holding its secp256k1 private key as 0x-prefixed hex (one line). The
 * file must not be readable by group or others, as for an SSH key; the key is never logged.
 */
export function loadKeyFile(path: string): LocalAccount {
  const fail = (reason: string): never => {
    throw new ChainError({ code: "ERR_CHAIN_SIGNER_KEY_INVALID", path, reason });
  };
  let text: string;
  try {
    if ((statSync(path).mode & 0o077) !== 0) fail("permissions too open: run chmod 600 on it");
    text = readFileSync(path, "utf8").trim();
  } catch (e) {
    if (e instanceof ChainError) throw e;
    return fail((e as Error).message);
  }
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) fail("must hold one 0x-prefixed 32-byte hex private key");
  try {
    return privateKeyToAccount(text as `0x${string}`);
  } catch {
    return fail("not a valid secp256k1 private key");
  }
}
