import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { LodestarError } from "@lodestar/utils";

export type AtomicWriteErrorType = { code: "ERR_ATOMIC_WRITE_FAILED"; path: string; reason: string };

export class AtomicWriteError extends LodestarError<AtomicWriteErrorType> {}

export type WriteFileAtomicOptions = {
  /** File mode of the final file; secrets use 0o600. */
  mode?: number;
  /** Fail instead of replacing an existing file (keys must never be silently overwritten). */
  exclusive?: boolean;
};

/**
 * Write `data` to `path` so that a crash at any point leaves either the old file or the complete new one, never a
 * half-written file: write a temporary file in the same directory, fsync it, rename it over the target, fsync the
 * directory so the rename itself is durable.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, options: WriteFileAtomicOptions = {}): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "wx", options.mode ?? 0o644);
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (options.exclusive) assertAbsent(path);
    renameSync(tmp, path);
    fsyncDirectory(dir);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    if (e instanceof AtomicWriteError) throw e;
    throw new AtomicWriteError({ code: "ERR_ATOMIC_WRITE_FAILED", path, reason: (e as Error).message });
  }
}

function assertAbsent(path: string): void {
  try {
    closeSync(openSync(path, "r"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  throw new AtomicWriteError({
    code: "ERR_ATOMIC_WRITE_FAILED",
    path,
    reason: "file already exists; move it away first if you really mean to replace it",
  });
}

function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
