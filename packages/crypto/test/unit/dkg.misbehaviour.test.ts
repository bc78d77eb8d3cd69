import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DkgAbortedError, type DkgMessage, DkgParticipant, type DkgResult, scalarToBytes } from "../../src/index.ts";
import { assertWorkingKey } from "./assertKey.ts";
import { operators, runDkg, seededRandom, sessionFor } from "./harness.ts";

const ALL = Array.from({ length: 16 }, (_, i) => i + 1);
const without = (...ids: number[]): number[] => ALL.filter((i) => !ids.includes(i));

/** Results of the honest members (a misbehaving dealer's own local view is not required to agree). */
function results(run: ReturnType<typeof runDkg>, ...malicious: number[]): DkgResult[] {
  return [...run.participants].filter(([id]) => !malicious.includes(id)).map(([, p]) => p.result() as DkgResult);
}

describe("DKG, misbehaving dealers and members", () => {
  it("bad share to one party: complaint, public answer, dealer stays qualified", () => {
    const run = runDkg({
      tamper: (from, to, m) =>
        from === 3 && to === 5 && m.type === "share" ? { ...m, share: scalarToBytes(12345n) } : m,
    });
    assert.equal(run.aborted.size, 0);
    const answer = (run.participants.get(3) as DkgParticipant).phase;
    assert.equal(answer, "done");
    const rs = results(run);
    assert.deepEqual(rs[0]?.qualified, ALL);
    assertWorkingKey(rs, [5, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11]);
  });

  it("bad share and no answer: the dealer is disqualified", () => {
    const run = runDkg({
      tamper: (from, to, m) => (from === 3 && to === 5 && m.type === "share" ? { ...m, share: scalarToBytes(1n) } : m),
      outbound: (self, round, out) => (self === 3 && round === 3 ? [] : out),
    });
    const rs = results(run, 3);
    assert.deepEqual(rs[0]?.qualified, without(3));
    assertWorkingKey(rs, without(3, 4, 6, 7, 8).slice(0, 11));
  });

  it("a dealer broadcasting two different answers is disqualified by everyone, whatever the arrival order", () => {
    const run = runDkg({
      tamper: (from, to, m) => (from === 3 && to === 5 && m.type === "share" ? { ...m, share: scalarToBytes(7n) } : m),
      outbound: (self, round, out) => {
        if (self !== 3 || round !== 3) return out;
        const real = out[0] as (typeof out)[0];
        if (real.message.type !== "answer") return out;
        const other = {
          ...real,
          message: { ...real.message, revealed: [{ recipient: 5, share: scalarToBytes(99n) }] },
        };
        return [real, other];
      },
    });
    const rs = results(run, 3);
    assert.deepEqual(rs[0]?.qualified, without(3));
    assertWorkingKey(rs, without(3, 1, 2, 4, 6));
    assert.ok(run.network.rejected.some((r) => r.error.type.code === "ERR_DKG_EQUIVOCATION"));
  });

  it("bad commitment (a point replaced, PoP no longer matches): disqualified by everyone", () => {
    const run = runDkg({
      outbound: (self, round, out) =>
        self === 4 && round === 1
          ? out.map((o) =>
              o.message.type === "commitment"
                ? {
                    ...o,
                    message: {
                      ...o.message,
                      commitments: [...o.message.commitments.slice(0, 10), o.message.commitments[0] as Uint8Array],
                    },
                  }
                : o,
            )
          : out,
    });
    const rs = results(run);
    assert.deepEqual(rs[0]?.qualified, without(4));
    assertWorkingKey(rs, without(1, 2, 3, 5, 6));
  });

  it("bad PoP (a valid signature over another message): disqualified", () => {
    const other = runDkg({ n: 2, t: 2, seed: "pop" }).participants.get(1) as DkgParticipant;
    const foreignPop = (
      other as unknown as { ceremony: { commitments: Map<number, { message: { pop: Uint8Array } }> } }
    ).ceremony.commitments.get(1)?.message.pop as Uint8Array;
    const run = runDkg({
      outbound: (self, round, out) =>
        self === 6 && round === 1
          ? out.map((o) => (o.message.type === "commitment" ? { ...o, message: { ...o.message, pop: foreignPop } } : o))
          : out,
    });
    const rs = results(run);
    assert.deepEqual(rs[0]?.qualified, without(6));
    assertWorkingKey(rs, without(6, 1, 2, 3, 4));
  });

  it("silent dealer: disqualified, the others finish", () => {
    const run = runDkg({ outbound: (self, round, out) => (self === 7 && round === 1 ? [] : out) });
    const rs = results(run);
    assert.deepEqual(rs[0]?.qualified, without(7));
    assertWorkingKey(rs, without(7, 1, 2, 3, 4));
  });

  it("equivocating dealer that answers: the answered commitment wins, everyone gets a consistent share", () => {
    const participants = operators(16);
    const twin = new DkgParticipant(
      { sessionId: sessionFor(participants), participants, threshold: 11, self: 8 },
      seededRandom("twin"),
    );
    const alt = twin.start();
    const altFor = (to: number, type: DkgMessage["type"]): DkgMessage | undefined =>
      alt.find((o) => o.message.type === type && (o.to === "all" || o.to === to))?.message;
    const run = runDkg({
      tamper: (from, to, m) =>
        from === 8 && to % 2 === 0 && (m.type === "commitment" || m.type === "share") ? (altFor(to, m.type) ?? m) : m,
    });
    assert.equal(run.aborted.size, 0);
    const rs = results(run);
    assert.deepEqual(rs[0]?.qualified, ALL);
    assertWorkingKey(rs, [2, 4, 6, 8, 10, 12, 14, 16, 1, 3, 5]);
  });

  it("equivocating dealer that stays silent afterwards: disqualified", () => {
    const participants = operators(16);
    const twin = new DkgParticipant(
      { sessionId: sessionFor(participants), participants, threshold: 11, self: 8 },
      seededRandom("twin"),
    );
    const alt = twin.start();
    const run = runDkg({
      tamper: (from, to, m) => {
        if (from !== 8 || to % 2 !== 0) return m;
        if (m.type === "commitment") return alt[0]?.message as DkgMessage;
        if (m.type === "share") return alt.find((o) => o.to === to)?.message as DkgMessage;
        return m;
      },
      outbound: (self, round, out) => (self === 8 && round === 3 ? [] : out),
    });
    const rs = results(run, 8);
    assert.deepEqual(rs[0]?.qualified, without(8));
    assertWorkingKey(rs, without(8, 9, 10, 11, 12));
  });

  it("a false complaint is answered and changes nothing", () => {
    const run = runDkg({
      tamper: (from, _to, m) =>
        from === 9 && m.type === "complaints"
          ? { ...m, views: m.views.map((v, i) => (i === 1 ? { ...v, complaint: true } : v)) }
          : m,
    });
    const rs = results(run);
    assert.deepEqual(rs[0]?.qualified, ALL);
    assertWorkingKey(rs, without(1, 3, 4, 5, 6));
  });

  it("a member silent after dealing (no complaints, no answer) stays a qualified dealer", () => {
    const run = runDkg({ outbound: (self, round, out) => (self === 10 && round > 1 ? [] : out) });
    assert.equal(run.aborted.size, 0);
    const rs = results(run);
    assert.deepEqual(rs[0]?.qualified, ALL);
    assertWorkingKey(rs, without(1, 2, 3, 4, 5));
  });

  it("aborts cleanly when fewer than t dealers remain", () => {
    const silent = new Set([1, 2, 3, 4, 5, 6]);
    const run = runDkg({ outbound: (self, round, out) => (silent.has(self) && round === 1 ? [] : out) });
    assert.equal(run.aborted.size, 16);
    for (const [id, e] of run.aborted) {
      assert.ok(e instanceof DkgAbortedError, `participant ${id}`);
      assert.equal(e.type.reason, "insufficient_qualified_dealers");
      assert.equal(e.type.qualified, "7,8,9,10,11,12,13,14,15,16");
      const p = run.participants.get(id) as DkgParticipant;
      assert.equal(p.phase, "aborted");
      assert.equal(p.result(), undefined);
      assert.equal(p.failure(), e);
    }
  });

  it("5 silent dealers still leave exactly t = 11 and a working key", () => {
    const silent = new Set([12, 13, 14, 15, 16]);
    const run = runDkg({ outbound: (self, round, out) => (silent.has(self) && round === 1 ? [] : out) });
    const rs = results(run);
    assert.deepEqual(rs[0]?.qualified, without(12, 13, 14, 15, 16));
    assertWorkingKey(rs, without(1, 2, 3, 4, 5));
  });
});
