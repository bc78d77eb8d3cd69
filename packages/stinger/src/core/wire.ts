import { perTick } from "./batching.ts";
import type * as I from "./interfaces.ts";
import type { PipelineDeps } from "./interfaces.ts";
import { dutyKey } from "./interfaces.ts";
import { PipelineStep } from "./tracker/tracker.ts";
import { awaitPrerequisites, decideBatch, dutyFlow, fetchLocal, signingItems } from "./validity/dutyFlow.ts";

export type { PipelineDeps };

/** Slots kept in memory behind the current one (late partials still combine within this window). */
const KEEP_SLOTS = 2;
const codeOf = (e: unknown) => (e as { type?: { code?: string } }).type?.code ?? "error";

/**
 * Connects the steps (Charon's `wire`): scheduler → fetcher → agreement + validity (one instance per slot and duty
 * type for all cluster validators) → dutydb → signer → parsigex ⇄ parsigdb → sigagg → aggsigdb | broadcast, the
 * tracker timing each step. What a duty type waits for and how its value is agreed is `validity/`'s business.
 */
export class DutyPipeline {
  private readonly d: PipelineDeps;
  private readonly abort = new AbortController();
  private unsubscribe: (() => void)[] = [];
  private lastPruned = 0;
  private readonly enqueue = perTick<I.DutyDefinition>((defs) => {
    const { slot, type } = (defs[0] as I.DutyDefinition).duty;
    void this.run({ slot, type, definitions: defs });
  });
  private readonly queueBroadcast = perTick<I.SignedDuty>((items) => void this.broadcast(items), setImmediate);

  constructor(deps: PipelineDeps) {
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
    const { tracker, fetcher, dutyDb, signer, parSigEx, parSigDb } = this.d;
    const signal = this.abort.signal;
    this.prune(scheduled.slot);
    let batch = scheduled;
    try {
      const ready = await awaitPrerequisites(scheduled, this.d, signal);
      for (const f of ready.failed) tracker.failed(f.duty, "selection", f.reason);
      batch = ready.batch;
      if (batch.definitions.length === 0) return;
      const { locals, covered, reasons } = await fetchLocal(batch, fetcher, signal);
      for (const duty of covered) this.step(duty, PipelineStep.fetched);
      for (const [validator, reason] of reasons)
        this.d.logger.debug("No local data", { slot: batch.slot, type: batch.type, validator, reason });
      const decided = await decideBatch(batch, locals, this.d, signal);
      const { items, missing } = signingItems(batch, decided);
      for (const duty of missing) tracker.failed(duty, "agreement", "not_in_decided_value");
      for (const item of items) dutyDb.store(item.duty, item.data);
      for (const item of items) this.step(item.duty, PipelineStep.decided);
      const partials: I.ParSignedData[] = [];
      for (const o of await signer.signBatch(items)) {
        if (o.ok) partials.push(o.partial);
        else tracker.failed(o.duty, "signer", o.reason);
      }
      for (const p of partials) this.step(p.duty, PipelineStep.signed);
      await parSigEx.broadcast(partials);
      for (const p of partials) parSigDb.expect(p.duty, p.signingRoot);
      for (const p of partials) parSigDb.add(p);
    } catch (e) {
      for (const { duty } of batch.definitions) tracker.failed(duty, "pipeline", codeOf(e));
      // A typed error's metadata (which Beacon API call, why) is what an operator needs to act on.
      const detail = (e as { type?: Record<string, unknown> }).type ?? { code: "error", reason: (e as Error).message };
      this.d.logger.warn("Duty batch failed", { slot: batch.slot, type: batch.type, ...detail });
    }
  }

  private async combine(partials: readonly I.ParSignedData[]): Promise<void> {
    const duty = (partials[0] as I.ParSignedData).duty;
    try {
      const signature = await this.d.sigAgg.aggregate(partials);
      this.d.parSigDb.markDone(duty);
      const shareIndices = partials.map((p) => p.shareIndex);
      this.d.tracker.contributed(duty, shareIndices);
      // Only the interpolated partials are proven valid (by the group signature): a share is credited for those.
      this.d.performance?.contributed(duty, signature.used ?? shareIndices);
      this.step(duty, PipelineStep.aggregated);
      if (dutyFlow[duty.type].consumed) return this.d.aggSigDb.set(duty, signature.signature);
      const data = this.d.dutyDb.get(duty);
      const definition = this.d.scheduler.getDutyDefinitions(duty.slot).find((x) => dutyKey(x.duty) === dutyKey(duty));
      if (data !== undefined && definition !== undefined)
        this.queueBroadcast(`${duty.slot}`, { definition, data, signature });
    } catch (e) {
      // ERR_DUTY_CONFLICT: a partial that arrived while the duty was being combined; the first request combines it.
      if (codeOf(e) === "ERR_DUTY_CONFLICT") return;
      this.d.logger.debug("Combining partials failed; waiting for more", { duty: dutyKey(duty), reason: codeOf(e) });
    }
  }

  private async broadcast(items: I.SignedDuty[]): Promise<void> {
    const res = await this.d.broadcaster.broadcastBatch(items);
    for (const i of [...res.published, ...res.duplicates]) this.step(i.definition.duty, PipelineStep.broadcast);
    for (const { item, reason } of res.failed) {
      this.d.tracker.failed(item.definition.duty, "broadcast", "beacon_node");
      this.d.logger.warn("Broadcast failed", { duty: dutyKey(item.definition.duty), reason });
    }
  }

  private step(duty: I.Duty, step: string): void {
    this.d.tracker.stepDone(duty, step, this.d.clock.secondsIntoSlot(duty.slot));
  }

  private prune(slot: number): void {
    const floor = slot - KEEP_SLOTS;
    if (floor <= this.lastPruned) return;
    this.lastPruned = floor;
    const { dutyDb, parSigDb, agreement, broadcaster, aggSigDb, validity, tracker } = this.d;
    for (const step of [dutyDb, parSigDb, agreement, broadcaster, aggSigDb, validity]) step.prune(floor);
    tracker.prune(floor - 64);
  }
}
