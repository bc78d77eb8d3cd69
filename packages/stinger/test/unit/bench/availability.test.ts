import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { meanInterval, wilson } from "../../../bench/availability/effectiveness.ts";
import { measuredUptime, outageSchedule, prng } from "../../../bench/availability/outages.ts";
import { downLeaderRun, formatTimeline, pipelineTimeline } from "../../../bench/availability/timeline.ts";
import { planRuns } from "../../../bench/availability.ts";
import { leaderOf, leaderOffset } from "../../../src/core/agreement/leader.ts";

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
    assert.throws(() => planRuns({ quick: false, down: 5 }), /needs clusters of more operators \(got 4\)/);
    assert.equal(planRuns({ quick: false, down: 5, clusters: "16/11" }).length, 2);
  });

  it("pipeline timeline: attestation steps grouped by the run of down leaders from round 1, median over nodes", () => {
    const clusterId = new Uint8Array(32).fill(3);
    const duty = { slot: 17, type: "attester", validator: 40 };
    const offset = leaderOffset(clusterId, { ...duty, type: "attester" }, 16);
    const first = leaderOf(offset, 1, 16);
    const second = leaderOf(offset, 2, 16);
    assert.equal(
      downLeaderRun(clusterId, duty, 16, () => false),
      0,
    );
    assert.equal(
      downLeaderRun(clusterId, duty, 16, (op) => op === first),
      1,
    );
    assert.equal(
      downLeaderRun(clusterId, duty, 16, (op) => op === first || op === second),
      2,
    );
    assert.equal(
      downLeaderRun(clusterId, duty, 16, (op) => op === second),
      0,
      "round 1's leader was up",
    );
    assert.equal(
      downLeaderRun(clusterId, duty, 16, () => true),
      16,
    );
    const rec = (slot: number, decided: number, type = "attester") => ({
      slot,
      type,
      validator: 40,
      steps: { fetcher: 0.1, agreement: decided, sigagg: decided + 0.2 },
    });
    // Duty 1 (leader up): three nodes decided at 0.3, 0.4, 9 (a straggler) → median 0.4. Duty 2 (leader down): 1.0.
    const records = [rec(1, 0.3), rec(1, 0.4), rec(1, 9), rec(2, 1.0), rec(2, 1.0), rec(3, 5, "sync_message")];
    const rows = pipelineTimeline(records, (d) => (d.slot === 2 ? 1 : 0));
    assert.deepEqual(
      rows.map((r) => [r.downLeaders, r.duties, r.steps.agreement?.p50, r.steps.broadcast]),
      [
        [0, 1, 0.4, undefined],
        [1, 1, 1.0, undefined],
      ],
    );
    assert.equal(pipelineTimeline(records, () => 7)[0]?.downLeaders, 3, "long runs grouped as ≥ 3");
    assert.match(formatTimeline("11-of-16 one-round", rows), /\| 1 \| 1 \| 0\.10 \/ 0\.10 \| 1\.00 \/ 1\.00 \| — \|/);
  });
});
