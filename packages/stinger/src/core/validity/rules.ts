import { ListCompositeType } from "@chainsafe/ssz";
import type { altair, electra, phase0 } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import { type BlockProposal, proposalFeeRecipient } from "../blockProposal.ts";
import { aggregateProblem, contributionProblem } from "../fetcher/validate.ts";
import type { Duty, DutyDefinition } from "../interfaces.ts";
import { ABSENT, type KnownBlock } from "./blockView.ts";

/**
 * The pure rules of agreed values: what each operator checks in a leader's proposal against its own beacon view before
 * answering with its partial signature (slashing protection is checked on top, in `validity.ts`). Aggregation duties
 * agree on an SSZ list: one agreement instance per (slot, duty type) carries the messages of every selected cluster
 * validator. Attestation and block rules return why a value is unfit, or `null`.
 */

/**
 * Same slot as this operator's data, committee index 0 (Electra), same source checkpoint, and the same target — or the
 * proposed head as target, when that head is not later than the target epoch's first slot.
 *
 * Why the exception: the target of epoch E is the last block at or before E's first slot. In that slot the operators'
 * views legitimately differ: a leader that fetched before the slot's block arrived votes for the previous block as head
 * *and* target, one that fetched after votes for the new block as both. Heads trailing by a slot are accepted
 * ({@link headProblem}), so the target they imply must be too; refusing it cost whole duties at epoch boundaries when
 * every round's leader had the other view. The head itself is still judged by {@link headProblem} (known, canonical,
 * at most {@link MAX_HEAD_LAG_SLOTS} stale), and one attestation per target epoch is all the slashing DB allows.
 * `proposedHead` is what this operator's beacon node knows of `value.beaconBlockRoot` (undefined: not asked yet).
 */
export function attestationProblem(
  value: phase0.AttestationData,
  own: phase0.AttestationData,
  proposedHead?: KnownBlock | typeof ABSENT,
  slotsPerEpoch?: number,
): string | null {
  if (value.slot !== own.slot) return `attestation data for slot ${value.slot}, expected ${own.slot}`;
  if (value.index !== 0) return `attestation data index ${value.index}, Electra requires 0`;
  if (value.source.epoch !== own.source.epoch || !Buffer.from(value.source.root).equals(own.source.root)) {
    return "source checkpoint differs from this operator's beacon node";
  }
  if (value.target.epoch === own.target.epoch && Buffer.from(value.target.root).equals(own.target.root)) return null;
  const differs = "target checkpoint differs from this operator's beacon node";
  if (value.target.epoch !== own.target.epoch || !Buffer.from(value.target.root).equals(value.beaconBlockRoot)) {
    return differs;
  }
  if (proposedHead === undefined) return HEAD_UNKNOWN;
  if (proposedHead === ABSENT || !proposedHead.canonical || slotsPerEpoch === undefined) return differs;
  if (proposedHead.slot > value.target.epoch * slotsPerEpoch) {
    return `target is a head of slot ${proposedHead.slot}, after the first slot of epoch ${value.target.epoch}`;
  }
  return null;
}

/**
 * How many slots a proposed head may trail this operator's own head: an honest leader that fetched just before a block
 * arrived votes for its parent, and refusing it would cost a round for a head vote worth little. Anything staler is
 * refused (a leader must not make the cluster vote for an old head).
 */
export const MAX_HEAD_LAG_SLOTS = 1;

/** The problem of a head vote whose block this operator's beacon node has not been asked about yet. */
export const HEAD_UNKNOWN = "head block not known to this operator's beacon node yet";

/**
 * The head a proposed attestation votes for: this operator's own head, or a block its beacon node knows on the chain
 * it considers canonical, no later than the attestation's slot and at most {@link MAX_HEAD_LAG_SLOTS} older than its own
 * head (a leader must not make the cluster vote for a stale or foreign head). `proposed`/`ownHead` are what the beacon node said about the roots.
 */
export function headProblem(
  value: phase0.AttestationData,
  own: phase0.AttestationData,
  proposed: KnownBlock | typeof ABSENT | undefined,
  ownHead: KnownBlock | typeof ABSENT | undefined,
): string | null {
  if (Buffer.from(value.beaconBlockRoot).equals(own.beaconBlockRoot)) return null;
  if (proposed === undefined) return HEAD_UNKNOWN;
  if (proposed === ABSENT) return "head block unknown to this operator's beacon node";
  if (!proposed.canonical) return "head block not on this operator's canonical chain";
  if (proposed.slot > value.slot) return `head block of slot ${proposed.slot} after the attestation slot`;
  if (ownHead !== undefined && ownHead !== ABSENT && proposed.slot + MAX_HEAD_LAG_SLOTS < ownHead.slot) {
    return `head block of slot ${proposed.slot} staler than this operator's head (slot ${ownHead.slot})`;
  }
  return null;
}

/**
 * The duty's slot and proposer (full or blinded block), built on the parent this operator's beacon node builds on, paying the protocol's fee
 * recipient (the withdrawal vault of the validator's lock) when one is set: a leader must not redirect the
 * execution-layer rewards.
 */
export function blockProblem(
  proposal: BlockProposal,
  own: BlockProposal,
  duty: Duty,
  feeRecipient?: Uint8Array,
): string | null {
  const value = proposal.block;
  if (value.slot !== duty.slot) return `block for slot ${value.slot}, expected ${duty.slot}`;
  if (value.proposerIndex !== duty.validator)
    return `block by proposer ${value.proposerIndex}, expected ${duty.validator}`;
  if (!Buffer.from(value.parentRoot).equals(own.block.parentRoot))
    return "block on another parent than this operator's";
  // A builder block pays what the builder's header says: a bid paying anyone but the protocol is refused like a local one.
  const paid = proposalFeeRecipient(proposal);
  if (feeRecipient !== undefined && !Buffer.from(paid).equals(feeRecipient)) {
    return `block pays fee recipient 0x${Buffer.from(paid).toString("hex")}, expected 0x${Buffer.from(feeRecipient).toString("hex")}`;
  }
  return null;
}

/** Most aggregation messages in one agreement value (one per selected cluster validator of a slot). */
export const MAX_AGGREGATION_MESSAGES = 4096;

export const AggregateAndProofList = new ListCompositeType(ssz.electra.AggregateAndProof, MAX_AGGREGATION_MESSAGES);
export const ContributionAndProofList = new ListCompositeType(
  ssz.altair.ContributionAndProof,
  MAX_AGGREGATION_MESSAGES,
);

/** What this operator knows locally for judging a proposal of aggregation data. */
export type AggregationView = {
  /** Selected duties of the slot by validator index (selection proofs combined and selecting). */
  readonly selected: ReadonlyMap<number, { readonly definition: DutyDefinition; readonly selectionProof: Uint8Array }>;
};

function decode<T>(type: { deserialize(b: Uint8Array): T }, value: Uint8Array): T | undefined {
  try {
    return type.deserialize(value);
  } catch {
    return undefined;
  }
}

/** Every entry: a distinct, locally selected aggregator, its own selection proof, and a fit message. */
function entriesAcceptable<T extends { aggregatorIndex: number; selectionProof: Uint8Array }>(
  entries: readonly T[] | undefined,
  view: AggregationView,
  problem: (entry: T, definition: DutyDefinition) => string | null,
): boolean {
  if (entries === undefined || entries.length === 0) return false;
  const seen = new Set<number>();
  for (const e of entries) {
    if (seen.has(e.aggregatorIndex)) return false;
    seen.add(e.aggregatorIndex);
    const mine = view.selected.get(e.aggregatorIndex);
    if (mine === undefined || !Buffer.from(mine.selectionProof).equals(e.selectionProof)) return false;
    if (problem(e, mine.definition) !== null) return false;
  }
  return true;
}

/** A proposal of aggregate-and-proofs: each over the agreed attestation data, for the aggregator's committee. */
export function aggregatesAcceptable(
  value: Uint8Array,
  view: AggregationView & { readonly attestationData: phase0.AttestationData },
): boolean {
  return entriesAcceptable(decode(AggregateAndProofList, value), view, (e: electra.AggregateAndProof, def) =>
    def.committeeIndex === undefined || def.committeeLength === undefined
      ? "no committee"
      : aggregateProblem(e.aggregate, view.attestationData, def.committeeIndex, def.committeeLength),
  );
}

/** A proposal of contribution-and-proofs: each of the duty's subcommittee over the agreed sync block root. */
export function contributionsAcceptable(
  value: Uint8Array,
  view: AggregationView & { readonly slot: number; readonly beaconBlockRoot: Uint8Array },
): boolean {
  return entriesAcceptable(decode(ContributionAndProofList, value), view, (e: altair.ContributionAndProof, def) => {
    const sub = def.syncSubcommitteeIndices?.[0];
    return sub === undefined
      ? "no subcommittee"
      : contributionProblem(e.contribution, view.slot, sub, view.beaconBlockRoot);
  });
}

/**
 * A proposed sync committee block root: 32 bytes and a head this operator's beacon node reported recently, or a block
 * it knows on its canonical chain no later than the slot (`block`: what the beacon node said about the root).
 */
export function syncRootProblem(
  value: Uint8Array,
  slot: number,
  knownRoots: ReadonlySet<string>,
  block: KnownBlock | typeof ABSENT | undefined,
): string | null {
  if (value.length !== 32) return "not a 32-byte block root";
  if (knownRoots.has(Buffer.from(value).toString("hex"))) return null;
  if (block === undefined) return HEAD_UNKNOWN;
  if (block === ABSENT || !block.canonical || block.slot > slot) return "not a canonical block this node knows";
  return null;
}
