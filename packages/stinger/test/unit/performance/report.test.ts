import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Registry } from "prom-client";
import { fetchPerformance, performanceLines } from "../../../src/cli/performanceView.ts";
import { ValidatorKeys } from "../../../src/core/signer/validatorKeys.ts";
import { startStatusServer } from "../../../src/node/statusServer.ts";
import { FrameCounters } from "../../../src/performance/counters.ts";
import { validatorPerformance } from "../../../src/performance/report.ts";
import { PerformanceStore } from "../../../src/performance/store.ts";
import { dealtKey, N } from "./cluster.ts";

const dir = mkdtempSync(join(tmpdir(), "perf-report-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("per-share performance: report → GET /performance → operator status lines", () => {
  it("lists signed statements, unsigned own counts and the open frame, newest first", async () => {
    const key = dealtKey(21);
    const share = 3;
    const keys = new ValidatorKeys(share, [
      {
        index: 40,
        pubkey: key.groupPublicKey.toBytes(),
        sharePublicKeys: key.sharePublicKeys.map((k) => k.toBytes()),
        secretShare: (key.secrets[share - 1] as NonNullable<(typeof key.secrets)[number]>).toBytes(),
      },
    ]);
    const store = new PerformanceStore(dir, "c1");
    const counts = (frame: number, duties: number, mine: number) => {
      const c = new FrameCounters(frame, N);
      for (let d = 0; d < duties; d++) c.add(40, d < mine ? [1, 2, share] : [1, 2]);
      return c;
    };
    store.saveFrame(counts(5, 8, 6));
    store.saveFrame(counts(6, 8, 8));
    const expected = new Array<number>(N).fill(8);
    const contributed = new Array<number>(N).fill(7);
    contributed[share - 1] = 5;
    store.saveStatement({
      statement: {
        chainId: 31337n,
        oracle: "0x00000000000000000000000000000000000000aa",
        validatorPubkey: key.groupPublicKey.toBytes(),
        frame: 5n,
        expected,
        contributed,
      },
      signature: new Uint8Array(96).fill(1),
    });
    const open = counts(7, 3, 2);
    const report = validatorPerformance({ store, keys, openFrame: open }, 3);
    assert.equal(report.length, 1);
    assert.deepEqual(
      report[0]?.frames.map((f) => [f.frame, f.closed, f.signed, f.contributed[share - 1], f.expected[share - 1]]),
      [
        [7, false, false, 2, 3],
        [6, true, false, 8, 8],
        [5, true, true, 5, 8],
      ],
    );
    assert.equal(validatorPerformance({ store, keys, openFrame: open }, 1)[0]?.frames.length, 1);

    const server = await startStatusServer(
      new Registry(),
      async () => ({ healthy: true }),
      "127.0.0.1",
      0,
      undefined,
      (frames) => ({
        frameSlots: 32,
        validators: validatorPerformance({ store, keys, openFrame: open }, frames).map((v) => ({
          ...v,
          clusterId: "0x01",
        })),
      }),
    );
    try {
      const listing = await fetchPerformance(server.url, 2);
      assert.equal(listing.validators[0]?.frames.length, 2);
      assert.equal(listing.validators[0]?.pubkey, `0x${Buffer.from(key.groupPublicKey.toBytes()).toString("hex")}`);
      assert.equal((await fetch(`${server.url}/performance?frames=0`)).status, 400);
      assert.equal((await fetch(`${server.url}/performance?frames=65`)).status, 400);
      assert.equal((await fetch(`${server.url}/performance?frames=x`)).status, 400);
      const lines = performanceLines(await fetchPerformance(server.url, 3));
      assert.match(lines[0] ?? "", /oracle frame of 32 slots/);
      assert.equal(
        lines[1],
        "    validator 40 (share 3): frame 7 2/3 counting, frame 6 8/8 unsigned, frame 5 5/8 signed",
      );
    } finally {
      await server.close();
    }
    assert.match(performanceLines({ frameSlots: null, validators: [] })[0] ?? "", /off/);
  });
});
