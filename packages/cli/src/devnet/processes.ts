import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdirSync } from "node:fs";
import { createServer } from "node:net";
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
 * Spawns a Node child (`process.execPath`) with stdout/stderr teed into `logs/<role>.log`; resolves once `ready()`
 * (polled every 200 ms: "does its API answer?") returns true, and rejects if the child exits or `timeoutMs` passes
 * first. Readiness is asked of the child's API, never read from its log lines, which are for people. `onSpawn`
 * receives the process right away, so the caller can stop it by PID even if it never becomes ready.
 */
export async function startProcess(p: {
  role: string;
  args: string[];
  cwd: string;
  logsDir: string;
  ready: () => Promise<boolean>;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  onSpawn?(process: ManagedProcess): void;
}): Promise<ManagedProcess> {
  const { child, log, output } = spawnLogged(p, 1_000_000);
  if (child.pid === undefined) throw new DevnetProcessError(p.role, log, "could not be spawned");
  const pid = child.pid;
  const managed: ManagedProcess = { role: p.role, child, pid, log, output };
  p.onSpawn?.(managed);
  const timeoutMs = p.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let exited: number | null | undefined;
  const onExit = (code: number | null) => {
    exited = code;
  };
  child.once("exit", onExit);
  try {
    for (;;) {
      if (exited !== undefined)
        throw new DevnetProcessError(p.role, log, `exited with code ${exited} before it was ready`);
      if (await p.ready()) return managed;
      if (Date.now() > deadline)
        throw new DevnetProcessError(p.role, log, `did not become ready within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    child.off("exit", onExit);
  }
}

/** Readiness probe: `url` answers HTTP at all (any status: a node that reports itself unhealthy is still up). */
export function answersHttp(url: string): () => Promise<boolean> {
  return () =>
    fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      async (res) => {
        await res.body?.cancel();
        return true;
      },
      () => false,
    );
}

/** Readiness probe: an Ethereum JSON-RPC server at `url` answers `eth_chainId`. */
export function answersJsonRpc(url: string): () => Promise<boolean> {
  return () =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(2_000),
    }).then(
      async (res) => res.ok && typeof ((await res.json()) as { result?: unknown }).result === "string",
      () => false,
    );
}

/**
 * `count` distinct free TCP ports on 127.0.0.1 (all held open together, then released): the orchestrator picks every
 * port itself, so it knows every child's URL before the child starts.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** `port`, or a free port when it is 0 ("any free port"). */
export async function portOrFree(port: number): Promise<number> {
  return port !== 0 ? port : ((await freePorts(1))[0] as number);
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
