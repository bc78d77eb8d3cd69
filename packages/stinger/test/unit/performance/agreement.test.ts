import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import {
  computePerformanceSigningRoot,
  computePerformanceStatementRoot,
  type PerformanceStatement,
} from "@nektar/crypto";
import {
  buildProposal,
  combineStatement,
  evaluateProposal,
  type PerformanceContext,
  type PerformanceProposal,
  performanceLeader,
  type SignedView,
  signStatement,
  signView,
} from "../../../src/performance/agreement.ts";
import type { ValidatorCounts } from "../../../src/performance/counters.ts";
import { statementFromViews } from "../../../src/performance/rule.ts";
import { PerformanceStore } from "../../../src/performance/store.ts";
import { clusterContexts, FORK, N, THRESHOLD } from "./cluster.ts";
import { PERFORMANCE_FIXTURE_URL, performanceFixture } from "./fixture.ts";
import { type Scenario, simulateViews, VALIDATOR } from "./simulation.ts";

const dirs: string[] = [];
const store = () => {
  const d = mkdtempSync(join(tmpdir(), "perf-agree-"));
  dirs.push(d);
  return new PerformanceStore(d);
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const FRAME = 9;
const ctxs = clusterContexts(5, FRAME, VALIDATOR);
const ctx = (share: number) => ctxs[share - 1] as PerformanceContext;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const rootHex = (s: PerformanceStatement) => hex(computePerformanceStatementRoot(s));
const leaderOf = (round: number) => performanceLeader(FRAME, VALIDATOR, round, N);

/** Honest signed views of a scenario (offline members send none). */
function signedViews(s: Scenario): Map<number, SignedView> {
  const out = new Map<number, SignedView>();
  simulateViews(s).forEach((counts, i) => {
    if (counts !== undefined) out.set(i + 1, signView(ctx(i + 1), counts));
  });
  return out;
}

/** Every member evaluates the proposal; returns the accepted statements by member. */
function evaluateAll(proposal: PerformanceProposal, views: Map<number, SignedView>, from = proposal.leader) {
  const accepted = new Map<number, PerformanceStatement>();
  const refused = new Map<number, string>();
  for (const [member, own] of views) {
    const e = evaluateProposal(ctx(member), from, proposal, own);
    if (e.ok) accepted.set(member, e.statement);
    else refused.set(member, e.reason);
  }
  return { accepted, refused };
}

const SCENARIO: Scenario = { duties: 225, offline: [4], slow: [9], down: { 12: 60, 2: 10 }, seed: 3 };

describe("performance statement: agreement among 16 members with differing views", () => {
  it("every honest member accepts the leader's proposal and derives the identical statement", () => {
    const views = signedViews(SCENARIO);
    // The members' own counts differ (arrival orders, a member down for part of the frame)…
    const distinct = new Set([...views.values()].map((v) => JSON.stringify(v.view.contributed)));
    assert.ok(distinct.size >= 10, `views differ: ${distinct.size} distinct`);
    const proposal = buildProposal(ctx(leaderOf(0)), 0, [...views.values()]);
    const { accepted, refused } = evaluateAll(proposal, views);
    assert.deepEqual([...refused], []);
    assert.equal(accepted.size, 15);
    const roots = new Set([...accepted.values()].map(rootHex));
    assert.equal(roots.size, 1, "one statement at every honest member");
    const statement = accepted.get(1) as PerformanceStatement;
    // …and the statement reflects what happened: the offline share contributed nothing, the slow one less.
    assert.equal(statement.contributed[3], 0);
    const others = statement.contributed.filter((_, i) => i !== 3 && i !== 8);
    assert.ok((statement.contributed[8] as number) < Math.min(...others), `slow share ${statement.contributed[8]}`);
    assert.ok(
      statement.expected.every((e) => e === 225),
      "expected = duties seen by the median member",
    );
  });

  it("is signed by 11 members' shares into the validator key's signature (and not by 10)", () => {
    const views = signedViews(SCENARIO);
    const proposal = buildProposal(ctx(leaderOf(0)), 0, [...views.values()]);
    const { accepted } = evaluateAll(proposal, views);
    const signers = [1, 2, 3, 5, 6, 7, 8, 10, 11, 13, 16];
    const partials = signers.map((m) => signStatement(ctx(m), accepted.get(m) as PerformanceStatement, store()));
    const statement = accepted.get(1) as PerformanceStatement;
    assert.throws(
      () => combineStatement(ctx(1), statement, partials.slice(0, 10)),
      /ERR_PERFORMANCE_TOO_FEW_SIGNATURES/,
    );
    // A garbage partial among 12 is dropped; the 11 good ones still combine.
    const garbage = { ...(partials[0] as (typeof partials)[0]), shareIndex: 14 };
    const signed = combineStatement(ctx(1), statement, [garbage, ...partials]);
    const root = computePerformanceSigningRoot(statement, FORK);
    const groupKey = PublicKey.fromBytes(statement.validatorPubkey, true);
    assert.ok(verify(root, groupKey, Signature.fromBytes(signed.signature, true)));
    // The statement signed by a different set of 11 is the same signature (one validator key).
    const other = [16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6].map((m) =>
      signStatement(ctx(m), accepted.get(m) as PerformanceStatement, store()),
    );
    assert.equal(hex(combineStatement(ctx(2), statement, other).signature), hex(signed.signature));
  });

  it("a member lying about its own contribution cannot change the statement", () => {
    const views = signedViews(SCENARIO);
    const honest = statementFromViews(
      ctx(1).subject,
      [...views.values()].map((v) => v.view),
    );
    // Share 9 (slow) or 12 (down for 60 duties) claims it contributed to every duty (or, to move a median, to none).
    for (const [liar, claim] of [
      [9, 225],
      [9, 0],
      [12, 225],
      [12, 0],
      [5, 0],
    ] as const) {
      const own = views.get(liar) as SignedView;
      const lie: ValidatorCounts = {
        duties: own.view.duties,
        contributed: own.view.contributed.map((c, i) => (i === liar - 1 ? claim : c)),
      };
      const lying = new Map(views).set(liar, signView(ctx(liar), lie));
      const proposal = buildProposal(ctx(leaderOf(0)), 0, [...lying.values()]);
      const { accepted } = evaluateAll(proposal, lying);
      for (const s of accepted.values()) assert.equal(rootHex(s), rootHex(honest), `liar ${liar} claiming ${claim}`);
    }
  });

  it("a member lying about the others cannot push any entry outside what honest members saw", () => {
    const views = signedViews(SCENARIO);
    const liar = 9;
    const own = views.get(liar) as SignedView;
    for (const lie of [0, own.view.duties]) {
      const forged = signView(ctx(liar), {
        duties: lie === 0 ? 0 : own.view.duties * 2,
        contributed: own.view.contributed.map(() => lie),
      });
      const lying = new Map(views).set(liar, forged);
      const statement = statementFromViews(
        ctx(1).subject,
        [...lying.values()].map((v) => v.view),
      );
      for (let s = 1; s <= N; s++) {
        const honestValues = [...views.values()]
          .filter((v) => v.view.shareIndex !== s && v.view.shareIndex !== liar)
          .map((v) => v.view.contributed[s - 1] as number);
        const c = statement.contributed[s - 1] as number;
        assert.ok(c >= Math.min(...honestValues) && c <= Math.max(...honestValues), `share ${s}: ${c}`);
      }
    }
  });

  it("when the honest members saw the same thing, no single member can change any entry", () => {
    const same: Scenario = { duties: 120, offline: [4], slow: [9], sameOrder: true, seed: 8 };
    const views = signedViews(same);
    const honest = rootHex(
      statementFromViews(
        ctx(1).subject,
        [...views.values()].map((v) => v.view),
      ),
    );
    for (const liar of [1, 9, 16]) {
      for (const value of [0, 120]) {
        const lying = new Map(views).set(
          liar,
          signView(ctx(liar), { duties: value, contributed: new Array<number>(N).fill(value) }),
        );
        const s = statementFromViews(
          ctx(1).subject,
          [...lying.values()].map((v) => v.view),
        );
        assert.equal(rootHex(s), honest, `liar ${liar} claiming ${value}`);
      }
    }
  });

  it("refuses forged views, proposals from a non-leader, and a leader that drops or alters a member's view", () => {
    const views = signedViews(SCENARIO);
    const leader = leaderOf(0);
    // A view of share 5 signed by share 9's key is dropped by the leader and refused by members.
    const forged: SignedView = {
      view: { ...(views.get(5) as SignedView).view, contributed: new Array<number>(N).fill(0) },
      signature: signView(ctx(9), { duties: 225, contributed: new Array<number>(N).fill(0) }).signature,
    };
    const built = buildProposal(ctx(leader), 0, [
      forged,
      ...[...views.values()].filter((v) => v.view.shareIndex !== 5),
    ]);
    assert.ok(!built.views.some((v) => v.view.shareIndex === 5));
    const withForged: PerformanceProposal = {
      ...built,
      views: [...built.views, forged].sort((a, b) => a.view.shareIndex - b.view.shareIndex),
    };
    const r1 = evaluateProposal(ctx(1), leader, withForged, views.get(1) as SignedView);
    assert.equal(r1.ok, false);
    assert.match((r1 as { reason: string }).reason, /not signed by their shares/);
    // A proposal from a member that does not lead the round.
    const notLeader = (leader % N) + 1;
    const r2 = evaluateProposal(ctx(1), notLeader, built, views.get(1) as SignedView);
    assert.match((r2 as { reason: string }).reason, /does not lead/);
    // The leader drops share 3's view: share 3 refuses (the others may still sign without it).
    const dropped: PerformanceProposal = { ...built, views: built.views.filter((v) => v.view.shareIndex !== 3) };
    const { refused } = evaluateAll(dropped, views);
    assert.deepEqual([...refused.keys()], [3, 5]);
    // Fewer than 11 views.
    const few: PerformanceProposal = { ...built, views: built.views.slice(0, THRESHOLD - 1) };
    assert.match(
      (evaluateProposal(ctx(1), leader, few, views.get(1) as SignedView) as { reason: string }).reason,
      /11 needed/,
    );
    assert.throws(
      () => buildProposal(ctx(leader), 0, built.views.slice(0, THRESHOLD - 1)),
      /ERR_PERFORMANCE_PROPOSAL_REJECTED/,
    );
  });

  it("a member never signs two different statements for one frame (restart included)", () => {
    const views = signedViews(SCENARIO);
    const s = store();
    const first = buildProposal(ctx(leaderOf(0)), 0, [...views.values()]);
    const a = evaluateProposal(ctx(2), first.leader, first, views.get(2) as SignedView);
    assert.ok(a.ok);
    signStatement(ctx(2), a.statement, s);
    // Round 1's leader proposes another set of views (one left out): a different statement.
    const second = buildProposal(
      ctx(leaderOf(1)),
      1,
      [...views.values()].filter((v) => v.view.shareIndex !== 16),
    );
    const own = views.get(2) as SignedView;
    const b = evaluateProposal(ctx(2), second.leader, second, own, s.signedRoot(ctx(2).subject.validatorPubkey, FRAME));
    assert.equal(b.ok, false);
    const other = evaluateProposal(ctx(2), second.leader, second, own);
    assert.ok(other.ok && rootHex(other.statement) !== rootHex(a.statement));
    assert.throws(
      () => signStatement(ctx(2), (other as { statement: PerformanceStatement }).statement, s),
      /ERR_PERFORMANCE_ALREADY_SIGNED/,
    );
  });

  it("the committed contracts fixture is what the 16 simulated members sign", () => {
    const committed = JSON.parse(readFileSync(PERFORMANCE_FIXTURE_URL, "utf8"));
    assert.deepEqual(committed, performanceFixture());
  });
});
