/**
 * The duty pipeline's unit of work and the interface of every step, in one place (Charon's `core/interfaces.go` shape).
 * This file is the contract the wiring (`wire.ts`) is typed by: `PipelineDeps` names only the interfaces below.
 *
 * ```
 * scheduler → fetcher → agreement (+ validity) → dutydb → signer → parsigex ⇄ parsigdb → sigagg → aggsigdb | broadcast → tracker
 * ```
 *
 * 1. **scheduler** emits the duties of a slot when they start (`DutyDefinition`s).
 * 2. **fetcher** asks this operator's own beacon node for the data to sign.
 * 3. **agreement** decides one value per (slot, duty type) for every cluster validator of the batch; **validity**
 *    (`core/validity/`) says which values this operator may sign. Deterministic duties (RANDAO, selection proofs)
 *    skip it.
 * 4. **dutydb** stores the decided values (later duties of the slot await them).
 * 5. **signer** signs with the key share, behind the EIP-3076 slashing-protection DB.
 * 6. **parsigex** exchanges the partial signatures (`ParSignedData`) with the cluster, one batch per slot;
 *    **parsigdb** collects them per duty until a threshold agrees on the signing root.
 * 7. **sigagg** combines them into the group signature.
 * 8. **aggsigdb** keeps group signatures consumed by later duties (RANDAO reveals, selection proofs);
 *    **broadcast** submits the others to the beacon node.
 * 9. **tracker** times every step and records outcomes; its inclusion checker judges them on chain.
 *
 * Every step consumes and produces values keyed by a {@link Duty}. Steps only know these interfaces, so each is
 * unit-tested with fakes of its neighbours (`test/unit/core/pipeline/wire.test.ts` fakes them all).
 *
 * Operator positions: `shareIndex` (1..n) is an operator's position in a cluster and the Shamir evaluation point of its
 * key share; `operatorId` is only ever the on-chain registry id. Inside `core/agreement/` a 0-based member index
 * (`shareIndex − 1`) is used, converted at the agreement runner.
 */

import type {
  altair,
  BLSPubkey,
  BLSSignature,
  bellatrix,
  electra,
  phase0,
  Root,
  Slot,
  ValidatorIndex,
} from "@lodestar/types";
import type { Logger } from "../logger/logger.ts";

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
  /**
   * Voluntary exit (`VoluntaryExit{epoch, validator_index}`, deterministic): not assigned by the beacon node but added
   * when the exit manager asks the cluster to exit a validator (`chain/exitUpkeep.ts`). Not slashable.
   */
  voluntaryExit: "voluntary_exit",
  /**
   * Validator registration for the builder flow (`ValidatorRegistrationV1{fee_recipient, gas_limit, timestamp, pubkey}`
   * under the builder domain, deterministic): added at each epoch's first slot when builder blocks are on
   * (`node/builderRegistrations.ts`) and sent with `registerValidator`. Not slashable. Last, so the wire indices of the
   * other types do not move.
   */
  builderRegistration: "builder_registration",
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
  | { readonly type: typeof DutyType.voluntaryExit; readonly data: phase0.VoluntaryExit }
  | { readonly type: typeof DutyType.builderRegistration; readonly data: bellatrix.ValidatorRegistrationV1 }
  | {
      readonly type:
        | typeof DutyType.randao
        | typeof DutyType.prepareAggregator
        | typeof DutyType.prepareSyncContribution;
      /** Deterministic object to sign: epoch for RANDAO, slot for selection proofs. */
      readonly data: { readonly epoch?: number; readonly slot?: Slot; readonly subcommitteeIndex?: number };
    };

/**
 * One operator's partial signature over a duty's signing root, attributed to its share index (1..n) — Charon's
 * `ParSignedData`. (`@nektar/crypto`'s `PartialSignature` is the bare `{shareIndex, signature}` it combines.)
 */
export type ParSignedData = {
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
  /** Share indices whose partials were interpolated (each proven valid by the group signature verifying). */
  readonly used?: readonly number[];
};

/** Wall-clock slot arithmetic the pipeline needs (implemented by `scheduler/slotClock.ts`). */
export interface Clock {
  readonly secondsPerSlot: number;
  readonly slotsPerEpoch: number;
  /** Unix milliseconds. */
  now(): number;
  /** Unix milliseconds at which `slot` starts. */
  slotStartMs(slot: Slot): number;
  /** Seconds elapsed since the start of `slot` (negative before it). */
  secondsIntoSlot(slot: Slot): number;
}

/** Schedules duties per epoch from the beacon node, handling reorgs through the duties' dependent root. */
export interface Scheduler {
  /** Calls `handler` once per duty when its slot (or its offset into the slot) begins. Returns an unsubscribe. */
  subscribeDuties(handler: (definition: DutyDefinition) => void): () => void;
  /** The duty definitions known for a slot (used by later steps to look up committee positions). */
  getDutyDefinitions(slot: Slot): readonly DutyDefinition[];
  /**
   * Adds a duty the beacon node does not assign (a voluntary exit the exit manager asked for); it is emitted when its
   * slot begins, like the others. Every operator of the cluster adds the same duty (same slot) so the partials combine.
   */
  addDuty(definition: DutyDefinition): void;
  start(): void;
  stop(): void;
}

/** A block's blobs and KZG proofs as this operator's beacon node returned them with the block (`produceBlockV3`). */
export type BlobsBundle = { readonly blobs: readonly Uint8Array[]; readonly kzgProofs: readonly Uint8Array[] };

/**
 * The blobs of the blocks this operator fetched, by block root. Agreement moves only the block (its KZG commitments
 * bind the blobs), so the broadcaster publishes a decided block with the blobs its own beacon node returned for the
 * same root; an operator that fetched another block leaves publishing to the operators that hold them.
 */
export interface BlockContentsStore {
  put(slot: Slot, blockRoot: Root, bundle: BlobsBundle): void;
  get(blockRoot: Root): BlobsBundle | undefined;
  /** Forgets blocks of slots below `slot`. */
  prune(slot: Slot): void;
}

/** Fetches the data to sign for a duty from this operator's own beacon node. */
export interface Fetcher {
  /** Resolves the local proposal for a duty; rejects with a typed error if the beacon node cannot provide it. */
  fetch(definition: DutyDefinition, signal: AbortSignal): Promise<UnsignedData>;
}

/**
 * Cluster agreement on one value per (slot, duty type), covering every cluster validator of the slot (one-round
 * rotating leader or QBFT, see `core/agreement/`; implemented by `agreement/runner.ts`). Values are the SSZ bytes
 * that {@link Validity} encodes; the decided value is the one this operator is allowed to sign.
 */
/**
 * A validity verdict: `true`/`false`, or a promise when the answer needs a bounded wait on this operator's beacon node
 * (e.g. a proposed head block it has not imported yet). The value counts as refused until the promise settles; then
 * agreement asks again, once, and the second answer is final.
 */
export type Acceptance = boolean | Promise<unknown>;

export interface Agreement {
  /**
   * Proposes `localValue` for the (slot, type) instance and resolves with the value the cluster decided.
   * `isAcceptable` says whether this operator may sign a proposed value (called synchronously, deterministic for a
   * given value and view; see {@link Acceptance} for the bounded wait). `fitsView` is the same check without slashing
   * protection ({@link Validity.fitsView}): it only attributes proposals refused after this operator decided.
   */
  decide(
    slot: Slot,
    type: DutyType,
    localValue: Uint8Array,
    isAcceptable: (value: Uint8Array) => Acceptance,
    signal: AbortSignal,
    fitsView?: (value: Uint8Array) => Acceptance,
  ): Promise<Uint8Array>;
  /** Drops instances of slots below `slot`. */
  prune(slot: Slot): void;
  stop(): void;
}

/** The duties of one slot and type that run together (one agreement instance, one signing batch). */
export type DutyBatch = {
  readonly slot: Slot;
  readonly type: DutyType;
  readonly definitions: readonly DutyDefinition[];
};

/**
 * The rules of each duty type's agreed value, in one place (`core/validity/`): how this operator's local data becomes
 * an agreement value, whether a proposed value may be signed (own beacon view + slashing protection), and what the
 * decided value means per validator.
 */
export interface Validity {
  /** The agreement value proposed from this operator's local data of a batch (one or more fetched values). */
  proposal(batch: DutyBatch, locals: readonly UnsignedData[]): Uint8Array;
  /**
   * Whether this operator may sign `value` for the batch, given its own local data and beacon view; a promise while it
   * waits (bounded) for its beacon node to learn something the value refers to (see {@link Acceptance}). Never throws.
   */
  isAcceptable(batch: DutyBatch, locals: readonly UnsignedData[], value: Uint8Array): Acceptance;
  /**
   * {@link isAcceptable} without slashing protection: whether `value` fits this operator's beacon view. Once this
   * operator signed the batch's decided value its slashing DB refuses every other value, honest or not; this tells
   * which refusals are the proposer's fault. Never throws.
   */
  fitsView(batch: DutyBatch, locals: readonly UnsignedData[], value: Uint8Array): Acceptance;
  /** The decided value's data per validator of the batch; a validator missing from an aggregation list is absent. */
  decided(batch: DutyBatch, value: Uint8Array): Map<ValidatorIndex, UnsignedData>;
  /** Forgets what it remembered of slots below `slot`. */
  prune(slot: Slot): void;
}

/** Stores decided values so later steps (aggregation, broadcast) can look them up; refuses a second different value. */
export interface DutyDB {
  /** Throws `ERR_DUTY_CONFLICT` for a second, different value of the same duty. */
  store(duty: Duty, data: UnsignedData): void;
  get(duty: Duty): UnsignedData | undefined;
  /** Resolves once the duty is decided; rejects with `ERR_DUTY_ABORTED` on abort. */
  await(duty: Duty, signal: AbortSignal): Promise<UnsignedData>;
  prune(slot: Slot): void;
}

/** One duty of a signing batch with its decided data. */
export type SigningItem = { readonly duty: Duty; readonly data: UnsignedData };
/** Per item: the partial signature, or why it was refused (slashing protection). */
export type SigningOutcome =
  | { readonly ok: true; readonly partial: ParSignedData }
  | { readonly ok: false; readonly duty: Duty; readonly reason: string };

/**
 * Produces this operator's partial signatures with its key shares. Every slashable signature first passes the
 * persistent EIP-3076 slashing-protection DB (`src/slashing/`), which records it durably before the signature exists.
 */
export interface Signer {
  /** Signs a batch (e.g. every validator's attestation of a slot) with one slashing-DB write per message kind. */
  signBatch(items: readonly SigningItem[]): Promise<SigningOutcome[]>;
}

/** Exchanges partial signatures over the cluster topic, batched per slot, each verified and attributed. */
export interface ParSigEx {
  broadcast(partials: readonly ParSignedData[]): Promise<void>;
  subscribe(handler: (partials: readonly ParSignedData[], fromShareIndex: number) => void): () => void;
}

/**
 * Partial signatures per duty until they can be combined (Charon's parsigdb): this operator's own and the cluster's.
 * Only partials over the signing root this operator agreed on count towards the threshold.
 */
export interface ParSigDB {
  /** Declares the signing root this operator agreed on for a duty (its own partial signs it). */
  expect(duty: Duty, signingRoot: Root): void;
  /** Adds a partial (own or received); a second, different one of the same operator is equivocation. */
  add(partial: ParSignedData): void;
  /**
   * Calls `handler` when the partials of a duty over its agreed root reach the threshold, and again whenever a further
   * one arrives, until {@link markDone}. Returns an unsubscribe.
   */
  subscribeThreshold(handler: (partials: readonly ParSignedData[]) => void): () => void;
  /** The duty is combined: later partials are ignored. */
  markDone(duty: Duty): void;
  prune(slot: Slot): void;
}

/** Combines ≥ threshold partial signatures of equal signing root into the group signature, verified once. */
export interface SigAgg {
  aggregate(partials: readonly ParSignedData[]): Promise<AggregatedSignature>;
}

/**
 * Group signatures that later duties of the slot consume instead of broadcasting (Charon's aggsigdb): RANDAO reveals
 * (the proposal needs one) and selection proofs (aggregation duties need them). Implemented by
 * `dutydb/combinedSignatures.ts`.
 */
export interface AggSigDB {
  /** The first combined value counts (a group signature over one root is unique). */
  set(duty: Duty, signature: BLSSignature): void;
  get(duty: Duty): BLSSignature | undefined;
  /** Resolves with the duty's group signature; rejects with `ERR_DUTY_ABORTED` after `timeoutMs` or on abort. */
  await(duty: Duty, timeoutMs: number, signal: AbortSignal): Promise<BLSSignature>;
  prune(slot: Slot): void;
}

/** One signed message ready for the beacon node. */
export type SignedDuty = {
  readonly definition: DutyDefinition;
  readonly data: UnsignedData;
  readonly signature: AggregatedSignature;
};

/** What became of each message of a broadcast batch. */
export type BroadcastResult = {
  /** Accepted by the beacon node. */
  readonly published: SignedDuty[];
  /** Already known to the beacon node (another operator of the cluster submitted it first): done. */
  readonly duplicates: SignedDuty[];
  /** Rejected, with the beacon node's reason. */
  readonly failed: { readonly item: SignedDuty; readonly reason: string }[];
};

/** Submits signed messages to the beacon node; the first valid submitter wins, duplicates count as done. */
export interface Broadcaster {
  /** Submits a batch (messages of one kind in one call). Never rejects: failures are in the result. */
  broadcastBatch(items: readonly SignedDuty[]): Promise<BroadcastResult>;
  /** Forgets submissions of slots below `slot`. */
  prune(slot: Slot): void;
}

/** Outcome of a duty as observed by the tracker. */
export type DutyOutcome =
  | { readonly status: "included"; readonly inclusionSlot: Slot }
  /** Not on chain within its inclusion window (attestations: end of the next epoch; sync messages: next slot). */
  | { readonly status: "missed" }
  | { readonly status: "failed"; readonly step: string; readonly reason: string };

/** Records per-duty step latencies, failures, attributed faults and outcomes. */
export interface Tracker {
  /** Records that a duty passed a pipeline step at `timeSec` (seconds since the duty's slot start). */
  stepDone(duty: Duty, step: string, timeSec: number): void;
  /** The duty failed at `step`; its outcome is `failed`. */
  failed(duty: Duty, step: string, reason: string): void;
  /** Partial signatures received from other operators (a counter per duty type). */
  partialsReceived(type: DutyType, count: number): void;
  /** Misbehaviour attributed to the operator of `shareIndex`. */
  fault(shareIndex: number, reason: string): void;
  /** The share indices whose partial signatures made the duty's group signature. */
  contributed(duty: Duty, shareIndices: readonly number[]): void;
  outcome(duty: Duty): DutyOutcome | undefined;
  prune(slot: Slot): void;
}

/** Judges the cluster's duties from canonical blocks (part of the tracker step: `tracker/inclusion.ts`). */
export interface InclusionTracker {
  /** Follows a scheduled duty until it is included or its inclusion window passes. */
  watch(definition: DutyDefinition): void;
  start(): void;
  stop(): void;
}

/**
 * Counts, per duty, which share indices' partial signatures were combined (`src/performance/`): the input of the
 * cluster's per-share performance statement for each oracle frame.
 */
export interface PerformanceRecorder {
  /** The duty's group signature was combined from the partials of `shareIndices`. */
  contributed(duty: Duty, shareIndices: readonly number[]): void;
}

/** The steps the pipeline (`wire.ts`) connects, each typed by its interface above. */
export type PipelineDeps = {
  clock: Clock;
  scheduler: Scheduler;
  fetcher: Fetcher;
  agreement: Agreement;
  validity: Validity;
  dutyDb: DutyDB;
  signer: Signer;
  parSigEx: ParSigEx;
  parSigDb: ParSigDB;
  sigAgg: SigAgg;
  aggSigDb: AggSigDB;
  broadcaster: Broadcaster;
  tracker: Tracker;
  /** Judges the cluster's duties from canonical blocks (optional: without it outcomes stop at broadcast). */
  inclusion?: InclusionTracker;
  /** Counts each combination's share indices for the frame's performance statement (optional). */
  performance?: PerformanceRecorder;
  logger: Logger;
};
