/**
 * Aggregation and sync committee duties end to end: 16 operators (threshold 11) in one process over the memory
 * transport against beacon-devnet (minimal preset, 4 s slots, 8-slot epochs) with the DVs' keys in genesis. Over two
 * epochs it checks on the devnet's chain and pools, not on Stinger's word, that:
 * - the DVs' sync committee messages are in the next block's sync aggregate (bits set at their positions);
 * - every attestation duty's aggregate is published (committees of < 32 members: `is_aggregator` selects everyone);
 * - every sync duty's contribution is published (minimal preset: every sync subcommittee member aggregates);
 * - the tracker's inclusion outcomes (read from blocks over the Beacon API) match the chain, duty by duty.
 */
import "@nektar/beacon-devnet";
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { DutyType } from "../../src/core/interfaces.ts";
import { attestationAggregatorModulo, syncAggregatorModulo } from "../../src/core/selection/selection.ts";
import { counterValue, type InProcessCluster, startInProcessCluster } from "./dutiesSupport/inProcessCluster.ts";
import { ChainTruth } from "./syncAggregationSupport/chainTruth.ts";

const N = 16;
const T = 11;
const SPE = 8;
const INTEROP = 24;
const DVS = 4;
/** 4 s slots: 16 operators share one process (and the machine), and a sync message must reach the next block. */
const SECONDS_PER_SLOT = 4;
/**
 * Least share of duties done on chain. Not 1: on a shared 2-core machine a message occasionally misses its block
 * (late by a slot); the tracker-versus-chain comparison below is exact, whatever the rate.
 */
const MIN_RATE = 0.75;
const FIRST_EPOCH = 1;
const LAST_EPOCH = 2;

describe("sync committee and aggregation duties against beacon-devnet", { timeout: 300_000 }, () => {
  let c: InProcessCluster | undefined;
  after(async () => {
    await c?.stop();
  });

  it("sync messages included, aggregates and contributions published, tracker matches the chain", async () => {
    c = await startInProcessCluster({
      operators: N,
      threshold: T,
      validators: DVS,
      interop: INTEROP,
      secondsPerSlot: SECONDS_PER_SLOT,
    });
    const dvs = c.fixture.validators.map((v) => v.index);
    const truth = new ChainTruth(c.devnet, dvs);
    // Attester duties of the checked epochs, read while the beacon node still serves them (current and next epoch).
    await c.waitForSlot(FIRST_EPOCH * SPE);
    const attesterDuties = [];
    for (let epoch = FIRST_EPOCH; epoch <= LAST_EPOCH; epoch++) {
      const client = c.nodes.find((n) => n !== undefined)?.api;
      assert.ok(client !== undefined);
      attesterDuties.push({
        epoch,
        duties: (await client.validator.getAttesterDuties({ epoch, indices: dvs })).value(),
      });
    }
    // Attestations of the last epoch are judged by the tracker once their window (end of the next epoch) is read.
    await c.waitForSlot((LAST_EPOCH + 2) * SPE + 1);
    const node = c.nodes.find((n) => n !== undefined);
    assert.ok(node !== undefined);
    const from = FIRST_EPOCH * SPE;
    const to = (LAST_EPOCH + 1) * SPE - 1;

    // Sync committee messages: chain bits vs duties, and the tracker's judgement of each.
    let syncDuties = 0;
    let syncIncluded = 0;
    const syncMismatch: string[] = [];
    const syncMissed: string[] = [];
    for (let slot = from; slot <= to; slot++) {
      for (const [v, positions] of truth.syncPositions(slot)) {
        const onChain = truth.syncIncluded(slot, positions);
        if (onChain === undefined) continue;
        const outcome = node.tracker.outcome({ slot, type: DutyType.syncMessage, validator: v });
        if ((outcome?.status === "included") !== onChain) syncMismatch.push(`${slot}/${v}: ${JSON.stringify(outcome)}`);
        // No sync aggregate at all: block `slot` came too late for anyone to sign it (a DV's own proposal on 2 s
        // slots can land after the 1/3 mark), so nobody's message could be included.
        if (!truth.syncAggregatePresent(slot)) continue;
        syncDuties++;
        if (onChain) syncIncluded++;
        else syncMissed.push(`${slot}/${v} ${truth.syncArrivals.get(`${slot}/${v}`) ?? "never arrived"}`);
      }
    }
    console.log("sync messages", { syncDuties, syncIncluded, mismatches: syncMismatch.length, syncMissed });
    assert.ok(syncDuties >= SPE, `the DVs must sit in the sync committee (got ${syncDuties} duty slots)`);
    assert.ok(syncIncluded / syncDuties >= MIN_RATE, `sync inclusion ${syncIncluded}/${syncDuties}`);
    assert.deepEqual(syncMismatch.slice(0, 5), [], "tracker vs chain (sync messages)");

    // Contributions: every member of a sync subcommittee aggregates on the minimal preset.
    assert.equal(syncAggregatorModulo, 1);
    let contributionDuties = 0;
    let contributions = 0;
    for (let slot = from; slot <= to; slot++) {
      for (const v of truth.syncPositions(slot).keys()) {
        contributionDuties++;
        if (truth.contributions.has(`${slot}/${v}`)) contributions++;
      }
    }
    console.log("contributions", { contributionDuties, contributions });
    assert.ok(contributions / contributionDuties >= MIN_RATE, `contributions ${contributions}/${contributionDuties}`);

    // Aggregates: one attestation duty per DV and epoch; committees are small, so every member is selected.
    let aggregatorDuties = 0;
    let aggregates = 0;
    const attMismatch: string[] = [];
    for (const { epoch, duties } of attesterDuties) {
      for (const d of duties) {
        assert.equal(attestationAggregatorModulo(d.committeeLength), 1, `committee of ${d.committeeLength}`);
        aggregatorDuties++;
        if (truth.aggregates.has(`${d.slot}/${d.validatorIndex}`)) aggregates++;
      }
      const report = c.watcher.report(epoch, epoch);
      for (const d of duties) {
        const onChain = !report.missed.some((m) => m.validator === d.validatorIndex);
        const outcome = node.tracker.outcome({ slot: d.slot, type: DutyType.attester, validator: d.validatorIndex });
        if ((outcome?.status === "included") !== onChain) attMismatch.push(`${d.slot}/${d.validatorIndex}`);
      }
    }
    console.log("aggregates", { aggregatorDuties, aggregates, attestationMismatches: attMismatch.length });
    assert.ok(aggregates / aggregatorDuties >= MIN_RATE, `aggregates ${aggregates}/${aggregatorDuties}`);
    assert.deepEqual(attMismatch, [], "tracker vs chain (attestations)");

    // The metrics say the same as the tracker's outcomes.
    const registry = c.registries[c.nodes.indexOf(node)];
    assert.ok(registry !== undefined);
    const includedSync = await counterValue(registry, "stinger_duty_outcomes_total", {
      duty: "sync_message",
      status: "included",
    });
    assert.equal(includedSync, node.tracker.inclusionCounts("sync_message").included);
    assert.ok(includedSync >= syncIncluded, `metric ${includedSync} < chain ${syncIncluded}`);
    const ratio = (await registry.getSingleMetric("stinger_duty_inclusion_ratio")?.get())?.values.find(
      (v) => v.labels.duty === "sync_message",
    )?.value;
    const counts = node.tracker.inclusionCounts("sync_message");
    assert.equal(ratio, counts.included / (counts.included + counts.missed));
  });
});
