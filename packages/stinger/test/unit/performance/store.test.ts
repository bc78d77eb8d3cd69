import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { DutyType } from "../../../src/core/interfaces.ts";
import { FrameCounters, frameAtTime, frameOfSlot } from "../../../src/performance/counters.ts";
import { FrameRecorder } from "../../../src/performance/recorder.ts";
import { PerformanceStore } from "../../../src/performance/store.ts";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "perf-store-"));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const duty = (slot: number, validator: number) => ({ slot, type: DutyType.attester, validator });

describe("performance recording", () => {
  it("counts, per validator and frame, the share indices of each combination", () => {
    const c = new FrameCounters(3, 4);
    c.add(1, [1, 2, 3]);
    c.add(1, [2, 3, 4, 4, 9, 0]);
    c.add(2, [1]);
    assert.deepEqual(c.get(1), { duties: 2, contributed: [1, 2, 2, 1] });
    assert.deepEqual(c.get(2), { duties: 1, contributed: [1, 0, 0, 0] });
    assert.deepEqual(FrameCounters.fromJson(JSON.parse(JSON.stringify(c.toJson()))).toJson(), c.toJson());
    assert.equal(frameOfSlot(63, 32), 1);
    assert.equal(frameOfSlot(64, 32), 2);
  });

  it("saves counters atomically, survives a restart without losing or double-counting saved duties", () => {
    const dir = tmp();
    const closed: number[] = [];
    const rec = new FrameRecorder({
      store: new PerformanceStore(dir),
      frameSlots: 64,
      shares: 4,
      flushEverySlots: 8,
      onFrameClosed: (c) => closed.push(c.frame),
    });
    rec.contributed(duty(0, 5), [1, 2, 3]);
    rec.contributed(duty(8, 5), [1, 2, 4]); // 8 slots after the last save: saved with both duties
    rec.contributed(duty(9, 5), [2, 3, 4]); // not yet saved: lost by the crash below
    // "Crash": a new recorder over the same directory resumes from the saved counters.
    const resumed = new FrameRecorder({ store: new PerformanceStore(dir), frameSlots: 64, shares: 4 });
    resumed.contributed(duty(10, 5), [1, 3, 4]);
    assert.deepEqual(resumed.openFrame()?.get(5), { duties: 3, contributed: [3, 2, 2, 2] });
    // The first duty of frame 1 closes frame 0 and saves it.
    resumed.contributed(duty(64, 5), [1]);
    assert.deepEqual(new PerformanceStore(dir).loadFrame(0)?.get(5), { duties: 3, contributed: [3, 2, 2, 2] });
    // A late duty of the closed frame is not counted.
    resumed.contributed(duty(63, 5), [1, 2]);
    assert.equal(resumed.openFrame()?.frame, 1);
    assert.deepEqual(resumed.openFrame()?.get(5), { duties: 1, contributed: [1, 0, 0, 0] });
    rec.contributed(duty(70, 5), [4]);
    assert.deepEqual(closed, [0]);
  });

  it("a node restarted after a frame ended still closes that frame (its statement is agreed on then)", () => {
    const dir = tmp();
    const before = new FrameRecorder({
      store: new PerformanceStore(dir),
      frameSlots: 16,
      shares: 4,
      flushEverySlots: 1,
    });
    before.contributed(duty(14, 5), [1, 2]);
    before.flush();
    const closed: number[] = [];
    const after = new FrameRecorder({
      store: new PerformanceStore(dir),
      frameSlots: 16,
      shares: 4,
      onFrameClosed: (c) => closed.push(c.frame),
    });
    after.contributed(duty(17, 5), [3]);
    assert.deepEqual(closed, [0]);
    const fresh = new FrameRecorder({
      store: new PerformanceStore(tmp()),
      frameSlots: 16,
      shares: 4,
      onFrameClosed: (c) => closed.push(c.frame),
    });
    fresh.contributed(duty(17, 5), [3]);
    assert.deepEqual(closed, [0], "nothing to close without saved counters of the previous frame");
  });

  it("counts on the oracle's frames (AccountingOracle.frameAt) when its genesis is not the beacon genesis", () => {
    const frames = { genesisTime: 1_000, frameSeconds: 64 };
    assert.equal(frameAtTime(999, frames), 0);
    assert.equal(frameAtTime(1_063, frames), 0);
    assert.equal(frameAtTime(1_064, frames), 1);
    const closed: number[] = [];
    // Beacon genesis 10 s before the oracle's, 2-s slots: slot s starts at 990 + 2s.
    const rec = new FrameRecorder({
      store: new PerformanceStore(tmp()),
      frameSlots: 32,
      shares: 4,
      frameOf: (slot) => frameAtTime(990 + 2 * slot, frames),
      onFrameClosed: (c) => closed.push(c.frame),
    });
    rec.contributed(duty(36, 5), [1]); // t = 1062: frame 0
    rec.contributed(duty(37, 5), [1]); // t = 1064: frame 1
    assert.deepEqual(closed, [0]);
    assert.equal(rec.openFrame()?.frame, 1);
  });

  it("keeps one directory per cluster when asked", () => {
    const dir = tmp();
    const a = new PerformanceStore(dir, "aa");
    a.saveFrame(new FrameCounters(1, 4));
    assert.deepEqual(new PerformanceStore(dir, "aa").frames(), [1]);
    assert.deepEqual(new PerformanceStore(dir, "bb").frames(), []);
  });

  it("refuses a corrupt counters file with a typed error naming it", () => {
    const dir = tmp();
    const store = new PerformanceStore(dir);
    writeFileSync(join(dir, "performance", "frames", "2.json"), "{not json");
    assert.throws(
      () => store.loadFrame(2),
      (e: Error & { type?: { code: string; path: string } }) => {
        assert.equal(e.type?.code, "ERR_PERFORMANCE_STORE_CORRUPT");
        assert.match(e.type?.path ?? "", /2\.json$/);
        return true;
      },
    );
    writeFileSync(
      join(dir, "performance", "frames", "3.json"),
      JSON.stringify({ frame: 3, shares: 2, validators: { 1: { duties: 1, contributed: [2, 0] } } }),
    );
    assert.throws(() => store.loadFrame(3), /ERR_PERFORMANCE_STORE_CORRUPT/);
  });

  it("signs at most one statement root per validator and frame, across restarts", () => {
    const dir = tmp();
    const pubkey = new Uint8Array(48).fill(7);
    const a = new Uint8Array(32).fill(1);
    const b = new Uint8Array(32).fill(2);
    new PerformanceStore(dir).recordSigning(pubkey, 4, a);
    const store = new PerformanceStore(dir);
    store.recordSigning(pubkey, 4, a); // the same root again: a retransmission
    assert.throws(() => store.recordSigning(pubkey, 4, b), /ERR_PERFORMANCE_ALREADY_SIGNED/);
    store.recordSigning(pubkey, 5, b);
    assert.deepEqual(store.signedRoot(pubkey, 4), a);
  });
});
