import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { encryptKeyShare, type KeystoreKdf } from "@nektar/crypto";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import type { DepositDataJson } from "./deposit.ts";
import { CeremonyError } from "./errors.ts";
import type { ClusterLock } from "./lock.ts";

export const LOCK_FILE = "cluster-lock.json";
export const DEPOSIT_DATA_FILE = "deposit-data.json";
export const SHARE_KEYSTORE_FILE = "keystore-share.json";

export type CeremonyOutputPaths = { dir: string; lock: string; depositData: string; keystore: string };

/** Where a ceremony's outputs go: one directory per session under `<dataDir>/validators`. */
export function ceremonyOutputDir(dataDir: string, sessionId: Uint8Array): string {
  return join(dataDir, "validators", `dv-${Buffer.from(sessionId).toString("hex").slice(0, 16)}`);
}

/** Fail before a ceremony starts if its outputs already exist (a finished ceremony is never silently redone). */
export function assertOutputAbsent(dir: string): void {
  if (existsSync(dir)) throw new CeremonyError({ code: "ERR_CEREMONY_OUTPUT_EXISTS", path: dir });
}

/**
 * Write the share keystore, lock and deposit data all-or-nothing: every file is written and fsynced in a hidden
 * staging directory, which is then renamed into place. A crash leaves either no output directory or a complete one.
 */
export async function writeCeremonyOutputs(
  dir: string,
  lock: ClusterLock,
  depositData: DepositDataJson,
  share: { secretKey: Uint8Array; publicKey: Uint8Array; shareIndex: number },
  password: string,
  kdf: KeystoreKdf,
  /** More files written into the same directory, all-or-nothing with the rest (name → contents). */
  extraFiles: Readonly<Record<string, string>> = {},
): Promise<CeremonyOutputPaths> {
  assertOutputAbsent(dir);
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  const staging = join(parent, `.staging-${randomBytes(6).toString("hex")}`);
  mkdirSync(staging, { mode: 0o700 });
  try {
    const keystore = await encryptKeyShare(share.secretKey, password, {
      pubkey: share.publicKey,
      description: `nektar distributed validator ${lock.groupPublicKey} share ${share.shareIndex}`,
      kdf,
    });
    writeFileAtomic(join(staging, SHARE_KEYSTORE_FILE), JSON.stringify(keystore, null, 2), { mode: 0o600 });
    writeFileAtomic(join(staging, LOCK_FILE), `${JSON.stringify(lock, null, 2)}\n`);
    writeFileAtomic(join(staging, DEPOSIT_DATA_FILE), `${JSON.stringify([depositData], null, 2)}\n`);
    for (const [name, contents] of Object.entries(extraFiles)) writeFileAtomic(join(staging, name), contents);
    renameSync(staging, dir);
    const fd = openSync(parent, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  return {
    dir,
    lock: join(dir, LOCK_FILE),
    depositData: join(dir, DEPOSIT_DATA_FILE),
    keystore: join(dir, SHARE_KEYSTORE_FILE),
  };
}
