/**
 * The duty pipeline's unit of work and the interface of every step, in one place (Charon's `core/interfaces.go` shape).
 *
 * ```
 * scheduler → fetcher → agreement → dutydb → signer → parsigex → sigagg → broadcast → tracker
 * ```
 *
 * Every step consumes and produces values keyed by a {@link Duty}. Steps are stitched together by one `wire` function;
 * each step only knows the interfaces below, so it is unit-tested with fakes of its neighbours.
 */
import type { altair, BLSPubkey, BLSSignature, electra, phase0, Root, Slot, ValidatorIndex } from "@lodestar/types";

/** Every kind of duty a distributed validator performs. One string per signed Ethereum message type. */
export const DutyType = {
  /** Attestation (`AttestationData` → `SingleAttestation`). Slashable: EIP-3076 attestation rules. */
  attester: "attester",
  /** Aggregator selection proof: a signature over the slot (deterministic, threshold-signed). */
  prepareAggregator: "prepare_aggregator",
  /** Aggregate-and-proof for an attestation committee the validator was selected to aggregate. */
  aggregator: "aggregator",
  /** RANDAO reveal: a signature over the epoch (deterministic, threshold-signed). */
  randao: "randao",
  /** Beacon block proposal (`produceBlockV3` → signed block). Slashable: EIP-3076 block rules. */
  proposer: "proposer",
  /** Sync committee message: a signature over the head block root. */
  syncMessage: "sync_message",
  /** Sync committee selection proof (deterministic, threshold-signed). */
  prepareSyncContribution: "prepare_sync_contribution",
  /** Sync committee contribution-and-proof for a selected sync aggregator. */
  syncContribution: "sync_contribution",
} as const;
export type DutyType = (typeof DutyType)[keyof typeof DutyType];

/** All duty types, in a stable order (used for hashing and metrics labels). */
export const dutyTypes: readonly DutyType[] = Object.values(DutyType);

/**
 * The unit of work: one duty of one slot. `validator` is the distributed validator's index on the beacon chain
 * (a cluster may run many validators; agreement and signing are per validator and duty type).
 */
export type Duty = {
  readonly slot: Slot;
  readonly type: DutyType;
  readonly validator: ValidatorIndex;
};

/** Stable string key of a duty, for maps and logs: `<slot>/<type>/<validator>`. */
export function dutyKey(duty: Duty): string {
  return `${duty.slot}/${duty.type}/${duty.validator}`;
}

/** What a scheduled duty needs beyond its key (committee position, sync subcommittee, selection). */
export type DutyDefinition = {
  readonly duty: Duty;
  /** The distributed validator's group public key (what the beacon chain knows). */
  readonly pubkey: BLSPubkey;
  readonly committeeIndex?: number;
  readonly committeeLength?: number;
  readonly validatorCommitteeIndex?: number;
  /** Sync duties: the validator's positions in the sync committee (`validator_sync_committee_indices`). */
  readonly syncCommitteeIndices?: readonly number[];
  /** Sync aggregation duties: the subcommittee this duty selects for and aggregates (one per duty). */
  readonly syncSubcommitteeIndices?: readonly number[];
};

/**
 * Data to be signed for a duty, as agreed by the cluster. One variant per duty type; the agreement step moves it as
 * SSZ bytes (`encoded`) and compares values by `hashTreeRoot` so every operator signs byte-identical data.
 */
export type UnsignedData =
  | { readonly type: typeof DutyType.attester; readonly data: phase0.AttestationData }
  | { readonly type: typeof DutyType.aggregator; readonly data: electra.AggregateAndProof }
  | {
      readonly type: typeof DutyType.proposer;
      readonly data: { readonly blockRoot: Root; readonly slot: Slot; readonly encoded: Uint8Array };
    }
  | {
      readonly type: typeof DutyType.syncMessage;
      readonly data: { readonly beaconBlockRoot: Root; readonly slot: Slot };
    }
  | { readonly type: typeof DutyType.syncContribution; readonly data: altair.ContributionAndProof }
  | {
      readonly type:
        | typeof DutyType.randao
        | typeof DutyType.prepareAggregator
        | typeof DutyType.prepareSyncContribution;
      /** Deterministic object to sign: epoch for RANDAO, slot for selection proofs. */
      readonly data: { readonly epoch?: number; readonly slot?: Slot; readonly subcommitteeIndex?: number };
    };

/** One operator's partial signature over a duty's signing root, attributed to its share index (1..n). */
export type PartialSignature = {
  readonly duty: Duty;
  /** Signing root (`compute_signing_root(data, domain)`) the partial signs; partials only combine on equal roots. */
  readonly signingRoot: Root;
  readonly signature: BLSSignature;
  /** Shamir share index of the signing operator, 1..n (never 0). */
  readonly shareIndex: number;
};

/** The combined (group) signature of a duty, verified once against the group key before broadcast. */
export type AggregatedSignature = {
  readonly duty: Duty;
  readonly signingRoot: Root;
  readonly signature: BLSSignature;
};

/** Schedules duties per epoch from the beacon node, handling reorgs through the duties' dependent root. */
export interface Scheduler {
  /** Calls `handler` once per duty when its slot (or its offset into the slot) begins. Returns an unsubscribe. */
  subscribeDuties(handler: (definition: DutyDefinition) => void): () => void;
  /** The duty definitions known for a slot (used by later steps to look up committee positions). */
  getDutyDefinitions(slot: Slot): readonly DutyDefinition[];
}

/** Fetches the data to sign for a duty from this operator's own beacon node. */
export interface Fetcher {
  /** Resolves the local proposal for a duty; rejects with a typed error if the beacon node cannot provide it. */
  fetch(definition: DutyDefinition, signal: AbortSignal): Promise<UnsignedData>;
}

/**
 * Cluster agreement on one value per duty (one-round rotating leader or QBFT, see `core/agreement/`). The decided value
 * is the value this operator is allowed to sign for the duty.
 */
export interface Agreement {
  /** Proposes the local value for a duty and resolves with the value the cluster agreed on. */
  propose(duty: Duty, local: UnsignedData, signal: AbortSignal): Promise<UnsignedData>;
}

/** Stores decided values so later steps (aggregator, broadcast) can look them up; refuses a second different value. */
export interface DutyDB {
  store(duty: Duty, data: UnsignedData): void;
  await(duty: Duty, signal: AbortSignal): Promise<UnsignedData>;
}

/**
 * Produces this operator's partial signature with its key share. Every slashable signature first passes the
 * persistent EIP-3076 slashing-protection DB (`src/slashing/`), which records it durably before the signature exists.
 */
export interface Signer {
  sign(duty: Duty, data: UnsignedData): Promise<PartialSignature>;
}

/** Exchanges partial signatures over the cluster topic, batched per slot, each verified and attributed. */
export interface ParSigEx {
  broadcast(partials: readonly PartialSignature[]): Promise<void>;
  subscribe(handler: (partials: readonly PartialSignature[], fromShareIndex: number) => void): () => void;
}

/** Combines ≥ threshold partial signatures of equal signing root into the group signature, verified once. */
export interface SigAgg {
  aggregate(partials: readonly PartialSignature[]): Promise<AggregatedSignature>;
}

/** Submits the signed message to the beacon node; the first valid submitter wins, duplicates are skipped. */
export interface Broadcaster {
  broadcast(duty: Duty, data: UnsignedData, signature: AggregatedSignature): Promise<void>;
}

/** Outcome of a duty as observed by the tracker. */
export type DutyOutcome =
  | { readonly status: "included"; readonly inclusionSlot: Slot }
  /** Not on chain within its inclusion window (attestations: end of the next epoch; sync messages: next slot). */
  | { readonly status: "missed" }
  | { readonly status: "failed"; readonly step: string; readonly reason: string };

/** Follows inclusion on chain and exposes per-duty outcome and latency metrics. */
export interface Tracker {
  /** Records that a duty passed a pipeline step at `timeSec` (seconds since the duty's slot start). */
  stepDone(duty: Duty, step: string, timeSec: number): void;
  outcome(duty: Duty): DutyOutcome | undefined;
}
