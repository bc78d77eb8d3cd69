import { FrameCounters, type ValidatorCounts } from "../../../src/performance/counters.ts";
import { prng } from "../core/agreement/sim.ts";
import { N, THRESHOLD } from "./cluster.ts";

export type Scenario = {
  duties: number;
  /** Share indices that sent no partial at all during the frame. */
  offline?: readonly number[];
  /** Share indices whose partials arrive late (sorted last in most members' arrival orders). */
  slow?: readonly number[];
  /** Members (share indices) down for the first `down` duties of the frame: they combine nothing then. */
  down?: Readonly<Record<number, number>>;
  /** Every member combines the same partials (one arrival order, own partial not first): identical honest views. */
  sameOrder?: boolean;
  seed?: number;
};

/**
 * Every member's counts for one validator over a frame (undefined for an offline member, which sends no view), through the real {@link FrameCounters}: per duty each member
 * combines the first `THRESHOLD` partials in its own arrival order (its `used` set), as `ThresholdSigAgg` does.
 */
/** The simulated validator's beacon index. */
export const VALIDATOR = 7;

export function simulateViews(s: Scenario): (ValidatorCounts | undefined)[] {
  const rnd = prng(s.seed ?? 1);
  const members = Array.from({ length: N }, () => new FrameCounters(0, N));
  for (let d = 0; d < s.duties; d++) {
    const online = Array.from({ length: N }, (_, i) => i + 1).filter((i) => !s.offline?.includes(i));
    const delay = new Map(online.map((i) => [i, rnd() + (s.slow?.includes(i) ? 0.8 : 0)]));
    for (let m = 1; m <= N; m++) {
      if (d < (s.down?.[m] ?? 0) || s.offline?.includes(m)) continue;
      // Gossip jitter: each member sees the partials in a slightly different order, its own first.
      const seen = (i: number) => (delay.get(i) as number) + (s.sameOrder ? 0 : rnd() * 0.3 - (i === m ? 10 : 0));
      const order = [...online].sort((a, b) => seen(a) - seen(b));
      (members[m - 1] as FrameCounters).add(VALIDATOR, order.slice(0, THRESHOLD));
    }
  }
  return members.map((c, i) =>
    s.offline?.includes(i + 1)
      ? undefined
      : (c.get(VALIDATOR) ?? { duties: 0, contributed: new Array<number>(N).fill(0) }),
  );
}
