import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createDkgMetrics } from "../../../src/dkg/metrics.ts";
import { createMetricsRegistry } from "../../../src/metrics/registry.ts";
import { startMetricsServer } from "../../../src/metrics/server.ts";
import { createP2pMetrics } from "../../../src/p2p/metrics.ts";

describe("metrics", () => {
  it("serves every component's metrics on /metrics with stinger_<component>_<name>_<unit> names", async () => {
    const registry = createMetricsRegistry();
    const p2p = createP2pMetrics(registry);
    createDkgMetrics(registry).roundDuration.observe({ round: "deal" }, 0.2);
    p2p.dropped("malformed");
    const server = await startMetricsServer(registry, "127.0.0.1", 0);
    try {
      const res = await fetch(server.url);
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.match(text, /stinger_p2p_messages_dropped_total\{reason="malformed"\} 1/);
      assert.match(text, /stinger_dkg_round_duration_seconds_bucket/);
      assert.match(text, /stinger_process_cpu_seconds_total/);
      const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
      for (const name of names) {
        assert.match(
          name,
          /^stinger_[a-z0-9]+_[a-z0-9_]+_(total|seconds|bytes|count|info)$|^stinger_(process|nodejs)_/,
          name,
        );
      }
    } finally {
      await server.close();
    }
  });
});
