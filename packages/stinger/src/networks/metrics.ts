import { Counter, Histogram, type Registry } from "prom-client";

/** The host's per-module metrics, labelled by module name and event kind. */
export type NetworkHostMetrics = ReturnType<typeof createNetworkHostMetrics>;

export function createNetworkHostMetrics(registry: Registry) {
  const labelNames = ["module", "event"] as const;
  return {
    handlerSeconds: new Histogram({
      name: "stinger_network_module_handler_seconds",
      help: "Wall time of a Network module's event handler",
      labelNames,
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    handlerCpuSeconds: new Counter({
      name: "stinger_network_module_handler_cpu_seconds_total",
      help: "Process CPU time spent while a Network module's handler ran (an upper bound when handlers overlap)",
      labelNames,
      registers: [registry],
    }),
    errors: new Counter({
      name: "stinger_network_module_errors_total",
      help: "Network module handlers that threw or rejected",
      labelNames,
      registers: [registry],
    }),
    failures: new Counter({
      name: "stinger_network_module_failures_total",
      help: "Errors that escaped a Network module's own timers or promises (each disables the module)",
      labelNames: ["module", "kind"] as const,
      registers: [registry],
    }),
    timeouts: new Counter({
      name: "stinger_network_module_timeouts_total",
      help: "Network module handlers abandoned after the handler timeout",
      labelNames,
      registers: [registry],
    }),
    skipped: new Counter({
      name: "stinger_network_module_skipped_total",
      help: "Events not delivered because the module was still busy or suspended after failures",
      labelNames,
      registers: [registry],
    }),
    messagesDropped: new Counter({
      name: "stinger_network_module_messages_dropped_total",
      help: "Topic messages dropped because the delivering peer is not admitted for the Network",
      labelNames: ["module"] as const,
      registers: [registry],
    }),
  };
}
