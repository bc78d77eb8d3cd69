/**
 * Capacity load generator: how many validators' attestation duties ONE operator node completes on time at mainnet
 * timing (12 s slots, 32-slot epochs → N/32 attesters per slot), 16 operators, threshold 11. Each attester also
 * threshold-signs its aggregator selection proof in the same slot (prepare_aggregator: a second combined signature
 * per attester, signed in the same batch — the conservative timing); --attestations-only leaves them out.
 *
 * It runs the node's real wiring (`core/wire.ts`'s DutyPipeline) on one event loop as in the node, with the steps
 * before signing faked (a scheduler emitting the slot's duties, a fetcher returning the data, an agreement deciding
 * the local value at once: its latency is added as --agreement-ms) and the production steps after it: DutyValidity →
 * MemoryDutyDB → ShareSigner (slashing DB, fsynced batch) → BatchedParSigEx (one batch per slot and duty type, sealed
 * in the signed DutyNetwork envelope) → the 15 other operators' batches arriving 5–50 ms after ours (each opened:
 * envelope signature checked, decoded) → MemoryParSigDB → ThresholdSigAgg → selection proofs into the aggsigdb,
 * attestations to a broadcaster that builds the SingleAttestation JSON for the beacon node. The other operators'
 * partials are real signatures made before the timed section (they are the other machines' work).
 *
 * "On time": an attestation duty starts at 1/3 of its slot (4 s, when the data is fetched) and must be combined and
 * handed to the beacon node by 2/3 of the slot (8 s): completion = agreement latency (--agreement-ms, default the
 * 150 ms target) + time from decision to combined signature. N is served when 100% of the duties of every measured
 * slot are on time. The table also gives CPU per slot (user+system of this process: the load of the shared machine
 * does not inflate it), the longest event-loop stall (what agreement messages arriving meanwhile wait) and the host's
 * 1-minute load average (completion times are wall-clock: on a shared host, repeat when the load is low).
 * "p99 CPU-clock" times each completion on this process's CPU clock instead (what a node with a core to itself would
 * see; it does not grow with other jobs' load, and is slightly pessimistic: it counts the fsync and GC threads too).
 * After the listed sizes the largest passing N is searched by bisection between the last pass and the first failure;
 * the verdict uses wall-clock completions, or CPU-clock ones with --cpu-clock (for a shared, loaded host).
 *
 * Usage: node bench/dutiesCapacity.ts [--agreement-ms 150] [--slots 3] [--sequential-combine] [--attestations-only]
 *        [--cpu-clock] [--no-search] [N ...]
 *   --sequential-combine: one combinePartialSignatures per duty when it reaches the threshold (the pre-batching
 *   sigagg), for before/after comparisons.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { SecretKey } from "@chainsafe/blst";
import { generateKeyPairFromSeed } from "@libp2p/crypto/keys";
import { ssz } from "@lodestar/types";
import { combinePartialSignatures } from "@nektar/crypto";
import { Registry } from "prom-client";
import { CombinedSignatures } from "../src/core/dutydb/combinedSignatures.ts";
import { MemoryDutyDB } from "../src/core/dutydb/dutyDb.ts";
import type {
  AggregatedSignature,
  Agreement,
  Broadcaster,
  Clock,
  DutyDefinition,
  Fetcher,
  ParSignedData,
  Scheduler,
  SignedDuty,
} from "../src/core/interfaces.ts";
import { MemoryParSigDB } from "../src/core/parsigdb/parSigDb.ts";
import { encodePartialBatch } from "../src/core/parsigex/codec.ts";
import { BatchedParSigEx } from "../src/core/parsigex/parSigEx.ts";
import { ThresholdSigAgg } from "../src/core/sigagg/sigAgg.ts";
import { ShareSigner } from "../src/core/signer/signer.ts";
import { computeDutySigningRoot } from "../src/core/signer/signingRoot.ts";
import { ValidatorKeys } from "../src/core/signer/validatorKeys.ts";
import { createDutyMetrics, DutyTracker } from "../src/core/tracker/tracker.ts";
import { DutyMessageKind, type DutyTransport } from "../src/core/transport.ts";
import { DutyValidity } from "../src/core/validity/validity.ts";
import { DutyPipeline } from "../src/core/wire.ts";
import { identitySigner, identityVerifier } from "../src/identity/ed25519.ts";
import { createLogger } from "../src/logger/logger.ts";
import { type DutyEnvelopeContext, openDutyMessage, sealDutyMessage } from "../src/node/dutyNetwork.ts";
import { SlashingProtectionDB } from "../src/slashing/db.ts";
import { trustedDealerSplitForTests } from "../test/e2e/dutiesSupport/trustedDealer.ts";
import { config, GVR_HEX, N, SLOTS_PER_EPOCH, T } from "../test/unit/core/pipeline/fixtures.ts";

const OPERATORS = N;
const THRESHOLD = T;
/** From the duty's start (1/3 of the slot) to 2/3 of the slot. */
const DEADLINE_MS = 4000;
/** The other operators' batches arrive this long after ours (they sign in parallel on their own machines). */
const ARRIVAL_MIN_MS = 5;
const ARRIVAL_MAX_MS = 50;
const CLUSTER_ID = new Uint8Array(32).fill(5);
const logger = createLogger({ level: "error" });

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const AGREEMENT_MS = option("--agreement-ms", 150);
const SLOTS = option("--slots", 3);
const SEQUENTIAL = args.includes("--sequential-combine");
const SEARCH = !args.includes("--no-search");
const SELECTION_PROOFS = !args.includes("--attestations-only");
const CPU_CLOCK = args.includes("--cpu-clock");
const sizes = args
  .filter((a, i) => !a.startsWith("--") && !["--agreement-ms", "--slots"].includes(args[i - 1] ?? ""))
  .map(Number)
  .filter((n) => n > 0);

/** Deterministic jitter (no Math.random: runs are comparable). */
let seed = 12345;
const jitter = (lo: number, hi: number) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return lo + (seed / 2147483648) * (hi - lo);
};

const identities = await Promise.all(
  Array.from({ length: OPERATORS }, (_, i) => generateKeyPairFromSeed("Ed25519", new Uint8Array(32).fill(i + 1))),
);
const envelope: DutyEnvelopeContext = {
  clusterId: CLUSTER_ID,
  members: identities.map((k) => ({ verifier: identityVerifier(k.publicKey.raw) })),
  selfIndex: 0,
};
const signers = identities.map((k) => identitySigner(k));

/** The pre-batching sigagg: one full optimistic combine per duty, synchronously when it reaches the threshold. */
class SequentialSigAgg {
  private readonly keys: ValidatorKeys;
  constructor(keys: ValidatorKeys) {
    this.keys = keys;
  }
  async aggregate(partials: readonly ParSignedData[]): Promise<AggregatedSignature> {
    const first = partials[0] as ParSignedData;
    const v = this.keys.get(first.duty.validator);
    const out = combinePartialSignatures({
      partials: partials.map((p) => ({ shareIndex: p.shareIndex, signature: p.signature })),
      threshold: THRESHOLD,
      groupPublicKey: v.groupPublicKey,
      signingRoot: first.signingRoot,
      sharePublicKeys: v.sharePublicKeys,
    });
    return { duty: first.duty, signingRoot: first.signingRoot, signature: out.signature };
  }
}

type SlotResult = {
  cpuMs: number;
  /** Wall-clock completion of each duty, ms after the duty start. */
  completions: number[];
  /** The same on this process's CPU clock: what a node with a core to itself would see (load-insensitive). */
  cpuCompletions: number[];
  maxStallMs: number;
  complete: boolean;
};

async function measure(validators: number): Promise<SlotResult[]> {
  const perSlot = Math.ceil(validators / SLOTS_PER_EPOCH);
  const dealt = Array.from({ length: perSlot }, (_, i) => ({ index: i, dealt: trustedDealerSplitForTests(16, 11) }));
  const keys = new ValidatorKeys(
    1,
    dealt.map((v) => ({
      index: v.index,
      pubkey: v.dealt.pubkey,
      sharePublicKeys: v.dealt.sharePublicKeys,
      secretShare: v.dealt.secretShares[0] as Uint8Array,
    })),
  );
  const otherShares = dealt.map((v) => v.dealt.secretShares.map((s) => SecretKey.fromBytes(s)));
  const dir = await mkdtemp(join(tmpdir(), "stinger-capacity-"));
  const db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR_HEX });
  const results: SlotResult[] = [];
  try {
    for (let k = 0; k < SLOTS; k++) {
      // One slot per epoch (new target each time), as each validator attests once per epoch.
      const slot = SLOTS_PER_EPOCH * (10 + k) + 5;
      const epoch = Math.floor(slot / SLOTS_PER_EPOCH);
      const data = {
        slot,
        index: 0,
        beaconBlockRoot: new Uint8Array(32).fill(3 + k),
        source: { epoch: epoch - 1, root: new Uint8Array(32).fill(1) },
        target: { epoch, root: new Uint8Array(32).fill(2) },
      };
      const root = computeDutySigningRoot(config, SLOTS_PER_EPOCH, { type: "attester", data });
      const selectionRoot = computeDutySigningRoot(config, SLOTS_PER_EPOCH, {
        type: "prepare_aggregator",
        data: { slot },
      });
      // The other operators' sealed batches (their machines' work, outside the timed section).
      const inbound = Array.from({ length: OPERATORS - 1 }, (_, o) => {
        const op = o + 2;
        const share = (i: number) => (otherShares[i] as SecretKey[])[op - 1] as SecretKey;
        const partials: ParSignedData[] = dealt.map((v, i) => ({
          duty: { slot, type: "attester" as const, validator: v.index },
          signingRoot: root,
          signature: share(i).sign(root).toBytes(),
          shareIndex: op,
        }));
        if (SELECTION_PROOFS) {
          for (const [i, v] of dealt.entries()) {
            partials.push({
              duty: { slot, type: "prepare_aggregator" as const, validator: v.index },
              signingRoot: selectionRoot,
              signature: share(i).sign(selectionRoot).toBytes(),
              shareIndex: op,
            });
          }
        }
        return {
          from: op - 1,
          bytes: sealDutyMessage(
            { clusterId: CLUSTER_ID, selfIndex: op - 1 },
            signers[op - 1] as (typeof signers)[0],
            DutyMessageKind.partials,
            encodePartialBatch(slot, partials),
          ),
        };
      });
      results.push(await runSlot({ slot, data, keys, db, inbound, duties: perSlot * (SELECTION_PROOFS ? 2 : 1) }));
    }
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

async function runSlot(s: {
  slot: number;
  data: ReturnType<typeof ssz.phase0.AttestationData.defaultValue>;
  keys: ValidatorKeys;
  db: SlashingProtectionDB;
  inbound: { from: number; bytes: Uint8Array }[];
  /** Combined signatures expected this slot. */
  duties: number;
}): Promise<SlotResult> {
  const completions: number[] = [];
  const cpuCompletions: number[] = [];
  let cpu0 = process.cpuUsage();
  let t0 = 0;
  let done: () => void = () => {};
  const allDone = new Promise<void>((r) => {
    done = r;
  });
  const complete = (count: number) => {
    const at = performance.now() - t0 + AGREEMENT_MS;
    const used = process.cpuUsage(cpu0);
    // Plus the longest wait for the other operators' batches (idle time is not on the CPU clock).
    const cpuAt = (used.user + used.system) / 1000 + AGREEMENT_MS + ARRIVAL_MAX_MS;
    for (let i = 0; i < count; i++) {
      completions.push(at);
      cpuCompletions.push(cpuAt);
    }
    if (completions.length >= s.duties) done();
  };

  const handlers = new Map<number, (from: number, payload: Uint8Array) => void>();
  const deliver = (bytes: Uint8Array) => {
    const opened = openDutyMessage(envelope, bytes);
    if (!opened.ok) throw new Error(`bench envelope rejected: ${opened.reason}`);
    handlers.get(opened.kind)?.(opened.sender, opened.payload);
  };
  let inboundScheduled = false;
  const transport: DutyTransport = {
    broadcast: async (kind, payload) => {
      sealDutyMessage(envelope, signers[0] as (typeof signers)[0], kind, payload);
      // The other operators sign in parallel: their batches arrive shortly after ours is out.
      if (inboundScheduled) return;
      inboundScheduled = true;
      for (const m of s.inbound) setTimeout(() => deliver(m.bytes), jitter(ARRIVAL_MIN_MS, ARRIVAL_MAX_MS));
    },
    onMessage: (kind, handler) => handlers.set(kind, handler),
  };

  // The steps before signing, faked: the slot's duties at once, the data at hand, agreement decided at once.
  const definitions: DutyDefinition[] = s.keys.indices().flatMap((validator) => {
    const def = (type: "attester" | "prepare_aggregator"): DutyDefinition => ({
      duty: { slot: s.slot, type, validator },
      pubkey: s.keys.get(validator).pubkey,
      committeeIndex: 0,
      committeeLength: 128,
      validatorCommitteeIndex: 0,
    });
    return SELECTION_PROOFS ? [def("attester"), def("prepare_aggregator")] : [def("attester")];
  });
  let emit: (d: DutyDefinition) => void = () => {};
  const scheduler: Scheduler = {
    subscribeDuties: (h) => {
      emit = h;
      return () => {};
    },
    getDutyDefinitions: (slot) => (slot === s.slot ? definitions : []),
    addDuty: () => {},
    start: () => {},
    stop: () => {},
  };
  const fetcher: Fetcher = {
    fetch: async (def) =>
      def.duty.type === "attester"
        ? { type: "attester", data: s.data }
        : { type: "prepare_aggregator", data: { slot: s.slot } },
  };
  const agreement: Agreement = { decide: async (_s, _t, local) => local, prune: () => {}, stop: () => {} };
  let wallStart = Date.now();
  const clock: Clock = {
    secondsPerSlot: 12,
    slotsPerEpoch: SLOTS_PER_EPOCH,
    now: () => Date.now(),
    // The attestation duty starts at 1/3 of its slot.
    slotStartMs: () => wallStart - 4000,
    secondsIntoSlot: () => (Date.now() - wallStart + 4000) / 1000,
  };
  /** Selection proofs end in the aggsigdb (the aggregation duties of 2/3 of the slot consume them). */
  class TimedAggSigDb extends CombinedSignatures {
    override set(duty: ParSignedData["duty"], signature: Uint8Array): void {
      super.set(duty, signature);
      complete(1);
    }
  }
  const broadcaster: Broadcaster = {
    broadcastBatch: async (items: readonly SignedDuty[]) => {
      // What the beacon node's submitPoolAttestationsV2 call carries (SingleAttestation JSON).
      const body = JSON.stringify(
        items.flatMap((i) =>
          i.data.type !== "attester"
            ? []
            : ssz.electra.SingleAttestation.toJson({
                committeeIndex: 0,
                attesterIndex: i.definition.duty.validator,
                data: i.data.data,
                signature: i.signature.signature,
              }),
        ),
      );
      void body;
      complete(items.length);
      return { published: [...items], duplicates: [], failed: [] };
    },
    prune: () => {},
  };
  const aggSigDb = new TimedAggSigDb();
  const pipeline = new DutyPipeline({
    clock,
    scheduler,
    fetcher,
    agreement,
    validity: new DutyValidity({ config, slotsPerEpoch: SLOTS_PER_EPOCH, keys: s.keys, slashingDb: s.db, aggSigDb }),
    dutyDb: new MemoryDutyDB(),
    signer: new ShareSigner({ config, slotsPerEpoch: SLOTS_PER_EPOCH, keys: s.keys, db: s.db }),
    parSigEx: new BatchedParSigEx({ transport, logger, acceptSlot: (x) => Math.abs(x - s.slot) <= 1 }),
    parSigDb: new MemoryParSigDB({ threshold: THRESHOLD, holds: (v) => s.keys.has(v) }),
    sigAgg: SEQUENTIAL ? new SequentialSigAgg(s.keys) : new ThresholdSigAgg({ keys: s.keys, threshold: THRESHOLD }),
    aggSigDb,
    broadcaster,
    tracker: new DutyTracker(createDutyMetrics(new Registry())),
    logger,
  });
  pipeline.start();

  const stall = monitorEventLoopDelay({ resolution: 5 });
  stall.enable();
  cpu0 = process.cpuUsage();
  t0 = performance.now();
  wallStart = Date.now();
  // The duties start: fetched and decided at once (agreement latency is added), then signed, exchanged, combined.
  for (const d of definitions) emit(d);
  // A slot lasts 12 s: duties not combined by then count as late (infinite), and the rest of this slot's work is
  // drained before the next slot starts so it does not pollute that slot's numbers.
  const timeout = setTimeout(done, 12_000);
  await allDone;
  clearTimeout(timeout);
  const used = process.cpuUsage(cpu0);
  stall.disable();
  const missing = Math.max(0, s.duties - completions.length);
  const wall = [...completions, ...new Array<number>(missing).fill(Number.POSITIVE_INFINITY)];
  const onCpu = [...cpuCompletions, ...new Array<number>(missing).fill(Number.POSITIVE_INFINITY)];
  const drainUntil = performance.now() + 120_000;
  while (completions.length < s.duties && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 100));
  pipeline.stop();
  return {
    cpuMs: (used.user + used.system) / 1000,
    completions: wall,
    cpuCompletions: onCpu,
    maxStallMs: stall.max / 1e6,
    complete: missing === 0,
  };
}

type Row = {
  validators: number;
  "attesters/slot": number;
  "CPU ms/slot": string;
  "p50 ms": string;
  "p99 ms": string;
  "max ms": string;
  "on time %": string;
  "p99 CPU-clock ms": string;
  "max stall ms": string;
  served: string;
  "load 1m": string;
};

const pct = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? Number.NaN;

async function row(n: number): Promise<{ row: Row; ok: boolean }> {
  const slots = await measure(n);
  const all = slots.flatMap((s) => s.completions).sort((a, b) => a - b);
  const perSlot = Math.ceil(n / SLOTS_PER_EPOCH);
  const expected = perSlot * (SELECTION_PROOFS ? 2 : 1) * slots.length;
  const onTime = all.filter((x) => x <= DEADLINE_MS).length;
  const cpu = slots.map((s) => s.cpuMs).sort((a, b) => a - b);
  const allCpu = slots.flatMap((s) => s.cpuCompletions).sort((a, b) => a - b);
  const onTimeCpu = allCpu.filter((x) => x <= DEADLINE_MS).length;
  const ok = (CPU_CLOCK ? onTimeCpu : onTime) === expected;
  const r: Row = {
    validators: n,
    "attesters/slot": perSlot,
    "CPU ms/slot": pct(cpu, 0.5).toFixed(0),
    "p50 ms": pct(all, 0.5).toFixed(0),
    "p99 ms": pct(all, 0.99).toFixed(0),
    "max ms": (all.at(-1) ?? Number.NaN).toFixed(0),
    "on time %": ((100 * onTime) / expected).toFixed(1),
    "p99 CPU-clock ms": pct(allCpu, 0.99).toFixed(0),
    "max stall ms": Math.max(...slots.map((s) => s.maxStallMs)).toFixed(0),
    served: ok ? "yes" : "no",
    "load 1m": (loadavg()[0] ?? 0).toFixed(1),
  };
  console.error(JSON.stringify(r));
  return { row: r, ok };
}

const rows: Row[] = [];
let best = 0;
let worst = Number.POSITIVE_INFINITY;
for (const n of sizes.length > 0 ? sizes : [1000, 5000, 10000, 20000, 40000]) {
  const { row: r, ok } = await row(n);
  rows.push(r);
  if (ok) best = Math.max(best, n);
  else worst = Math.min(worst, n);
}
if (SEARCH && Number.isFinite(worst) && worst > best) {
  // Bisect to within 5% (rounded to 500 validators).
  while (worst - best > Math.max(500, best * 0.05)) {
    const mid = Math.round((best + worst) / 2 / 500) * 500;
    if (mid <= best || mid >= worst) break;
    const { row: r, ok } = await row(mid);
    rows.push(r);
    if (ok) best = mid;
    else worst = mid;
  }
}
rows.sort((a, b) => a.validators - b.validators);
console.log(
  `Duty pipeline capacity, one operator of 16 (threshold 11), mainnet timing, attestation duties${SELECTION_PROOFS ? " + selection proofs" : ""}, ${SLOTS} slots per size; ` +
    `sigagg: ${SEQUENTIAL ? "sequential (one combine per duty)" : "batched"}; agreement latency assumed ${AGREEMENT_MS} ms; ` +
    `on time = combined and handed to the beacon node ≤ ${DEADLINE_MS} ms after the duty starts (2/3 of the slot)`,
);
console.table(rows);
console.log(
  `largest N served (all duties on time in every slot, ${CPU_CLOCK ? "CPU clock" : "wall clock"}): ${best}${Number.isFinite(worst) ? ` (first failure measured at ${worst})` : " (no failure within the sizes tried)"}`,
);
