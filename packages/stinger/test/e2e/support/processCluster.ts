import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializeClusterDefinition } from "../../../src/dkg/definition.ts";
import { createIdentity } from "../../../src/identity/identity.ts";
import { elAddress, makeDefinition } from "../../support/ceremonyHarness.ts";

export const STINGER_BIN = new URL("../../../bin/stinger.js", import.meta.url).pathname;
export const PASSWORD = "e2e operator password";

export type ProcessCluster = {
  root: string;
  definitionPath: string;
  passwordFile: string;
  operators: { dataDir: string; port: number; peerId: string }[];
  cleanup(): void;
};

/**
 * A free port below the kernel's ephemeral range: an OS-assigned port (listen on 0) comes from that range, which the
 * cluster's own outgoing connections draw from too, so it could be taken before the operator binds it.
 */
async function freePort(taken: Set<number>): Promise<number> {
  const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
  const top = Math.min((low ?? 32768) - 1, 30000);
  for (;;) {
    const port = 10000 + Math.floor(Math.random() * (top - 10000));
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
}

/** Identities, ports and a definition file for `n` operators, each with its own data directory. */
export async function prepareCluster(n: number, threshold: number): Promise<ProcessCluster> {
  const root = mkdtempSync(join(tmpdir(), "stinger-e2e-"));
  const passwordFile = join(root, "password.txt");
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  const operators: ProcessCluster["operators"] = [];
  const ports = new Set<number>();
  for (let i = 0; i < n; i++) {
    const dataDir = join(root, `op${i + 1}`);
    const identity = await createIdentity({ dataDir, password: PASSWORD, elAccount: { address: elAddress(i) } });
    operators.push({ dataDir, port: await freePort(ports), peerId: identity.peerId.toString() });
  }
  const definition = makeDefinition(
    operators.map((o) => ({ peerId: o.peerId, multiaddrs: [`/ip4/127.0.0.1/tcp/${o.port}`] })),
    threshold,
  );
  const definitionPath = join(root, "cluster-definition.json");
  writeFileSync(definitionPath, serializeClusterDefinition(definition));
  return {
    root,
    definitionPath,
    passwordFile,
    operators,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export type OperatorProcess = {
  child: ChildProcess;
  output: string[];
  exited: Promise<number>;
  waitForLine(re: RegExp, timeoutMs: number): Promise<string>;
};

/** Start `stinger dkg` for operator `i` (0-based) as its own OS process; `script` replaces bin/stinger.js. */
export function spawnOperator(
  cluster: ProcessCluster,
  i: number,
  opts: {
    joinTimeoutMs?: number;
    roundTimeoutMs?: number;
    script?: string;
    env?: Record<string, string>;
    definitionPath?: string;
    /** Agreement protocol the lock binds (the run processes must use the same). */
    protocol?: "one-round" | "qbft";
  } = {},
): OperatorProcess {
  const op = cluster.operators[i];
  if (op === undefined) throw new Error(`no operator ${i}`);
  const args = [
    opts.script ?? STINGER_BIN,
    "dkg",
    "--definition",
    opts.definitionPath ?? cluster.definitionPath,
    "--data-dir",
    op.dataDir,
    "--password-file",
    cluster.passwordFile,
    "--listen",
    `/ip4/127.0.0.1/tcp/${op.port}`,
    "--no-metrics",
    "--log-level",
    "error",
    "--join-timeout-ms",
    String(opts.joinTimeoutMs ?? 300_000),
    "--round-timeout-ms",
    String(opts.roundTimeoutMs ?? 15_000),
    ...(opts.protocol !== undefined ? ["--agreement", opts.protocol] : []),
  ];
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...opts.env },
  });
  const output: string[] = [];
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output.push(
      ...chunk
        .toString("utf8")
        .split("\n")
        .filter((l) => l !== ""),
    );
    for (const l of listeners) l();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1))),
  );
  return {
    child,
    output,
    exited,
    waitForLine: (re, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const line = output.find((l) => re.test(l));
          if (line !== undefined) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(line);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`operator ${i + 1}: no line matching ${re} within ${timeoutMs} ms:\n${output.join("\n")}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
  };
}

/** Exit code of the process, killing it (SIGKILL) if it has not exited within `timeoutMs`. */
export async function exitWithin(p: OperatorProcess, timeoutMs: number): Promise<number> {
  const timer = setTimeout(() => p.child.kill("SIGKILL"), timeoutMs);
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}

export function killAll(processes: OperatorProcess[]): void {
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
}

/** The ceremony output directories of an operator (empty when it wrote none). */
export function outputDirs(dataDir: string): string[] {
  try {
    return readdirSync(join(dataDir, "validators")).map((d) => join(dataDir, "validators", d));
  } catch {
    return [];
  }
}

export function readLock(dataDir: string): string {
  const [dir] = outputDirs(dataDir).filter((d) => !d.includes(".staging-"));
  if (dir === undefined) throw new Error(`no ceremony output in ${dataDir}`);
  return readFileSync(join(dir, "cluster-lock.json"), "utf8");
}
