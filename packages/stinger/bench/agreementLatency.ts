/**
 * Agreement latency over real libp2p, one-round vs QBFT in the SAME run: 16 operator processes on 127.0.0.1, each
 * with both protocols on their own gossip topics; instances alternate between the protocols at fixed wall-clock times
 * (identical network and CPU conditions). Latency = time from an operator's instance start to its decision.
 * Usage: node bench/agreementLatency.ts [operators=16] [instances=60] [spacingMs=2000]
 */
import { spawn } from "node:child_process";

const n = Number(process.argv[2] ?? 16);
const instances = Number(process.argv[3] ?? 60);
// One instance per protocol every 2 s: closer spacing saturates 2 cores with 16 processes (each message costs every node CPU).
const spacing = Number(process.argv[4] ?? 2000);
const basePort = 20000 + Math.floor(Math.random() * 5000);
// 16 processes need ~20 s of CPU on 2 cores to start and connect; instances begin after that.
const startAt = Date.now() + Number(process.env.BENCH_WARMUP_MS ?? 40_000);
const child = new URL("./agreementChild.ts", import.meta.url).pathname;
const results: { protocol: string; ms?: number; failed?: boolean }[] = [];
const procs = Array.from({ length: n }, (_, i) => {
  const p = spawn(
    process.execPath,
    [child, String(i), String(n), String(basePort), String(startAt), String(instances), String(spacing)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let buf = "";
  p.stdout?.on("data", (c: Buffer) => {
    buf += c.toString("utf8");
    const lines = buf.split("\n");
    buf = lines.pop() ?? "";
    for (const l of lines) if (l.startsWith("{")) results.push(JSON.parse(l));
  });
  return p;
});
await Promise.all(procs.map((p) => new Promise((r) => p.once("exit", r))));

const pct = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? Number.NaN;
const rows = (["one-round", "qbft"] as const).map((protocol) => {
  const ok = results
    .filter((r) => r.protocol === protocol && r.ms !== undefined)
    .map((r) => r.ms as number)
    .sort((a, b) => a - b);
  const failed = results.filter((r) => r.protocol === protocol && r.failed).length;
  return {
    protocol,
    decisions: ok.length,
    failed,
    "p50 ms": pct(ok, 0.5),
    "p99 ms": pct(ok, 0.99),
    "max ms": ok.at(-1),
  };
});
console.log(`Agreement latency, ${n} processes on loopback, ${instances} instances per protocol, same run`);
console.table(rows);
const [one, qbft] = rows;
if (one !== undefined && qbft !== undefined) {
  console.log(
    `one-round / QBFT p50: ${(one["p50 ms"] / qbft["p50 ms"]).toFixed(2)}, p99: ${(one["p99 ms"] / qbft["p99 ms"]).toFixed(2)}`,
  );
}
