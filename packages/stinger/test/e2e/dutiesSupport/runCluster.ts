/** TEST SUPPORT: `stinger run` processes of a cluster prepared by `prepareCluster` (see ../support/processCluster.ts). */
import { type ChildProcess, spawn } from "node:child_process";
import { type ProcessCluster, STINGER_BIN } from "../support/processCluster.ts";

export type RunProcess = { child: ChildProcess; output: string[]; exited: Promise<number | null> };

export function spawnRun(
  cluster: ProcessCluster,
  i: number,
  beaconNode: string,
  opts: {
    protocol?: "one-round" | "qbft";
    logLevel?: string;
    /** Replaces bin/stinger.js, e.g. a test-only child entry that wraps the real node (test/e2e/byzantine/). */
    script?: string;
    env?: Record<string, string>;
  } = {},
): RunProcess {
  const op = cluster.operators[i];
  if (op === undefined) throw new Error(`no operator ${i}`);
  const child = spawn(
    process.execPath,
    [
      opts.script ?? STINGER_BIN,
      "run",
      "--data-dir",
      op.dataDir,
      "--password-file",
      cluster.passwordFile,
      "--listen",
      `/ip4/127.0.0.1/tcp/${op.port}`,
      "--beacon-node",
      beaconNode,
      "--metrics-port",
      "0",
      "--agreement",
      opts.protocol ?? "one-round",
      "--log-level",
      opts.logLevel ?? "warn",
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LODESTAR_PRESET: "minimal", ...opts.env } },
  );
  const output: string[] = [];
  const onData = (chunk: Buffer) =>
    output.push(
      ...chunk
        .toString("utf8")
        .split("\n")
        .filter((l) => l !== ""),
    );
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output, exited };
}

/** Stops a run process by PID: SIGTERM (graceful), SIGKILL after `graceMs`. */
export async function stopRun(p: RunProcess, graceMs = 5000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill("SIGTERM");
  const timer = setTimeout(() => p.child.kill("SIGKILL"), graceMs);
  await p.exited;
  clearTimeout(timer);
}
