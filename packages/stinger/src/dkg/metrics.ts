import { Counter, Histogram, type Registry } from "prom-client";

export type DkgMetrics = {
  ceremonies: Counter<"outcome">;
  roundDuration: Histogram<"round">;
  ceremonyDuration: Histogram;
  disqualifiedDealers: Counter;
  equivocations: Counter<"round">;
  relayedEnvelopes: Counter;
};

export function createDkgMetrics(registry: Registry): DkgMetrics {
  return {
    ceremonies: new Counter({
      name: "stinger_dkg_ceremonies_total",
      help: "DKG ceremonies finished, by outcome (completed or the abort code)",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    roundDuration: new Histogram({
      name: "stinger_dkg_round_duration_seconds",
      help: "Time from entering a ceremony round to closing it",
      labelNames: ["round"] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120, 600],
      registers: [registry],
    }),
    ceremonyDuration: new Histogram({
      name: "stinger_dkg_ceremony_duration_seconds",
      help: "Time from joining a ceremony to writing its outputs",
      buckets: [0.5, 1, 2, 3, 5, 10, 30, 60, 300, 900],
      registers: [registry],
    }),
    disqualifiedDealers: new Counter({
      name: "stinger_dkg_disqualified_dealers_total",
      help: "Dealers left out of a completed ceremony's key",
      registers: [registry],
    }),
    equivocations: new Counter({
      name: "stinger_dkg_equivocations_total",
      help: "Operators caught sending two different signed messages in one ceremony round, by round",
      labelNames: ["round"] as const,
      registers: [registry],
    }),
    relayedEnvelopes: new Counter({
      name: "stinger_dkg_relayed_envelopes_total",
      help: "Other operators' complaint and answer broadcasts this node relayed to every operator (reliable broadcast)",
      registers: [registry],
    }),
  };
}
