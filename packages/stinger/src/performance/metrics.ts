import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** The performance step's metrics (table in `docs/performance.md`, checked by a test). */
export type PerformanceMetrics = {
  statements: Counter<"outcome">;
  dropped: Counter<"reason">;
  agreementSeconds: Histogram;
  ownShareRatio: Gauge<"validator">;
  lastFrame: Gauge;
};

/** Registers the performance metrics once per registry (several clusters' duty nodes in one process share them). */
export function createPerformanceMetrics(registry: Registry): PerformanceMetrics {
  return {
    statements: new Counter({
      name: "stinger_performance_statements_total",
      help: "Per-validator frame statements: combined (signed by the validator key) or given up (no agreement)",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    dropped: new Counter({
      name: "stinger_performance_messages_dropped_total",
      help: "Performance messages or items dropped before the agreement, by reason",
      labelNames: ["reason"],
      registers: [registry],
    }),
    agreementSeconds: new Histogram({
      name: "stinger_performance_agreement_seconds",
      help: "From the end of a frame to this node holding a validator's combined statement",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128],
      registers: [registry],
    }),
    ownShareRatio: new Gauge({
      name: "stinger_performance_own_share_ratio",
      help: "This operator's share in the validator's last combined statement: duties contributed / expected",
      labelNames: ["validator"],
      registers: [registry],
    }),
    lastFrame: new Gauge({
      name: "stinger_performance_last_statement_frame",
      help: "Latest oracle frame for which this node holds a combined statement",
      registers: [registry],
    }),
  };
}
