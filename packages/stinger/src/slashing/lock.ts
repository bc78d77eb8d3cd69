/**
 * Exclusive ownership of a slashing-protection directory: two processes appending to one journal (or two validator
 * clients sharing one DB) would defeat the protection.
 *
 * The lock file names its owner by more than a PID, because a bare PID is not an identity: a container restarted after
 * kill -9 runs the new process as PID 1 again, and the old lock naming PID 1 would look held by the new process itself
 * (or by an unrelated process that got the PID). The file holds the owner's PID, the kernel boot id, the process start
 * time (`/proc/<pid>/stat` field 22, clock ticks since boot) and a random nonce. A lock is held when its owner is alive
 * with the same start time on the same boot and, if the owner is this very process, the nonce is one this process
 * holds. Anything else (process gone, PID reused, another boot, an older incarnation of this PID) is stale and taken
 * over. Where `/proc` is missing the start time is unknown and liveness falls back to the PID (plus the nonce for
 * this process). Scope: one host; a directory shared between hosts over a network file system is not supported.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { SlashingProtectionError } from "./errors.ts";

export const LOCK_FILE = "lock";

/** What the lock file records about its owner. */
export type LockOwner = {
  readonly pid: number;
  /** `/proc/sys/kernel/random/boot_id`, or `null` where unavailable. */
  readonly bootId: string | null;
  /** Start time of `pid` in clock ticks since boot, or `null` where unavailable. */
  readonly startTime: string | null;
  readonly nonce: string;
};

/** Nonces of the locks this process holds now. */
const heldHere = new Set<string>();

function readProc(path: string): string | null {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return null;
  }
}

export function bootId(): string | null {
  return readProc("/proc/sys/kernel/random/boot_id");
}

/** Field 22 of `/proc/<pid>/stat` (after the parenthesised command name, which may contain spaces). */
export function processStartTime(pid: number): string | null {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19] ?? null;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Parses a lock file: the current JSON form, or a bare PID written by earlier versions. */
export function parseLockOwner(text: string): LockOwner | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), bootId: null, startTime: null, nonce: "" };
  try {
    const o = JSON.parse(trimmed) as Partial<LockOwner>;
    if (!Number.isInteger(o.pid) || (o.pid as number) <= 0 || typeof o.nonce !== "string") return undefined;
    return {
      pid: o.pid as number,
      bootId: typeof o.bootId === "string" ? o.bootId : null,
      startTime: typeof o.startTime === "string" ? o.startTime : null,
      nonce: o.nonce,
    };
  } catch {
    return undefined;
  }
}

/** Whether the lock's owner still holds it (see the module comment); `undefined` owner: unreadable, stale. */
export function ownerHolds(owner: LockOwner | undefined): boolean {
  if (owner === undefined) return false;
  if (owner.pid === process.pid) return heldHere.has(owner.nonce);
  const boot = bootId();
  if (owner.bootId !== null && boot !== null && owner.bootId !== boot) return false;
  if (!processAlive(owner.pid)) return false;
  if (owner.startTime === null) return true;
  const started = processStartTime(owner.pid);
  return started === null || started === owner.startTime;
}

export class DirectoryLock {
  private readonly path: string;
  private readonly nonce: string;
  private released = false;

  private constructor(path: string, nonce: string) {
    this.path = path;
    this.nonce = nonce;
  }

  static async acquire(dir: string): Promise<DirectoryLock> {
    const path = join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      const owner: LockOwner = {
        pid: process.pid,
        bootId: bootId(),
        startTime: processStartTime(process.pid),
        nonce: randomBytes(16).toString("hex"),
      };
      try {
        const fh = await open(path, "wx", 0o600);
        try {
          await fh.writeFile(JSON.stringify(owner));
          await fh.sync();
        } finally {
          await fh.close();
        }
        heldHere.add(owner.nonce);
        return new DirectoryLock(path, owner.nonce);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        if (ownerHolds(parseLockOwner(await readFile(path, "utf8").catch(() => "")))) break;
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
    heldHere.delete(this.nonce);
    await rm(this.path, { force: true });
  }
}
