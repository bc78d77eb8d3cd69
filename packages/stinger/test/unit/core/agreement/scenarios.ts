/** Shared schedule builders and outcome helpers for the agreement tests. */
import { leaderOf, leaderOffset } from "../../../../src/core/agreement/leader.ts";
import type { AgreementProtocol } from "../../../../src/core/agreement/types.ts";
import { attestationOf, CLUSTER_ID, DUTY, isSlashablePair, N, QUORUM, type Schedule, type SimResult } from "./sim.ts";

export const OFFSET = leaderOffset(CLUSTER_ID, DUTY, N);
export const leader = (round: number): number => leaderOf(OFFSET, round, N);

export function schedule(protocol: AgreementProtocol, overrides: Partial<Schedule> = {}): Schedule {
  return {
    protocol,
    seed: 1,
    baseDelayMs: 5,
    jitterMs: 10,
    dropRate: 0,
    gstMs: 0,
    startSkewMs: new Array(N).fill(0),
    localValue: Array.from({ length: N }, (_, i) => i % 3),
    crashes: [],
    byzantine: [],
    ...overrides,
  };
}

/** Number of signers per distinct value (hex), counting each operator once per value. */
export function signersByValue(r: SimResult): Map<string, number> {
  const m = new Map<string, number>();
  r.signed.forEach((values, i) => {
    if (r.byzantine.has(i)) return;
    for (const v of new Set(values.map((x) => Buffer.from(x).toString("hex")))) m.set(v, (m.get(v) ?? 0) + 1);
  });
  return m;
}

/** Values that honest signers alone bring to the threshold. */
export function thresholdValues(r: SimResult): string[] {
  return [...signersByValue(r)].filter(([, c]) => c >= QUORUM).map(([v]) => v);
}

/** Honest operators that signed two different values (must always be empty). */
export function doubleSigners(r: SimResult): number[] {
  return r.signed
    .map((vs, i) => ({ i, distinct: new Set(vs.map((x) => Buffer.from(x).toString("hex"))).size }))
    .filter(({ i, distinct }) => !r.byzantine.has(i) && distinct > 1)
    .map(({ i }) => i);
}

/** Honest operators that signed a slashable pair of attestations (must always be empty). */
export function slashableSigners(r: SimResult): number[] {
  const out: number[] = [];
  r.signed.forEach((values, i) => {
    if (r.byzantine.has(i)) return;
    const atts = values.map(attestationOf);
    const slashable = atts.some((a, x) => atts.some((b, y) => x < y && a && b && isSlashablePair(a, b)));
    if (slashable) out.push(i);
  });
  return out;
}
