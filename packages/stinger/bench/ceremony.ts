/**
 * Benchmark: one DKG ceremony between N `stinger dkg` OS processes on 127.0.0.1 (default 16, threshold 11).
 * Prints a table: ceremony wall time (last operator joined → last operator complete), per-process CPU (ceremony only
 * and whole process incl. start-up), and bytes sent per operator (Stinger envelopes, and TCP payload bytes from `ss`,
 * which include Noise, Yamux, identify, ping and gossip relays). Run: `npm run bench -w @nektar/stinger`.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { exitWithin, killAll, prepareCluster, spawnOperator } from "../test/e2e/support/processCluster.ts";

const N = Number(process.env.STINGER_BENCH_OPERATORS ?? 16);
const T = Math.ceil((2 * N) / 3);
const run = promisify(execFile);

/**
 * Poll `ss` and keep the largest bytes_sent seen per TCP socket of each pid; also counts the sockets (connections)
 * each pid had: a full mesh needs n-1 per operator, more means both sides of a pair dialled.
 */
function startSocketSampler(pids: Set<number>): {
  stop(): Promise<{ sent: Map<number, number>; sockets: Map<number, number> }>;
} {
  const perSocket = new Map<string, { pid: number; sent: number }>();
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const { stdout } = await run("ss", ["-tinpH"], { maxBuffer: 16 * 1024 * 1024 });
        const lines = stdout.split("\n");
        for (let i = 0; i < lines.length - 1; i++) {
          const head = lines[i] as string;
          const pid = Number(/pid=(\d+)/.exec(head)?.[1]);
          if (!pids.has(pid)) continue;
          const sent = Number(/bytes_sent:(\d+)/.exec(lines[i + 1] as string)?.[1] ?? 0);
          const key = head.split(/\s+/).slice(3, 5).join(" ");
          const prev = perSocket.get(key);
          if (prev === undefined || sent > prev.sent) perSocket.set(key, { pid, sent });
        }
      } catch {
        // ss unavailable: TCP bytes are reported as 0
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      const sent = new Map<number, number>();
      const sockets = new Map<number, number>();
      for (const { pid, sent: bytes } of perSocket.values()) {
        sent.set(pid, (sent.get(pid) ?? 0) + bytes);
        sockets.set(pid, (sockets.get(pid) ?? 0) + 1);
      }
      return { sent, sockets };
    },
  };
}

function clock(line: string): number {
  const m = /^(\d\d):(\d\d):(\d\d)\.(\d\d\d)/.exec(line);
  if (!m) return Number.NaN;
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]);
}

function stats(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? 0, median: s[Math.floor(s.length / 2)] ?? 0, max: s[s.length - 1] ?? 0 };
}

const cluster = await prepareCluster(N, T);
const started = performance.now();
const processes = cluster.operators.map((_, i) => spawnOperator(cluster, i));
const sampler = startSocketSampler(new Set(processes.map((p) => p.child.pid as number)));
try {
  const codes = await Promise.all(processes.map((p) => exitWithin(p, 600_000)));
  const totalSeconds = (performance.now() - started) / 1000;
  const tcp = await sampler.stop();
  const failed = codes.filter((c) => c !== 0).length;
  if (failed > 0) {
    const report = processes.map((p, i) => `operator ${i + 1} (exit ${codes[i]}): ${p.output.slice(-2).join(" | ")}`);
    throw new Error(`${failed} operators failed:\n${report.join("\n")}`);
  }
  const joined = processes.map((p) => clock(p.output.find((l) => l.includes("joined ceremony")) ?? ""));
  const completed = processes.map((p) => clock(p.output.find((l) => l.includes("ceremony complete")) ?? ""));
  const field = (name: string) =>
    processes.map((p) =>
      Number(new RegExp(`${name}=([0-9.]+)`).exec(p.output.find((l) => l.startsWith("Stats:")) ?? "")?.[1]),
    );
  const rows: [string, { min: number; median: number; max: number }, string][] = [
    ["per-node ceremony time (join → complete), s", stats(field("ceremony_seconds")), "s"],
    ["CPU per process, ceremony only, s", stats(field("ceremony_cpu_seconds")), "s"],
    ["CPU per process, whole process incl. start-up, s", stats(field("process_cpu_seconds")), "s"],
    ["Stinger envelope bytes sent per operator", stats(field("sent_envelope_bytes")), "B"],
    [
      "TCP payload bytes sent per operator (ss)",
      stats(processes.map((p) => tcp.sent.get(p.child.pid as number) ?? 0)),
      "B",
    ],
    [
      "TCP connections per operator (ss; full mesh = n-1)",
      stats(processes.map((p) => tcp.sockets.get(p.child.pid as number) ?? 0)),
      "n",
    ],
  ];
  const wall = (Math.max(...completed) - Math.max(...joined)) / 1000;
  console.log(`\nDKG ceremony, ${N} operator processes on 127.0.0.1, threshold ${T} (shared 2-core machine)\n`);
  console.log(`| metric | min | median | max |`);
  console.log(`| --- | ---: | ---: | ---: |`);
  console.log(`| ceremony wall time, last join → last complete, s | | ${wall.toFixed(2)} | |`);
  console.log(`| wall time, spawn of ${N} processes → all exited, s | | ${totalSeconds.toFixed(2)} | |`);
  for (const [round, name] of ["deal", "complain", "answer", "deposit-signature", "lock-signature"].entries()) {
    const re = new RegExp(`round ${round + 1}/5 ${name}: closed in ([0-9.]+) s`);
    const secs = processes.map((p) => Number(re.exec(p.output.find((l) => re.test(l)) ?? "")?.[1]));
    rows.push([`round ${round + 1} ${name}, s`, stats(secs), "s"]);
  }
  for (const [name, s, unit] of rows) {
    const f = (x: number) => (unit === "s" ? x.toFixed(3) : x.toFixed(0));
    console.log(`| ${name} | ${f(s.min)} | ${f(s.median)} | ${f(s.max)} |`);
  }
} finally {
  killAll(processes);
  await sampler.stop().catch(() => {});
  cluster.cleanup();
}
