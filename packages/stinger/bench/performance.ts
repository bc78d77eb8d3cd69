/**
 * Benchmark: one Stinger member's CPU per oracle frame for per-share performance statements of V validators (default
 * 1,000; `STINGER_BENCH_VALIDATORS`), 16 shares, threshold 11, a mainnet frame (225 epochs: 225 attestations per
 * validator). Steps, each timed over all validators on this one process (the other 15 members' views and partials are
 * prepared beforehand and not timed):
 *
 * - record: counting every combined duty of the frame (`FrameRecorder`), counters saved atomically every 32 slots;
 * - sign view: this member signs its counts per validator;
 * - build proposal: as leader, checks and orders 16 signed views (a member leads ~1/16 of the validators);
 * - evaluate: checks the leader's 16 views (one batched pairing check) and derives the statement;
 * - sign statements: records every validator's root durably (one fsynced file for the frame), then signs each;
 * - combine: 11 partials into the validator key's signature, verified against the group key; one save for the frame;
 * - messages: the wire format of `PerformanceExchange` — encoding this member's views and partials batches, decoding
 *   the 15 others' views and partials batches and every proposal (64 validators per message).
 *
 * Run: `node packages/stinger/bench/performance.ts`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DutyType } from "../src/core/interfaces.ts";
import {
  buildProposal,
  combineStatement,
  evaluateProposal,
  type PerformanceContext,
  type PerformanceProposal,
  type SignedView,
  type StatementPartial,
  signStatement,
  signStatements,
  signView,
} from "../src/performance/agreement.ts";
import {
  chunk,
  decodePerformanceMessage,
  encodePerformanceMessage,
  MAX_BATCH_ITEMS,
  MAX_PROPOSAL_ITEMS,
  PerformanceMessageType,
} from "../src/performance/messages.ts";
import { FrameRecorder } from "../src/performance/recorder.ts";
import { PerformanceStore } from "../src/performance/store.ts";
import { clusterContexts, N, THRESHOLD } from "../test/unit/performance/cluster.ts";
import { simulateViews } from "../test/unit/performance/simulation.ts";

const V = Number(process.env.STINGER_BENCH_VALIDATORS ?? 1000);
const FRAME_EPOCHS = 225;
const SLOTS_PER_EPOCH = 32;
const FRAME = 3;
const SELF = 1;

const dir = mkdtempSync(join(tmpdir(), "perf-bench-"));
const out = (line: string) => process.stdout.write(`${line}\n`);
const rows: { step: string; ms: number; cpu: number; per: number }[] = [];
/** Times `f` on the wall clock and on the process CPU clock (what a node with a core to itself would see). */
function time<T>(step: string, count: number, f: () => T): T {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const out = f();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpuStart);
  const cpu = (used.user + used.system) / 1000;
  rows.push({ step, ms, cpu, per: cpu / count });
  return out;
}

try {
  process.stdout.write(`preparing ${V} validators (keys, the other members' views)…\n`);
  const clusters: PerformanceContext[][] = [];
  const views: SignedView[][] = [];
  for (let v = 0; v < V; v++) {
    const ctxs = clusterContexts(1000 + v, FRAME, v);
    clusters.push(ctxs);
    const counts = simulateViews({ duties: FRAME_EPOCHS, offline: [4], seed: v + 1 });
    views.push(counts.flatMap((c, i) => (c === undefined || i + 1 === SELF ? [] : [signView(ctxs[i] as never, c)])));
  }
  const store = new PerformanceStore(dir);
  const self = (v: number) => (clusters[v] as PerformanceContext[])[SELF - 1] as PerformanceContext;

  const recorder = new FrameRecorder({ store, frameSlots: FRAME_EPOCHS * SLOTS_PER_EPOCH, shares: N });
  const used = Array.from({ length: THRESHOLD }, (_, i) => i + 1);
  time("record (225 duties × V, saved every 32 slots)", V, () => {
    const first = FRAME * FRAME_EPOCHS * SLOTS_PER_EPOCH;
    for (let e = 0; e < FRAME_EPOCHS; e++) {
      for (let v = 0; v < V; v++) {
        recorder.contributed(
          { slot: first + e * SLOTS_PER_EPOCH + (v % SLOTS_PER_EPOCH), type: DutyType.attester, validator: v },
          used,
        );
      }
    }
    recorder.flush();
  });
  const counters = recorder.openFrame();
  const own = time("sign view", V, () =>
    Array.from({ length: V }, (_, v) => signView(self(v), counters?.get(v) ?? { duties: 0, contributed: [] })),
  );
  const all = (v: number) => [own[v] as SignedView, ...(views[v] as SignedView[])];
  const proposals: PerformanceProposal[] = time("build proposal (as leader)", V, () =>
    Array.from({ length: V }, (_, v) => buildProposal(self(v), 0, all(v))),
  );
  const statements = time("evaluate proposal (verify views, rule)", V, () =>
    Array.from({ length: V }, (_, v) => {
      const p = proposals[v] as PerformanceProposal;
      const e = evaluateProposal(self(v), p.leader, p, own[v] as SignedView);
      if (!e.ok) throw new Error(e.reason);
      return e.statement;
    }),
  );
  const mine = time("sign statements (one fsynced record + V signs)", V, () =>
    signStatements(
      statements.map((statement, v) => ({ ctx: self(v), statement })),
      store,
    ),
  );
  // The other 10 signers' partials (not timed: their nodes make them).
  const partials: StatementPartial[][] = statements.map((s, v) => [
    mine[v] as StatementPartial,
    ...(clusters[v] as PerformanceContext[])
      .slice(1, THRESHOLD)
      .map((c) => signStatement(c, s, new PerformanceStore(join(dir, `m${c.shareIndex}`)))),
  ]);
  time("combine 11 partials + verify, one save", V, () => {
    const signed = statements.map((s, v) => combineStatement(self(v), s, partials[v] as StatementPartial[]));
    store.saveStatements(FRAME, signed);
  });

  // The wire format: proposals are encoded by their leaders (not timed), everything this member sends or receives is.
  const proposalMessages = chunk(
    proposals.map((p, v) => ({
      validatorIndex: v,
      views: p.views.map((sv) => ({
        shareIndex: sv.view.shareIndex,
        duties: sv.view.duties,
        contributed: [...sv.view.contributed],
        signature: sv.signature,
      })),
    })),
    MAX_PROPOSAL_ITEMS,
  ).map((items) =>
    encodePerformanceMessage({ type: PerformanceMessageType.proposals, body: { frame: FRAME, round: 0, items } }),
  );
  time("messages (encode own, decode others', proposals)", V, () => {
    const viewItems = own.map((sv, v) => ({
      validatorIndex: v,
      duties: sv.view.duties,
      contributed: [...sv.view.contributed],
      signature: sv.signature,
    }));
    const partialItems = statements.map((st, v) => ({
      validatorIndex: v,
      expected: [...st.expected],
      contributed: [...st.contributed],
      signature: (mine[v] as StatementPartial).signature,
    }));
    const sent = [
      ...chunk(viewItems, MAX_BATCH_ITEMS).map((items) =>
        encodePerformanceMessage({ type: PerformanceMessageType.views, body: { frame: FRAME, round: 0, items } }),
      ),
      ...chunk(partialItems, MAX_BATCH_ITEMS).map((items) =>
        encodePerformanceMessage({ type: PerformanceMessageType.partials, body: { frame: FRAME, items } }),
      ),
    ];
    for (let m = 0; m < N - 1; m++) for (const bytes of sent) decodePerformanceMessage(bytes);
    for (const bytes of proposalMessages) decodePerformanceMessage(bytes);
    out(
      `wire: ${sent.reduce((n, b) => n + b.length, 0)} bytes sent per member, proposals ${proposalMessages.reduce((n, b) => n + b.length, 0)} bytes`,
    );
  });

  const leaderShare = 1 / N;
  const share = (r: (typeof rows)[0]) => (r.step.startsWith("build") ? leaderShare : 1);
  const total = rows.reduce((t, r) => t + r.cpu * share(r), 0);
  const wall = rows.reduce((t, r) => t + r.ms * share(r), 0);
  out(`\nPer-share performance statements, one member, ${V} validators, one frame (${FRAME_EPOCHS} epochs)`);
  out(
    `| ${"step".padEnd(46)} | ${"CPU ms".padStart(8)} | ${"wall ms".padStart(8)} | ${"CPU ms / validator".padStart(18)} |`,
  );
  out(`|${"-".repeat(48)}|${"-".repeat(10)}|${"-".repeat(10)}|${"-".repeat(20)}|`);
  const row = (step: string, cpu: number, ms: number) =>
    out(
      `| ${step.padEnd(46)} | ${cpu.toFixed(0).padStart(8)} | ${ms.toFixed(0).padStart(8)} | ${(cpu / V).toFixed(3).padStart(18)} |`,
    );
  for (const r of rows) row(r.step, r.cpu, r.ms);
  row("total per frame (leading 1/16 of validators)", total, wall);
  out(`load average (1 min) at the end: ${loadavg()[0]?.toFixed(1)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
