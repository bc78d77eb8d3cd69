import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { doubleSigners, leader, schedule, signersByValue, thresholdValues } from "./scenarios.ts";
import { N, simulate, VALUES } from "./sim.ts";

const hexOf = (v: Uint8Array) => Buffer.from(v).toString("hex");

/** QBFT's agreement property: every honest decision is the same value. */
function assertAgreement(r: ReturnType<typeof simulate>, expectDeciders: number): string {
  const values = signersByValue(r);
  assert.equal(values.size, 1, `honest operators decided ${values.size} different values`);
  const [[value, count]] = [...values] as [[string, number]];
  assert.ok(count >= expectDeciders, `only ${count} operators decided`);
  return value;
}

describe("QBFT agreement", () => {
  it("decides the round-1 leader's value on every operator in three message delays", () => {
    const s = schedule("qbft");
    const r = simulate(s);
    assert.equal(assertAgreement(r, N), hexOf(VALUES[s.localValue[leader(1)] as number] as Uint8Array));
    const maxHop = s.baseDelayMs + s.jitterMs;
    for (const t of r.signedAt) assert.ok(t !== undefined && t >= 3 * s.baseDelayMs && t <= 3 * maxHop);
  });

  it("changes round past a crashed leader and decides", () => {
    const r = simulate(schedule("qbft", { crashes: [{ node: leader(1), atMs: 0 }] }));
    assertAgreement(r, N - 1);
    assert.ok(Math.min(...r.signedAt.filter((t) => t !== undefined)) >= 200);
  });

  it("tolerates 5 crashed operators including two consecutive leaders", () => {
    const down = [leader(1), leader(2), leader(4), leader(7), leader(9)];
    const r = simulate(schedule("qbft", { crashes: down.map((node) => ({ node, atMs: 0 })) }));
    assertAgreement(r, N - 5);
  });

  it("decides one value under an equivocating leader that also double-votes", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const r = simulate(schedule("qbft", { seed, byzantine: [{ node: leader(1), kind: "equivocate" }] }));
      assertAgreement(r, N - 1);
      assert.deepEqual(doubleSigners(r), []);
    }
  });

  it("keeps a prepared value across round changes under message loss", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = simulate(schedule("qbft", { seed, dropRate: 0.4, gstMs: 1500, jitterMs: 150 }));
      assert.deepEqual(doubleSigners(r), []);
      assertAgreement(r, N);
    }
  });

  it("completes despite garbage, forged and replayed messages from 5 operators", () => {
    const bad = [0, 1, 2, 3, 4].map((k) => (leader(1) + 3 + k) % N);
    const r = simulate(
      schedule("qbft", {
        byzantine: bad.map((node, k) => ({ node, kind: k < 3 ? ("garbage" as const) : ("replay" as const) })),
      }),
    );
    assertAgreement(r, N - 5);
    assert.ok(r.faults.some((f) => f.fault.reason === "bad_signature"));
  });

  it("lets an operator that restarts after the decision catch up from a decided operator's proof", () => {
    const late = leader(5);
    const r = simulate(schedule("qbft", { crashes: [{ node: late, atMs: 0, restartAtMs: 1000 }] }));
    assertAgreement(r, N);
    const at = r.signedAt[late];
    assert.ok(at !== undefined && at > 1000 && at < 1000 + 200 + 100, `restarted operator decided at ${at}`);
  });

  it("decides nothing when 6 operators are down", () => {
    const down = [0, 1, 2, 3, 4, 5].map((k) => (leader(1) + 1 + k) % N);
    const r = simulate(schedule("qbft", { crashes: down.map((node) => ({ node, atMs: 0 })) }));
    assert.deepEqual(thresholdValues(r), []);
    assert.ok(r.signed.every((v) => v.length === 0));
  });
});
