import { aggregateSignatures, Signature } from "@chainsafe/blst";
import { BitArray } from "@chainsafe/ssz";
import {
  DOMAIN_CONTRIBUTION_AND_PROOF,
  DOMAIN_SYNC_COMMITTEE,
  DOMAIN_SYNC_COMMITTEE_SELECTION_PROOF,
  SYNC_COMMITTEE_SIZE,
  SYNC_COMMITTEE_SUBNET_COUNT,
  SYNC_COMMITTEE_SUBNET_SIZE,
} from "@lodestar/params";
import {
  type CachedBeaconStateAllForks,
  computeSigningRoot,
  G2_POINT_AT_INFINITY,
  isSyncCommitteeAggregator,
} from "@lodestar/state-transition";
import type { altair } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import { toRootHex } from "@lodestar/utils";
import { PoolError } from "./poolError.ts";
import { verifyReceivedSignature } from "./signature.ts";

type SlotRootEntry = {
  /** Signatures of individual messages by sync committee position. */
  byPosition: Map<number, Signature>;
  /** Best verified contribution per subcommittee. */
  contributions: Map<number, { bits: BitArray; signature: Signature }>;
};

export interface SyncCommitteePoolContext {
  stateForSlot(slot: number): CachedBeaconStateAllForks;
  currentSlot(): number;
}

/**
 * Sync committee messages and contributions for recent slots, aggregated into the `SyncAggregate` of the next
 * block. Messages at slot s are verified against the sync committee of the block at s + 1.
 */
export class SyncCommitteePool {
  private readonly entries = new Map<string, SlotRootEntry>();
  private readonly ctx: SyncCommitteePoolContext;

  constructor(ctx: SyncCommitteePoolContext) {
    this.ctx = ctx;
  }

  addMessage(msg: altair.SyncCommitteeMessage): void {
    this.checkSlot(msg.slot);
    const state = this.ctx.stateForSlot(msg.slot);
    // `getIndexedSyncCommittee(slot)` is the committee of the block at `slot + 1` (the offset is Lodestar's).
    const positions = state.epochCtx.getIndexedSyncCommittee(msg.slot).validatorIndexMap.get(msg.validatorIndex);
    if (positions === undefined) {
      throw new PoolError("sync committee message", `validator ${msg.validatorIndex} is not in the sync committee`);
    }
    const pubkey = state.epochCtx.getPubkey(msg.validatorIndex);
    const root = computeSigningRoot(
      ssz.Root,
      msg.beaconBlockRoot,
      state.config.getDomain(state.slot, DOMAIN_SYNC_COMMITTEE, msg.slot),
    );
    if (pubkey === undefined || !verifyReceivedSignature(root, [pubkey], msg.signature)) {
      throw new PoolError("sync committee message", "signature does not verify");
    }
    this.addOwnMessage(msg.slot, msg.beaconBlockRoot, positions, Signature.fromBytes(msg.signature));
  }

  /** A message signed by the node's own validator client: no verification. */
  addOwnMessage(slot: number, beaconBlockRoot: Uint8Array, positions: number[], signature: Signature): void {
    const entry = this.entry(slot, beaconBlockRoot);
    for (const p of positions) entry.byPosition.set(p, signature);
  }

  addContributionAndProof(signed: altair.SignedContributionAndProof): void {
    const { aggregatorIndex, contribution, selectionProof } = signed.message;
    this.checkSlot(contribution.slot);
    const sub = contribution.subcommitteeIndex;
    if (!Number.isInteger(sub) || sub < 0 || sub >= SYNC_COMMITTEE_SUBNET_COUNT) {
      throw new PoolError("contribution", `subcommittee index ${sub} out of range`);
    }
    const state = this.ctx.stateForSlot(contribution.slot);
    const committee = state.epochCtx.getIndexedSyncCommittee(contribution.slot);
    const subMembers = committee.validatorIndices.subarray(
      sub * SYNC_COMMITTEE_SUBNET_SIZE,
      (sub + 1) * SYNC_COMMITTEE_SUBNET_SIZE,
    );
    if (!subMembers.includes(aggregatorIndex)) {
      throw new PoolError("contribution", `aggregator ${aggregatorIndex} is not in subcommittee ${sub}`);
    }
    if (!isSyncCommitteeAggregator(selectionProof)) {
      throw new PoolError("contribution", "selection proof does not select this validator as aggregator");
    }
    const aggregatorPubkey = state.epochCtx.getPubkey(aggregatorIndex);
    if (aggregatorPubkey === undefined) throw new PoolError("contribution", "unknown aggregator");
    const selectionData = { slot: contribution.slot, subcommitteeIndex: sub };
    const selectionRoot = computeSigningRoot(
      ssz.altair.SyncAggregatorSelectionData,
      selectionData,
      state.config.getDomain(state.slot, DOMAIN_SYNC_COMMITTEE_SELECTION_PROOF, contribution.slot),
    );
    if (!verifyReceivedSignature(selectionRoot, [aggregatorPubkey], selectionProof)) {
      throw new PoolError("contribution", "selection proof signature does not verify");
    }
    const proofRoot = computeSigningRoot(
      ssz.altair.ContributionAndProof,
      signed.message,
      state.config.getDomain(state.slot, DOMAIN_CONTRIBUTION_AND_PROOF, contribution.slot),
    );
    if (!verifyReceivedSignature(proofRoot, [aggregatorPubkey], signed.signature)) {
      throw new PoolError("contribution", "contribution-and-proof signature does not verify");
    }
    const members = contribution.aggregationBits.getTrueBitIndexes();
    if (members.length === 0) throw new PoolError("contribution", "no aggregation bit set");
    const pubkeys = members.map((i) => state.epochCtx.getPubkey(subMembers[i] as number));
    const msgRoot = computeSigningRoot(
      ssz.Root,
      contribution.beaconBlockRoot,
      state.config.getDomain(state.slot, DOMAIN_SYNC_COMMITTEE, contribution.slot),
    );
    if (
      pubkeys.some((p) => p === undefined) ||
      !verifyReceivedSignature(msgRoot, pubkeys as never, contribution.signature)
    ) {
      throw new PoolError("contribution", "contribution signature does not verify");
    }
    const entry = this.entry(contribution.slot, contribution.beaconBlockRoot);
    const current = entry.contributions.get(sub);
    if (current === undefined || current.bits.getTrueBitIndexes().length < members.length) {
      entry.contributions.set(sub, {
        bits: contribution.aggregationBits.clone(),
        signature: Signature.fromBytes(contribution.signature),
      });
    }
  }

  /** The best contribution for a subcommittee (what `produceSyncCommitteeContribution` returns), or null. */
  getContribution(
    slot: number,
    subcommitteeIndex: number,
    beaconBlockRoot: Uint8Array,
  ): altair.SyncCommitteeContribution | null {
    const part = this.subcommitteeAggregate(slot, beaconBlockRoot, subcommitteeIndex);
    if (part === null) return null;
    return {
      slot,
      beaconBlockRoot,
      subcommitteeIndex,
      aggregationBits: part.bits,
      signature: part.signature.toBytes(),
    };
  }

  /** The sync aggregate over `beaconBlockRoot` at `slot`, empty (infinity signature) if nobody signed. */
  getSyncAggregate(slot: number, beaconBlockRoot: Uint8Array): altair.SyncAggregate {
    const bits = BitArray.fromBitLen(SYNC_COMMITTEE_SIZE);
    const signatures: Signature[] = [];
    for (let sub = 0; sub < SYNC_COMMITTEE_SUBNET_COUNT; sub++) {
      const part = this.subcommitteeAggregate(slot, beaconBlockRoot, sub);
      if (part === null) continue;
      for (const i of part.bits.getTrueBitIndexes()) bits.set(sub * SYNC_COMMITTEE_SUBNET_SIZE + i, true);
      signatures.push(part.signature);
    }
    if (signatures.length === 0) return { syncCommitteeBits: bits, syncCommitteeSignature: G2_POINT_AT_INFINITY };
    return { syncCommitteeBits: bits, syncCommitteeSignature: aggregateSignatures(signatures).toBytes() };
  }

  prune(currentSlot: number): void {
    for (const key of this.entries.keys()) {
      if (Number(key.split(":")[0]) + 2 < currentSlot) this.entries.delete(key);
    }
  }

  private subcommitteeAggregate(
    slot: number,
    root: Uint8Array,
    sub: number,
  ): { bits: BitArray; signature: Signature } | null {
    const entry = this.entries.get(`${slot}:${toRootHex(root)}`);
    if (entry === undefined) return null;
    const bits = BitArray.fromBitLen(SYNC_COMMITTEE_SUBNET_SIZE);
    const sigs: Signature[] = [];
    for (let i = 0; i < SYNC_COMMITTEE_SUBNET_SIZE; i++) {
      const sig = entry.byPosition.get(sub * SYNC_COMMITTEE_SUBNET_SIZE + i);
      if (sig === undefined) continue;
      bits.set(i, true);
      sigs.push(sig);
    }
    const contribution = entry.contributions.get(sub);
    if (contribution !== undefined && contribution.bits.getTrueBitIndexes().length > sigs.length) return contribution;
    if (sigs.length === 0) return null;
    return { bits, signature: aggregateSignatures(sigs) };
  }

  private entry(slot: number, root: Uint8Array): SlotRootEntry {
    const key = `${slot}:${toRootHex(root)}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { byPosition: new Map(), contributions: new Map() };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private checkSlot(slot: number): void {
    const current = this.ctx.currentSlot();
    if (slot > current)
      throw new PoolError("sync committee message", `slot ${slot} is in the future (current ${current})`);
    if (slot + 2 < current) throw new PoolError("sync committee message", `slot ${slot} is too old`);
  }
}
