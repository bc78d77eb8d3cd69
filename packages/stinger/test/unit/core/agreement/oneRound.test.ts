import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeBody, encodeEnvelope, MessageKind } from "../../../../src/core/agreement/codec.ts";
import { createAgreement } from "../../../../src/core/agreement/create.ts";
import { doubleSigners, leader, schedule, thresholdValues } from "./scenarios.ts";
import { CLUSTER_ID, config, DUTY, N, signAs, simulate, VALUES, verifyAs } from "./sim.ts";

const hexOf = (v: Uint8Array) => Buffer.from(v).toString("hex");

describe("one-round agreement", () => {
  it("decides the round-1 leader's value on every operator after one message delay", () => {
    const s = schedule("one-round");
    const r = simulate(s);
    const leaderValue = VALUES[s.localValue[leader(1)] as number] as Uint8Array;
    assert.deepEqual(thresholdValues(r), [hexOf(leaderValue)]);
    for (let i = 0; i < N; i++)
      assert.ok((r.signedAt[i] ?? Infinity) <= s.baseDelayMs + s.jitterMs, `operator ${i} late`);
  });

  it("skips a silent leader when its round times out", () => {
    const s = schedule("one-round", { byzantine: [{ node: leader(1), kind: "silent" }] });
    const r = simulate(s);
    assert.deepEqual(thresholdValues(r), [hexOf(VALUES[s.localValue[leader(2)] as number] as Uint8Array)]);
    const first = Math.min(...r.signedAt.filter((t) => t !== undefined));
    assert.ok(first >= 200, "decided before the round-1 timeout");
  });

  it("rejects an invalid proposal, attributes it to the leader and moves on", () => {
    const s = schedule("one-round", { byzantine: [{ node: leader(1), kind: "invalid" }] });
    const r = simulate(s);
    assert.equal(thresholdValues(r).length, 1);
    const culprits = r.faults.filter((f) => f.fault.reason === "invalid_value").map((f) => f.fault.member);
    assert.ok(culprits.length >= 10 && culprits.every((c) => c === leader(1)));
  });

  it("never signs twice under an equivocating leader, and reports the equivocation", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = simulate(schedule("one-round", { seed, byzantine: [{ node: leader(1), kind: "equivocate" }] }));
      assert.deepEqual(doubleSigners(r), []);
      assert.equal(r.refusedByRecord, 0);
      const reported = r.faults.filter((f) => f.fault.reason === "equivocation").map((f) => f.fault.member);
      assert.ok(reported.length > 0 && reported.every((c) => c === leader(1)), `seed ${seed}: not reported`);
    }
  });

  it("completes with garbage, forged and replayed messages from 5 operators and attributes them", () => {
    const bad = [0, 1, 2, 3, 4].map((k) => (leader(1) + 3 + k) % N);
    const r = simulate(
      schedule("one-round", {
        byzantine: bad.map((node, k) => ({ node, kind: k < 3 ? ("garbage" as const) : ("replay" as const) })),
      }),
    );
    assert.equal(thresholdValues(r).length, 1);
    const reasons = new Set(r.faults.map((f) => f.fault.reason));
    assert.ok(reasons.has("malformed") && reasons.has("bad_signature") && reasons.has("wrong_instance"));
    const wrongInstance = r.faults.filter((f) => f.fault.reason === "wrong_instance").map((f) => f.fault.member);
    assert.ok(wrongInstance.every((o) => o !== undefined && bad.includes(o)));
  });

  it("signs the same value again after a restart, never a different one", () => {
    const s = schedule("one-round", {
      byzantine: [{ node: leader(2), kind: "silent" }],
      crashes: [{ node: leader(3), atMs: 50, restartAtMs: 100 }],
    });
    const r = simulate(s);
    assert.deepEqual(doubleSigners(r), []);
    assert.equal(r.refusedByRecord, 0);
    assert.equal(thresholdValues(r).length, 1);
  });

  it("produces no threshold signature when 6 operators are down", () => {
    const down = [0, 1, 2, 3, 4, 5].map((k) => (leader(1) + 1 + k) % N);
    const r = simulate(schedule("one-round", { crashes: down.map((node) => ({ node, atMs: 0 })) }));
    assert.deepEqual(thresholdValues(r), []);
  });

  it("decides at most once even if two rounds' leaders propose different values", () => {
    const self = leader(5);
    const inst = createAgreement({
      config: config("one-round"),
      duty: DUTY,
      selfMember: self,
      localValue: VALUES[0] as Uint8Array,
      isAcceptable: () => true,
      sign: (b) => signAs(self, b),
      verify: verifyAs,
    });
    inst.start(0);
    const proposal = (round: number, value: Uint8Array) => {
      const body = encodeBody({
        kind: MessageKind.proposal,
        clusterId: CLUSTER_ID,
        duty: DUTY,
        round,
        from: leader(round),
        value,
      });
      return encodeEnvelope(body, signAs(leader(round), body));
    };
    const first = inst.receive(proposal(1, VALUES[1] as Uint8Array), 1);
    assert.equal(hexOf(first.decided?.value ?? new Uint8Array()), hexOf(VALUES[1] as Uint8Array));
    assert.equal(first.broadcast.length, 1, "relays the accepted proposal");
    const quiet = createAgreement({
      config: config("one-round", { relayProposals: false }),
      duty: DUTY,
      selfMember: self,
      localValue: VALUES[0] as Uint8Array,
      isAcceptable: () => true,
      sign: (b) => signAs(self, b),
      verify: verifyAs,
    });
    quiet.start(0);
    const quietOut = quiet.receive(proposal(1, VALUES[1] as Uint8Array), 1);
    assert.ok(quietOut.decided !== undefined && quietOut.broadcast.length === 0, "relay must be configurable");
    const second = inst.receive(proposal(2, VALUES[2] as Uint8Array), 2);
    assert.equal(second.decided, undefined);
    assert.equal(hexOf(inst.decision?.value ?? new Uint8Array()), hexOf(VALUES[1] as Uint8Array));
    // The same message again (a replay) changes nothing and is not a fault.
    assert.deepEqual(inst.receive(proposal(1, VALUES[1] as Uint8Array), 3), { broadcast: [], faults: [] });
    const notLeader = encodeBody({
      kind: MessageKind.proposal,
      clusterId: CLUSTER_ID,
      duty: DUTY,
      round: 1,
      from: leader(2),
      value: VALUES[2] as Uint8Array,
    });
    const out = inst.receive(encodeEnvelope(notLeader, signAs(leader(2), notLeader)), 4);
    assert.deepEqual(out.faults, [{ member: leader(2), reason: "not_leader" }]);
  });
});
