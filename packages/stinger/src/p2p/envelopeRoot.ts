import { createHash } from "node:crypto";

/**
 * SSZ hash tree roots of the envelope types, computed with node:crypto's native SHA-256. They equal
 * `EnvelopeSsz.hashTreeRoot` / `SignedEnvelopeSsz.hashTreeRoot` (a unit test checks this on random envelopes) but
 * cost a few microseconds instead of the JS hasher's ~1 ms per envelope: every envelope is hashed once when signed
 * and once when admitted, so on a 16-operator ceremony this was a visible share of the CPU.
 */

const CHUNK = 32;
/** `MAX_PAYLOAD_BYTES / 32`: the payload list's chunk limit, 2^9. */
const PAYLOAD_DEPTH = 9;
const ZERO_HASHES: Buffer[] = [Buffer.alloc(CHUNK)];
for (let i = 1; i <= PAYLOAD_DEPTH; i++) {
  const below = ZERO_HASHES[i - 1] as Buffer;
  ZERO_HASHES.push(sha256(below, below));
}

function sha256(a: Uint8Array, b: Uint8Array): Buffer {
  return createHash("sha256").update(a).update(b).digest();
}

/** Root of `chunks` as the leaves of a tree of `depth` levels, zero-padded on the right. */
function merkleize(chunks: Buffer[], depth: number): Buffer {
  let level = chunks;
  for (let d = 0; d < depth; d++) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(sha256(level[i] as Buffer, level[i + 1] ?? (ZERO_HASHES[d] as Buffer)));
    }
    if (next.length === 0) next.push(ZERO_HASHES[d + 1] as Buffer);
    level = next;
  }
  return level[0] ?? (ZERO_HASHES[depth] as Buffer);
}

function uint8Chunk(value: number): Buffer {
  const chunk = Buffer.alloc(CHUNK);
  chunk[0] = value;
  return chunk;
}

/** `hash_tree_root(ByteList[MAX_PAYLOAD_BYTES])`: packed chunks merkleized to the limit, mixed with the length. */
function payloadRoot(payload: Uint8Array): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; i < payload.length; i += CHUNK) {
    const chunk = Buffer.alloc(CHUNK);
    chunk.set(payload.subarray(i, i + CHUNK));
    chunks.push(chunk);
  }
  const length = Buffer.alloc(CHUNK);
  length.writeUInt32LE(payload.length, 0);
  return sha256(merkleize(chunks, PAYLOAD_DEPTH), length);
}

export type EnvelopeFields = {
  version: number;
  kind: number;
  sessionId: Uint8Array;
  sender: number;
  recipient: number;
  round: number;
  payload: Uint8Array;
};

/** `EnvelopeSsz.hashTreeRoot(envelope)`: the 7 field roots merkleized (padded to 8 leaves). */
export function envelopeRoot(e: EnvelopeFields): Buffer {
  return merkleize(
    [
      uint8Chunk(e.version),
      uint8Chunk(e.kind),
      Buffer.from(e.sessionId.buffer, e.sessionId.byteOffset, e.sessionId.byteLength),
      uint8Chunk(e.sender),
      uint8Chunk(e.recipient),
      uint8Chunk(e.round),
      payloadRoot(e.payload),
    ],
    3,
  );
}

/** `SignedEnvelopeSsz.hashTreeRoot` given the message root: `hash(messageRoot, hash(sig[0:32], sig[32:64]))`. */
export function signedEnvelopeRoot(messageRoot: Uint8Array, signature: Uint8Array): Buffer {
  return sha256(messageRoot, sha256(signature.subarray(0, CHUNK), signature.subarray(CHUNK, 2 * CHUNK)));
}
