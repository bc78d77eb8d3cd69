import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { leaderOf, leaderOffset } from "../../../../src/core/agreement/leader.ts";
import { CLUSTER_ID, DUTY, N } from "./sim.ts";

describe("leader rotation", () => {
  it("is deterministic and visits every operator once in n consecutive rounds", () => {
    const offset = leaderOffset(CLUSTER_ID, DUTY, N);
    assert.equal(offset, leaderOffset(CLUSTER_ID, { ...DUTY }, N));
    const leaders = new Set(Array.from({ length: N }, (_, r) => leaderOf(offset, r + 1, N)));
    assert.equal(leaders.size, N);
  });

  it("spreads round-1 leadership across operators for different slots and clusters", () => {
    const counts = new Array(N).fill(0);
    for (let slot = 0; slot < 1600; slot++) counts[leaderOf(leaderOffset(CLUSTER_ID, { ...DUTY, slot }, N), 1, N)]++;
    for (const c of counts) assert.ok(c > 50 && c < 150, `skewed leader distribution ${counts}`);
    const other = new Uint8Array(32).fill(8);
    const differs = Array.from({ length: 64 }, (_, slot) => slot).some(
      (slot) => leaderOffset(CLUSTER_ID, { ...DUTY, slot }, N) !== leaderOffset(other, { ...DUTY, slot }, N),
    );
    assert.ok(differs, "cluster id does not influence the leader");
  });
});
