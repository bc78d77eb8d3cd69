import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { Logger } from "../../logger/logger.ts";
import {
  type BroadcastResult,
  type Clock,
  type Duty,
  type DutyOutcome,
  type DutyType,
  dutyKey,
  type Tracker,
} from "../interfaces.ts";

/** Pipeline steps whose completion the tracker times (seconds since the duty's slot start). */
export const PipelineStep = {
  fetched: "fetcher",
  decided: "agreement",
  signed: "signer",
  aggregated: "sigagg",
  broadcast: "broadcast",
} as const;

/** Times a pipeline step's passing for each duty (seconds into the duty's slot). */
export function stepsDone(
  deps: { tracker: Tracker; clock: Clock },
  done: readonly (Duty | { readonly duty: Duty })[],
  step: string,
): void {
  for (const x of done) {
    const duty = "duty" in x ? x.duty : x;
    deps.tracker.stepDone(duty, step, deps.clock.secondsIntoSlot(duty.slot));
  }
}

/** Records a broadcast batch's result: the accepted (or already known) messages passed the step, the rest failed. */
export function broadcastDone(deps: { tracker: Tracker; clock: Clock; logger: Logger }, res: BroadcastResult): void {
  stepsDone(
    deps,
    [...res.published, ...res.duplicates].map((i) => i.definition),
    PipelineStep.broadcast,
  );
  for (const { item, reason } of res.failed) {
    deps.tracker.failed(item.definition.duty, "broadcast", "beacon_node");
    deps.logger.warn("Broadcast failed", { duty: dutyKey(item.definition.duty), reason });
  }
}

export type DutyMetrics = {
  latency: Histogram<"step" | "duty">;
  partialsReceived: Counter<"duty">;
  failures: Counter<"duty" | "step" | "reason">;
  faults: Counter<"operator" | "reason">;
  outcomes: Counter<"duty" | "status">;
  inclusionDelay: Histogram<"duty">;
  inclusionRatio: Gauge<"duty">;
  builderBlocks: Counter<"outcome">;
};

export function createDutyMetrics(registry: Registry): DutyMetrics {
  return {
    latency: new Histogram({
      name: "stinger_duty_latency_seconds",
      help: "Time from the duty's slot start to the end of each pipeline step",
      labelNames: ["step", "duty"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 12],
      registers: [registry],
    }),
    partialsReceived: new Counter({
      name: "stinger_duty_partials_received_total",
      help: "Partial signatures received from other operators",
      labelNames: ["duty"],
      registers: [registry],
    }),
    failures: new Counter({
      name: "stinger_duty_failures_total",
      help: "Duties that failed, by step and reason",
      labelNames: ["duty", "step", "reason"],
      registers: [registry],
    }),
    faults: new Counter({
      name: "stinger_operator_faults_total",
      help: "Misbehaviour attributed to an operator (bad partials, invalid proposals, equivocation, replays)",
      labelNames: ["operator", "reason"],
      registers: [registry],
    }),
    outcomes: new Counter({
      name: "stinger_duty_outcomes_total",
      help: "Outcome of duties: included on chain or missed (judged once per duty from blocks), or failed at a step",
      labelNames: ["duty", "status"],
      registers: [registry],
    }),
    inclusionDelay: new Histogram({
      name: "stinger_duty_inclusion_delay_slots",
      help: "Slots from a duty's slot to the block that included it (attestations ≥ 1, sync messages 1)",
      labelNames: ["duty"],
      buckets: [1, 2, 3, 4, 8, 16, 32, 64],
      registers: [registry],
    }),
    inclusionRatio: new Gauge({
      name: "stinger_duty_inclusion_ratio",
      help: "Included / (included + missed) of the duties judged on chain since start",
      labelNames: ["duty"],
      registers: [registry],
    }),
    builderBlocks: new Counter({
      name: "stinger_builder_blocks_total",
      help: "Blinded builder blocks this operator's beacon node offered: used (builder) or refused for the local block",
      labelNames: ["outcome"],
      registers: [registry],
    }),
  };
}

/** One recent duty as the operator sees it (`GET /duties`, `stinger duties`). */
export type DutyRecord = {
  readonly slot: number;
  readonly type: DutyType;
  readonly validator: number;
  /** Seconds from the slot start at which each pipeline step finished here. */
  readonly steps: Readonly<Record<string, number>>;
  /** Share indices whose partials made the group signature (as combined by this operator). */
  readonly contributors?: readonly number[];
  readonly outcome?: DutyOutcome;
};

/** Duties kept for the duty view, newest first (a few epochs of a few validators). */
const MAX_RECORDS = 2048;

/**
 * Records step latencies and outcomes per duty. Outcomes are kept for a bounded number of recent slots; inclusion is
 * judged once per duty by the on-chain inclusion checker (`included` / `missed`), failures by the step that failed.
 */
export class DutyTracker implements Tracker {
  private readonly metrics: DutyMetrics;
  private readonly outcomes = new Map<string, { slot: number; outcome: DutyOutcome }>();
  /** Judged on chain since start, per duty type: [included, missed]. */
  private readonly judged = new Map<string, [number, number]>();
  /** The duty view: recent duties by key, insertion-ordered (oldest first). */
  private readonly records = new Map<
    string,
    { slot: number; type: DutyType; validator: number; steps: Record<string, number>; contributors?: number[] }
  >();

  constructor(metrics: DutyMetrics) {
    this.metrics = metrics;
  }

  stepDone(duty: Duty, step: string, timeSec: number): void {
    this.metrics.latency.observe({ step, duty: duty.type }, Math.max(0, timeSec));
    this.record(duty).steps[step] = Math.round(Math.max(0, timeSec) * 1000) / 1000;
  }

  contributed(duty: Duty, shareIndices: readonly number[]): void {
    this.record(duty).contributors = [...new Set(shareIndices)].sort((a, b) => a - b);
  }

  /** The most recent duties (newest slot first), with their steps, contributing shares and outcome. */
  recentDuties(limit = 256): DutyRecord[] {
    const out: DutyRecord[] = [];
    for (const [key, r] of this.records) {
      const outcome = this.outcomes.get(key)?.outcome;
      out.push({ ...r, steps: { ...r.steps }, ...(outcome !== undefined ? { outcome } : {}) });
    }
    return out
      .sort((a, b) => b.slot - a.slot || a.type.localeCompare(b.type) || a.validator - b.validator)
      .slice(0, limit);
  }

  private record(duty: Duty) {
    const key = dutyKey(duty);
    let r = this.records.get(key);
    if (r === undefined) {
      r = { slot: duty.slot, type: duty.type, validator: duty.validator, steps: {} };
      this.records.set(key, r);
      if (this.records.size > MAX_RECORDS) this.records.delete(this.records.keys().next().value as string);
    }
    return r;
  }

  failed(duty: Duty, step: string, reason: string): void {
    this.metrics.failures.inc({ duty: duty.type, step, reason });
    this.setOutcome(duty, { status: "failed", step, reason });
  }

  /** The duty's message is in the canonical block at `inclusionSlot`. Judged once: later calls are ignored. */
  included(duty: Duty, inclusionSlot: number): void {
    if (!this.judge(duty, true)) return;
    this.metrics.inclusionDelay.observe({ duty: duty.type }, inclusionSlot - duty.slot);
    this.setOutcome(duty, { status: "included", inclusionSlot });
  }

  /** The duty's inclusion window passed without it on chain. Judged once: later calls are ignored. */
  missed(duty: Duty): void {
    if (!this.judge(duty, false)) return;
    this.setOutcome(duty, { status: "missed" });
  }

  /** Included and missed counts of a duty type since start. */
  inclusionCounts(type: Duty["type"]): { included: number; missed: number } {
    const [included, missed] = this.judged.get(type) ?? [0, 0];
    return { included, missed };
  }

  /** A builder block was fetched and proposed (`builder`), or refused for the local block (`refused`). */
  builderBlock(outcome: "builder" | "refused"): void {
    this.metrics.builderBlocks.inc({ outcome });
  }

  partialsReceived(duty: Duty["type"], count: number): void {
    this.metrics.partialsReceived.inc({ duty }, count);
  }

  fault(operatorShareIndex: number, reason: string): void {
    this.metrics.faults.inc({ operator: String(operatorShareIndex), reason });
  }

  outcome(duty: Duty): DutyOutcome | undefined {
    return this.outcomes.get(dutyKey(duty))?.outcome;
  }

  /** Forgets outcomes of slots below `slot`. */
  prune(slot: number): void {
    for (const [k, v] of this.outcomes) if (v.slot < slot) this.outcomes.delete(k);
    for (const [k, v] of this.records) if (v.slot < slot) this.records.delete(k);
  }

  private judge(duty: Duty, included: boolean): boolean {
    const status = this.outcomes.get(dutyKey(duty))?.outcome.status;
    if (status === "included" || status === "missed") return false;
    const counts = this.judged.get(duty.type) ?? [0, 0];
    counts[included ? 0 : 1]++;
    this.judged.set(duty.type, counts);
    this.metrics.inclusionRatio.set({ duty: duty.type }, counts[0] / (counts[0] + counts[1]));
    return true;
  }

  private setOutcome(duty: Duty, outcome: DutyOutcome): void {
    const key = dutyKey(duty);
    this.record(duty);
    const status = this.outcomes.get(key)?.outcome.status;
    if (status === "included" || status === "missed") return;
    this.outcomes.set(key, { slot: duty.slot, outcome });
    this.metrics.outcomes.inc({ duty: duty.type, status: outcome.status });
  }
}
