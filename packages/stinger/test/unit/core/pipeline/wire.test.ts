import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type * as I from "../../../../src/core/interfaces.ts";
import { PipelineError } from "../../../../src/core/pipelineError.ts";
import { DutyPipeline } from "../../../../src/core/wire.ts";
import { attestationData, silentLogger } from "./fixtures.ts";

const SLOT = 70;

/** Every fake step appends what it was called with; the tests read the order and the data handed on. */
type Call = { step: string; args: unknown[] };

type Options = {
  refuse?: Set<number>;
  broadcastFails?: boolean;
  agreementFails?: boolean;
};

function defOf(type: I.DutyType, validator: number): I.DutyDefinition {
  return { duty: { slot: SLOT, type, validator }, pubkey: new Uint8Array(48), committeeIndex: 1, committeeLength: 4 };
}

const root = new Uint8Array(32).fill(4);
const signatureOf = (shareIndex: number) => new Uint8Array(96).fill(shareIndex);

/** All steps faked; the parsigdb fake reaches the threshold with the operator's own partial. */
function fakes(opts: Options = {}) {
  const calls: Call[] = [];
  const record = (step: string, ...args: unknown[]): void => {
    calls.push({ step, args });
  };
  const definitions: I.DutyDefinition[] = [];
  let emit: (d: I.DutyDefinition) => void = () => {};
  let received: (partials: readonly I.ParSignedData[], from: number) => void = () => {};
  let threshold: (partials: readonly I.ParSignedData[]) => void = () => {};
  const decidedData = (validator: number): I.UnsignedData => ({
    type: "attester",
    data: attestationData(SLOT, 1, 2, validator),
  });
  const stored = new Map<string, I.UnsignedData>();
  const key = (d: I.Duty) => `${d.slot}/${d.type}/${d.validator}`;
  const deps = {
    clock: {
      secondsPerSlot: 12,
      slotsPerEpoch: 32,
      now: () => 1_000_000,
      slotStartMs: (slot: number) => 1_000_000 + (slot - SLOT) * 12_000,
      secondsIntoSlot: () => 4,
    },
    scheduler: {
      subscribeDuties: (h: (d: I.DutyDefinition) => void) => {
        emit = h;
        return () => {};
      },
      getDutyDefinitions: () => definitions,
      addDuty: () => record("scheduler.addDuty"),
      start: () => record("scheduler.start"),
      stop: () => {},
    },
    fetcher: {
      fetch: async (def: I.DutyDefinition): Promise<I.UnsignedData> => {
        record("fetcher", def.duty);
        return def.duty.type === "randao"
          ? { type: "randao", data: { epoch: 2 } }
          : { type: "attester", data: attestationData(SLOT, 1, 2) };
      },
    },
    agreement: {
      decide: async (slot: number, type: I.DutyType, local: Uint8Array, accept: (v: Uint8Array) => boolean) => {
        record("agreement", slot, type, local, accept(local));
        if (opts.agreementFails) throw new PipelineError({ code: "ERR_DUTY_ABORTED", duty: `${slot}/${type}` });
        return Uint8Array.from([9, 9]);
      },
      prune: () => {},
      stop: () => {},
    },
    validity: {
      proposal: (batch: I.DutyBatch, locals: readonly I.UnsignedData[]) => {
        record("validity.proposal", batch.definitions.length, locals.length);
        return Uint8Array.from([1, 2, 3]);
      },
      isAcceptable: () => true,
      fitsView: () => true,
      decided: (batch: I.DutyBatch, value: Uint8Array) => {
        record("validity.decided", value);
        return new Map(batch.definitions.map((d) => [d.duty.validator, decidedData(d.duty.validator)]));
      },
      prune: () => {},
    },
    dutyDb: {
      store: (duty: I.Duty, data: I.UnsignedData) => {
        record("dutydb", duty, data);
        stored.set(key(duty), data);
      },
      get: (duty: I.Duty) => stored.get(key(duty)),
      await: async () => decidedData(0),
      prune: () => {},
    },
    signer: {
      signBatch: async (items: readonly I.SigningItem[]): Promise<I.SigningOutcome[]> => {
        record("signer", items);
        return items.map((item) =>
          opts.refuse?.has(item.duty.validator)
            ? { ok: false, duty: item.duty, reason: "surround_vote" }
            : { ok: true, partial: { duty: item.duty, signingRoot: root, signature: signatureOf(1), shareIndex: 1 } },
        );
      },
    },
    parSigEx: {
      broadcast: async (partials: readonly I.ParSignedData[]) => record("parsigex", partials),
      subscribe: (h: typeof received) => {
        received = h;
        return () => {};
      },
    },
    parSigDb: {
      expect: (duty: I.Duty, signingRoot: Uint8Array) => record("parsigdb.expect", duty, signingRoot),
      add: (p: I.ParSignedData) => {
        record("parsigdb.add", p);
        threshold([p]);
      },
      subscribeThreshold: (h: typeof threshold) => {
        threshold = h;
        return () => {};
      },
      markDone: (duty: I.Duty) => record("parsigdb.done", duty),
      prune: () => {},
    },
    sigAgg: {
      aggregate: async (partials: readonly I.ParSignedData[]): Promise<I.AggregatedSignature> => {
        record("sigagg", partials);
        const p = partials[0] as I.ParSignedData;
        return { duty: p.duty, signingRoot: p.signingRoot, signature: signatureOf(77), used: [2, 5] };
      },
    },
    aggSigDb: {
      set: (duty: I.Duty, signature: Uint8Array) => record("aggsigdb.set", duty, signature),
      get: () => undefined,
      await: async (duty: I.Duty) => {
        record("aggsigdb.await", duty);
        return signatureOf(5);
      },
      prune: () => {},
    },
    broadcaster: {
      broadcastBatch: async (items: readonly I.SignedDuty[]): Promise<I.BroadcastResult> => {
        record("broadcast", items);
        return opts.broadcastFails
          ? { published: [], duplicates: [], failed: items.map((item) => ({ item, reason: "HTTP 400" })) }
          : { published: [...items], duplicates: [], failed: [] };
      },
      prune: () => {},
    },
    tracker: {
      stepDone: (duty: I.Duty, step: string) => record(`tracker.${step}`, duty),
      failed: (duty: I.Duty, step: string, reason: string) => record("tracker.failed", duty, step, reason),
      partialsReceived: (type: I.DutyType, count: number) => record("tracker.received", type, count),
      fault: () => {},
      contributed: (duty: I.Duty, shares: readonly number[]) => record("tracker.contributed", duty, shares.length),
      outcome: () => undefined,
      prune: () => {},
    },
    performance: {
      contributed: (duty: I.Duty, shares: readonly number[]) => record("performance", duty, [...shares]),
    },
    logger: silentLogger,
  } satisfies ConstructorParameters<typeof DutyPipeline>[0];
  const pipeline = new DutyPipeline(deps);
  pipeline.start();
  return {
    calls,
    steps: () => calls.map((c) => c.step),
    /** Emits the duties (one tick) and waits for the pipeline to settle. */
    run: async (defs: I.DutyDefinition[]) => {
      definitions.push(...defs);
      for (const d of defs) emit(d);
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    },
    receive: (partials: readonly I.ParSignedData[], from: number) => received(partials, from),
    argsOf: (step: string) => calls.filter((c) => c.step === step).map((c) => c.args),
    stop: () => pipeline.stop(),
  };
}

/** The steps in the order they were first called. */
const firstCalls = (steps: string[]) => [...new Set(steps)];

describe("wire: the pipeline connects its steps", () => {
  it("runs an attestation batch scheduler → fetcher → agreement → dutydb → signer → parsigex/parsigdb → sigagg → broadcast → tracker", async () => {
    const f = fakes();
    await f.run([defOf("attester", 11), defOf("attester", 12)]);
    f.stop();
    const pipelineOrder = [
      "fetcher",
      "agreement",
      "dutydb",
      "signer",
      "parsigex",
      "parsigdb.expect",
      "parsigdb.add",
      "sigagg",
      "broadcast",
      "tracker.broadcast",
    ];
    // Each step's first call comes after the previous step's first call.
    assert.deepEqual(
      firstCalls(f.steps()).filter((s) => pipelineOrder.includes(s)),
      pipelineOrder,
    );
    assert.equal(f.steps()[0], "scheduler.start");

    // One fetch and one agreement instance for the whole (slot, type) batch.
    assert.equal(f.argsOf("fetcher").length, 1);
    const [[slot, type, local, accepted]] = f.argsOf("agreement") as [[number, string, Uint8Array, boolean]];
    assert.deepEqual([slot, type, [...local], accepted], [SLOT, "attester", [1, 2, 3], true]);
    assert.deepEqual(f.argsOf("validity.proposal"), [[2, 1]]);
    assert.deepEqual(f.argsOf("validity.decided"), [[Uint8Array.from([9, 9])]]);

    // The decided data is stored and signed, per validator.
    const stored = f.argsOf("dutydb").map(([duty, data]) => [(duty as I.Duty).validator, data]);
    const [[items]] = f.argsOf("signer") as [[I.SigningItem[]]];
    assert.deepEqual(
      items.map((i) => [i.duty.validator, i.data]),
      stored,
    );
    assert.equal(
      (stored[0] as [number, { data: { beaconBlockRoot: Uint8Array } }])[1].data.beaconBlockRoot[0],
      11,
      "the decided value, not the local one",
    );

    // The signer's partials go to the cluster and into the parsigdb under the signed root.
    const [[sent]] = f.argsOf("parsigex") as [[I.ParSignedData[]]];
    assert.deepEqual(
      sent.map((p) => p.duty.validator),
      [11, 12],
    );
    assert.deepEqual(
      f.argsOf("parsigdb.expect").map(([duty, r]) => [(duty as I.Duty).validator, r]),
      [
        [11, root],
        [12, root],
      ],
    );
    assert.deepEqual(
      f.argsOf("parsigdb.add").map(([p]) => p),
      sent,
    );

    // Threshold partials → sigagg → one broadcast call for the slot with the decided data and the group signature.
    assert.deepEqual(
      f.argsOf("sigagg").map(([ps]) => (ps as I.ParSignedData[])[0]),
      sent,
    );
    const broadcasts = f.argsOf("broadcast") as [I.SignedDuty[]][];
    assert.equal(broadcasts.length, 1, "signed messages completing in one tick go in one call");
    const signed = (broadcasts[0] as [I.SignedDuty[]])[0];
    assert.deepEqual(
      signed.map((s) => [s.definition.duty.validator, s.data, s.signature.signature[0]]),
      stored.map(([v, data]) => [v, data, 77]),
    );
    assert.deepEqual(
      f.argsOf("parsigdb.done").map(([d]) => (d as I.Duty).validator),
      [11, 12],
    );
    for (const step of ["tracker.fetcher", "tracker.agreement", "tracker.signer", "tracker.sigagg"]) {
      assert.equal(f.argsOf(step).length, 2, step);
    }
    assert.equal(f.argsOf("tracker.contributed").length, 2, "the shares behind each group signature are recorded");
    // The performance step is credited only the interpolated shares (proven valid by the group signature).
    assert.deepEqual(
      f.argsOf("performance").map(([d, shares]) => [(d as I.Duty).validator, shares]),
      [
        [11, [2, 5]],
        [12, [2, 5]],
      ],
    );
    assert.deepEqual(f.argsOf("tracker.failed"), []);
  });

  it("deterministic duties skip agreement and their group signature goes to the aggsigdb, not the beacon node", async () => {
    const f = fakes();
    await f.run([defOf("randao", 11)]);
    f.stop();
    assert.deepEqual(f.argsOf("agreement"), []);
    assert.deepEqual(f.argsOf("broadcast"), []);
    const [[duty, signature]] = f.argsOf("aggsigdb.set") as [[I.Duty, Uint8Array]];
    assert.deepEqual(duty, { slot: SLOT, type: "randao", validator: 11 });
    assert.equal(signature[0], 77);
    const [[items]] = f.argsOf("signer") as [[I.SigningItem[]]];
    assert.deepEqual(items[0]?.data, { type: "randao", data: { epoch: 2 } });
  });

  it("a proposal waits for its slot's RANDAO reveal in the aggsigdb before fetching", async () => {
    const f = fakes();
    await f.run([defOf("proposer", 11)]);
    f.stop();
    const steps = f.steps();
    assert.deepEqual(f.argsOf("aggsigdb.await"), [[{ slot: SLOT, type: "randao", validator: 11 }]]);
    assert.ok(steps.indexOf("aggsigdb.await") < steps.indexOf("fetcher"));
  });

  it("a refused signature fails that duty only; the others are exchanged", async () => {
    const f = fakes({ refuse: new Set([12]) });
    await f.run([defOf("attester", 11), defOf("attester", 12)]);
    f.stop();
    const [[sent]] = f.argsOf("parsigex") as [[I.ParSignedData[]]];
    assert.deepEqual(
      sent.map((p) => p.duty.validator),
      [11],
    );
    assert.deepEqual(f.argsOf("tracker.failed"), [
      [{ slot: SLOT, type: "attester", validator: 12 }, "signer", "surround_vote"],
    ]);
  });

  it("a failed agreement fails every duty of the batch with its code; nothing is signed", async () => {
    const f = fakes({ agreementFails: true });
    await f.run([defOf("attester", 11), defOf("attester", 12)]);
    f.stop();
    assert.deepEqual(f.argsOf("signer"), []);
    assert.deepEqual(
      f.argsOf("tracker.failed").map(([d, step, code]) => [(d as I.Duty).validator, step, code]),
      [
        [11, "pipeline", "ERR_DUTY_ABORTED"],
        [12, "pipeline", "ERR_DUTY_ABORTED"],
      ],
    );
  });

  it("a broadcast the beacon node rejects fails the duty at the broadcast step", async () => {
    const f = fakes({ broadcastFails: true });
    await f.run([defOf("attester", 11)]);
    f.stop();
    assert.deepEqual(f.argsOf("tracker.broadcast"), []);
    assert.deepEqual(f.argsOf("tracker.failed"), [
      [{ slot: SLOT, type: "attester", validator: 11 }, "broadcast", "beacon_node"],
    ]);
  });

  it("partials received from the cluster are counted and go to the parsigdb", async () => {
    const f = fakes();
    const partial: I.ParSignedData = {
      duty: { slot: SLOT, type: "attester", validator: 11 },
      signingRoot: root,
      signature: signatureOf(3),
      shareIndex: 3,
    };
    f.receive([partial], 3);
    f.stop();
    assert.deepEqual(f.argsOf("tracker.received"), [["attester", 1]]);
    assert.deepEqual(f.argsOf("parsigdb.add"), [[partial]]);
  });
});
