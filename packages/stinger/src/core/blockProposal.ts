import type { electra, Root } from "@lodestar/types";
import { ssz } from "@lodestar/types";

/**
 * A block proposal as the cluster agrees on it: the SSZ `BeaconBlock` (local payload), or, for a builder block, the
 * SSZ `BlindedBeaconBlock` behind an 8-byte tag of 0xff (as a full block's first field, slot 2^64−1, no duty has).
 * Both have the same root as the full block they stand for (a payload header's root is its payload's), so the signing
 * root, the slashing-protection record and the agreement's value root are those of the full block.
 */
export type BlockProposal =
  | { readonly blinded: false; readonly block: electra.BeaconBlock }
  | { readonly blinded: true; readonly block: electra.BlindedBeaconBlock };

const BLINDED_TAG = new Uint8Array(8).fill(0xff);

function isBlinded(value: Uint8Array): boolean {
  return value.length > BLINDED_TAG.length && Buffer.from(value.subarray(0, BLINDED_TAG.length)).equals(BLINDED_TAG);
}

export function encodeProposal(p: BlockProposal): Uint8Array {
  if (!p.blinded) return ssz.electra.BeaconBlock.serialize(p.block);
  const body = ssz.electra.BlindedBeaconBlock.serialize(p.block);
  const out = new Uint8Array(BLINDED_TAG.length + body.length);
  out.set(BLINDED_TAG);
  out.set(body, BLINDED_TAG.length);
  return out;
}

/** Decodes an agreement value; throws on bytes that are neither form. */
export function decodeProposal(value: Uint8Array): BlockProposal {
  if (isBlinded(value)) {
    return { blinded: true, block: ssz.electra.BlindedBeaconBlock.deserialize(value.subarray(BLINDED_TAG.length)) };
  }
  return { blinded: false, block: ssz.electra.BeaconBlock.deserialize(value) };
}

/** The block root (equal for a blinded block and the full block it stands for). */
export function proposalRoot(p: BlockProposal): Root {
  return p.blinded
    ? ssz.electra.BlindedBeaconBlock.hashTreeRoot(p.block)
    : ssz.electra.BeaconBlock.hashTreeRoot(p.block);
}

/** The execution-layer fee recipient the block pays: the payload's, or the builder header's. */
export function proposalFeeRecipient(p: BlockProposal): Uint8Array {
  return p.blinded ? p.block.body.executionPayloadHeader.feeRecipient : p.block.body.executionPayload.feeRecipient;
}
