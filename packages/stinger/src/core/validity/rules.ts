import { ListCompositeType } from "@chainsafe/ssz";
import type { altair, electra, phase0 } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import { aggregateProblem, contributionProblem } from "../fetcher/validate.ts";
import type { Duty, DutyDefinition } from "../interfaces.ts";

/**
 * The pure rules of agreed values: what each operator checks in a leader's proposal against its own beacon view before
 * answering with its partial signature (slashing protection is checked on top, in `validity.ts`). Aggregation duties
 * agree on an SSZ list: one agreement instance per (slot, duty type) carries the messages of every selected cluster
 * validator. Attestation and block rules return why a value is unfit, or `null`.
 */

/** Same slot as this operator's data, committee index 0 (Electra), same source and target checkpoints. */
export function attestationProblem(value: phase0.AttestationData, own: phase0.AttestationData): string | null {
  if (value.slot !== own.slot) return `attestation data for slot ${value.slot}, expected ${own.slot}`;
  if (value.index !== 0) return `attestation data index ${value.index}, Electra requires 0`;
  if (value.source.epoch !== own.source.epoch || !Buffer.from(value.source.root).equals(own.source.root)) {
    return "source checkpoint differs from this operator's beacon node";
  }
  if (value.target.epoch !== own.target.epoch || !Buffer.from(value.target.root).equals(own.target.root)) {
    return "target checkpoint differs from this operator's beacon node";
  }
  return null;
}

/** The duty's slot and proposer, built on the parent this operator's beacon node builds on. */
export function blockProblem(value: electra.BeaconBlock, own: electra.BeaconBlock, duty: Duty): string | null {
  if (value.slot !== duty.slot) return `block for slot ${value.slot}, expected ${duty.slot}`;
  if (value.proposerIndex !== duty.validator)
    return `block by proposer ${value.proposerIndex}, expected ${duty.validator}`;
  if (!Buffer.from(value.parentRoot).equals(own.parentRoot)) return "block on another parent than this operator's";
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

/** A proposed sync committee block root: 32 bytes and a head this operator's beacon node reported recently. */
export function syncRootAcceptable(value: Uint8Array, knownRoots: ReadonlySet<string>): boolean {
  return value.length === 32 && knownRoots.has(Buffer.from(value).toString("hex"));
}
