import { createHash } from "node:crypto";

/**
 * Verify an SSZ single Merkle proof: hash `leaf` up with `witnesses` (bottom-up, as the proof endpoint returns
 * them) along generalized index `gindex` and compare with `root`. This is what an on-chain verifier does.
 */
export function verifyMerkleProof(
  leaf: Uint8Array,
  witnesses: Uint8Array[],
  gindex: bigint,
  root: Uint8Array,
): boolean {
  if (gindex < 1n || witnesses.length !== gindex.toString(2).length - 1) return false;
  let node = Buffer.from(leaf);
  let index = gindex;
  for (const witness of witnesses) {
    const h = createHash("sha256");
    if (index % 2n === 0n) h.update(node).update(witness);
    else h.update(witness).update(node);
    node = h.digest();
    index >>= 1n;
  }
  return index === 1n && node.equals(Buffer.from(root));
}

/** The balance (gwei) of validator `index` inside the 32-byte packed balances leaf (4 little-endian uint64s). */
export function balanceFromLeaf(leaf: Uint8Array, validatorIndex: number): bigint {
  return Buffer.from(leaf).readBigUInt64LE((validatorIndex % 4) * 8);
}
