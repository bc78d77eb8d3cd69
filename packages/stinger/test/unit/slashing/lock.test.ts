import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SlashingProtectionError } from "../../../src/slashing/errors.ts";
import { bootId, DirectoryLock, LOCK_FILE, processStartTime } from "../../../src/slashing/lock.ts";

const locked = (e: unknown) => e instanceof SlashingProtectionError && e.type.code === "ERR_SLASHING_DB_LOCKED";
const owner = (o: { pid: number; startTime: string | null; bootId?: string | null; nonce?: string }) =>
  JSON.stringify({ bootId: bootId(), nonce: "0".repeat(32), ...o });

describe("slashing-protection directory lock", () => {
  let dir: string;
  let sleeper: ReturnType<typeof spawn>;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stinger-lock-"));
    // Another live process to stand for a running owner (stopped by PID in `after`).
    sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60_000)"], { stdio: "ignore" });
    await new Promise((r) => sleeper.once("spawn", r));
  });
  after(async () => {
    if (sleeper.pid !== undefined) process.kill(sleeper.pid, "SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });
  const lockPath = () => join(dir, LOCK_FILE);

  it("is exclusive within a process and free again after release", async () => {
    const lock = await DirectoryLock.acquire(dir);
    await assert.rejects(DirectoryLock.acquire(dir), locked);
    const written = JSON.parse(await readFile(lockPath(), "utf8"));
    assert.equal(written.pid, process.pid);
    assert.equal(written.startTime, processStartTime(process.pid));
    await lock.release();
    await (await DirectoryLock.acquire(dir)).release();
  });

  it("a container restarted as the same PID takes over its old lock (PID reuse: a bare PID is not trusted)", async () => {
    // Before the fix a lock naming this process's own PID was refused forever: a container whose process is PID 1
    // again after kill -9 could never reopen its DB. Both the old bare-PID file and a JSON one from the previous
    // incarnation (another start time or nonce) are stale.
    for (const text of [
      String(process.pid),
      owner({ pid: process.pid, startTime: "1" }),
      owner({ pid: process.pid, startTime: processStartTime(process.pid) }),
    ]) {
      await writeFile(lockPath(), text);
      const lock = await DirectoryLock.acquire(dir);
      await lock.release();
    }
  });

  it("a live owner holds the lock; a reused PID (other start time) or another boot does not", async () => {
    const pid = sleeper.pid as number;
    const startTime = processStartTime(pid);
    await writeFile(lockPath(), owner({ pid, startTime }));
    await assert.rejects(DirectoryLock.acquire(dir), locked, "live owner");
    await writeFile(lockPath(), String(pid));
    await assert.rejects(DirectoryLock.acquire(dir), locked, "live owner of an old-format lock");
    if (startTime !== null) {
      await writeFile(lockPath(), owner({ pid, startTime: `${startTime}0` }));
      await (await DirectoryLock.acquire(dir)).release();
    }
    if (bootId() !== null) {
      await writeFile(lockPath(), owner({ pid, startTime, bootId: "another-boot" }));
      await (await DirectoryLock.acquire(dir)).release();
    }
  });

  it("a dead owner's or an unreadable lock is stale", async () => {
    const dead = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
    const pid = dead.pid as number;
    await new Promise((r) => dead.once("exit", r));
    await writeFile(lockPath(), owner({ pid, startTime: null }));
    await (await DirectoryLock.acquire(dir)).release();
    await writeFile(lockPath(), "not a lock");
    await (await DirectoryLock.acquire(dir)).release();
  });
});
