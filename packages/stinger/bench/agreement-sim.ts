/**
 * Simulated agreement latency, one-round vs QBFT, in the same run and under the same per-message delay model.
 * Virtual time (the deterministic simulation harness), so the numbers show protocol message delays, not CPU; the
 * real 16-process benchmark over libp2p comes with the P2P layer.
 *
 *   npm run bench -w @nektar/stinger -- --runs 300 --base 5 --jitter 20
 *
 * Per scenario and protocol: decision latency over all honest operators (p50/p99) and the time at which 11 operators
 * had decided the same value (what sigagg needs), plus messages per duty and host CPU per duty for all 16 simulated
 * operators together (Ed25519 identities by default; `--identity hmac` for the cheap test identities).
 */
import { generateKeyPairSync, type KeyObject, sign, verify } from "node:crypto";
import { parseArgs } from "node:util";
import { leaderOf, leaderOffset } from "../src/core/agreement/leader.ts";
import type { AgreementProtocol } from "../src/core/agreement/types.ts";
import {
  CLUSTER_ID,
  DUTY,
  hmacIdentities,
  type Identities,
  N,
  QUORUM,
  type Schedule,
  simulate,
} from "../test/unit/core/agreement/sim.ts";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "200" },
    base: { type: "string", default: "5" },
    jitter: { type: "string", default: "20" },
    skew: { type: "string", default: "10" },
    identity: { type: "string", default: "ed25519" },
  },
});
const runs = Number(args.runs);
const baseDelayMs = Number(args.base);
const jitterMs = Number(args.jitter);
const skew = Number(args.skew);

/** Real Ed25519 operator identities (what the p2p layer supplies), so host CPU per duty is realistic. */
function ed25519Identities(): Identities {
  const keys: { privateKey: KeyObject; publicKey: KeyObject }[] = Array.from({ length: N }, () =>
    generateKeyPairSync("ed25519"),
  );
  return {
    sign: (i, body) => sign(null, body, (keys[i] as { privateKey: KeyObject }).privateKey),
    verify: (i, body, sig) => {
      const k = keys[i];
      return k !== undefined && sig.length === 64 && verify(null, body, k.publicKey, sig);
    },
  };
}
const identities = args.identity === "hmac" ? hmacIdentities : ed25519Identities();
const offset = leaderOffset(CLUSTER_ID, DUTY, N);
const leader = (r: number) => leaderOf(offset, r, N);

type Scenario = { name: string; make: (seed: number) => Partial<Schedule> };
const scenarios: Scenario[] = [
  { name: "all up", make: () => ({}) },
  { name: "round-1 leader down", make: () => ({ crashes: [{ node: leader(1), atMs: 0 }] }) },
  {
    name: "5 down (not leader 1)",
    make: () => ({ crashes: [2, 3, 4, 5, 6].map((k) => ({ node: leader(k), atMs: 0 })) }),
  },
  { name: "2% loss, GST 1 s", make: () => ({ dropRate: 0.02, gstMs: 1000 }) },
];

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function run(protocol: AgreementProtocol, sc: Scenario) {
  const decisions: number[] = [];
  const quorumAt: number[] = [];
  let messages = 0;
  let failures = 0;
  const t0 = process.cpuUsage();
  for (let seed = 1; seed <= runs; seed++) {
    let x = seed * 2654435761;
    const rnd = () => {
      x = (x * 1103515245 + 12345) >>> 0;
      return x / 2 ** 32;
    };
    const s: Schedule = {
      protocol,
      seed,
      baseDelayMs,
      jitterMs,
      dropRate: 0,
      gstMs: 0,
      startSkewMs: Array.from({ length: N }, () => Math.floor(rnd() * skew)),
      localValue: Array.from({ length: N }, () => Math.floor(rnd() * 3)),
      crashes: [],
      byzantine: [],
      ...sc.make(seed),
    };
    const r = simulate(s, 10_000, {}, identities);
    messages += r.messages;
    const byValue = new Map<string, number[]>();
    r.signed.forEach((vals, i) => {
      const at = r.signedAt[i];
      if (at === undefined || vals.length === 0) return;
      const start = s.startSkewMs[i] ?? 0;
      decisions.push(at - start);
      const key = Buffer.from(vals[0] as Uint8Array).toString("hex");
      byValue.set(key, [...(byValue.get(key) ?? []), at]);
    });
    const best = [...byValue.values()].sort((a, b) => b.length - a.length)[0] ?? [];
    if (best.length >= QUORUM) quorumAt.push(best.sort((a, b) => a - b)[QUORUM - 1] as number);
    else failures++;
  }
  const cpu = process.cpuUsage(t0);
  decisions.sort((a, b) => a - b);
  quorumAt.sort((a, b) => a - b);
  return {
    decisionP50: pct(decisions, 50),
    decisionP99: pct(decisions, 99),
    quorumP50: pct(quorumAt, 50),
    quorumP99: pct(quorumAt, 99),
    failures,
    messages: messages / runs,
    cpuMs: (cpu.user + cpu.system) / 1000 / runs,
  };
}

const f = (x: number) => (Number.isNaN(x) ? "-" : x.toFixed(1));
console.log(
  `agreement simulation: ${runs} duties per row, 16 operators, quorum 11, delay ${baseDelayMs} ms + U(0, ${jitterMs}) ms, start skew U(0, ${skew}) ms, round timeout 200 ms + 100 ms/round, ${args.identity} identities\n`,
);
console.log(
  "| scenario | protocol | decision p50 ms | decision p99 ms | 11 decided p50 ms | 11 decided p99 ms | no quorum | msgs/duty | host CPU ms/duty (16 ops) |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const sc of scenarios) {
  const rows = (["one-round", "qbft"] as const).map((p) => ({ p, r: run(p, sc) }));
  for (const { p, r } of rows) {
    console.log(
      `| ${sc.name} | ${p} | ${f(r.decisionP50)} | ${f(r.decisionP99)} | ${f(r.quorumP50)} | ${f(r.quorumP99)} | ${r.failures} | ${r.messages.toFixed(0)} | ${r.cpuMs.toFixed(2)} |`,
    );
  }
  const [one, qbft] = rows;
  if (one && qbft)
    console.log(
      `| ${sc.name} | ratio one-round/QBFT (11 decided p50) | | | ${(one.r.quorumP50 / qbft.r.quorumP50).toFixed(2)} | | | | |`,
    );
}
