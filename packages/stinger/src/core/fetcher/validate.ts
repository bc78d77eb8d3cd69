import type { altair, electra, phase0 } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import { SYNC_SUBCOMMITTEE_SIZE } from "../selection/selection.ts";

/**
 * Structural checks of aggregation data, shared by the fetcher (reply of this operator's beacon node) and the
 * agreement step (a leader's proposal): what an honest beacon node returns for the duty. Each returns why the value
 * is unfit, or `null`. Signatures inside are the beacon node's business (it verifies them on publish).
 */

/** An Electra aggregate for `committeeIndex` over exactly the agreed attestation data. */
export function aggregateProblem(
  aggregate: electra.Attestation,
  agreed: phase0.AttestationData,
  committeeIndex: number,
  committeeLength: number,
): string | null {
  if (
    !Buffer.from(ssz.phase0.AttestationData.hashTreeRoot(aggregate.data)).equals(
      ssz.phase0.AttestationData.hashTreeRoot(agreed),
    )
  ) {
    return "aggregate is over other attestation data than the cluster agreed";
  }
  const committees = aggregate.committeeBits.getTrueBitIndexes();
  if (committees.length !== 1 || committees[0] !== committeeIndex) {
    return `aggregate covers committees [${committees.join(",")}], expected [${committeeIndex}]`;
  }
  if (aggregate.aggregationBits.bitLen !== committeeLength) {
    return `aggregation bits of length ${aggregate.aggregationBits.bitLen}, committee has ${committeeLength}`;
  }
  if (aggregate.aggregationBits.getTrueBitIndexes().length === 0) return "aggregate has no aggregation bit set";
  return null;
}

/** A sync committee contribution of `subcommitteeIndex` at `slot` over the agreed head block root. */
export function contributionProblem(
  contribution: altair.SyncCommitteeContribution,
  slot: number,
  subcommitteeIndex: number,
  beaconBlockRoot: Uint8Array,
): string | null {
  if (contribution.slot !== slot) return `contribution for slot ${contribution.slot}, expected ${slot}`;
  if (contribution.subcommitteeIndex !== subcommitteeIndex) {
    return `contribution for subcommittee ${contribution.subcommitteeIndex}, expected ${subcommitteeIndex}`;
  }
  if (!Buffer.from(contribution.beaconBlockRoot).equals(beaconBlockRoot)) {
    return "contribution is over another block root than the cluster's sync message";
  }
  if (contribution.aggregationBits.bitLen !== SYNC_SUBCOMMITTEE_SIZE) {
    return `aggregation bits of length ${contribution.aggregationBits.bitLen}, expected ${SYNC_SUBCOMMITTEE_SIZE}`;
  }
  if (contribution.aggregationBits.getTrueBitIndexes().length === 0) return "contribution has no aggregation bit set";
  return null;
}

/**
 * Block contents as a beacon node must return them: one blob per KZG commitment of the block, one KZG proof per blob
 * (Electra) or one per cell (Fulu: `proofsPerBlob` = 128), and no more blobs than any mainnet fork allows. The KZG
 * proofs themselves are checked by the beacon node the block is published to.
 */
export function blobsProblem(
  commitments: number,
  blobs: number,
  proofs: number,
  proofsPerBlob: number,
  maxBlobs: number,
): string | null {
  if (commitments > maxBlobs) return `${commitments} blob commitments exceed the ${maxBlobs} a block may carry`;
  if (blobs !== commitments) return `${blobs} blobs for ${commitments} commitments`;
  if (proofs !== blobs * proofsPerBlob) return `${proofs} KZG proofs for ${blobs} blobs (${proofsPerBlob} each)`;
  return null;
}
