/**
 * The availability bench's measurement against a simulated chain served over HTTP, with validators that never
 * attest: their penalties must come out negative and no validator set may earn more than a perfect one. Reproduces
 * the 150% the bench once printed (`@lodestar/api` asked for SSZ, where a negative `UintNum64` wraps to ~4.29e9 gwei).
 */
import "@nektar/beacon-devnet";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { getClient } from "@lodestar/api";
import { SLOTS_PER_EPOCH } from "@lodestar/params";
import { serveSimulatedChain } from "@nektar/beacon-devnet";
import {
  type Effectiveness,
  earnedFraction,
  measureEffectiveness,
  RewardAboveIdealError,
} from "../../../bench/availability/effectiveness.ts";

const ONLINE = 16;
const OFFLINE = 4;

describe("availability bench: effectiveness through the rewards endpoints", () => {
  let served: Awaited<ReturnType<typeof serveSimulatedChain>>;
  before(async () => {
    served = await serveSimulatedChain({ held: ONLINE, unheld: OFFLINE, slots: 4 * SLOTS_PER_EPOCH });
  });
  after(() => served.close());

  it("offline validators are penalised (never more than a perfect validator earns), online ones earn their ideal, equal to the endpoint's JSON", async () => {
    // The client's defaults, as a bench user gets them (SSZ preferred).
    const api = getClient({ baseUrl: served.url }, { config: served.sim.chain.config });
    const offline = Array.from({ length: OFFLINE }, (_, i) => ONLINE + i);
    const { measured, reference } = await measureEffectiveness(api, {
      validators: offline,
      reference: Array.from({ length: ONLINE }, (_, i) => i),
      fromEpoch: 1,
      toEpoch: 2,
      slotsPerEpoch: SLOTS_PER_EPOCH,
      proposerDuties: [],
    });
    assert.equal(measured.attestations.duties, 2 * OFFLINE);
    assert.equal(measured.attestations.succeeded, 0);
    assert.ok(measured.attestations.earned < 0, `offline attestations earned ${measured.attestations.earned}`);
    assert.ok(measured.sync.duties > 0 && measured.sync.succeeded === 0 && measured.sync.earned < 0);
    assert.ok(earnedFraction(measured) < 0, `offline earned ${earnedFraction(measured)}`);
    const ref = earnedFraction(reference);
    // Offline proposers leave empty slots, which cost the online validators head votes and sync rewards.
    assert.ok(ref > 0.5 && ref <= 1, `online earned ${ref}`);
    // Independently of the client: the endpoint's JSON, summed.
    let json = 0;
    for (const epoch of [1, 2]) {
      const res = await fetch(`${served.url}/eth/v1/beacon/rewards/attestations/${epoch}`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(offline.map(String)),
      });
      const body = (await res.json()) as { data: { total_rewards: Record<string, string>[] } };
      for (const r of body.data.total_rewards)
        json += Number(r.head) + Number(r.target) + Number(r.source) + Number(r.inactivity);
    }
    assert.equal(measured.attestations.earned, json);
  });

  it("a tally that earned more than its ideal is refused as a counting bug, not printed as a fraction above 100%", () => {
    const tally = (earned: number, ideal: number) => ({ duties: 1, succeeded: 1, earned, ideal });
    const e = (earned: number): Effectiveness => ({
      attestations: tally(earned, 100),
      proposals: tally(0, 0),
      sync: tally(10, 10),
      perEpoch: [],
    });
    assert.equal(earnedFraction(e(100)), 1);
    assert.throws(() => earnedFraction(e(150)), RewardAboveIdealError);
  });
});
