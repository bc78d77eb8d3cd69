/**
 * How much of a loss is the pipeline: per attestation duty, when each step finished (seconds from the slot start,
 * the median over the nodes that recorded it), grouped by how many of the duty's first agreement rounds had a down
 * leader. One-round and QBFT both rotate the leader `(offset + round) mod n` (`core/agreement/leader.ts`), so a duty
 * whose first j leaders were down waits j rounds before an up leader can propose.
 */
import { leaderOf, leaderOffset } from "../../src/core/agreement/leader.ts";
import { DutyType } from "../../src/core/interfaces.ts";
import { PipelineStep } from "../../src/core/tracker/tracker.ts";

/** A node's record of one duty: seconds from the slot start at which each step finished there. */
export type StepRecord = {
  readonly slot: number;
  readonly type: string;
  readonly validator: number;
  readonly steps: Readonly<Record<string, number>>;
};

export const TIMELINE_STEPS = [
  PipelineStep.fetched,
  PipelineStep.decided,
  PipelineStep.signed,
  PipelineStep.aggregated,
  PipelineStep.broadcast,
] as const;

export type TimelineRow = {
  /** Consecutive down leaders from round 1 (0: the first-round leader was up); the last group is "at least". */
  downLeaders: number;
  duties: number;
  /** Per step: median and 90th percentile over the group's duties of the per-duty median over nodes (seconds). */
  steps: Record<(typeof TIMELINE_STEPS)[number], { p50: number; p90: number } | undefined>;
};

/** Consecutive rounds from round 1 whose leader (0-based operator) is down, at most `operators`. */
export function downLeaderRun(
  clusterId: Uint8Array,
  duty: { slot: number; type: string; validator: number },
  operators: number,
  isDown: (operator: number) => boolean,
): number {
  const offset = leaderOffset(clusterId, duty as Parameters<typeof leaderOffset>[1], operators);
  let j = 0;
  while (j < operators && isDown(leaderOf(offset, j + 1, operators))) j++;
  return j;
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

/**
 * Groups the attestation duties of `records` (every node's, any order; several per duty) by their run of down
 * leaders (`downLeadersOf`), groups of `maxGroup` or more together.
 */
export function pipelineTimeline(
  records: readonly StepRecord[],
  downLeadersOf: (duty: { slot: number; type: string; validator: number }) => number,
  maxGroup = 3,
): TimelineRow[] {
  const byDuty = new Map<string, StepRecord[]>();
  for (const r of records) {
    if (r.type !== DutyType.attester) continue;
    const key = `${r.slot}/${r.validator}`;
    byDuty.set(key, [...(byDuty.get(key) ?? []), r]);
  }
  const groups = new Map<number, { duties: number; times: Map<string, number[]> }>();
  for (const rs of byDuty.values()) {
    const g = Math.min(maxGroup, downLeadersOf(rs[0] as StepRecord));
    const group = groups.get(g) ?? { duties: 0, times: new Map<string, number[]>() };
    groups.set(g, group);
    group.duties++;
    for (const step of TIMELINE_STEPS) {
      const times = rs.map((r) => r.steps[step]).filter((t): t is number => t !== undefined);
      if (times.length > 0) group.times.set(step, [...(group.times.get(step) ?? []), median(times)]);
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([downLeaders, group]) => {
      const steps = {} as TimelineRow["steps"];
      for (const step of TIMELINE_STEPS) {
        const xs = [...(group.times.get(step) ?? [])].sort((a, b) => a - b);
        steps[step] = xs.length === 0 ? undefined : { p50: quantile(xs, 0.5), p90: quantile(xs, 0.9) };
      }
      return { downLeaders, duties: group.duties, steps };
    });
}

/** Markdown table of a run's timeline. */
export function formatTimeline(label: string, rows: readonly TimelineRow[], maxGroup = 3): string {
  const s = (x: { p50: number; p90: number } | undefined) =>
    x === undefined ? "—" : `${x.p50.toFixed(2)} / ${x.p90.toFixed(2)}`;
  const lines = [
    `| ${label}: down leaders before an up one | attestations | fetched | decided | signed | combined | broadcast |`,
    "|---|---|---|---|---|---|---|",
  ];
  for (const r of rows)
    lines.push(
      `| ${r.downLeaders >= maxGroup ? `≥ ${maxGroup}` : r.downLeaders} | ${r.duties} | ` +
        TIMELINE_STEPS.map((step) => s(r.steps[step])).join(" | ") +
        " |",
    );
  return lines.join("\n");
}
