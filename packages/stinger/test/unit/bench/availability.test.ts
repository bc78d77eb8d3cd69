import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { meanInterval, wilson } from "../../../bench/availability/effectiveness.ts";
import { measuredUptime, outageSchedule, prng } from "../../../bench/availability/outages.ts";
import { planRuns } from "../../../bench/availability.ts";

describe("availability bench", () => {
  it("outage schedule: nodes are down 1 − uptime of the time in outages of the requested mean length", () => {
    const schedule = outageSchedule(16, 20_000, { uptime: 0.95, meanOutageSlots: 8 }, prng(7));
    assert.ok(Math.abs(measuredUptime(schedule) - 0.95) < 0.01, `uptime ${measuredUptime(schedule)}`);
    let outages = 0;
    let downSlots = 0;
    for (const node of schedule)
      node.forEach((down, k) => {
        if (down) downSlots++;
        if (down && (k === 0 || !node[k - 1])) outages++;
      });
    const mean = downSlots / outages;
    assert.ok(mean > 6 && mean < 10, `mean outage ${mean} slots`);
    assert.equal(measuredUptime(outageSchedule(4, 100, { uptime: 1, meanOutageSlots: 8 }, prng(1))), 1);
    assert.throws(() => outageSchedule(4, 10, { uptime: 0, meanOutageSlots: 8 }, prng(1)), RangeError);
    assert.throws(() => outageSchedule(4, 10, { uptime: 0.9, meanOutageSlots: 0 }, prng(1)), RangeError);
  });

  it("intervals: Wilson for success rates, normal over epochs for the earned fraction", () => {
    const [lo, hi] = wilson(9999, 10_000);
    assert.ok(lo < 0.9999 && hi > 0.9999 && hi <= 1 && lo > 0.999);
    const [zlo, zhi] = wilson(0, 10);
    assert.equal(zlo, 0);
    assert.ok(zhi > 0.2 && zhi < 0.35);
    const m = meanInterval([1, 0.5, 1, 1]);
    assert.equal(m.mean, 0.875);
    assert.ok(m.low < 0.875 && m.high > 0.875);
    assert.throws(() => planRuns({ quick: true, clusters: "11/16" }), RangeError);
    assert.throws(() => planRuns({ quick: true, protocols: "pbft" }), RangeError);
    assert.equal(planRuns({ quick: false }).length, 6);
  });
});
