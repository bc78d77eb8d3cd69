import { readFileSync } from "node:fs";
import { IdentityError } from "./errors.ts";

export type PasswordSource = {
  /** Path of a file whose first line is the password (preferred for services). */
  file?: string | undefined;
  /** Name of an environment variable holding the password. */
  envVar?: string | undefined;
  /** Interactive prompt, used only when neither file nor env var gives a password. */
  prompt?: (() => Promise<string>) | undefined;
};

export const DEFAULT_PASSWORD_ENV = "STINGER_PASSWORD";
const MIN_PASSWORD_LENGTH = 8;

/** Resolve the keystore password: file, then environment, then prompt. Never logs or echoes it. */
export async function resolvePassword(source: PasswordSource, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let password: string | undefined;
  if (source.file !== undefined) {
    try {
      password = readFileSync(source.file, "utf8").split(/\r?\n/)[0];
    } catch (e) {
      throw new IdentityError({
        code: "ERR_PASSWORD_UNAVAILABLE",
        reason: `cannot read password file ${source.file}: ${(e as Error).message}`,
      });
    }
  } else if (env[source.envVar ?? DEFAULT_PASSWORD_ENV] !== undefined) {
    password = env[source.envVar ?? DEFAULT_PASSWORD_ENV];
  } else if (source.prompt) {
    try {
      password = await source.prompt();
    } catch (e) {
      throw new IdentityError({
        code: "ERR_PASSWORD_UNAVAILABLE",
        reason: `cannot prompt (${(e as Error).message}): pass --password-file or set ${source.envVar ?? DEFAULT_PASSWORD_ENV}`,
      });
    }
  }
  if (password === undefined || password === "") {
    throw new IdentityError({
      code: "ERR_PASSWORD_UNAVAILABLE",
      reason: `no password: pass --password-file, set ${source.envVar ?? DEFAULT_PASSWORD_ENV}, or run in a terminal`,
    });
  }
  return password;
}

/** Reject passwords too short to protect a key at rest (checked when a keystore is created, not when opened). */
export function assertStrongPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new IdentityError({
      code: "ERR_PASSWORD_UNAVAILABLE",
      reason: `password must have at least ${MIN_PASSWORD_LENGTH} characters`,
    });
  }
}
