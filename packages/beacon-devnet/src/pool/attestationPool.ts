import { aggregateSignatures, Signature } from "@chainsafe/blst";
import { BitArray } from "@chainsafe/ssz";
import {
  DOMAIN_AGGREGATE_AND_PROOF,
  DOMAIN_BEACON_ATTESTER,
  DOMAIN_SELECTION_PROOF,
  MAX_ATTESTATIONS_ELECTRA,
  MAX_COMMITTEES_PER_SLOT,
  MIN_ATTESTATION_INCLUSION_DELAY,
  SLOTS_PER_EPOCH,
} from "@lodestar/params";
import { type CachedBeaconStateAllForks, computeEpochAtSlot, computeSigningRoot } from "@lodestar/state-transition";
import type { electra, phase0 } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import { toRootHex } from "@lodestar/utils";
import { PoolError } from "./poolError.ts";
import { verifyReceivedSignature } from "./signature.ts";

/** An aggregate for one committee: which members signed and their aggregate signature. */
type CommitteeAggregate = { bits: BitArray; signature: Signature };

type DataEntry = {
  data: phase0.AttestationData;
  /** Aggregates per committee index; kept disjoint so any two can be merged without double counting. */
  committees: Map<number, CommitteeAggregate[]>;
  /** Members already included on chain, per committee. */
  included: Map<number, BitArray>;
};

/** What the pool needs from the chain to validate attestations. */
export interface AttestationPoolContext {
  /** A state whose epoch cache covers `slot`'s epoch (head state, advanced if needed). */
  stateForSlot(slot: number): CachedBeaconStateAllForks;
  currentSlot(): number;
  isKnownBlock(rootHex: string): boolean;
}

/**
 * Collects `SingleAttestation`s and aggregates, verifies them, aggregates them per committee, and hands out
 * Electra on-chain attestations (one per AttestationData, committees concatenated under `committeeBits`).
 */
export class AttestationPool {
  private readonly byDataRoot = new Map<string, DataEntry>();
  private readonly ctx: AttestationPoolContext;

  constructor(ctx: AttestationPoolContext) {
    this.ctx = ctx;
  }

  /** Validate and add a `SingleAttestation` received over the API. Throws `PoolError` if invalid. */
  addSingleAttestation(att: electra.SingleAttestation): void {
    const { committee, state } = this.validateData(att.data, att.committeeIndex);
    const position = committee.indexOf(att.attesterIndex);
    if (position < 0) {
      throw new PoolError(
        "attestation",
        `validator ${att.attesterIndex} is not in committee ${att.committeeIndex} of slot ${att.data.slot}`,
      );
    }
    const pubkey = state.epochCtx.getPubkey(att.attesterIndex);
    const signingRoot = computeSigningRoot(
      ssz.phase0.AttestationData,
      att.data,
      state.config.getDomain(state.slot, DOMAIN_BEACON_ATTESTER, att.data.slot),
    );
    if (pubkey === undefined || !verifyReceivedSignature(signingRoot, [pubkey], att.signature)) {
      throw new PoolError("attestation", "signature does not verify");
    }
    this.insert(
      att.data,
      att.committeeIndex,
      BitArray.fromSingleBit(committee.length, position),
      Signature.fromBytes(att.signature),
    );
  }

  /** Add an aggregate the node produced itself (built-in validator client): no verification. */
  addOwnAggregate(data: phase0.AttestationData, committeeIndex: number, bits: BitArray, signature: Signature): void {
    this.insert(data, committeeIndex, bits, signature);
  }

  /** Validate and add a `SignedAggregateAndProof` (Electra). Throws `PoolError` if invalid. */
  addAggregateAndProof(signed: electra.SignedAggregateAndProof): void {
    const { aggregatorIndex, aggregate, selectionProof } = signed.message;
    const committeeIndices = aggregate.committeeBits.getTrueBitIndexes();
    if (committeeIndices.length !== 1) {
      throw new PoolError("aggregate", "an aggregate must have exactly one committee bit set");
    }
    const committeeIndex = committeeIndices[0] as number;
    const { committee, state } = this.validateData(aggregate.data, committeeIndex);
    if (aggregate.aggregationBits.bitLen !== committee.length) {
      throw new PoolError(
        "aggregate",
        `aggregation bits length ${aggregate.aggregationBits.bitLen} != committee size ${committee.length}`,
      );
    }
    if (!committee.includes(aggregatorIndex)) {
      throw new PoolError("aggregate", `aggregator ${aggregatorIndex} is not in the committee`);
    }
    const slot = aggregate.data.slot;
    if (!state.epochCtx.isAggregator(slot, committeeIndex, selectionProof)) {
      throw new PoolError("aggregate", "selection proof does not select this validator as aggregator");
    }
    const aggregatorPubkey = state.epochCtx.getPubkey(aggregatorIndex);
    if (aggregatorPubkey === undefined) throw new PoolError("aggregate", "unknown aggregator");
    const selectionRoot = computeSigningRoot(
      ssz.Slot,
      slot,
      state.config.getDomain(state.slot, DOMAIN_SELECTION_PROOF, slot),
    );
    if (!verifyReceivedSignature(selectionRoot, [aggregatorPubkey], selectionProof)) {
      throw new PoolError("aggregate", "selection proof signature does not verify");
    }
    const proofRoot = computeSigningRoot(
      ssz.electra.AggregateAndProof,
      signed.message,
      state.config.getDomain(state.slot, DOMAIN_AGGREGATE_AND_PROOF, slot),
    );
    if (!verifyReceivedSignature(proofRoot, [aggregatorPubkey], signed.signature)) {
      throw new PoolError("aggregate", "aggregate-and-proof signature does not verify");
    }
    const members = aggregate.aggregationBits.getTrueBitIndexes();
    if (members.length === 0) throw new PoolError("aggregate", "no aggregation bit set");
    const pubkeys = members.map((p) => state.epochCtx.getPubkey(committee[p] as number));
    const attRoot = computeSigningRoot(
      ssz.phase0.AttestationData,
      aggregate.data,
      state.config.getDomain(state.slot, DOMAIN_BEACON_ATTESTER, slot),
    );
    if (
      pubkeys.some((p) => p === undefined) ||
      !verifyReceivedSignature(attRoot, pubkeys as never, aggregate.signature)
    ) {
      throw new PoolError("aggregate", "aggregate signature does not verify");
    }
    this.insert(
      aggregate.data,
      committeeIndex,
      aggregate.aggregationBits.clone(),
      Signature.fromBytes(aggregate.signature),
    );
  }

  /** The best aggregate for one committee and data root (what `aggregate_attestation` v2 returns). */
  getAggregate(dataRootHex: string, slot: number, committeeIndex: number): electra.Attestation | null {
    const entry = this.byDataRoot.get(dataRootHex.toLowerCase());
    if (entry === undefined || entry.data.slot !== slot) return null;
    const best = bestOf(entry.committees.get(committeeIndex) ?? []);
    if (best === undefined) return null;
    const committeeBits = BitArray.fromSingleBit(MAX_COMMITTEES_PER_SLOT, committeeIndex);
    return { aggregationBits: best.bits.clone(), data: entry.data, committeeBits, signature: best.signature.toBytes() };
  }

  /** Up to MAX_ATTESTATIONS_ELECTRA attestations adding new participation, newest first, valid against `state`. */
  getAttestationsForBlock(state: CachedBeaconStateAllForks): electra.Attestation[] {
    const currentEpoch = computeEpochAtSlot(state.slot);
    const currentJustified = state.currentJustifiedCheckpoint;
    const previousJustified = state.previousJustifiedCheckpoint;
    const candidates: { entry: DataEntry; newBits: number }[] = [];
    for (const entry of this.byDataRoot.values()) {
      const { data } = entry;
      if (data.slot + MIN_ATTESTATION_INCLUSION_DELAY > state.slot) continue;
      const targetEpoch = data.target.epoch;
      if (targetEpoch !== currentEpoch && targetEpoch !== currentEpoch - 1) continue;
      const source = targetEpoch === currentEpoch ? currentJustified : previousJustified;
      if (data.source.epoch !== source.epoch || toRootHex(data.source.root) !== toRootHex(source.root)) continue;
      let newBits = 0;
      for (const [committeeIndex, aggregates] of entry.committees) {
        const best = bestOf(aggregates);
        const included = entry.included.get(committeeIndex);
        if (best === undefined) continue;
        for (const i of best.bits.getTrueBitIndexes()) if (included === undefined || !included.get(i)) newBits++;
      }
      if (newBits > 0) candidates.push({ entry, newBits });
    }
    candidates.sort((a, b) => b.entry.data.slot - a.entry.data.slot || b.newBits - a.newBits);
    return candidates.slice(0, MAX_ATTESTATIONS_ELECTRA).map(({ entry }) => toOnChain(entry, state));
  }

  /** Record what a canonical block included, so later blocks carry only new participation. */
  onBlockIncluded(attestations: electra.Attestation[], state: CachedBeaconStateAllForks): void {
    for (const att of attestations) {
      const entry = this.byDataRoot.get(toRootHex(ssz.phase0.AttestationData.hashTreeRoot(att.data)));
      if (entry === undefined) continue;
      let offset = 0;
      for (const committeeIndex of att.committeeBits.getTrueBitIndexes()) {
        const length = state.epochCtx.getBeaconCommittee(att.data.slot, committeeIndex).length;
        const included = entry.included.get(committeeIndex) ?? BitArray.fromBitLen(length);
        for (let i = 0; i < length; i++) if (att.aggregationBits.get(offset + i)) included.set(i, true);
        entry.included.set(committeeIndex, included);
        offset += length;
      }
    }
  }

  /** Drop attestations too old to be included (older than the previous epoch). */
  prune(currentSlot: number): void {
    const minEpoch = computeEpochAtSlot(currentSlot) - 1;
    for (const [root, entry] of this.byDataRoot) {
      if (entry.data.target.epoch < minEpoch) this.byDataRoot.delete(root);
    }
  }

  get size(): number {
    return this.byDataRoot.size;
  }

  private validateData(data: phase0.AttestationData, committeeIndex: number) {
    if (data.index !== 0) throw new PoolError("attestation", "data.index must be 0 after Electra");
    if (data.target.epoch !== computeEpochAtSlot(data.slot)) {
      throw new PoolError("attestation", `target epoch ${data.target.epoch} is not the epoch of slot ${data.slot}`);
    }
    const currentSlot = this.ctx.currentSlot();
    if (data.slot > currentSlot)
      throw new PoolError("attestation", `slot ${data.slot} is in the future (current ${currentSlot})`);
    if (data.slot + SLOTS_PER_EPOCH < currentSlot) throw new PoolError("attestation", `slot ${data.slot} is too old`);
    if (!this.ctx.isKnownBlock(toRootHex(data.beaconBlockRoot)))
      throw new PoolError("attestation", "unknown beacon_block_root");
    const state = this.ctx.stateForSlot(data.slot);
    const count = state.epochCtx.getCommitteeCountPerSlot(data.target.epoch);
    if (!Number.isInteger(committeeIndex) || committeeIndex < 0 || committeeIndex >= count) {
      throw new PoolError(
        "attestation",
        `committee index ${committeeIndex} out of range (${count} committees per slot)`,
      );
    }
    return { committee: state.epochCtx.getBeaconCommittee(data.slot, committeeIndex), state };
  }

  private insert(data: phase0.AttestationData, committeeIndex: number, bits: BitArray, signature: Signature): void {
    const dataRootHex = toRootHex(ssz.phase0.AttestationData.hashTreeRoot(data));
    let entry = this.byDataRoot.get(dataRootHex);
    if (entry === undefined) {
      entry = { data: ssz.phase0.AttestationData.clone(data), committees: new Map(), included: new Map() };
      this.byDataRoot.set(dataRootHex, entry);
    }
    const aggregates = entry.committees.get(committeeIndex) ?? [];
    entry.committees.set(committeeIndex, aggregates);
    for (const aggregate of aggregates) {
      if (isSubset(bits, aggregate.bits)) return;
      if (disjoint(bits, aggregate.bits)) {
        aggregate.bits.mergeOrWith(bits);
        aggregate.signature = aggregateSignatures([aggregate.signature, signature]);
        return;
      }
    }
    // Overlapping but not contained (another aggregator's view): keep it alongside, bounded.
    if (aggregates.length < 16) aggregates.push({ bits, signature });
  }
}

function bestOf(aggregates: CommitteeAggregate[]): CommitteeAggregate | undefined {
  let best: CommitteeAggregate | undefined;
  let bestCount = -1;
  for (const a of aggregates) {
    const count = a.bits.getTrueBitIndexes().length;
    if (count > bestCount) {
      best = a;
      bestCount = count;
    }
  }
  return best;
}

function isSubset(a: BitArray, b: BitArray): boolean {
  return a.getTrueBitIndexes().every((i) => b.get(i));
}

function disjoint(a: BitArray, b: BitArray): boolean {
  return a.getTrueBitIndexes().every((i) => !b.get(i));
}

function toOnChain(entry: DataEntry, state: CachedBeaconStateAllForks): electra.Attestation {
  const committeeIndices = [...entry.committees.keys()].sort((a, b) => a - b);
  const parts: boolean[] = [];
  const signatures: Signature[] = [];
  const committeeBits = BitArray.fromBitLen(MAX_COMMITTEES_PER_SLOT);
  for (const committeeIndex of committeeIndices) {
    const best = bestOf(entry.committees.get(committeeIndex) ?? []);
    if (best === undefined) continue;
    const length = state.epochCtx.getBeaconCommittee(entry.data.slot, committeeIndex).length;
    if (best.bits.bitLen !== length) continue;
    committeeBits.set(committeeIndex, true);
    parts.push(...best.bits.toBoolArray());
    signatures.push(best.signature);
  }
  return {
    aggregationBits: BitArray.fromBoolArray(parts),
    data: entry.data,
    committeeBits,
    signature: aggregateSignatures(signatures).toBytes(),
  };
}
