import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { BitArray } from "@chainsafe/ssz";
import { MAX_COMMITTEES_PER_SLOT } from "@lodestar/params";
import { type altair, type electra, ssz } from "@lodestar/types";
import { CombinedSignatures } from "../../../../src/core/dutydb/combinedSignatures.ts";
import type { DutyBatch, DutyDefinition, DutyType, UnsignedData } from "../../../../src/core/interfaces.ts";
import type { PipelineError } from "../../../../src/core/pipelineError.ts";
import { SYNC_SUBCOMMITTEE_SIZE } from "../../../../src/core/selection/selection.ts";
import { computeDutySigningRoot } from "../../../../src/core/signer/signingRoot.ts";
import { BlockView, type KnownBlock } from "../../../../src/core/validity/blockView.ts";
import { AggregateAndProofList, ContributionAndProofList } from "../../../../src/core/validity/rules.ts";
import { DutyValidity } from "../../../../src/core/validity/validity.ts";
import type { SlashingProtectionDB } from "../../../../src/slashing/db.ts";
import { attestationData, config, dealValidators, keysFor, openDb, SLOTS_PER_EPOCH } from "../pipeline/fixtures.ts";

const SLOT = 3 * SLOTS_PER_EPOCH + 5;
const validators = dealValidators(2);
const FEE_RECIPIENT = new Uint8Array(20).fill(0xfe);
const keys = keysFor(1, validators, FEE_RECIPIENT);
const [A, B] = validators.map((v) => v.index) as [number, number];
const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;

const def = (type: DutyType, validator: number, extra: Partial<DutyDefinition> = {}): DutyDefinition => ({
  duty: { slot: SLOT, type, validator },
  pubkey: keys.get(validator).pubkey,
  ...extra,
});
const batchOf = (type: DutyType, ...definitions: DutyDefinition[]): DutyBatch => ({ slot: SLOT, type, definitions });
const own = attestationData(SLOT, 2, 3);
const attester: UnsignedData = { type: "attester", data: own };

/** What the fake beacon node knows, by the byte a root is filled with (`attestationData(…, head)`). */
const beaconBlocks = new Map<number, KnownBlock>();
const blockLookup = async (root: Uint8Array) => beaconBlocks.get(root[0] as number);

function block(
  opts: { slot?: number; proposer?: number; parent?: number; graffiti?: number; feeRecipient?: Uint8Array } = {},
): Uint8Array {
  const b = ssz.electra.BeaconBlock.defaultValue();
  b.body.executionPayload.feeRecipient = opts.feeRecipient ?? FEE_RECIPIENT;
  b.slot = opts.slot ?? SLOT;
  b.proposerIndex = opts.proposer ?? A;
  b.parentRoot = new Uint8Array(32).fill(opts.parent ?? 1);
  b.body.graffiti = new Uint8Array(32).fill(opts.graffiti ?? 0);
  return ssz.electra.BeaconBlock.serialize(b);
}
const proposerLocal = (encoded: Uint8Array): UnsignedData => ({
  type: "proposer",
  data: {
    slot: SLOT,
    blockRoot: ssz.electra.BeaconBlock.hashTreeRoot(ssz.electra.BeaconBlock.deserialize(encoded)),
    encoded,
  },
});

function aggregate(committee: number, length: number, data = own): electra.Attestation {
  const aggregationBits = BitArray.fromBitLen(length);
  aggregationBits.set(0, true);
  return {
    aggregationBits,
    data,
    signature: new Uint8Array(96).fill(1),
    committeeBits: BitArray.fromSingleBit(MAX_COMMITTEES_PER_SLOT, committee),
  };
}
function contribution(sub: number, root: Uint8Array): altair.SyncCommitteeContribution {
  const aggregationBits = BitArray.fromBitLen(SYNC_SUBCOMMITTEE_SIZE);
  aggregationBits.set(1, true);
  return { slot: SLOT, beaconBlockRoot: root, subcommitteeIndex: sub, aggregationBits, signature: new Uint8Array(96) };
}

const invalidData = (e: unknown) => (e as PipelineError).type.code === "ERR_DUTY_DATA_INVALID";

describe("validity: the rules of every duty type's agreed value", () => {
  let db: SlashingProtectionDB;
  let dir: string;
  let aggSigDb: CombinedSignatures;
  let v: DutyValidity;
  before(async () => {
    ({ db, dir } = await openDb());
  });
  after(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });
  const fresh = () => {
    aggSigDb = new CombinedSignatures();
    beaconBlocks.clear();
    beaconBlocks.set(9, { slot: SLOT - 1, canonical: true });
    beaconBlocks.set(42, { slot: SLOT, canonical: true });
    const blocks = new BlockView({ lookup: blockLookup, waitMs: 30, pollMs: 5 });
    v = new DutyValidity({ config, slotsPerEpoch: SLOTS_PER_EPOCH, keys, slashingDb: db, aggSigDb, blocks });
  };

  it("attester: accepts the operator's own view and refuses another slot, index, source, target or garbage", () => {
    fresh();
    const b = batchOf("attester", def("attester", A), def("attester", B));
    const value = (d = own) => ssz.phase0.AttestationData.serialize(d);
    assert.deepEqual([...v.proposal(b, [attester])], [...value()]);
    assert.equal(v.isAcceptable(b, [attester], value()), true);
    assert.match(v.problem(b, [attester], value({ ...own, slot: SLOT + 1 })) ?? "", /slot/);
    assert.match(v.problem(b, [attester], value({ ...own, index: 2 })) ?? "", /index 2/);
    assert.match(v.problem(b, [attester], value(attestationData(SLOT, 1, 3))) ?? "", /source/);
    const otherTarget = { ...own, target: { epoch: 3, root: new Uint8Array(32).fill(8) } };
    assert.match(v.problem(b, [attester], value(otherTarget)) ?? "", /target/);
    assert.equal(v.isAcceptable(b, [attester], Uint8Array.from([1, 2])), false, "garbage");
    assert.equal(v.isAcceptable(b, [], value()), false, "no local data to judge by");
    const decided = v.decided(b, value());
    assert.deepEqual([...decided.keys()], [A, B]);
    assert.deepEqual(v.attestationData(SLOT), own, "remembered for the slot's aggregates");
  });

  it("attester: another head only once this operator's beacon node knows it on its canonical chain (bounded wait)", async () => {
    fresh();
    const b = batchOf("attester", def("attester", A), def("attester", B));
    const head = (h: number) => ssz.phase0.AttestationData.serialize(attestationData(SLOT, 2, 3, h));
    const waiting = v.isAcceptable(b, [attester], head(42));
    assert.ok(waiting instanceof Promise, "an unseen head is waited for, not refused");
    await waiting;
    assert.equal(v.isAcceptable(b, [attester], head(42)), true, "a newer canonical block the beacon node knows");
    // A root the beacon node never learns within the wait: refused.
    await v.isAcceptable(b, [attester], head(77));
    assert.match(v.problem(b, [attester], head(77)) ?? "", /unknown to this operator's beacon node/);
    // Known but off its canonical chain, later than the slot, or staler than its own head: refused.
    beaconBlocks.set(43, { slot: SLOT, canonical: false });
    beaconBlocks.set(44, { slot: SLOT + 1, canonical: true });
    beaconBlocks.set(45, { slot: SLOT - 5, canonical: true });
    for (const h of [43, 44, 45]) await v.isAcceptable(b, [attester], head(h));
    assert.match(v.problem(b, [attester], head(43)) ?? "", /canonical/);
    assert.match(v.problem(b, [attester], head(44)) ?? "", /after the attestation slot/);
    assert.match(v.problem(b, [attester], head(45)) ?? "", /staler than this operator's head/);
    // The beacon node learns a block while the lookup polls: accepted once it does.
    setTimeout(() => beaconBlocks.set(46, { slot: SLOT, canonical: true }), 10);
    await v.isAcceptable(b, [attester], head(46));
    assert.equal(v.isAcceptable(b, [attester], head(46)), true);
  });

  it("attester: at an epoch's first slot, a head one slot behind or ahead is accepted as target too (views differ there)", async () => {
    fresh();
    // Slot 4·E: the epoch's first block (root 0x2a…) arrived at some operators before they fetched, not at others.
    const start = 4 * SLOTS_PER_EPOCH;
    const at = (head: number, targetRoot: number) => ({
      ...attestationData(start, 2, 4, head),
      target: { epoch: 4, root: new Uint8Array(32).fill(targetRoot) },
    });
    beaconBlocks.set(9, { slot: start - 1, canonical: true });
    beaconBlocks.set(42, { slot: start, canonical: true });
    const b: DutyBatch = {
      slot: start,
      type: "attester",
      definitions: [{ duty: { slot: start, type: "attester", validator: A }, pubkey: keys.get(A).pubkey }],
    };
    const value = (d: ReturnType<typeof at>) => ssz.phase0.AttestationData.serialize(d);
    const sawTheBlock: UnsignedData = { type: "attester", data: at(42, 42) };
    const missedTheBlock: UnsignedData = { type: "attester", data: at(9, 9) };
    // Before the fix both refused each other ("target checkpoint differs"): a leader of either view could not get 11.
    await v.isAcceptable(b, [sawTheBlock], value(at(9, 9)));
    assert.equal(v.problem(b, [sawTheBlock], value(at(9, 9)), false), null, "the leader missed the block");
    await v.isAcceptable(b, [missedTheBlock], value(at(42, 42)));
    assert.equal(v.problem(b, [missedTheBlock], value(at(42, 42)), false), null, "this operator missed the block");
    // A target that is not the proposed head, or a head unknown to the beacon node, is still refused.
    assert.match(v.problem(b, [sawTheBlock], value(at(42, 9)), false) ?? "", /target checkpoint differs/);
    await v.isAcceptable(b, [sawTheBlock], value(at(77, 77)));
    assert.match(v.problem(b, [sawTheBlock], value(at(77, 77)), false) ?? "", /target checkpoint differs/);
    // Inside an epoch a head is never its own target unless it is the epoch's first block: refused.
    const mid = attestationData(SLOT, 2, 3, 42);
    const midTarget = { ...mid, target: { epoch: 3, root: new Uint8Array(32).fill(42) } };
    await v.isAcceptable(
      batchOf("attester", def("attester", A)),
      [attester],
      ssz.phase0.AttestationData.serialize(midTarget),
    );
    assert.match(
      v.problem(
        batchOf("attester", def("attester", A)),
        [attester],
        ssz.phase0.AttestationData.serialize(midTarget),
        false,
      ) ?? "",
      /after the first slot of epoch 3/,
    );
  });

  it("attester: without a beacon view only this operator's own head is acceptable", () => {
    const strict = new DutyValidity({ config, slotsPerEpoch: SLOTS_PER_EPOCH, keys, slashingDb: db, aggSigDb });
    const b = batchOf("attester", def("attester", A));
    const other = ssz.phase0.AttestationData.serialize(attestationData(SLOT, 2, 3, 42));
    assert.equal(strict.isAcceptable(b, [attester], other), false);
    assert.equal(strict.isAcceptable(b, [attester], ssz.phase0.AttestationData.serialize(own)), true);
  });

  it("attester: refuses data the slashing-protection DB would refuse for any validator of the batch", async () => {
    fresh();
    const signed = attestationData(SLOT, 2, 3, 5);
    const root = computeDutySigningRoot(config, SLOTS_PER_EPOCH, { type: "attester", data: signed });
    await db.checkAndInsertAttestations([
      { pubkey: keys.get(B).pubkeyHex, source: 2n, target: 3n, signingRoot: hex(root) },
    ]);
    const b = batchOf("attester", def("attester", A), def("attester", B));
    const other = ssz.phase0.AttestationData.serialize(attestationData(SLOT, 2, 3, 6));
    for (const h of [5, 6]) beaconBlocks.set(h, { slot: SLOT, canonical: true });
    await v.isAcceptable(b, [attester], other);
    await v.isAcceptable(b, [attester], ssz.phase0.AttestationData.serialize(signed));
    assert.match(
      v.problem(b, [attester], other) ?? "",
      new RegExp(`slashing protection refuses it for ${SLOT}/attester/${B}`),
    );
    assert.equal(v.problem(b, [attester], ssz.phase0.AttestationData.serialize(signed)), null, "the same data again");
    // Judged for attribution only (slashing protection aside), the other value fits the view: not its proposer's fault.
    assert.equal(v.isAcceptable(b, [attester], other), false);
    assert.equal(v.fitsView(b, [attester], other), true);
    const unknownHead = ssz.phase0.AttestationData.serialize(attestationData(SLOT, 2, 4, 5));
    assert.equal(v.fitsView(b, [attester], unknownHead), false, "another target does not fit the view either");
  });

  it("proposer: accepts a block on the operator's parent and refuses another slot, proposer, parent or a slashable one", async () => {
    fresh();
    const b = batchOf("proposer", def("proposer", A));
    const local = proposerLocal(block());
    assert.deepEqual([...v.proposal(b, [local])], [...block()]);
    assert.equal(v.problem(b, [local], block({ graffiti: 3 })), null, "other contents on the same parent");
    assert.match(v.problem(b, [local], block({ slot: SLOT + 1 })) ?? "", /slot/);
    assert.match(v.problem(b, [local], block({ proposer: B })) ?? "", /proposer/);
    assert.match(v.problem(b, [local], block({ parent: 2 })) ?? "", /parent/);
    const thief = block({ feeRecipient: new Uint8Array(20).fill(0x66) });
    assert.match(v.problem(b, [local], thief) ?? "", /fee recipient 0x6666.*expected 0xfefe/);
    assert.equal(v.isAcceptable(b, [local], block().subarray(1)), false, "garbage");
    const signed = proposerLocal(block({ graffiti: 9 }));
    const root = computeDutySigningRoot(config, SLOTS_PER_EPOCH, signed);
    await db.checkAndInsertBlocks([{ pubkey: keys.get(A).pubkeyHex, slot: BigInt(SLOT), signingRoot: hex(root) }]);
    assert.match(v.problem(b, [local], block({ graffiti: 3 })) ?? "", /slashing protection/);
    assert.equal(v.fitsView(b, [local], block({ graffiti: 3 })), true, "fits the view, slashing protection aside");
    assert.equal(v.fitsView(b, [local], thief), false, "a foreign fee recipient never fits");
    const decided = v.decided(b, block({ graffiti: 9 }));
    assert.deepEqual(decided.get(A), signed);
  });

  it("sync message: accepts a head this operator's beacon node reported (or its attestation voted for) or knows as canonical", async () => {
    fresh();
    const b = batchOf("sync_message", def("sync_message", A), def("sync_message", B));
    v.decided(batchOf("attester", def("attester", A)), ssz.phase0.AttestationData.serialize(own));
    const head = new Uint8Array(32).fill(0xaa);
    const local: UnsignedData = { type: "sync_message", data: { slot: SLOT, beaconBlockRoot: head } };
    assert.deepEqual(v.proposal(b, [local]), head);
    assert.equal(v.problem(b, [local], head), null);
    assert.equal(v.problem(b, [local], own.beaconBlockRoot), null, "the head the agreed attestation votes for");
    const unknown = new Uint8Array(32).fill(0xbb);
    assert.ok(v.isAcceptable(b, [local], unknown) instanceof Promise, "asks its beacon node first");
    await v.isAcceptable(b, [local], unknown);
    assert.match(v.problem(b, [local], unknown) ?? "", /not a canonical block this node knows/);
    await v.isAcceptable(b, [local], new Uint8Array(32).fill(42));
    assert.equal(v.problem(b, [local], new Uint8Array(32).fill(42)), null, "a canonical block of the slot");
    assert.match(v.problem(b, [local], head.subarray(1)) ?? "", /32-byte/);
    assert.deepEqual([...v.decided(b, head).keys()], [A, B]);
    assert.deepEqual(v.syncBlockRoot(SLOT), head, "remembered for the slot's contributions");
  });

  it("aggregator: accepts locally selected aggregators over the agreed data, refuses the rest", () => {
    fresh();
    const defA = def("aggregator", A, { committeeIndex: 2, committeeLength: 10 });
    const b = batchOf("aggregator", defA);
    const entry = (proof: number, committee = 2, aggregatorIndex = A): electra.AggregateAndProof => ({
      aggregatorIndex,
      aggregate: aggregate(committee, 10),
      selectionProof: new Uint8Array(96).fill(proof),
    });
    const value = (...e: electra.AggregateAndProof[]) => AggregateAndProofList.serialize(e);
    assert.match(v.problem(b, [], value(entry(7))) ?? "", /no agreed attestation data/);
    v.decided(batchOf("attester", def("attester", A)), ssz.phase0.AttestationData.serialize(own));
    assert.match(v.problem(b, [], value(entry(7))) ?? "", /unfit/, "no combined selection proof here");
    aggSigDb.set({ slot: SLOT, type: "prepare_aggregator", validator: A }, new Uint8Array(96).fill(7));
    assert.equal(v.problem(b, [], value(entry(7))), null);
    assert.match(v.problem(b, [], value(entry(8))) ?? "", /unfit/, "another selection proof");
    assert.match(v.problem(b, [], value(entry(7, 3))) ?? "", /unfit/, "another committee");
    assert.match(v.problem(b, [], value(entry(7, 2, B))) ?? "", /unfit/, "a validator not selected here");
    assert.match(v.problem(b, [], value()) ?? "", /unfit/, "empty");
    const local: UnsignedData = { type: "aggregator", data: entry(7) };
    assert.deepEqual([...v.proposal(b, [local])], [...value(entry(7))]);
    assert.deepEqual(v.decided(b, value(entry(7))).get(A), local);
  });

  it("sync contribution: accepts the duty's subcommittee over the agreed sync root, refuses the rest", () => {
    fresh();
    const defA = def("sync_contribution", A, { syncSubcommitteeIndices: [1] });
    const b = batchOf("sync_contribution", defA);
    const root = new Uint8Array(32).fill(0xcc);
    const entry = (sub: number, r = root): altair.ContributionAndProof => ({
      aggregatorIndex: A,
      contribution: contribution(sub, r),
      selectionProof: new Uint8Array(96).fill(4),
    });
    const value = (...e: altair.ContributionAndProof[]) => ContributionAndProofList.serialize(e);
    assert.match(v.problem(b, [], value(entry(1))) ?? "", /no agreed sync block root/);
    v.decided(batchOf("sync_message", def("sync_message", A)), root);
    aggSigDb.set({ slot: SLOT, type: "prepare_sync_contribution", validator: A }, new Uint8Array(96).fill(4));
    assert.equal(v.problem(b, [], value(entry(1))), null);
    assert.match(v.problem(b, [], value(entry(2))) ?? "", /unfit/, "another subcommittee");
    assert.match(v.problem(b, [], value(entry(1, new Uint8Array(32)))) ?? "", /unfit/, "another root");
    const local: UnsignedData = { type: "sync_contribution", data: entry(1) };
    assert.deepEqual(v.decided(b, value(entry(1))).get(A), local);
  });

  it("deterministic duties have nothing to agree on", () => {
    fresh();
    for (const type of ["randao", "prepare_aggregator", "prepare_sync_contribution"] as const) {
      const b = batchOf(type, def(type, A));
      assert.match(v.problem(b, [], new Uint8Array(0)) ?? "", /deterministic/);
      assert.throws(() => v.decided(b, new Uint8Array(0)), invalidData);
      assert.throws(() => v.proposal(b, [{ type, data: { slot: SLOT } }]), invalidData);
    }
  });

  it("forgets a slot's agreed data when pruned", () => {
    fresh();
    v.decided(batchOf("attester", def("attester", A)), ssz.phase0.AttestationData.serialize(own));
    v.prune(SLOT + 1);
    assert.equal(v.attestationData(SLOT), undefined);
  });
});
