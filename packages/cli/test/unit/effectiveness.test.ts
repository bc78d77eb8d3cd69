/**
 * The status screen's rewards line: the distributed validators' earned fraction of a perfect validator's attestation
 * rewards next to the devnet's own, read from the standard rewards endpoint of a simulated chain served over HTTP.
 */
import "@nektar/beacon-devnet";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SLOTS_PER_EPOCH } from "@lodestar/params";
import { serveSimulatedChain } from "@nektar/beacon-devnet";
import { createEffectivenessTracker } from "../../src/devnet/effectiveness.ts";

const ONLINE = 16;
const OFFLINE = 4;

describe("devnet status: effectiveness from the rewards endpoint", () => {
  let served: Awaited<ReturnType<typeof serveSimulatedChain>>;
  before(async () => {
    served = await serveSimulatedChain({ held: ONLINE, unheld: OFFLINE, slots: 4 * SLOTS_PER_EPOCH });
  });
  after(() => served.close());

  it("validators that never attest earn below zero (penalties), the devnet's own at most 100%; only final epochs count", async () => {
    const tracker = createEffectivenessTracker(served.url);
    const offline = Array.from({ length: OFFLINE }, (_, i) => ONLINE + i);
    // At the head of epoch 3 the tracker starts at epoch 3, which is not final: nothing counted yet.
    await tracker.update(served.sim.chain.head.slot, offline);
    assert.deepEqual(tracker.effectiveness(), { dv: undefined, devnet: undefined });
    const fromStart = createEffectivenessTracker(served.url);
    // A tracker started at slot 8 (epoch 1) counts epochs 1 and 2 once the head reaches the end of epoch 3.
    await fromStart.update(SLOTS_PER_EPOCH, offline);
    await fromStart.update(served.sim.chain.head.slot, offline);
    const e = fromStart.effectiveness();
    assert.ok(e.dv !== undefined && e.dv < 0, `offline validators: ${e.dv}`);
    assert.ok(e.devnet !== undefined && e.devnet > 0.5 && e.devnet <= 1, `devnet's own: ${e.devnet}`);
  });
});
