/**
 * The availability bench's quick mode end to end (about a minute): the real pipeline of 16 in-process nodes on the
 * beacon devnet with outages, measured through the rewards endpoints. In `test:slow`; its pure parts are unit tests.
 */
import "@nektar/beacon-devnet";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { earnedFraction } from "../../bench/availability/effectiveness.ts";
import { runAvailability } from "../../bench/availability/run.ts";
import { formatTable, planRuns } from "../../bench/availability.ts";

describe("availability bench, quick mode", () => {
  it("quick mode runs the real pipeline with outages and measures it through the rewards endpoints", {
    timeout: 600_000,
  }, async () => {
    const [run] = planRuns({ quick: true });
    assert.ok(run !== undefined);
    const r = await runAvailability(run);
    const epochs = r.epochs[1] - r.epochs[0] + 1;
    // Every attestation duty of the window is accounted for, the cluster's and the devnet's own validators'.
    assert.equal(r.measured.attestations.duties, run.validators * epochs);
    assert.equal(r.reference.attestations.duties, run.interop * epochs);
    assert.ok(r.reference.attestations.ideal > 0);
    assert.ok(r.measured.attestations.succeeded <= r.measured.attestations.duties);
    assert.equal(r.measured.perEpoch.length, epochs);
    const earned = earnedFraction(r.measured);
    assert.ok(earned <= 1 + 1e-9 && earned > -1, `earned ${earned}`);
    assert.ok(r.uptime > 0 && r.uptime <= 1);
    assert.match(formatTable([r]), /\| 11-of-16 \| one-round \|/);
  });
});
