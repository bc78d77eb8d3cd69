import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";

/** What a running devnet records so `devnet status|down` (another process) can find and stop it. */
export type DevnetState = {
  version: 1;
  startedAt: string;
  /** PID of the orchestrating `nektar devnet up` process. */
  orchestratorPid: number;
  rpcUrl: string;
  beaconUrl: string | undefined;
  manifest: string;
  /** Child processes by role, stopped by PID. */
  processes: { role: string; pid: number }[];
};

export function statePath(dir: string): string {
  return join(dir, "devnet.json");
}

export function readState(dir: string): DevnetState | undefined {
  try {
    const state = JSON.parse(readFileSync(statePath(dir), "utf8")) as DevnetState;
    return state.version === 1 ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Atomic write: temporary file, fsync, rename. */
export function writeState(dir: string, state: DevnetState): void {
  const path = statePath(dir);
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o644);
  try {
    writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Whether a PID is alive (signal 0 probes without sending). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
