import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Registry } from "prom-client";
import { createDkgMetrics } from "../../../src/dkg/metrics.ts";
import { createP2pMetrics } from "../../../src/p2p/metrics.ts";
import { createPerformanceMetrics } from "../../../src/performance/metrics.ts";

describe("docs/dkg.md metrics table", () => {
  it("lists exactly the metrics the p2p and dkg components register", async () => {
    const registry = new Registry();
    createP2pMetrics(registry);
    createDkgMetrics(registry);
    const registered = (await registry.getMetricsAsJSON()).map((m) => m.name).sort();
    const doc = readFileSync(new URL("../../../docs/dkg.md", import.meta.url), "utf8");
    const documented = [...doc.matchAll(/^\| `(stinger_[a-z0-9_]+)`/gm)].map((m) => m[1]).sort();
    assert.deepEqual(documented, registered);
  });
});

describe("docs/performance.md metrics table", () => {
  it("lists exactly the metrics the performance step registers", async () => {
    const registry = new Registry();
    createPerformanceMetrics(registry);
    const registered = (await registry.getMetricsAsJSON()).map((m) => m.name).sort();
    const doc = readFileSync(new URL("../../../docs/performance.md", import.meta.url), "utf8");
    const documented = [...doc.matchAll(/^\| `(stinger_[a-z0-9_]+)`/gm)].map((m) => m[1]).sort();
    assert.deepEqual(documented, registered);
  });
});
