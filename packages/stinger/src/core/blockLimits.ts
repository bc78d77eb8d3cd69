/**
 * Size bounds that follow from mainnet's largest block, in one place. A block proposal travels through agreement as
 * the SSZ block (its blobs never do: each operator keeps its beacon node's blobs by block root), so the agreement
 * message and the duty payload must hold the largest block the consensus layer gossips.
 */

/**
 * The consensus p2p spec's `MAX_PAYLOAD_SIZE` (10 MiB, Electra and Fulu): no beacon node gossips or accepts a larger
 * `SignedBeaconBlock`, so no proposal can be larger. A 60M-gas block of zero calldata is ~6 MiB, within it.
 */
export const MAX_BEACON_BLOCK_BYTES = 10 * 1024 * 1024;

/**
 * Most blobs one block can carry on mainnet: Electra's `MAX_BLOBS_PER_BLOCK_ELECTRA` is 9 and Fulu's blob schedule
 * (BPO forks) raises it to 21. Blob contents are checked against the beacon node's config; this bounds what a fetcher
 * keeps per block (21 × 128 KiB blobs and, in Fulu, 128 cell proofs per blob).
 */
export const MAX_BLOBS_PER_BLOCK_MAINNET = 21;

/** Envelope overhead beyond the value: header, signature, and a QBFT justification of stripped envelopes. */
const AGREEMENT_OVERHEAD_BYTES = 64 * 1024;

/** Largest agreement message: a full block proposal (or QBFT PRE-PREPARE/DECIDED carrying one) with its overhead. */
export const MAX_AGREEMENT_MESSAGE_BYTES = MAX_BEACON_BLOCK_BYTES + AGREEMENT_OVERHEAD_BYTES;
