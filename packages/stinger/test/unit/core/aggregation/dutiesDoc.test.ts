import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Registry } from "prom-client";
import { createDutyMetrics } from "../../../../src/core/tracker/tracker.ts";

describe("docs/duties.md metrics table", () => {
  it("lists exactly the metrics the duty pipeline registers", async () => {
    const registry = new Registry();
    createDutyMetrics(registry);
    const registered = (await registry.getMetricsAsJSON()).map((m) => m.name).sort();
    const doc = readFileSync(new URL("../../../../docs/duties.md", import.meta.url), "utf8");
    const documented = [...doc.matchAll(/^\| `(stinger_[a-z0-9_]+)`/gm)].map((m) => m[1]).sort();
    assert.deepEqual(documented, registered);
  });
});
