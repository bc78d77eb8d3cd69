import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { BaseError } from "@nektar/sdk";

/** A devnet child process failed to start (its log file says why). */
export class DevnetProcessError extends BaseError<{ code: "ERR_DEVNET_PROCESS"; role: string; log: string }> {
  override name = "DevnetProcessError";
  constructor(role: string, log: string, reason: string) {
    super({ code: "ERR_DEVNET_PROCESS", role, log }, `${role} ${reason}`, { hint: `See ${log}.` });
  }
}

export type ManagedProcess = { role: string; child: ChildProcess; pid: number; log: string; output(): string };

/**
 * Spawns a Node child (`process.execPath`) with stdout/stderr teed into `logs/<role>.log`; resolves once a line matches
 * `ready` (rejects if the child exits or `timeoutMs` passes first). `onSpawn` receives the process right away, so the
 * caller can stop it by PID even if it never becomes ready.
 */
export async function startProcess(p: {
  role: string;
  args: string[];
  cwd: string;
  logsDir: string;
  ready: RegExp;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  onSpawn?(process: ManagedProcess): void;
}): Promise<ManagedProcess> {
  const { child, log, output } = spawnLogged(p, 1_000_000);
  if (child.pid === undefined) throw new DevnetProcessError(p.role, log, "could not be spawned");
  const pid = child.pid;
  const managed: ManagedProcess = { role: p.role, child, pid, log, output };
  p.onSpawn?.(managed);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new DevnetProcessError(p.role, log, `did not become ready within ${(p.timeoutMs ?? 60_000) / 1000} s`));
    }, p.timeoutMs ?? 60_000);
    const check = () => {
      if (p.ready.test(output())) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new DevnetProcessError(p.role, log, `exited with code ${code} before it was ready`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off("data", check);
      child.stderr?.off("data", check);
      child.off("exit", onExit);
    };
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    child.once("exit", onExit);
    check();
  });
  return managed;
}

/** Runs a Node child to completion with output appended to `logs/<role>.log`; resolves with its output. */
export async function runProcess(p: {
  role: string;
  args: string[];
  cwd: string;
  logsDir: string;
  env?: NodeJS.ProcessEnv;
}): Promise<string> {
  const { child, log, output } = spawnLogged(p, Number.POSITIVE_INFINITY);
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) {
    // The line that says what went wrong: the last one mentioning an error, else the last line.
    const lines = output().trim().split("\n");
    const reason = lines.findLast((l) => /error/i.test(l)) ?? lines.at(-1) ?? "";
    throw new DevnetProcessError(p.role, log, `exited with code ${code}: ${reason.trim()}`);
  }
  return output();
}

/**
 * Spawns a Node child in its own process group (a terminal Ctrl-C reaches only the orchestrator, which stops children
 * in order, by PID) with stdout/stderr appended to `logs/<role>.log` and kept in memory up to `keepChars`.
 */
function spawnLogged(
  p: { role: string; args: string[]; cwd: string; logsDir: string; env?: NodeJS.ProcessEnv },
  keepChars: number,
): { child: ChildProcess; log: string; output: () => string } {
  mkdirSync(p.logsDir, { recursive: true });
  const log = join(p.logsDir, `${p.role}.log`);
  const file = createWriteStream(log, { flags: "a" });
  const child = spawn(process.execPath, p.args, {
    cwd: p.cwd,
    env: { ...process.env, ...p.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const onData = (d: Buffer) => {
    file.write(d);
    if (output.length < keepChars) output += String(d);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  child.once("exit", () => file.end());
  return { child, log, output: () => output };
}

/** Stops a process by PID: SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  const gone = () => child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
  if (gone()) return;
  const exited = once(child, "exit");
  // The child may exit between the check and the signal (ESRCH): then there is nothing left to stop.
  const signal = (name: NodeJS.Signals) => {
    try {
      if (!gone()) process.kill(child.pid as number, name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}
