/**
 * Property test over random schedules (delays, drops before GST, clock skew, diverging local views, crashes and
 * restarts, byzantine operators) for both protocols.
 *
 * Safety, always: no honest operator signs two different values for the duty, and no decision is ever refused by the
 * persistent signing record (the state machine consults it before deciding). With ≤ 5 byzantine operators, at most one
 * value can reach the 11-signature threshold.
 * Liveness, under the protocol's assumptions: QBFT with ≤ 5 faulty operators decides one value on every honest
 * operator that is up at the end (restarted ones included); one-round with ≤ 5 faulty operators, no message loss, delays below the round timeout and no equivocating
 * leader brings one value to the threshold.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { doubleSigners, leader, signersByValue, slashableSigners, thresholdValues } from "./scenarios.ts";
import {
  attestationOf,
  type ByzantineKind,
  isSlashablePair,
  N,
  QUORUM,
  type Schedule,
  type SimAttestation,
  type SimResult,
  simulate,
  VALUES,
} from "./sim.ts";

const RUNS = Number(process.env.AGREEMENT_PROPERTY_RUNS ?? 1000);
const SEED =
  process.env.AGREEMENT_PROPERTY_SEED === undefined ? undefined : Number(process.env.AGREEMENT_PROPERTY_SEED);

/** Byzantine operators are drawn with a bias towards the first leaders, where they do the most harm. */
const nodeArb = fc.oneof(fc.constantFrom(leader(1), leader(2), leader(3)), fc.integer({ min: 0, max: N - 1 }));

const scheduleArb: fc.Arbitrary<Schedule> = fc
  .record({
    protocol: fc.constantFrom("one-round" as const, "qbft" as const),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    baseDelayMs: fc.integer({ min: 1, max: 30 }),
    jitterMs: fc.integer({ min: 0, max: 60 }),
    dropRate: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true })),
    gstMs: fc.integer({ min: 0, max: 1500 }),
    startSkewMs: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: N, maxLength: N }),
    localValue: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: N, maxLength: N }),
    crashes: fc.uniqueArray(
      fc.record({
        node: nodeArb,
        atMs: fc.integer({ min: 0, max: 1500 }),
        restartAfterMs: fc.option(fc.integer({ min: 0, max: 1500 }), { nil: undefined }),
      }),
      { maxLength: 6, selector: (c) => c.node },
    ),
    byzantine: fc.uniqueArray(
      fc.record({
        node: nodeArb,
        kind: fc.constantFrom<ByzantineKind>("equivocate", "garbage", "replay", "silent", "invalid"),
      }),
      { maxLength: 6, selector: (b) => b.node },
    ),
  })
  .map(({ crashes, byzantine, ...rest }) => ({
    ...rest,
    crashes: crashes.map(({ node, atMs, restartAfterMs }) => ({
      node,
      atMs,
      ...(restartAfterMs === undefined ? {} : { restartAtMs: atMs + restartAfterMs }),
    })),
    // A byzantine operator is not also scheduled to crash (keeps the fault count exact).
    byzantine: byzantine.filter((b) => !crashes.some((c) => c.node === b.node)),
  }));

function faultyCount(s: Schedule): number {
  return new Set([...s.crashes.map((c) => c.node), ...s.byzantine.map((b) => b.node)]).size;
}

function checkSchedule(s: Schedule): SimResult {
  const r = simulate(s);
  assert.deepEqual(doubleSigners(r), [], "an honest operator signed two values");
  assert.deepEqual(slashableSigners(r), [], "an honest operator signed a slashable pair");
  assert.equal(r.refusedByRecord, 0, "a decision conflicted with the operator's signing record");
  if (s.byzantine.length <= N - QUORUM) {
    // Two threshold signatures need 2·11 − 16 = 6 operators signing both values: more than 5 byzantine.
    assert.ok(thresholdValues(r).length <= 1, "two values reached the threshold");
  }
  if (faultyCount(s) > N - QUORUM) return r;
  if (s.protocol === "qbft") {
    const values = signersByValue(r);
    assert.equal(values.size, 1, `QBFT honest operators decided ${values.size} values`);
    // Operators down at the end are excused; restarted ones catch up from a decided operator's proof.
    const down = new Set(s.crashes.filter((c) => c.restartAtMs === undefined).map((c) => c.node));
    for (let i = 0; i < N; i++) {
      if (r.byzantine.has(i) || down.has(i)) continue;
      assert.ok((r.signed[i]?.length ?? 0) > 0, `QBFT operator ${i} never decided`);
    }
    return r;
  }
  const lossless = s.dropRate === 0 || s.gstMs === 0;
  const equivocation = s.byzantine.some((b) => b.kind === "equivocate");
  if (lossless && !equivocation) {
    assert.equal(thresholdValues(r).length, 1, "one-round: no value reached the threshold");
  }
  return r;
}

/** How the restarts of a schedule fell relative to the restarted operator's signing. */
function restartKinds(
  s: Schedule,
  r: SimResult,
): { afterSigning: boolean; signedAgain: boolean; beforeSigning: boolean } {
  let afterSigning = false;
  let signedAgain = false;
  let beforeSigning = false;
  for (const c of s.crashes) {
    if (c.restartAtMs === undefined) continue;
    const first = r.signedAt[c.node];
    if (first !== undefined && first <= c.atMs) {
      // The restarted process starts from the persistent record only: what it signs now must not conflict.
      afterSigning = true;
      if ((r.signed[c.node]?.length ?? 0) > 1) signedAgain = true;
    } else beforeSigning = true;
  }
  return { afterSigning, signedAgain, beforeSigning };
}

describe("agreement property: random schedules", () => {
  it(`holds safety (and liveness under its assumptions) over ${RUNS} schedules`, (t) => {
    const restarts = { afterSigning: 0, signedAgain: 0, beforeSigning: 0 };
    fc.assert(
      fc.property(scheduleArb, (s) => {
        const kinds = restartKinds(s, checkSchedule(s));
        for (const k of ["afterSigning", "signedAgain", "beforeSigning"] as const) if (kinds[k]) restarts[k]++;
      }),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    // The schedules must exercise restarts both before and after an operator signed, and restarted operators that
    // sign again from their persistent record alone (the kill -9 and restart case), or the property says little.
    t.diagnostic(`schedules with restarts: ${JSON.stringify(restarts)}`);
    if (RUNS >= 1000) {
      assert.ok(restarts.afterSigning >= RUNS / 20, `restarts after signing: ${JSON.stringify(restarts)}`);
      assert.ok(restarts.signedAgain >= RUNS / 50, `restarted operators signing again: ${JSON.stringify(restarts)}`);
      assert.ok(restarts.beforeSigning >= RUNS / 20, `restarts before signing: ${JSON.stringify(restarts)}`);
    }
  });

  it("uses values whose every pair is slashable, so the slashing assertion can fail", () => {
    const atts = VALUES.map((v) => attestationOf(v));
    for (let x = 0; x < atts.length; x++) {
      for (let y = x + 1; y < atts.length; y++) {
        assert.ok(isSlashablePair(atts[x] as SimAttestation, atts[y] as SimAttestation), `values ${x} and ${y}`);
      }
    }
  });

  it("counts faulty operators once even if crashed and byzantine sets overlap", () => {
    const s = { crashes: [{ node: 1, atMs: 0 }], byzantine: [{ node: 1, kind: "silent" as const }] };
    assert.equal(faultyCount(s as unknown as Schedule), 1);
  });
});
