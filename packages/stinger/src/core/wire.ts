import { perTick } from "./batching.ts";
import type * as I from "./interfaces.ts";
import { dutyKey } from "./interfaces.ts";
import { errorCode, errorDetail } from "./pipelineError.ts";
import { pruneBehind } from "./retention.ts";
import { broadcastDone, PipelineStep as Step, stepsDone } from "./tracker/tracker.ts";
import * as flow from "./validity/dutyFlow.ts";

export type { PipelineDeps } from "./interfaces.ts";

/**
 * Connects the steps (Charon's `wire`): scheduler → fetcher → agreement + validity (one instance per slot and duty
 * type for all cluster validators) → dutydb → signer → parsigex ⇄ parsigdb → sigagg → aggsigdb | broadcast, the
 * tracker timing each step. What a duty type waits for and how its value is agreed is `validity/`'s business.
 */
export class DutyPipeline {
  private readonly d: I.PipelineDeps;
  private readonly abort = new AbortController();
  private unsubscribe: (() => void)[] = [];
  private pruned = 0;
  private readonly enqueue = perTick<I.DutyDefinition>((defs) => {
    const { slot, type } = (defs[0] as I.DutyDefinition).duty;
    void this.run({ slot, type, definitions: defs });
  });
  private readonly queueBroadcast = perTick<I.SignedDuty>(
    (items) => void this.d.broadcaster.broadcastBatch(items).then((res) => broadcastDone(this.d, res)),
    setImmediate,
  );

  constructor(deps: I.PipelineDeps) {
    this.d = deps;
  }

  start(): void {
    const { scheduler, parSigEx, parSigDb, tracker, inclusion } = this.d;
    this.unsubscribe.push(
      scheduler.subscribeDuties((def) => {
        inclusion?.watch(def);
        this.enqueue(`${def.duty.slot}/${def.duty.type}`, def);
      }),
      parSigDb.subscribeThreshold((partials) => void this.combine(partials)),
      parSigEx.subscribe((partials) => {
        if (partials[0] !== undefined) tracker.partialsReceived(partials[0].duty.type, partials.length);
        for (const p of partials) parSigDb.add(p);
      }),
    );
    scheduler.start();
    inclusion?.start();
  }

  stop(): void {
    this.abort.abort();
    for (const u of this.unsubscribe.splice(0)) u();
    this.d.scheduler.stop();
    this.d.inclusion?.stop();
    this.d.agreement.stop();
  }

  private async run(scheduled: I.DutyBatch): Promise<void> {
    const { tracker, dutyDb, parSigDb, logger } = this.d;
    const signal = this.abort.signal;
    this.pruned = pruneBehind(this.d, scheduled.slot, this.pruned);
    let batch = scheduled;
    try {
      const ready = await flow.awaitPrerequisites(scheduled, this.d, signal);
      for (const f of ready.failed) tracker.failed(f.duty, "selection", f.reason);
      batch = ready.batch;
      if (batch.definitions.length === 0) return;
      const { locals, covered, reasons } = await flow.fetchLocal(batch, this.d.fetcher, signal);
      stepsDone(this.d, covered, Step.fetched);
      for (const [validator, reason] of reasons)
        logger.debug("No local data", { slot: batch.slot, type: batch.type, validator, reason });
      const { items, missing } = flow.signingItems(batch, await flow.decideBatch(batch, locals, this.d, signal));
      for (const duty of missing) tracker.failed(duty, "agreement", "not_in_decided_value");
      for (const item of items) dutyDb.store(item.duty, item.data);
      stepsDone(this.d, items, Step.decided);
      const { partials, refused } = flow.partialsOf(await this.d.signer.signBatch(items));
      for (const r of refused) tracker.failed(r.duty, "signer", r.reason);
      stepsDone(this.d, partials, Step.signed);
      await this.d.parSigEx.broadcast(partials);
      for (const p of partials) parSigDb.expect(p.duty, p.signingRoot);
      for (const p of partials) parSigDb.add(p);
    } catch (e) {
      for (const { duty } of batch.definitions) tracker.failed(duty, "pipeline", errorCode(e));
      logger.warn("Duty batch failed", { slot: batch.slot, type: batch.type, ...errorDetail(e) });
    }
  }

  private async combine(partials: readonly I.ParSignedData[]): Promise<void> {
    const duty = (partials[0] as I.ParSignedData).duty;
    const shareIndices = partials.map((p) => p.shareIndex);
    try {
      const signature = await this.d.sigAgg.aggregate(partials);
      this.d.parSigDb.markDone(duty);
      this.d.tracker.contributed(duty, shareIndices);
      // Only the interpolated partials are proven valid (by the group signature): a share is credited for those.
      this.d.performance?.contributed(duty, signature.used ?? shareIndices);
      stepsDone(this.d, [{ duty }], Step.aggregated);
      const to = flow.combinedDestination(duty, signature, this.d);
      if (to === "consumed") this.d.aggSigDb.set(duty, signature.signature);
      else if (to !== undefined) this.queueBroadcast(`${duty.slot}`, to);
    } catch (e) {
      // ERR_DUTY_CONFLICT: a partial that arrived while the duty was being combined; the first request combines it.
      if (errorCode(e) === "ERR_DUTY_CONFLICT") return;
      this.d.logger.debug("Combining partials failed; waiting for more", { duty: dutyKey(duty), reason: errorCode(e) });
    }
  }
}
