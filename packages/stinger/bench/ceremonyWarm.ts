/**
 * Benchmark: DKG ceremonies between N long-running Stinger operator processes on 127.0.0.1 (default 16, threshold
 * 11), the way the registry follower runs them: the operator nodes are up and connected (as registered operators
 * are), a request arrives, every node starts the ceremony. Runs STINGER_BENCH_CEREMONIES ceremonies (default 5) one
 * after the other in the same processes and prints, per ceremony, the wall time from the start signal to the last
 * operator's completion, and CPU per process. The first ceremony runs on cold (not yet JIT-compiled) code.
 * `bench/ceremony.ts` measures the other case: a fresh `stinger dkg` process per operator and ceremony.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { PASSWORD, prepareCluster } from "../test/e2e/support/processCluster.ts";

const N = Number(process.env.STINGER_BENCH_OPERATORS ?? 16);
const T = Math.ceil((2 * N) / 3);
const K = Number(process.env.STINGER_BENCH_CEREMONIES ?? 5);
const CHILD = new URL("./ceremonyWarmChild.ts", import.meta.url).pathname;

type Child = { proc: ChildProcess; lines: string[]; waiters: Set<() => void> };

function waitLine(c: Child, re: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const line = c.lines.find((l) => re.test(l));
      if (line === undefined) return;
      c.waiters.delete(check);
      clearTimeout(timer);
      resolve(line);
    };
    const timer = setTimeout(() => {
      c.waiters.delete(check);
      reject(new Error(`no ${re} within ${timeoutMs} ms; last output: ${c.lines.slice(-3).join(" | ")}`));
    }, timeoutMs);
    c.waiters.add(check);
    check();
  });
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? 0, median: s[Math.floor(s.length / 2)] ?? 0, max: s[s.length - 1] ?? 0 };
};

const cluster = await prepareCluster(N, T);
const clusterFile = join(cluster.root, "bench-cluster.json");
writeFileSync(clusterFile, JSON.stringify({ password: PASSWORD, threshold: T, operators: cluster.operators }));
const children: Child[] = cluster.operators.map((_, i) => {
  // STINGER_BENCH_CPU_PROF=<dir>: write a V8 CPU profile of operator 1 there.
  const prof = process.env.STINGER_BENCH_CPU_PROF;
  const flags = prof !== undefined && i === 0 ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : [];
  const proc = spawn(process.execPath, [...flags, CHILD, clusterFile, String(i)], { stdio: ["pipe", "pipe", "pipe"] });
  const c: Child = { proc, lines: [], waiters: new Set() };
  const onData = (b: Buffer) => {
    c.lines.push(...b.toString("utf8").split("\n").filter(Boolean));
    for (const w of [...c.waiters]) w();
  };
  proc.stdout?.on("data", onData);
  proc.stderr?.on("data", onData);
  return c;
});
const rows: string[] = [];
try {
  const t0 = performance.now();
  await Promise.all(children.map((c) => waitLine(c, /^READY$/, 180_000)));
  const connectSeconds = (performance.now() - t0) / 1000;
  for (let k = 1; k <= K; k++) {
    const load = loadavg()[0] ?? 0;
    const goAt = Date.now();
    for (const c of children) c.proc.stdin?.write(`go ${k}\n`);
    const done = await Promise.all(children.map((c) => waitLine(c, new RegExp(`^(DONE|FAILED) ${k} `), 120_000)));
    const failed = done.filter((l) => l.startsWith("FAILED"));
    if (failed.length > 0) throw new Error(`ceremony ${k}: ${failed.length} operators failed: ${failed[0]}`);
    const field = (name: string) => done.map((l) => Number(new RegExp(`${name}=([0-9.]+)`).exec(l)?.[1]));
    const locks = new Set(done.map((l) => /lock=(\S+)/.exec(l)?.[1]));
    if (locks.size !== 1) throw new Error(`ceremony ${k}: ${locks.size} different locks`);
    const wall = (Math.max(...field("completed_at")) - goAt) / 1000;
    const cpu = stats(field("cpu"));
    rows.push(
      `| ${k}${k === 1 ? " (cold code)" : ""} | ${wall.toFixed(2)} | ${cpu.median.toFixed(3)} | ${cpu.max.toFixed(3)} | ${load.toFixed(1)} |`,
    );
  }
  console.log(
    `\nDKG ceremonies between ${N} running operator processes on 127.0.0.1, threshold ${T}, ${cpus().length} cores` +
      ` (processes connected in ${connectSeconds.toFixed(1)} s)\n`,
  );
  console.log(
    "| ceremony | wall, start → last operator complete, s | CPU/process median, s | CPU/process max, s | load (1 min) |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const r of rows) console.log(r);
} finally {
  // "exit" lets each operator stop its node (and write its CPU profile); stragglers are killed.
  for (const c of children) c.proc.stdin?.end("exit\n");
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve();
          const timer = setTimeout(() => c.proc.kill("SIGKILL"), 10_000);
          c.proc.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
        }),
    ),
  );
  cluster.cleanup();
}
