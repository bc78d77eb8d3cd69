import { createHash } from "node:crypto";
import {
  SYNC_COMMITTEE_SIZE,
  SYNC_COMMITTEE_SUBNET_COUNT,
  TARGET_AGGREGATORS_PER_COMMITTEE,
  TARGET_AGGREGATORS_PER_SYNC_SUBCOMMITTEE,
} from "@lodestar/params";
import { PipelineError } from "../pipelineError.ts";

/**
 * Aggregator selection of the consensus specs (honest validator guide), pure. The selection proof is the
 * threshold-signed `prepare_aggregator` / `prepare_sync_contribution` signature: every operator derives the same
 * decision from the same combined signature, so the cluster agrees on who aggregates without another round.
 */

/** Sync committee positions per subcommittee (`SYNC_COMMITTEE_SIZE / SYNC_COMMITTEE_SUBNET_COUNT`). */
export const SYNC_SUBCOMMITTEE_SIZE = SYNC_COMMITTEE_SIZE / SYNC_COMMITTEE_SUBNET_COUNT;

/** `bytes_to_uint64(hash(signature)[0:8]) % modulo == 0`. */
function selectedBy(signature: Uint8Array, modulo: number): boolean {
  if (signature.length !== 96) {
    throw new PipelineError({ code: "ERR_DUTY_DATA_INVALID", reason: `selection proof of ${signature.length} bytes` });
  }
  const digest = createHash("sha256").update(signature).digest();
  return digest.readBigUInt64LE(0) % BigInt(modulo) === 0n;
}

/** `modulo = max(1, len(committee) // TARGET_AGGREGATORS_PER_COMMITTEE)` of `is_aggregator`. */
export function attestationAggregatorModulo(committeeLength: number): number {
  if (!Number.isSafeInteger(committeeLength) || committeeLength < 1) {
    throw new PipelineError({ code: "ERR_DUTY_DATA_INVALID", reason: `committee length ${committeeLength}` });
  }
  return Math.max(1, Math.floor(committeeLength / TARGET_AGGREGATORS_PER_COMMITTEE));
}

/** `is_aggregator(state, slot, index, slot_signature)` with the committee's length known from the duty. */
export function isAttestationAggregator(committeeLength: number, slotSignature: Uint8Array): boolean {
  return selectedBy(slotSignature, attestationAggregatorModulo(committeeLength));
}

/** `modulo` of `is_sync_committee_aggregator` (1 on the minimal preset: every member aggregates). */
export const syncAggregatorModulo = Math.max(
  1,
  Math.floor(SYNC_SUBCOMMITTEE_SIZE / TARGET_AGGREGATORS_PER_SYNC_SUBCOMMITTEE),
);

/** `is_sync_committee_aggregator(signature)`. */
export function isSyncCommitteeAggregator(selectionProof: Uint8Array): boolean {
  return selectedBy(selectionProof, syncAggregatorModulo);
}

/** Subcommittees (sorted, distinct) of a validator's positions in the sync committee. */
export function syncSubcommittees(positions: readonly number[]): number[] {
  const subs = new Set<number>();
  for (const p of positions) {
    if (!Number.isSafeInteger(p) || p < 0 || p >= SYNC_COMMITTEE_SIZE) {
      throw new PipelineError({ code: "ERR_DUTY_DATA_INVALID", reason: `sync committee position ${p}` });
    }
    subs.add(Math.floor(p / SYNC_SUBCOMMITTEE_SIZE));
  }
  return [...subs].sort((a, b) => a - b);
}

/**
 * The one subcommittee a validator aggregates for at `slot`. A duty is `{slot, type, validator}`, so a validator
 * sitting in several subcommittees rotates among them slot by slot instead of serving all of them at once.
 */
export function syncSubcommitteeForSlot(slot: number, positions: readonly number[]): number | undefined {
  const subs = syncSubcommittees(positions);
  return subs.length === 0 ? undefined : subs[slot % subs.length];
}
