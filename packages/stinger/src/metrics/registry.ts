import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * The client's one metrics registry. Components register their own metrics on it (names
 * `stinger_<component>_<name>_<unit>`, time in seconds) through a `create…Metrics(registry)` function of their folder.
 */
export function createMetricsRegistry(opts: { defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "stinger_" });
  return registry;
}
