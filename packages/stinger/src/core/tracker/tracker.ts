import { Counter, Histogram, type Registry } from "prom-client";
import { type Duty, type DutyOutcome, dutyKey, type Tracker } from "../interfaces.ts";

/** Pipeline steps whose completion the tracker times (seconds since the duty's slot start). */
export const PipelineStep = {
  fetched: "fetcher",
  decided: "agreement",
  signed: "signer",
  aggregated: "sigagg",
  broadcast: "broadcast",
} as const;

export type DutyMetrics = {
  latency: Histogram<"step" | "duty">;
  partialsReceived: Counter<"duty">;
  failures: Counter<"duty" | "step" | "reason">;
  faults: Counter<"operator" | "reason">;
  outcomes: Counter<"duty" | "status">;
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
      help: "Final outcome of duties: included on chain, or failed",
      labelNames: ["duty", "status"],
      registers: [registry],
    }),
  };
}

/**
 * Records step latencies and outcomes per duty. Outcomes are kept for a bounded number of recent slots; inclusion is
 * reported by the broadcaster's inclusion checker (`included`) and failures by the step that failed.
 */
export class DutyTracker implements Tracker {
  private readonly metrics: DutyMetrics;
  private readonly outcomes = new Map<string, { slot: number; outcome: DutyOutcome }>();

  constructor(metrics: DutyMetrics) {
    this.metrics = metrics;
  }

  stepDone(duty: Duty, step: string, timeSec: number): void {
    this.metrics.latency.observe({ step, duty: duty.type }, Math.max(0, timeSec));
  }

  failed(duty: Duty, step: string, reason: string): void {
    this.metrics.failures.inc({ duty: duty.type, step, reason });
    this.setOutcome(duty, { status: "failed", step, reason });
  }

  included(duty: Duty, inclusionSlot: number): void {
    this.setOutcome(duty, { status: "included", inclusionSlot });
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
  }

  private setOutcome(duty: Duty, outcome: DutyOutcome): void {
    const key = dutyKey(duty);
    if (this.outcomes.get(key)?.outcome.status === "included") return;
    this.outcomes.set(key, { slot: duty.slot, outcome });
    this.metrics.outcomes.inc({ duty: duty.type, status: outcome.status });
  }
}
