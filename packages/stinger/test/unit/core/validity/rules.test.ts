import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BitArray } from "@chainsafe/ssz";
import { MAX_COMMITTEES_PER_SLOT } from "@lodestar/params";
import type { altair, electra } from "@lodestar/types";
import { aggregateProblem, contributionProblem } from "../../../../src/core/fetcher/validate.ts";
import type { DutyDefinition } from "../../../../src/core/interfaces.ts";
import { SYNC_SUBCOMMITTEE_SIZE } from "../../../../src/core/selection/selection.ts";
import { ABSENT } from "../../../../src/core/validity/blockView.ts";
import {
  AggregateAndProofList,
  aggregatesAcceptable,
  ContributionAndProofList,
  contributionsAcceptable,
  HEAD_UNKNOWN,
  headProblem,
  syncRootProblem,
} from "../../../../src/core/validity/rules.ts";
import { attestationData } from "../pipeline/fixtures.ts";

const SLOT = 40;
const data = attestationData(SLOT, 0, 1);
const proof = (v: number) => new Uint8Array(96).fill(v);
const root = new Uint8Array(32).fill(0xab);

function aggregate(committee: number, length: number, bits: number[], d = data): electra.Attestation {
  const aggregationBits = BitArray.fromBitLen(length);
  for (const b of bits) aggregationBits.set(b, true);
  return {
    aggregationBits,
    data: d,
    signature: new Uint8Array(96).fill(1),
    committeeBits: BitArray.fromSingleBit(MAX_COMMITTEES_PER_SLOT, committee),
  };
}

function contribution(sub: number, bits: number[], slot = SLOT, r = root): altair.SyncCommitteeContribution {
  const aggregationBits = BitArray.fromBitLen(SYNC_SUBCOMMITTEE_SIZE);
  for (const b of bits) aggregationBits.set(b, true);
  return { slot, beaconBlockRoot: r, subcommitteeIndex: sub, aggregationBits, signature: new Uint8Array(96).fill(2) };
}

const aggDef = (validator: number, committeeIndex: number, committeeLength: number): DutyDefinition => ({
  duty: { slot: SLOT, type: "aggregator", validator },
  pubkey: new Uint8Array(48),
  committeeIndex,
  committeeLength,
  validatorCommitteeIndex: 0,
});
const syncDef = (validator: number, sub: number): DutyDefinition => ({
  duty: { slot: SLOT, type: "sync_contribution", validator },
  pubkey: new Uint8Array(48),
  syncSubcommitteeIndices: [sub],
});

describe("aggregate and contribution checks (fetcher replies, leader proposals)", () => {
  it("accepts a fit aggregate and names what is wrong with unfit ones", () => {
    assert.equal(aggregateProblem(aggregate(2, 10, [0, 3]), data, 2, 10), null);
    assert.match(
      aggregateProblem(aggregate(2, 10, [0], attestationData(SLOT, 0, 1, 7)), data, 2, 10) ?? "",
      /other attestation data/,
    );
    assert.match(aggregateProblem(aggregate(3, 10, [0]), data, 2, 10) ?? "", /committees \[3\], expected \[2\]/);
    assert.match(aggregateProblem(aggregate(2, 9, [0]), data, 2, 10) ?? "", /length 9/);
    assert.match(aggregateProblem(aggregate(2, 10, []), data, 2, 10) ?? "", /no aggregation bit/);
    const two = aggregate(2, 10, [1]);
    two.committeeBits.set(4, true);
    assert.match(aggregateProblem(two, data, 2, 10) ?? "", /committees \[2,4\]/);
  });

  it("accepts a fit contribution and names what is wrong with unfit ones", () => {
    assert.equal(contributionProblem(contribution(1, [0]), SLOT, 1, root), null);
    assert.match(contributionProblem(contribution(1, [0], SLOT + 1), SLOT, 1, root) ?? "", /slot/);
    assert.match(contributionProblem(contribution(2, [0]), SLOT, 1, root) ?? "", /subcommittee 2/);
    assert.match(
      contributionProblem(contribution(1, [0], SLOT, new Uint8Array(32)), SLOT, 1, root) ?? "",
      /another block root/,
    );
    assert.match(contributionProblem(contribution(1, []), SLOT, 1, root) ?? "", /no aggregation bit/);
  });
});

describe("agreement values of aggregation duties", () => {
  const selected = new Map([
    [7, { definition: aggDef(7, 2, 10), selectionProof: proof(7) }],
    [8, { definition: aggDef(8, 0, 12), selectionProof: proof(8) }],
  ]);
  const encode = (entries: electra.AggregateAndProof[]) => AggregateAndProofList.serialize(entries);
  const entry = (v: number, committee: number, length: number, p = proof(v)): electra.AggregateAndProof => ({
    aggregatorIndex: v,
    aggregate: aggregate(committee, length, [1]),
    selectionProof: p,
  });

  it("accepts a list of locally selected aggregators, a subset included", () => {
    assert.equal(
      aggregatesAcceptable(encode([entry(7, 2, 10), entry(8, 0, 12)]), { selected, attestationData: data }),
      true,
    );
    assert.equal(aggregatesAcceptable(encode([entry(8, 0, 12)]), { selected, attestationData: data }), true);
  });

  it("refuses empty lists, duplicates, unselected validators, foreign proofs, unfit aggregates and garbage", () => {
    const view = { selected, attestationData: data };
    assert.equal(aggregatesAcceptable(encode([]), view), false);
    assert.equal(aggregatesAcceptable(encode([entry(7, 2, 10), entry(7, 2, 10)]), view), false, "duplicate");
    assert.equal(aggregatesAcceptable(encode([entry(9, 2, 10)]), view), false, "not selected here");
    assert.equal(aggregatesAcceptable(encode([entry(7, 2, 10, proof(1))]), view), false, "other selection proof");
    assert.equal(aggregatesAcceptable(encode([entry(7, 1, 10)]), view), false, "other committee");
    assert.equal(aggregatesAcceptable(new Uint8Array([1, 2, 3]), view), false, "garbage");
    const bytes = encode([entry(7, 2, 10)]);
    assert.equal(aggregatesAcceptable(bytes.subarray(0, bytes.length - 1), view), false, "truncated");
  });

  it("contributions: same rules over the agreed sync root and the duty's subcommittee", () => {
    const sel = new Map([[5, { definition: syncDef(5, 3), selectionProof: proof(5) }]]);
    const view = { selected: sel, slot: SLOT, beaconBlockRoot: root };
    const c = (sub: number, r = root, p = proof(5)) =>
      ContributionAndProofList.serialize([
        { aggregatorIndex: 5, contribution: contribution(sub, [2], SLOT, r), selectionProof: p },
      ]);
    assert.equal(contributionsAcceptable(c(3), view), true);
    assert.equal(contributionsAcceptable(c(2), view), false, "other subcommittee");
    assert.equal(contributionsAcceptable(c(3, new Uint8Array(32)), view), false, "other root");
    assert.equal(contributionsAcceptable(c(3, root, proof(6)), view), false, "other selection proof");
    assert.equal(contributionsAcceptable(ContributionAndProofList.serialize([]), view), false, "empty");
  });

  it("a sync block root: a head this operator's beacon node reported, or a canonical block it knows of the slot", () => {
    const known = new Set([Buffer.from(root).toString("hex")]);
    const other = new Uint8Array(32);
    assert.equal(syncRootProblem(root, 10, known, undefined), null);
    assert.equal(syncRootProblem(other, 10, known, undefined), HEAD_UNKNOWN, "not asked yet: wait");
    assert.equal(syncRootProblem(other, 10, known, { slot: 9, canonical: true }), null);
    assert.match(syncRootProblem(other, 10, known, { slot: 11, canonical: true }) ?? "", /canonical/);
    assert.match(syncRootProblem(other, 10, known, { slot: 9, canonical: false }) ?? "", /canonical/);
    assert.match(syncRootProblem(other, 10, known, ABSENT) ?? "", /canonical/);
    assert.match(syncRootProblem(root.subarray(0, 31), 10, known, undefined) ?? "", /32-byte/);
  });

  it("an attestation's head: own head, or a canonical known block between its own head and the slot", () => {
    const value = (head: number) => attestationData(SLOT, 0, 1, head);
    const mine = { slot: SLOT - 2, canonical: true };
    assert.equal(headProblem(value(9), data, undefined, undefined), null, "own head needs no look-up");
    assert.equal(headProblem(value(5), data, undefined, mine), HEAD_UNKNOWN);
    assert.equal(headProblem(value(5), data, { slot: SLOT - 1, canonical: true }, mine), null);
    assert.equal(headProblem(value(5), data, { slot: SLOT - 2, canonical: true }, ABSENT), null);
    assert.match(headProblem(value(5), data, ABSENT, mine) ?? "", /unknown/);
    assert.match(headProblem(value(5), data, { slot: SLOT - 1, canonical: false }, mine) ?? "", /canonical/);
    assert.match(headProblem(value(5), data, { slot: SLOT + 1, canonical: true }, mine) ?? "", /after/);
    assert.equal(headProblem(value(5), data, { slot: SLOT - 3, canonical: true }, mine), null, "one slot behind");
    assert.match(headProblem(value(5), data, { slot: SLOT - 4, canonical: true }, mine) ?? "", /staler/);
  });
});
