/**
 * One availability run: a distributed validator cluster of real Stinger duty nodes (scheduler → fetcher → agreement →
 * signer → parsigex → sigagg → broadcast) in one process over the memory transport, against an in-process
 * beacon-devnet, while nodes go down and come back (stopped and restarted with their slashing DB, as an operator
 * restarting a process) following an outage schedule. Effectiveness is read afterwards through the standard rewards
 * endpoints, next to the devnet's own validators' (which run every slot: the reference for what the chain itself
 * lost, e.g. to a loaded host).
 */
import { getClient } from "@lodestar/api";
import { SLOTS_PER_EPOCH } from "@lodestar/params";
import type { AgreementProtocol } from "../../src/core/agreement/types.ts";
import { startInProcessCluster } from "../../test/e2e/dutiesSupport/inProcessCluster.ts";
import { type Effectiveness, measureEffectiveness } from "./effectiveness.ts";
import { measuredUptime, type OutageModel, outageSchedule, prng } from "./outages.ts";
import { downLeaderRun, pipelineTimeline, type StepRecord, type TimelineRow } from "./timeline.ts";

export type AvailabilityRun = {
  operators: number;
  threshold: number;
  protocol: AgreementProtocol;
  /** Epochs measured (after one warm-up epoch). */
  epochs: number;
  secondsPerSlot: number;
  /** Distributed validators of the cluster. */
  validators: number;
  /** The devnet's own validators (the reference). */
  interop: number;
  model: OutageModel;
  seed: number;
  /** Instead of random outages: these operators (0-based) are down for the whole measured window. */
  fixedDown?: readonly number[];
};

export type AvailabilityResult = {
  run: AvailabilityRun;
  epochs: [number, number];
  uptime: number;
  /** Node-down events applied (stops) and restarts. */
  outages: number;
  /** Epochs whose proposer duties the bench could not read in time (a host too loaded to keep up). */
  missedDutyEpochs: number[];
  measured: Effectiveness;
  reference: Effectiveness;
  /** Attestation pipeline steps (seconds into the slot) by how many first-round leaders were down. */
  timeline: TimelineRow[];
};

export async function runAvailability(run: AvailabilityRun): Promise<AvailabilityResult> {
  const c = await startInProcessCluster({
    operators: run.operators,
    threshold: run.threshold,
    validators: run.validators,
    interop: run.interop,
    secondsPerSlot: run.secondsPerSlot,
    protocol: run.protocol,
    // Every block of the run and of the two epochs its rewards need stays in memory: pricing an evicted block replays
    // it from a pinned state, which on a loaded host outlasted the client's timeout (`getBlockRewards`).
    stateCacheSize: 2 * (run.epochs + 4) * SLOTS_PER_EPOCH + 64,
  });
  try {
    const spe = SLOTS_PER_EPOCH;
    const fromEpoch = 1;
    const toEpoch = fromEpoch + run.epochs - 1;
    const firstSlot = fromEpoch * spe;
    const slots = run.epochs * spe;
    const schedule =
      run.fixedDown === undefined
        ? outageSchedule(run.operators, slots, run.model, prng(run.seed))
        : Array.from({ length: run.operators }, (_, i) =>
            Array<boolean>(slots).fill(run.fixedDown?.includes(i) ?? false),
          );
    const slotStart = (slot: number) => (c.devnet.chain.genesisTime + slot * run.secondsPerSlot) * 1000;
    const sleepUntil = async (ms: number) => {
      const left = ms - Date.now();
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    };
    // Rewards of a block are computed on its pre-state: minutes, not the default 60 s, on a host at load 30.
    const api = getClient(
      { baseUrl: c.devnet.url, globalInit: { timeoutMs: 600_000 } },
      { config: c.devnet.chain.config },
    );
    const proposerDuties: { slot: number; validatorIndex: number }[] = [];
    /** Epochs whose proposer duties could not be read in time (their proposals are not counted). */
    const missedDutyEpochs: number[] = [];
    let outages = 0;
    const down = new Set<number>();
    /** Every node's duty records, read before it stops (a restarted node starts a new record book). */
    const records: StepRecord[] = [];
    const collect = (i: number) => {
      for (const r of c.nodes[i]?.tracker.recentDuties(Number.MAX_SAFE_INTEGER) ?? [])
        if (r.slot >= firstSlot && r.slot < firstSlot + slots) records.push(r);
    };
    for (let k = 0; k < slots; k++) {
      // Outages change just before the slot starts (a node is down or up for the whole slot).
      await sleepUntil(slotStart(firstSlot + k) - 50);
      const changes: Promise<void>[] = [];
      for (let i = 0; i < run.operators; i++) {
        const wanted = schedule[i]?.[k] ?? false;
        if (wanted && !down.has(i)) {
          down.add(i);
          outages++;
          collect(i);
          changes.push(c.stopNode(i));
        } else if (!wanted && down.has(i)) {
          down.delete(i);
          changes.push(c.startNode(i));
        }
      }
      await Promise.all(changes);
      if (k % spe === 0) {
        // Fetched one epoch ahead: a loaded host can fall behind, and past epochs' duties are not served.
        const epoch = (firstSlot + k) / spe;
        for (const e of k === 0 ? [epoch, epoch + 1] : [epoch + 1]) {
          const res = await api.validator.getProposerDuties({ epoch: e });
          if (res.ok) proposerDuties.push(...res.value());
          else missedDutyEpochs.push(e);
        }
      }
    }
    for (let i = 0; i < run.operators; i++) if (!down.has(i)) collect(i);
    await Promise.all([...down].map((i) => c.startNode(i)));
    // Attestation rewards of the last epoch are final at the last slot of the epoch after it.
    await sleepUntil(slotStart((toEpoch + 2) * spe) + 500);
    const { measured, reference } = await measureEffectiveness(api, {
      validators: c.fixture.validators.map((v) => v.index),
      reference: Array.from({ length: run.interop }, (_, i) => i),
      fromEpoch,
      toEpoch,
      slotsPerEpoch: spe,
      proposerDuties,
    });
    const timeline = pipelineTimeline(records, (duty) =>
      downLeaderRun(c.clusterId, duty, run.operators, (op) => schedule[op]?.[duty.slot - firstSlot] ?? false),
    );
    return {
      run,
      epochs: [fromEpoch, toEpoch],
      uptime: measuredUptime(schedule),
      outages,
      missedDutyEpochs,
      measured,
      reference,
      timeline,
    };
  } finally {
    await c.stop();
  }
}
