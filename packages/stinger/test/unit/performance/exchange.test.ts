import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, describe, it } from "node:test";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { computePerformanceSigningRoot } from "@nektar/crypto";
import { Registry } from "prom-client";
import { ValidatorKeys } from "../../../src/core/signer/validatorKeys.ts";
import { DutyMessageKind } from "../../../src/core/transport.ts";
import { createLogger } from "../../../src/logger/logger.ts";
import { performanceLeader } from "../../../src/performance/agreement.ts";
import { FrameCounters, type OracleFrames } from "../../../src/performance/counters.ts";
import { PerformanceExchange } from "../../../src/performance/exchange.ts";
import { encodePerformanceMessage, PerformanceMessageType } from "../../../src/performance/messages.ts";
import { createPerformanceMetrics, type PerformanceMetrics } from "../../../src/performance/metrics.ts";
import { PerformanceStore } from "../../../src/performance/store.ts";
import { MemoryCluster } from "../../support/memoryTransport.ts";
import { dealtKey, FORK, N, THRESHOLD } from "./cluster.ts";
import { type Scenario, simulateViews, VALIDATOR } from "./simulation.ts";

const FRAME = 2;
const FRAME_SLOTS = 8;
const SLOT_MS = 1000;
const ORACLE = "0x00000000000000000000000000000000000000aa";
const key = dealtKey(11);
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Member = { exchange: PerformanceExchange; store: PerformanceStore; metrics: PerformanceMetrics };

/** 16 members over the in-memory cluster transport with one shared, manually advanced clock. */
function cluster(opts: { dirs?: string[]; frames?: OracleFrames } = {}) {
  const net = new MemoryCluster(N);
  const frameEndMs =
    opts.frames === undefined
      ? (FRAME + 1) * FRAME_SLOTS * SLOT_MS
      : (opts.frames.genesisTime + (FRAME + 1) * opts.frames.frameSeconds) * 1000;
  let now = frameEndMs + 100; // first slot of the next frame
  const clock = {
    now: () => now,
    currentSlot: () => Math.floor(now / SLOT_MS),
    slotStartMs: (slot: number) => slot * SLOT_MS,
    secondsPerSlot: SLOT_MS / 1000,
  };
  const logger = createLogger({ level: "error" });
  const members: Member[] = [];
  for (let i = 0; i < N; i++) {
    const dir = opts.dirs?.[i] ?? mkdtempSync(join(tmpdir(), "perf-exchange-"));
    if (opts.dirs === undefined) dirs.push(dir);
    const store = new PerformanceStore(dir);
    const metrics = createPerformanceMetrics(new Registry());
    const keys = new ValidatorKeys(i + 1, [
      {
        index: VALIDATOR,
        pubkey: key.groupPublicKey.toBytes(),
        sharePublicKeys: key.sharePublicKeys.map((k) => k.toBytes()),
        secretShare: (key.secrets[i] as NonNullable<(typeof key.secrets)[number]>).toBytes(),
      },
    ]);
    const exchange = new PerformanceExchange({
      transport: net.transports[i] as MemoryCluster["transports"][number],
      store,
      keys,
      operators: N,
      threshold: THRESHOLD,
      chainId: 31337n,
      oracle: ORACLE,
      genesisForkVersion: FORK,
      frameSlots: FRAME_SLOTS,
      ...(opts.frames !== undefined ? { frames: opts.frames } : {}),
      clock,
      logger,
      metrics,
    });
    members.push({ exchange, store, metrics });
  }
  // Deliveries trigger further sends (proposal → partials): wait until the in-memory network is quiet.
  const settle = async () => {
    for (let i = 0; i < 8; i++) await new Promise((r) => setTimeout(r, 25));
  };
  return {
    net,
    members,
    /** Every member closes the frame with its counts of `scenario` (members without counts send nothing). */
    close: async (scenario: Scenario) => {
      simulateViews(scenario).forEach((counts, i) => {
        (members[i] as Member).exchange.closeFrame(
          FrameCounters.fromJson({
            frame: FRAME,
            shares: N,
            validators: counts === undefined || counts.duties === 0 ? {} : { [VALIDATOR]: counts },
          }),
        );
      });
      await settle();
    },
    /** Moves the clock to the middle of `round` and ticks every member. */
    round: async (round: number) => {
      now = frameEndMs + SLOT_MS + round * 2 * SLOT_MS + 10;
      for (const m of members) m.exchange.tick();
      await settle();
      for (const m of members) m.exchange.tick();
      await settle();
      for (const m of members) m.exchange.tick();
    },
    stop: () => {
      for (const m of members) m.exchange.stop();
      net.stop();
    },
  };
}

function assertVerifies(members: Member[], expectAt: number[]) {
  const statements = expectAt.map((i) => members[i]?.store.loadStatement(key.groupPublicKey.toBytes(), FRAME));
  const first = statements[0];
  assert.ok(first !== undefined, "member holds the combined statement");
  for (const s of statements) assert.deepEqual(s, first);
  const root = computePerformanceSigningRoot(first.statement, FORK);
  assert.ok(
    verify(root, PublicKey.fromBytes(key.groupPublicKey.toBytes()), Signature.fromBytes(first.signature, true)),
  );
  return first;
}

let running: ReturnType<typeof cluster> | undefined;
afterEach(() => running?.stop());

describe("PerformanceExchange: the agreement over the cluster transport", () => {
  it("every member holds the same statement, signed by the validator key, after round 0", async () => {
    const c = cluster();
    running = c;
    await c.close({ duties: 40, seed: 3 });
    await c.round(0);
    const s = assertVerifies(
      c.members,
      Array.from({ length: N }, (_, i) => i),
    );
    assert.equal(s.statement.expected.length, N);
    assert.ok(s.statement.expected.every((e) => e === 40));
    for (const m of c.members) {
      assert.equal((await m.metrics.statements.get()).values.find((v) => v.labels.outcome === "combined")?.value, 1);
    }
  });

  it("runs on the oracle's frames when its genesis is not the beacon genesis (the devnet's)", async () => {
    const c = cluster({ frames: { genesisTime: 3, frameSeconds: FRAME_SLOTS } });
    running = c;
    await c.close({ duties: 12, seed: 9 });
    await c.round(0);
    assertVerifies(
      c.members,
      Array.from({ length: N }, (_, i) => i),
    );
  });

  it("a down round-0 leader only delays the statement: round 1's leader proposes", async () => {
    const c = cluster();
    running = c;
    const leader0 = performanceLeader(FRAME, VALIDATOR, 0, N);
    c.net.setDown(leader0 - 1, true);
    await c.close({ duties: 30, seed: 4 });
    await c.round(0);
    assert.equal(
      c.members[0 === leader0 - 1 ? 1 : 0]?.store.loadStatement(key.groupPublicKey.toBytes(), FRAME),
      undefined,
    );
    await c.round(1);
    const others = Array.from({ length: N }, (_, i) => i).filter((i) => i !== leader0 - 1);
    assertVerifies(c.members, others);
  });

  it("a member down for the whole frame: its share shows 0 contributed, the other 15 sign", async () => {
    const c = cluster();
    running = c;
    const offline = performanceLeader(FRAME, VALIDATOR, 0, N) === 5 ? 6 : 5;
    c.net.setDown(offline - 1, true);
    await c.close({ duties: 24, offline: [offline], seed: 5 });
    await c.round(0);
    const s = assertVerifies(
      c.members,
      Array.from({ length: N }, (_, i) => i).filter((i) => i !== offline - 1),
    );
    assert.equal(s.statement.contributed[offline - 1], 0);
    assert.equal(s.statement.expected[offline - 1], 24);
    assert.equal(c.members[offline - 1]?.store.loadStatement(key.groupPublicKey.toBytes(), FRAME), undefined);
  });

  it("a member that missed the partials catches up at the next round from the members already done", async () => {
    const c = cluster();
    running = c;
    const late = performanceLeader(FRAME, VALIDATOR, 0, N) === 3 ? 4 : 3;
    c.net.policy = (from, to, _kind, payload) =>
      to === late - 1 && payload[0] === PerformanceMessageType.partials && from !== late - 1 ? undefined : 0;
    await c.close({ duties: 20, seed: 6 });
    await c.round(0);
    assert.equal(c.members[late - 1]?.store.loadStatement(key.groupPublicKey.toBytes(), FRAME), undefined);
    c.net.policy = () => 0;
    await c.round(1);
    assertVerifies(
      c.members,
      Array.from({ length: N }, (_, i) => i),
    );
  });

  it("drops malformed messages, foreign frames, non-leader proposals and floods", async () => {
    const c = cluster();
    running = c;
    const target = c.members[0] as Member;
    const dropped = async (reason: string) =>
      (await target.metrics.dropped.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
    c.net.inject(3, 0, DutyMessageKind.performance, Uint8Array.of(9, 1, 2));
    assert.equal(await dropped("malformed"), 1);
    const views = (frame: number) =>
      encodePerformanceMessage({ type: PerformanceMessageType.views, body: { frame, round: 0, items: [] } });
    c.net.inject(3, 0, DutyMessageKind.performance, views(FRAME + 5));
    c.net.inject(3, 0, DutyMessageKind.performance, views(FRAME - 3));
    assert.equal(await dropped("frame"), 2);
    const notLeader = performanceLeader(FRAME, VALIDATOR, 0, N) === 4 ? 5 : 4;
    c.net.inject(
      notLeader - 1,
      0,
      DutyMessageKind.performance,
      encodePerformanceMessage({
        type: PerformanceMessageType.proposals,
        body: { frame: FRAME, round: 0, items: [{ validatorIndex: VALIDATOR, views: [] }] },
      }),
    );
    assert.equal(await dropped("not_leader"), 1);
    const partial = (contributed: number) =>
      encodePerformanceMessage({
        type: PerformanceMessageType.partials,
        body: {
          frame: FRAME,
          items: [
            {
              validatorIndex: VALIDATOR,
              expected: new Array<number>(N).fill(5),
              contributed: new Array<number>(N).fill(contributed),
              signature: new Uint8Array(96),
            },
          ],
        },
      });
    c.net.inject(5, 0, DutyMessageKind.performance, partial(4));
    c.net.inject(5, 0, DutyMessageKind.performance, partial(4));
    assert.equal(await dropped("second_statement"), 0, "a retransmission is not a second statement");
    c.net.inject(5, 0, DutyMessageKind.performance, partial(3));
    assert.equal(await dropped("second_statement"), 1, "one statement per member and validator");
    for (let i = 0; i < 500; i++) c.net.inject(7, 0, DutyMessageKind.performance, views(FRAME));
    assert.ok((await dropped("quota")) > 0, "a member flooding a frame is cut off");
  });

  it("after a restart a member never signs a different statement for the frame", async () => {
    const memberDirs = Array.from({ length: N }, () => mkdtempSync(join(tmpdir(), "perf-exchange-")));
    dirs.push(...memberDirs);
    const first = cluster({ dirs: memberDirs });
    await first.close({ duties: 16, seed: 7 });
    await first.round(0);
    const before = assertVerifies(
      first.members,
      Array.from({ length: N }, (_, i) => i),
    );
    first.stop();
    // Restarted members with other counts (as if the files of counts were lost) and no saved statements.
    for (const d of memberDirs) rmSync(join(d, "performance", "statements"), { recursive: true, force: true });
    for (const d of memberDirs) new PerformanceStore(d);
    const second = cluster({ dirs: memberDirs });
    running = second;
    await second.close({ duties: 17, seed: 8 });
    for (let r = 0; r < 3; r++) await second.round(r);
    for (const m of second.members) {
      const s = m.store.loadStatement(key.groupPublicKey.toBytes(), FRAME);
      assert.equal(s, undefined, "no second statement can gather 11 signatures");
    }
    assert.ok(before.statement.expected.every((e) => e === 16));
  });
});
