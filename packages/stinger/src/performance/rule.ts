import type { PerformanceStatement, PerformanceSubject, PerformanceView } from "@nektar/crypto";

/** The lower median: the ⌈k/2⌉-th smallest of k values (deterministic for even k, and never above the median). */
export function lowerMedian(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1] as number;
}

/**
 * The statement rule: one deterministic function from a set of member views to the statement, so every member that
 * holds the same views computes the same bytes. For share index s:
 *
 *   expected[s]    = lowerMedian(duties of the views of every member except s)
 *   contributed[s] = min(expected[s], lowerMedian(contributed[s] in the views of every member except s))
 *
 * A member's testimony about its **own** share is never used: lying about its own contribution changes nothing. About
 * another share its value is one of ≥ threshold − 1 values whose median is taken: when the honest members agree on a
 * share, fewer than half of the other views cannot move that share's entry at all; when honest views differ (each saw
 * a slightly different arrival order), the entry stays between the smallest and the largest honest value.
 *
 * `views` must be distinct members' views of `subject` (checked by the agreement step); share count n is the length
 * of their `contributed` arrays.
 */
export function statementFromViews(
  subject: PerformanceSubject,
  views: readonly PerformanceView[],
): PerformanceStatement {
  const n = views[0]?.contributed.length ?? 0;
  const expected: number[] = [];
  const contributed: number[] = [];
  for (let s = 1; s <= n; s++) {
    const others = views.filter((v) => v.shareIndex !== s);
    const e = lowerMedian(others.map((v) => v.duties));
    expected.push(e);
    contributed.push(Math.min(e, lowerMedian(others.map((v) => v.contributed[s - 1] ?? 0))));
  }
  return {
    chainId: subject.chainId,
    oracle: subject.oracle,
    validatorPubkey: subject.validatorPubkey,
    frame: subject.frame,
    expected,
    contributed,
  };
}
