/**
 * Exclusive ownership of a slashing-protection directory: two processes appending to one journal (or two validator
 * clients sharing one DB) would defeat the protection. The lock file holds the owner's PID; a lock whose process is
 * gone (e.g. after kill -9) is stale and taken over.
 */
import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { SlashingProtectionError } from "./errors.ts";

export const LOCK_FILE = "lock";

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class DirectoryLock {
  private readonly path: string;
  private released = false;

  private constructor(path: string) {
    this.path = path;
  }

  static async acquire(dir: string): Promise<DirectoryLock> {
    const path = join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fh = await open(path, "wx", 0o600);
        try {
          await fh.writeFile(String(process.pid));
          await fh.sync();
        } finally {
          await fh.close();
        }
        return new DirectoryLock(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        const owner = Number.parseInt((await readFile(path, "utf8").catch(() => "")).trim(), 10);
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner)) break;
        if (owner === process.pid) break;
        await rm(path, { force: true });
      }
    }
    throw new SlashingProtectionError(
      { code: "ERR_SLASHING_DB_LOCKED", dir },
      `Slashing-protection DB ${dir} is in use by another process; stop it first (never run two signers on one key)`,
    );
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await rm(this.path, { force: true });
  }
}
