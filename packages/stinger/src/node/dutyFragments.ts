import { createHash } from "node:crypto";

/**
 * Fragments of a duty payload too large for one gossip message. Gossipsub 17 frames every RPC with a fixed 4 MiB
 * bound on the sending side, so a block proposal of up to 10 MiB goes out as a few fragments, each sealed and signed
 * by its author like any duty message, and is put together again by the receiver before the pipeline sees it.
 *
 * Fragment (signed as a duty message's payload):  u8 innerKind | 32 sha256(payload) | u8 index | u8 count | chunk
 */

/** Largest chunk per fragment: the sealed fragment and gossipsub's RPC framing stay below its 4 MiB bound. */
export const FRAGMENT_CHUNK_BYTES = 3 * 1024 * 1024;
/** Most fragments of one payload (bounds a receiver's buffer; 10 MiB + overhead needs 4). */
export const MAX_FRAGMENTS = 8;
/** Incomplete payloads kept per sender; the oldest is dropped first. */
const MAX_PENDING_PER_SENDER = 4;
const HEADER_BYTES = 1 + 32 + 1 + 1;

/** Splits `payload` into fragment payloads (one when it fits a single chunk is never needed: callers check size). */
export function fragmentPayload(innerKind: number, payload: Uint8Array): Uint8Array[] {
  const count = Math.ceil(payload.length / FRAGMENT_CHUNK_BYTES);
  if (count > MAX_FRAGMENTS)
    throw new RangeError(`payload of ${payload.length} bytes needs more than ${MAX_FRAGMENTS} fragments`);
  const digest = createHash("sha256").update(payload).digest();
  const out: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    const chunk = payload.subarray(index * FRAGMENT_CHUNK_BYTES, (index + 1) * FRAGMENT_CHUNK_BYTES);
    const fragment = new Uint8Array(HEADER_BYTES + chunk.length);
    fragment[0] = innerKind;
    fragment.set(digest, 1);
    fragment[33] = index;
    fragment[34] = count;
    fragment.set(chunk, HEADER_BYTES);
    out.push(fragment);
  }
  return out;
}

type Pending = { readonly innerKind: number; readonly count: number; readonly chunks: (Uint8Array | undefined)[] };

/**
 * Puts fragments back together per sender (the transport proved who sent each). A payload is delivered once all its
 * fragments arrived and their concatenation hashes to the digest they name; malformed fragments are refused.
 */
export class FragmentReassembler {
  private readonly pending = new Map<number, Map<string, Pending>>();

  /** `null` while incomplete; the whole payload once complete; `"malformed"` for a fragment that cannot be one. */
  add(sender: number, fragment: Uint8Array): { innerKind: number; payload: Uint8Array } | null | "malformed" {
    if (fragment.length <= HEADER_BYTES) return "malformed";
    const innerKind = fragment[0] as number;
    const digest = fragment.subarray(1, 33);
    const index = fragment[33] as number;
    const count = fragment[34] as number;
    const chunk = fragment.subarray(HEADER_BYTES);
    if (count < 2 || count > MAX_FRAGMENTS || index >= count || chunk.length > FRAGMENT_CHUNK_BYTES) return "malformed";
    if (index < count - 1 && chunk.length !== FRAGMENT_CHUNK_BYTES) return "malformed";
    const bySender = this.pending.get(sender) ?? new Map<string, Pending>();
    this.pending.set(sender, bySender);
    const key = Buffer.from(digest).toString("hex");
    let entry = bySender.get(key);
    if (entry === undefined) {
      entry = { innerKind, count, chunks: Array.from({ length: count }, () => undefined) };
      bySender.set(key, entry);
      while (bySender.size > MAX_PENDING_PER_SENDER) bySender.delete(bySender.keys().next().value as string);
    }
    if (entry.count !== count || entry.innerKind !== innerKind) return "malformed";
    entry.chunks[index] = chunk.slice();
    if (entry.chunks.some((c) => c === undefined)) return null;
    bySender.delete(key);
    const payload = Buffer.concat(entry.chunks as Uint8Array[]);
    if (!createHash("sha256").update(payload).digest().equals(Buffer.from(digest))) return "malformed";
    return { innerKind, payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.length) };
  }
}
