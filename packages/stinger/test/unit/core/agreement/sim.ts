/**
 * Deterministic discrete-event simulation of a cluster running one agreement instance per operator: virtual clock,
 * per-message delays, drops before a global stabilisation time (GST), crashes and restarts (with a persistent signing
 * record standing in for the slashing DB), and byzantine operators (equivocating leader, garbage, replays).
 *
 * Operator identities are HMAC keys (a stand-in for Ed25519 that is cheap enough for thousands of runs); a byzantine
 * operator holds only its own key, so it cannot forge others' messages.
 */

import { createHmac } from "node:crypto";
import { byteArrayEquals } from "@chainsafe/ssz";
import { encodeBody, encodeEnvelope, hashValue, MessageKind } from "../../../../src/core/agreement/codec.ts";
import { createAgreement } from "../../../../src/core/agreement/create.ts";
import { leaderOf, leaderOffset } from "../../../../src/core/agreement/leader.ts";
import type {
  AgreementConfig,
  AgreementFault,
  AgreementInstance,
  AgreementOutput,
  AgreementProtocol,
} from "../../../../src/core/agreement/types.ts";
import type { Duty } from "../../../../src/core/interfaces.ts";
import { type AttestationWatermark, checkAttestation, mergeAttestation } from "../../../../src/slashing/rules.ts";

export type ByzantineKind = "equivocate" | "garbage" | "replay" | "silent" | "invalid";

export type Schedule = {
  readonly protocol: AgreementProtocol;
  readonly seed: number;
  /** Per-message delay: base + uniform jitter, in ms. */
  readonly baseDelayMs: number;
  readonly jitterMs: number;
  /** Probability of dropping a message sent before GST. */
  readonly dropRate: number;
  readonly gstMs: number;
  /** Clock skew of each operator's duty start, in ms. */
  readonly startSkewMs: readonly number[];
  /** Index (into `values`) of each operator's local proposal: models diverging beacon views. */
  readonly localValue: readonly number[];
  readonly crashes: readonly { readonly node: number; readonly atMs: number; readonly restartAtMs?: number }[];
  readonly byzantine: readonly { readonly node: number; readonly kind: ByzantineKind }[];
};

export type SimResult = {
  /** Values signed by each operator (across restarts), in order. */
  readonly signed: readonly Uint8Array[][];
  /** Decisions refused by the slashing watermarks (must never happen: isAcceptable checks them first). */
  readonly refusedByRecord: number;
  /** Faults reported by honest operators. */
  readonly faults: readonly { readonly reporter: number; readonly fault: AgreementFault }[];
  /** Virtual time at which each operator first signed (ms), or undefined. */
  readonly signedAt: readonly (number | undefined)[];
  readonly messages: number;
  readonly byzantine: ReadonlySet<number>;
};

export const N = 16;
export const QUORUM = 11;
export const CLUSTER_ID = new Uint8Array(32).fill(7);
export const DUTY: Duty = { slot: 1234, type: "attester", validator: 42 };
/** Valid values (honest operators accept them); `INVALID` is rejected by every honest operator. */
export const VALUES = [0, 1, 2].map((i) => new Uint8Array(128).fill(0x10 + i));
export const INVALID = new Uint8Array(128).fill(0xee);

/**
 * The attestation each value stands for: VALUES[0] and VALUES[1] are a double vote of each other (same target, other
 * head), VALUES[2] surrounds both. So signing any two different values is slashable.
 */
const ATTESTATIONS = [
  { source: 1n, target: 2n },
  { source: 1n, target: 2n },
  { source: 0n, target: 3n },
];
export type SimAttestation = { source: bigint; target: bigint; signingRoot: string };
export function attestationOf(v: Uint8Array): SimAttestation | undefined {
  const k = VALUES.findIndex((x) => Buffer.from(x).equals(v));
  const a = ATTESTATIONS[k];
  return a && { ...a, signingRoot: `0x${Buffer.from(hashValue(v)).toString("hex")}` };
}

/** Independent slashability predicate (spec definition: double vote or surround vote). */
export function isSlashablePair(a: SimAttestation, b: SimAttestation): boolean {
  const doubleVote = a.target === b.target && a.signingRoot !== b.signingRoot;
  const surround = (x: SimAttestation, y: SimAttestation) => x.source < y.source && y.target < x.target;
  return doubleVote || surround(a, b) || surround(b, a);
}

const keys = Array.from({ length: N }, (_, i) => Buffer.from(`operator-${i}-identity-key`));
export const signAs = (i: number, body: Uint8Array): Uint8Array =>
  createHmac("sha256", keys[i] as Buffer)
    .update(body)
    .digest();
export const verifyAs = (i: number, body: Uint8Array, sig: Uint8Array): boolean =>
  i >= 0 && i < N && Buffer.from(signAs(i, body)).equals(sig);

export function config(protocol: AgreementProtocol, overrides: Partial<AgreementConfig> = {}): AgreementConfig {
  return {
    protocol,
    clusterId: CLUSTER_ID,
    operators: N,
    quorum: QUORUM,
    roundTimeoutMs: (r) => 200 + 100 * (r - 1),
    maxRounds: 12,
    ...overrides,
  };
}

/** Small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Event =
  | { at: number; seq: number; kind: "deliver"; to: number; bytes: Uint8Array }
  | { at: number; seq: number; kind: "start" | "crash" | "restart" | "tick" | "byzantine"; node: number }
  | { at: number; seq: number; kind: "action"; node: number; fn: () => void };

/** Binary min-heap on (at, seq) so equal times keep insertion order (determinism). */
class EventQueue {
  private readonly heap: Event[] = [];
  private seq = 0;
  push(e: DistributiveOmit<Event, "seq">): void {
    const ev = { ...e, seq: this.seq++ } as Event;
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(h[i] as Event, h[parent] as Event)) break;
      [h[i], h[parent]] = [h[parent] as Event, h[i] as Event];
      i = parent;
    }
  }
  pop(): Event | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l] as Event, h[m] as Event)) m = l;
        if (r < h.length && less(h[r] as Event, h[m] as Event)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Event, h[i] as Event];
        i = m;
      }
    }
    return top;
  }
}
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
const less = (a: Event, b: Event): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** Runs one schedule to completion (or to `horizonMs`) and reports what every operator signed. */
/** Operator identities: sign as operator i, verify a signature of operator i. */
export type Identities = {
  readonly sign: (i: number, body: Uint8Array) => Uint8Array;
  readonly verify: (i: number, body: Uint8Array, sig: Uint8Array) => boolean;
};
export const hmacIdentities: Identities = { sign: signAs, verify: verifyAs };

export function simulate(
  s: Schedule,
  horizonMs = 10_000,
  cfgOverrides: Partial<AgreementConfig> = {},
  identities: Identities = hmacIdentities,
): SimResult {
  const cfg = config(s.protocol, cfgOverrides);
  const rand = prng(s.seed);
  const q = new EventQueue();
  const byz = new Map(s.byzantine.map((b) => [b.node, b.kind]));
  const instances: (AgreementInstance | undefined)[] = new Array(N).fill(undefined);
  const alive: boolean[] = new Array(N).fill(false);
  const signed: Uint8Array[][] = Array.from({ length: N }, () => []);
  const signedAt: (number | undefined)[] = new Array(N).fill(undefined);
  const faults: { reporter: number; fault: AgreementFault }[] = [];
  const scheduledTick: (number | undefined)[] = new Array(N).fill(undefined);
  const heard = new Set<string>();
  const started: boolean[] = new Array(N).fill(false);
  const early: Uint8Array[][] = Array.from({ length: N }, () => []);
  let refusedByRecord = 0;
  let messages = 0;

  const send = (from: number, to: number, bytes: Uint8Array, now: number): void => {
    if (to === from) return;
    messages++;
    if (now < s.gstMs && rand() < s.dropRate) return;
    q.push({ at: now + s.baseDelayMs + rand() * s.jitterMs, kind: "deliver", to, bytes });
  };
  const broadcast = (from: number, bytes: Uint8Array, now: number): void => {
    for (let to = 0; to < N; to++) send(from, to, bytes, now);
  };

  // The persistent signing record: the slashing DB's attestation watermarks (rules.ts), kept across restarts.
  const watermarks: (AttestationWatermark | null)[] = new Array(N).fill(null);
  const slashingSafe = (i: number, v: Uint8Array): boolean => {
    const a = attestationOf(v);
    return a !== undefined && checkAttestation(watermarks[i] ?? null, { pubkey: "", ...a }).ok;
  };
  const acceptable = (i: number) => (v: Uint8Array) => VALUES.some((x) => byteArrayEquals(x, v)) && slashingSafe(i, v);

  const apply = (i: number, out: AgreementOutput, now: number): void => {
    for (const b of out.broadcast) broadcast(i, b, now);
    for (const fault of out.faults) faults.push({ reporter: i, fault });
    if (out.decided) {
      const value = out.decided.value;
      const a = attestationOf(value);
      if (a === undefined || !slashingSafe(i, value)) refusedByRecord++;
      else {
        watermarks[i] = mergeAttestation(watermarks[i] ?? null, a.source, a.target, a.signingRoot);
        (signed[i] as Uint8Array[]).push(value);
        signedAt[i] ??= now;
      }
    }
    const next = instances[i]?.nextDeadline();
    if (next !== undefined && next !== scheduledTick[i] && next <= horizonMs) {
      scheduledTick[i] = next;
      q.push({ at: next, kind: "tick", node: i });
    }
  };

  const startNode = (i: number, now: number): void => {
    alive[i] = true;
    started[i] = true;
    if (byz.has(i)) {
      q.push({ at: now, kind: "byzantine", node: i });
      return;
    }
    const inst = createAgreement({
      config: cfg,
      duty: DUTY,
      selfMember: i,
      localValue: VALUES[s.localValue[i] ?? 0] as Uint8Array,
      isAcceptable: acceptable(i),
      sign: (body) => identities.sign(i, body),
      verify: identities.verify,
    });
    instances[i] = inst;
    scheduledTick[i] = undefined;
    apply(i, inst.start(now), now);
    for (const bytes of early[i]?.splice(0) ?? []) apply(i, inst.receive(bytes, now), now);
  };

  for (let i = 0; i < N; i++) q.push({ at: s.startSkewMs[i] ?? 0, kind: "start", node: i });
  for (const c of s.crashes) {
    q.push({ at: c.atMs, kind: "crash", node: c.node });
    if (c.restartAtMs !== undefined) q.push({ at: c.restartAtMs, kind: "restart", node: c.node });
  }

  const offset = leaderOffset(CLUSTER_ID, DUTY, N);
  for (let e = q.pop(); e !== undefined && e.at <= horizonMs; e = q.pop()) {
    const now = e.at;
    switch (e.kind) {
      case "start":
        if (!s.crashes.some((c) => c.node === e.node && c.atMs <= now)) startNode(e.node, now);
        break;
      case "crash":
        alive[e.node] = false;
        started[e.node] = true;
        instances[e.node] = undefined;
        break;
      case "restart":
        startNode(e.node, now);
        break;
      case "tick": {
        const inst = instances[e.node];
        if (!alive[e.node] || !inst || scheduledTick[e.node] !== now) break;
        scheduledTick[e.node] = undefined;
        apply(e.node, inst.tick(now), now);
        break;
      }
      case "deliver": {
        if (!started[e.to]) {
          // The transport buffers messages of a duty this operator has not started yet (clock skew).
          early[e.to]?.push(e.bytes);
          break;
        }
        if (!alive[e.to]) break;
        if (byz.get(e.to) === "replay") {
          // A replaying operator re-sends every distinct message it receives once, 400 ms later.
          const key = `${e.to}:${Buffer.from(e.bytes).toString("base64")}`;
          if (!heard.has(key)) {
            heard.add(key);
            for (const later of [400]) {
              const bytes = e.bytes;
              const node = e.to;
              deferred(node, now + later, () => broadcast(node, bytes, now + later));
            }
          }
        }
        const inst = instances[e.to];
        if (inst) apply(e.to, inst.receive(e.bytes, now), now);
        break;
      }
      case "byzantine":
        if (alive[e.node]) actByzantine(e.node, byz.get(e.node) as ByzantineKind, now);
        break;
      case "action":
        if (alive[e.node]) e.fn();
        break;
    }
  }
  return { signed, refusedByRecord, faults, signedAt, messages, byzantine: new Set(byz.keys()) };

  function actByzantine(i: number, kind: ByzantineKind, now: number): void {
    const roundEnd = (r: number): number => {
      let t = s.startSkewMs[i] ?? 0;
      for (let k = 1; k <= r; k++) t += cfg.roundTimeoutMs(k);
      return t;
    };
    const myRounds = Array.from({ length: cfg.maxRounds }, (_, k) => k + 1).filter((r) => leaderOf(offset, r, N) === i);
    const seal = (round: number, value: Uint8Array, kindOverride?: number): Uint8Array => {
      const k = kindOverride ?? (s.protocol === "qbft" ? MessageKind.prePrepare : MessageKind.proposal);
      const body = encodeBody(
        k === MessageKind.proposal
          ? { kind: MessageKind.proposal, clusterId: CLUSTER_ID, duty: DUTY, round, from: i, value }
          : {
              kind: MessageKind.prePrepare,
              clusterId: CLUSTER_ID,
              duty: DUTY,
              round,
              from: i,
              value,
              justification: [],
            },
      );
      return encodeEnvelope(body, identities.sign(i, body));
    };
    const vote = (
      round: number,
      kindVote: typeof MessageKind.prepare | typeof MessageKind.commit,
      value: Uint8Array,
    ) => {
      const body = encodeBody({
        kind: kindVote,
        clusterId: CLUSTER_ID,
        duty: DUTY,
        round,
        from: i,
        valueHash: hashValue(value),
      });
      return encodeEnvelope(body, identities.sign(i, body));
    };
    switch (kind) {
      case "silent":
        return;
      case "equivocate":
        // As leader: value A to even operators, value B to odd ones; and votes for both in QBFT.
        for (const r of myRounds) {
          const at = r === 1 ? now : roundEnd(r - 1);
          for (let to = 0; to < N; to++) {
            const v = VALUES[to % 2] as Uint8Array;
            deferred(i, at, () => {
              send(i, to, seal(r, v), at);
              if (s.protocol === "qbft") {
                send(i, to, vote(r, MessageKind.prepare, v), at);
                send(i, to, vote(r, MessageKind.commit, v), at);
              }
            });
          }
        }
        return;
      case "invalid":
        for (const r of myRounds) {
          const at = r === 1 ? now : roundEnd(r - 1);
          deferred(i, at, () => broadcast(i, seal(r, INVALID), at));
        }
        return;
      case "garbage":
        for (let k = 0; k < 20; k++) {
          const at = now + k * 50;
          deferred(i, at, () => {
            const junk = new Uint8Array(Math.floor(rand() * 300)).map(() => Math.floor(rand() * 256));
            broadcast(i, junk, at);
            // A well-formed message claiming to come from operator 0 (forged signature).
            const body = encodeBody({
              kind: MessageKind.proposal,
              clusterId: CLUSTER_ID,
              duty: DUTY,
              round: 1,
              from: 0,
              value: INVALID,
            });
            broadcast(i, encodeEnvelope(body, identities.sign(i, body)), at);
            // A message of this operator for another duty (a replay across duties).
            const other = encodeBody({
              kind: MessageKind.proposal,
              clusterId: CLUSTER_ID,
              duty: { ...DUTY, slot: DUTY.slot - 1 },
              round: 1,
              from: i,
              value: VALUES[2] as Uint8Array,
            });
            broadcast(i, encodeEnvelope(other, identities.sign(i, other)), at);
          });
        }
        return;
      case "replay":
        // Replays are driven by deliveries (see "deliver").
        return;
    }
  }

  function deferred(node: number, at: number, fn: () => void): void {
    q.push({ at, kind: "action", node, fn });
  }
}
