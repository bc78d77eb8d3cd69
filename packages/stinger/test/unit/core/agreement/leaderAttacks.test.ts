/**
 * Byzantine leaders against the agreement runner over the in-process cluster transport (16 operators, 11-of-16), with
 * each honest operator judging proposals through the real validity step against its own (fake) beacon node. Each
 * attack is reproduced first: the proposal the attacker sends would have been signed before the fix. All are refused
 * and the duty completes: every honest operator decides the same honest value.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync, sign, verify } from "node:crypto";
import { rm } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { ssz } from "@lodestar/types";
import { encodeBody, encodeEnvelope, MessageKind } from "../../../../src/core/agreement/codec.ts";
import { leaderOf, leaderOffset } from "../../../../src/core/agreement/leader.ts";
import { AgreementRunner, agreementDuty } from "../../../../src/core/agreement/runner.ts";
import { CombinedSignatures } from "../../../../src/core/dutydb/combinedSignatures.ts";
import type { Acceptance, DutyBatch, DutyType, UnsignedData } from "../../../../src/core/interfaces.ts";
import { DutyMessageKind } from "../../../../src/core/transport.ts";
import { BlockView, type KnownBlock } from "../../../../src/core/validity/blockView.ts";
import { DutyValidity } from "../../../../src/core/validity/validity.ts";
import type { SlashingProtectionDB } from "../../../../src/slashing/db.ts";
import { MemoryCluster } from "../../../support/memoryTransport.ts";
import {
  attestationData,
  config,
  dealValidators,
  keysFor,
  openDb,
  SLOTS_PER_EPOCH,
  silentLogger,
} from "../pipeline/fixtures.ts";

const N = 16;
const Q = 11;
const ROUND_MS = 150;
const CLUSTER = new Uint8Array(32).fill(9);
const ids = Array.from({ length: N }, () => generateKeyPairSync("ed25519"));
const signAs = (member: number, body: Uint8Array) => new Uint8Array(sign(null, body, ids[member]?.privateKey as never));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const leaderOfRound = (slot: number, type: DutyType, round: number) =>
  leaderOf(leaderOffset(CLUSTER, agreementDuty(slot, type), N), round, N);

function runners(net: MemoryCluster, faults: string[]): AgreementRunner[] {
  return net.transports.map(
    (transport, self) =>
      new AgreementRunner({
        transport,
        // As `node/dutyNode.ts` configures it in production.
        config: {
          protocol: "one-round",
          clusterId: CLUSTER,
          operators: N,
          quorum: Q,
          roundTimeoutMs: () => ROUND_MS,
          maxRounds: 6,
          relayProposals: false,
        },
        shareIndex: self + 1,
        sign: (body) => signAs(self, body),
        verify: (from, body, sig) => verify(null, body, ids[from]?.publicKey as never, sig),
        logger: silentLogger,
        acceptSlot: () => true,
        onFault: (f) => faults.push(`${f.shareIndex}:${f.reason}`),
      }),
  );
}

/** A proposal signed by `from` (a byzantine member's own key: it may sign anything as itself). */
function proposal(from: number, slot: number, type: DutyType, round: number, value: Uint8Array): Uint8Array {
  const body = encodeBody({
    kind: MessageKind.proposal,
    clusterId: CLUSTER,
    duty: agreementDuty(slot, type),
    round,
    from,
    value,
  });
  return encodeEnvelope(body, signAs(from, body));
}

/** Every honest member decides; returns the decisions (hex) of those that did. */
async function decideAll(
  rs: AgreementRunner[],
  byzantine: number,
  slot: number,
  type: DutyType,
  local: (member: number) => Uint8Array,
  accept: (member: number) => (v: Uint8Array) => Acceptance,
  startDelayMs: (member: number) => number = () => 0,
): Promise<string[]> {
  const results = await Promise.allSettled(
    rs.map(async (r, i) => {
      if (i === byzantine) throw new Error("byzantine");
      const delay = startDelayMs(i);
      if (delay > 0) await new Promise((res) => setTimeout(res, delay));
      return r.decide(slot, type, local(i), accept(i), AbortSignal.timeout(6 * ROUND_MS + 500));
    }),
  );
  return results.flatMap((x, i) => (i !== byzantine && x.status === "fulfilled" ? [hex(x.value)] : []));
}

describe("byzantine leaders are refused and the duty completes", () => {
  it("a later round's leader racing round 1 with another value does not split the honest operators", async () => {
    const slot = 40;
    const first = leaderOfRound(slot, "attester", 1);
    const racer = leaderOfRound(slot, "attester", 3);
    const honestValue = new Uint8Array(64).fill(0xa1);
    const racerValue = new Uint8Array(64).fill(0xb2);
    const net = new MemoryCluster(N);
    net.setDown(racer, true);
    // The honest round-1 leader's proposal takes 30 ms; the racer's reaches 7 honest operators at once.
    net.policy = (from) => (from === first ? 30 : 1);
    const faults: string[] = [];
    const rs = runners(net, faults);
    const targets = Array.from({ length: N }, (_, i) => i).filter((i) => i !== first && i !== racer);
    for (const to of targets.slice(0, 7)) {
      net.inject(racer, to, DutyMessageKind.agreement, proposal(racer, slot, "attester", 3, racerValue));
    }
    // Both values are valid on every honest operator's view (e.g. two heads it knows): only the rounds tell them apart.
    const decided = await decideAll(
      rs,
      racer,
      slot,
      "attester",
      () => honestValue,
      () => () => true,
    );
    assert.equal(decided.length, N - 1);
    assert.deepEqual(new Set(decided), new Set([hex(honestValue)]), "split: some signed the racer's round-3 value");
    for (const r of rs) r.stop();
    net.stop();
  });

  describe("validity against the node's own beacon node", () => {
    let db: SlashingProtectionDB;
    let dir: string;
    const validators = dealValidators(1);
    const FEE = new Uint8Array(20).fill(0xfe);
    const keys = keysFor(1, validators, FEE);
    const validator = validators[0]?.index as number;
    before(async () => {
      ({ db, dir } = await openDb());
    });
    after(async () => {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    });

    /** The one-validator batch of a duty. */
    const batchOf = (slot: number, type: DutyType): DutyBatch => ({
      slot,
      type,
      definitions: [{ duty: { slot, type, validator }, pubkey: keys.get(validator).pubkey }],
    });

    /** One validity step per operator, each over its own beacon node's view (`known`: root byte → block). */
    const validities = (known: Map<number, KnownBlock>) =>
      Array.from(
        { length: N },
        () =>
          new DutyValidity({
            config,
            slotsPerEpoch: SLOTS_PER_EPOCH,
            keys,
            slashingDb: db,
            aggSigDb: new CombinedSignatures(),
            blocks: new BlockView({ lookup: async (root) => known.get(root[0] as number), waitMs: 40, pollMs: 10 }),
          }),
      );

    it("a leader proposing a head block no honest beacon node knows: refused, the next leader's data is signed", async () => {
      const slot = 3 * SLOTS_PER_EPOCH + 7;
      const liar = leaderOfRound(slot, "attester", 1);
      const batch = batchOf(slot, "attester");
      const own: UnsignedData = { type: "attester", data: attestationData(slot, 2, 3, 9) };
      const forged = ssz.phase0.AttestationData.serialize(attestationData(slot, 2, 3, 0x66));
      const vs = validities(new Map([[9, { slot: slot - 1, canonical: true }]]));
      const net = new MemoryCluster(N);
      net.setDown(liar, true);
      const faults: string[] = [];
      const rs = runners(net, faults);
      setTimeout(() => {
        for (let to = 0; to < N; to++)
          if (to !== liar) net.inject(liar, to, DutyMessageKind.agreement, proposal(liar, slot, "attester", 1, forged));
      }, 1);
      const decided = await decideAll(
        rs,
        liar,
        slot,
        "attester",
        (i) => vs[i]?.proposal(batch, [own]) as Uint8Array,
        (i) => (v) => vs[i]?.isAcceptable(batch, [own], v) ?? false,
      );
      assert.equal(decided.length, N - 1, "the duty did not complete on every honest operator");
      assert.deepEqual(new Set(decided), new Set([hex(ssz.phase0.AttestationData.serialize(own.data))]));
      assert.ok(
        faults.filter((f) => f === `${liar + 1}:invalid_value`).length >= Q,
        "the liar is reported once its root is given up",
      );
      for (const r of rs) r.stop();
      net.stop();
    });

    it("a round-1 leader whose head the others' beacon nodes import a few ms later is followed, not skipped", async () => {
      const slot = 3 * SLOTS_PER_EPOCH + 9;
      const ahead = leaderOfRound(slot, "attester", 1);
      const batch = batchOf(slot, "attester");
      const stale: UnsignedData = { type: "attester", data: attestationData(slot, 2, 3, 9) };
      const fresh: UnsignedData = { type: "attester", data: attestationData(slot, 2, 3, 10) };
      const known = new Map([[9, { slot: slot - 1, canonical: true }]]);
      const vs = validities(known);
      setTimeout(() => known.set(10, { slot, canonical: true }), 15);
      const net = new MemoryCluster(N);
      const rs = runners(net, []);
      const started = Date.now();
      const decided = await decideAll(
        rs,
        -1,
        slot,
        "attester",
        (i) => vs[i]?.proposal(batch, [i === ahead ? fresh : stale]) as Uint8Array,
        (i) => (v) => vs[i]?.isAcceptable(batch, [i === ahead ? fresh : stale], v) ?? false,
      );
      assert.equal(decided.length, N);
      assert.deepEqual(new Set(decided), new Set([hex(ssz.phase0.AttestationData.serialize(fresh.data))]));
      assert.ok(Date.now() - started < ROUND_MS, "decided in round 1");
      for (const r of rs) r.stop();
      net.stop();
    });

    it("a leader proposing a block that pays another fee recipient: refused, the next leader's block is signed", async () => {
      const slot = 3 * SLOTS_PER_EPOCH + 11;
      const thief = leaderOfRound(slot, "proposer", 1);
      const block = (fee: Uint8Array) => {
        const b = ssz.electra.BeaconBlock.defaultValue();
        b.slot = slot;
        b.proposerIndex = validator;
        b.parentRoot = new Uint8Array(32).fill(3);
        b.body.executionPayload.feeRecipient = fee;
        return ssz.electra.BeaconBlock.serialize(b);
      };
      const honest = block(FEE);
      const stolen = block(new Uint8Array(20).fill(0x66));
      const local: UnsignedData = {
        type: "proposer",
        data: {
          slot,
          blockRoot: ssz.electra.BeaconBlock.hashTreeRoot(ssz.electra.BeaconBlock.deserialize(honest)),
          encoded: honest,
        },
      };
      const batch = batchOf(slot, "proposer");
      const vs = validities(new Map());
      const net = new MemoryCluster(N);
      net.setDown(thief, true);
      const faults: string[] = [];
      const rs = runners(net, faults);
      setTimeout(() => {
        for (let to = 0; to < N; to++)
          if (to !== thief)
            net.inject(thief, to, DutyMessageKind.agreement, proposal(thief, slot, "proposer", 1, stolen));
      }, 1);
      const decided = await decideAll(
        rs,
        thief,
        slot,
        "proposer",
        (i) => vs[i]?.proposal(batch, [local]) as Uint8Array,
        (i) => (v) => vs[i]?.isAcceptable(batch, [local], v) ?? false,
      );
      assert.equal(decided.length, N - 1);
      assert.deepEqual(new Set(decided), new Set([hex(honest)]));
      assert.ok(faults.filter((f) => f === `${thief + 1}:invalid_value`).length >= Q);
      for (const r of rs) r.stop();
      net.stop();
    });
  });
});

describe("per-peer quotas", () => {
  it("one member flooding envelopes of a duty not started yet cannot crowd out the others' messages", async () => {
    const slot = 50;
    const flooder = leaderOfRound(slot, "attester", 4);
    const first = leaderOfRound(slot, "attester", 1);
    const net = new MemoryCluster(N);
    net.setDown(flooder, true);
    const faults: string[] = [];
    const rs = runners(net, faults);
    // Before anyone starts the duty: 500 distinct signed envelopes from the flooder to every operator.
    for (let k = 0; k < 500; k++) {
      const garbage = proposal(
        flooder,
        slot,
        "attester",
        4,
        new Uint8Array(32).fill(k % 256).map((b, j) => b ^ j ^ k),
      );
      for (let to = 0; to < N; to++) if (to !== flooder) net.inject(flooder, to, DutyMessageKind.agreement, garbage);
    }
    // The honest round-1 leader starts first: its proposal is buffered by the others, next to the flood.
    const decided = await decideAll(
      rs,
      flooder,
      slot,
      "attester",
      (i) => new Uint8Array(8).fill(i === first ? 1 : 2),
      () => () => true,
      (i) => (i === first ? 0 : 20),
    );
    assert.equal(decided.length, N - 1);
    assert.deepEqual(
      new Set(decided),
      new Set([hex(new Uint8Array(8).fill(1))]),
      "the leader's buffered proposal was crowded out",
    );
    assert.ok(faults.includes(`${flooder + 1}:over_quota`), "the flooder is reported");
    for (const r of rs) r.stop();
    net.stop();
  });
});
