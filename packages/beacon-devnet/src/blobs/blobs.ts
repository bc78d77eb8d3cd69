import { createHash } from "node:crypto";
import { DasContextJs } from "@crate-crypto/node-eth-kzg";
import { FIELD_ELEMENTS_PER_BLOB } from "@lodestar/params";

/** A block's blobs with their KZG commitments and (Electra: one per blob) proofs, index-aligned. */
export type BlobBundle = {
  readonly commitments: Uint8Array[];
  readonly blobs: Uint8Array[];
  readonly proofs: Uint8Array[];
};

const BYTES_PER_FIELD_ELEMENT = 32;
export const BYTES_PER_BLOB = FIELD_ELEMENTS_PER_BLOB * BYTES_PER_FIELD_ELEMENT;

let context: DasContextJs | undefined;
/** The KZG context loads the trusted setup (~3 s once), so it is created on first use only. */
function kzg(): DasContextJs {
  context ??= new DasContextJs();
  return context;
}

/**
 * The devnet's stand-in for blob transactions: `count` blobs for `slot` with real KZG commitments and proofs.
 * The content is deterministic (SHA-256 of slot and index per field element, top byte cleared so each element is
 * below the BLS modulus), so every beacon node asked for the same slot returns the same contents.
 */
export function devnetBlobs(slot: number, count: number): BlobBundle {
  const bundle: BlobBundle = { commitments: [], blobs: [], proofs: [] };
  for (let i = 0; i < count; i++) {
    const blob = new Uint8Array(BYTES_PER_BLOB);
    let seed = createHash("sha256").update(`nektar-devnet-blob/${slot}/${i}`).digest();
    for (let e = 0; e < FIELD_ELEMENTS_PER_BLOB; e++) {
      seed = createHash("sha256").update(seed).digest();
      blob.set(seed, e * BYTES_PER_FIELD_ELEMENT);
      blob[e * BYTES_PER_FIELD_ELEMENT] = 0;
    }
    const commitment = kzg().blobToKzgCommitment(blob);
    bundle.blobs.push(blob);
    bundle.commitments.push(commitment);
    bundle.proofs.push(kzg().computeBlobKzgProof(blob, commitment));
  }
  return bundle;
}

/** `devnetBlobs(slot, count)` computed once per slot however many callers ask for it (KZG costs ~0.1 s per blob). */
export function blobsOncePerSlot(count: number): (slot: number) => BlobBundle {
  let last: { slot: number; bundle: BlobBundle } | undefined;
  return (slot) => {
    if (last?.slot !== slot) last = { slot, bundle: devnetBlobs(slot, count) };
    return last.bundle;
  };
}

/**
 * Why published blobs do not belong to a block's commitments, or `null`: one blob and one proof per commitment,
 * in order, each proof valid for its blob and commitment (`verify_blob_kzg_proof_batch`).
 */
export function blobBundleProblem(bundle: BlobBundle): string | null {
  const { commitments, blobs, proofs } = bundle;
  if (blobs.length !== commitments.length || proofs.length !== commitments.length) {
    return `${commitments.length} blob commitments but ${blobs.length} blobs and ${proofs.length} proofs`;
  }
  if (commitments.length === 0) return null;
  if (blobs.some((b) => b.length !== BYTES_PER_BLOB)) return `a blob is not ${BYTES_PER_BLOB} bytes`;
  try {
    return kzg().verifyBlobKzgProofBatch(blobs, commitments, proofs) ? null : "KZG proofs do not verify";
  } catch (e) {
    return `malformed blob, commitment or proof: ${(e as Error).message}`;
  }
}

/** Blobs of imported blocks by block root, for the last `keepSlots` slots (what a node serves as sidecars). */
export class BlobStore {
  private readonly bySlot = new Map<string, { slot: number; bundle: BlobBundle }>();
  private readonly keepSlots: number;

  constructor(keepSlots = 64) {
    this.keepSlots = keepSlots;
  }

  put(rootHex: string, slot: number, bundle: BlobBundle): void {
    this.bySlot.set(rootHex, { slot, bundle });
    for (const [root, e] of this.bySlot) if (e.slot < slot - this.keepSlots) this.bySlot.delete(root);
  }

  get(rootHex: string): BlobBundle | undefined {
    return this.bySlot.get(rootHex)?.bundle;
  }
}
