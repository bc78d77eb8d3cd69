/**
 * Agreement latency over real libp2p, one-round vs QBFT in the SAME run: 16 operator processes on 127.0.0.1, each
 * with both protocols on their own gossip topics; instances alternate between the protocols at fixed wall-clock times
 * (identical network and CPU conditions). Latency = time from an operator's instance start to its decision.
 * A second table breaks non-leaders' decisions down (start lateness, leader lateness, transit of the round-1 leader
 * message, time after its receipt) to show where the tail comes from; the worst process's event-loop delay and the
 * host's load average are printed with it (the host is shared: repeat when the load is low).
 * Usage: node bench/agreementLatency.ts [operators=16] [instances=60] [spacingMs=2000]
 */
import { spawn } from "node:child_process";
import { loadavg } from "node:os";

const n = Number(process.argv[2] ?? 16);
const instances = Number(process.argv[3] ?? 60);
// One instance per protocol every 2 s: closer spacing saturates 2 cores with 16 processes (each message costs every node CPU).
const spacing = Number(process.argv[4] ?? 2000);
const basePort = 20000 + Math.floor(Math.random() * 5000);
// 16 processes need ~20 s of CPU on 2 cores to start and connect; instances begin after that.
const startAt = Date.now() + Number(process.env.BENCH_WARMUP_MS ?? 40_000);
const child = new URL("./agreementChild.ts", import.meta.url).pathname;
type Event =
  | {
      ev: "decided";
      protocol: string;
      k: number;
      self: number;
      ms?: number;
      lateStartMs?: number;
      t?: number;
      failed?: boolean;
    }
  | { ev: "sent"; protocol: string; k: number; t: number }
  | { ev: "received"; protocol: string; k: number; self: number; from: number; t: number }
  | { ev: "loop"; self: number; p99Ms: number; maxMs: number; cpuMs: number; gcMs: number; gcMaxMs: number };
const events: Event[] = [];
const loadBefore = loadavg();
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
    for (const l of lines) if (l.startsWith("{")) events.push(JSON.parse(l));
  });
  return p;
});
await Promise.all(procs.map((p) => new Promise((r) => p.once("exit", r))));
const loadAfter = loadavg();
const results = events.filter((e) => e.ev === "decided");

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
    "p50 ms": Math.round(pct(ok, 0.5)),
    "p99 ms": Math.round(pct(ok, 0.99)),
    "max ms": Math.round(ok.at(-1) ?? Number.NaN),
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

/*
 * Where the time goes, per decision of an operator that is not the round-1 leader (shared host clock):
 *   start late   = own instance start − scheduled time (this process's event loop or the OS was busy);
 *   leader late  = leader's send of its round-1 message − scheduled time (the leader's own lateness + sealing);
 *   transit      = first receipt of that message here − leader's send (libp2p + gossipsub + the OS scheduler);
 *   after receipt = decision − receipt (one-round: validation only; QBFT: the prepare and commit phases).
 */
const sent = new Map<string, number>();
const receipts = new Map<string, number>();
const at = (protocol: string, k: number) => startAt + k * spacing + (protocol === "qbft" ? spacing / 2 : 0);
for (const e of events) {
  if (e.ev === "sent") sent.set(`${e.protocol}/${e.k}`, e.t);
  if (e.ev === "received") receipts.set(`${e.protocol}/${e.k}/${e.self}`, e.t);
}
const breakdown: Record<string, string | number>[] = [];
for (const protocol of ["one-round", "qbft"] as const) {
  const parts: { total: number; startLate: number; leaderLate: number; transit: number; after: number }[] = [];
  for (const e of results) {
    if (e.protocol !== protocol || e.ms === undefined || e.t === undefined) continue;
    const s = sent.get(`${protocol}/${e.k}`);
    const r = receipts.get(`${protocol}/${e.k}/${e.self}`);
    if (s === undefined || r === undefined) continue;
    const scheduled = at(protocol, e.k);
    parts.push({
      total: e.ms,
      startLate: e.lateStartMs ?? 0,
      leaderLate: s - scheduled,
      transit: r - s,
      after: e.t - r,
    });
  }
  const col = (f: (p: (typeof parts)[0]) => number, q: number) =>
    pct(
      parts.map(f).sort((a, b) => a - b),
      q,
    ).toFixed(1);
  for (const q of [0.5, 0.99] as const) {
    breakdown.push({
      protocol,
      quantile: q === 0.5 ? "p50" : "p99",
      decisions: parts.length,
      "total ms": col((p) => p.total, q),
      "start late ms": col((p) => p.startLate, q),
      "leader late ms": col((p) => p.leaderLate, q),
      "transit ms": col((p) => p.transit, q),
      "after receipt ms": col((p) => p.after, q),
    });
  }
  // The slowest 1%: which component dominated each.
  const slow = [...parts].sort((a, b) => b.total - a.total).slice(0, Math.max(1, Math.ceil(parts.length / 100)));
  const dominant = new Map<string, number>();
  for (const p of slow) {
    const top = (
      [
        ["start late", p.startLate],
        ["leader late", p.leaderLate],
        ["transit", p.transit],
        ["after receipt", p.after],
      ] as [string, number][]
    ).sort((a, b) => b[1] - a[1])[0]?.[0] as string;
    dominant.set(top, (dominant.get(top) ?? 0) + 1);
  }
  console.log(`${protocol}: slowest 1% dominated by ${[...dominant].map(([k, v]) => `${k} ×${v}`).join(", ")}`);
}
console.log("Breakdown of decisions by non-leaders (shared host clock)");
console.table(breakdown);
const loops = events.filter((e) => e.ev === "loop");
console.log(
  `event-loop delay over the run, worst process: p99 ${Math.max(...loops.map((l) => l.p99Ms)).toFixed(1)} ms, max ${Math.max(...loops.map((l) => l.maxMs)).toFixed(1)} ms`,
);
const cpuTotal = loops.reduce((a, l) => a + l.cpuMs, 0);
console.log(
  `GC pauses while instances ran: ${loops.reduce((a, l) => a + l.gcMs, 0).toFixed(0)} ms over all processes, longest ${Math.max(...loops.map((l) => l.gcMaxMs)).toFixed(1)} ms`,
);
console.log(
  `CPU of all ${n} processes while instances ran: ${(cpuTotal / 1000).toFixed(1)} s, ${(cpuTotal / (2 * instances)).toFixed(0)} ms per agreement instance (both protocols alternate)`,
);
console.log(
  `load average (1/5/15 min) before: ${loadBefore.map((x) => x.toFixed(1)).join(" ")}, after: ${loadAfter.map((x) => x.toFixed(1)).join(" ")} (2 cores)`,
);
