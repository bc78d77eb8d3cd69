import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Registry } from "prom-client";
import { runStinger } from "../../../src/cli/main.ts";
import { createDutyMetrics, DutyTracker, PipelineStep } from "../../../src/core/tracker/tracker.ts";
import { startStatusServer } from "../../../src/node/statusServer.ts";

async function stinger(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runStinger(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe("the duty view: tracker → GET /duties → stinger duties", () => {
  it("lists recent duties with step times, contributing shares and outcome, newest first", async () => {
    const tracker = new DutyTracker(createDutyMetrics(new Registry()));
    const att = { slot: 40, type: "attester" as const, validator: 7 };
    tracker.stepDone(att, PipelineStep.fetched, 0.41);
    tracker.stepDone(att, PipelineStep.aggregated, 0.6);
    tracker.contributed(att, [5, 1, 3, 1, 2]);
    tracker.included(att, 41);
    const block = { slot: 42, type: "proposer" as const, validator: 7 };
    tracker.failed(block, "agreement", "ERR_DUTY_ABORTED");
    const sync = { slot: 41, type: "sync_message" as const, validator: 7 };
    tracker.stepDone(sync, PipelineStep.signed, 0.5);
    const listed = tracker.recentDuties();
    assert.deepEqual(
      listed.map((d) => [d.slot, d.type]),
      [
        [42, "proposer"],
        [41, "sync_message"],
        [40, "attester"],
      ],
    );
    assert.deepEqual(listed[2], {
      slot: 40,
      type: "attester",
      validator: 7,
      steps: { fetcher: 0.41, sigagg: 0.6 },
      contributors: [1, 2, 3, 5],
      outcome: { status: "included", inclusionSlot: 41 },
    });
    assert.deepEqual(listed[0]?.outcome, { status: "failed", step: "agreement", reason: "ERR_DUTY_ABORTED" });
    tracker.prune(41);
    assert.deepEqual(
      tracker.recentDuties().map((d) => d.slot),
      [42, 41],
    );

    const server = await startStatusServer(
      new Registry(),
      async () => ({ healthy: true }),
      "127.0.0.1",
      0,
      (limit) => tracker.recentDuties(limit).map((d) => ({ ...d, clusterId: "0x01" })),
    );
    try {
      const res = await fetch(`${server.url}/duties?limit=1`);
      assert.equal(res.status, 200);
      assert.deepEqual(
        ((await res.json()) as { duties: { slot: number }[] }).duties.map((d) => d.slot),
        [42],
      );
      assert.equal((await fetch(`${server.url}/duties?limit=0`)).status, 400);
      assert.equal((await fetch(`${server.url}/duties?limit=abc`)).status, 400);
      const text = await stinger(["duties", "--url", server.url]);
      assert.equal(text.code, 0, text.err.join("\n"));
      assert.match(text.out.join("\n"), /42 +proposer +7 +failed at agreement: ERR_DUTY_ABORTED/);
      const json = await stinger(["duties", "--url", server.url, "--json", "--limit", "5"]);
      assert.equal(json.code, 0);
      assert.equal(JSON.parse(json.out.join("")).duties.length, 2);
      assert.equal((await stinger(["duties", "--url", server.url, "--limit", "0"])).code, 2);
    } finally {
      await server.close();
    }
    const down = await stinger(["duties", "--url", server.url, "--json"]);
    assert.equal(down.code, 2);
    assert.match(JSON.parse(down.out.join("")).error.message, /cannot read the duties/);
  });
});
