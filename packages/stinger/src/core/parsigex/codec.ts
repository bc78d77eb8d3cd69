import { ByteVectorType, ContainerType, ListCompositeType, UintNumberType } from "@chainsafe/ssz";
import { type DutyType, dutyTypes, type ParSignedData } from "../interfaces.ts";

/** Wire version of a partial-signature batch; other versions are dropped. */
export const PARSIG_BATCH_VERSION = 1;
/** Most partials in one batch (10,000+ validators' duties of one slot fit). */
export const MAX_PARTIALS_PER_BATCH = 16_384;

const PartialSsz = new ContainerType({
  /** Index into `dutyTypes`. */
  type: new UintNumberType(1),
  validator: new UintNumberType(8),
  signingRoot: new ByteVectorType(32),
  signature: new ByteVectorType(96),
});
const BatchSsz = new ContainerType({
  version: new UintNumberType(1),
  slot: new UintNumberType(8),
  partials: new ListCompositeType(PartialSsz, MAX_PARTIALS_PER_BATCH),
});

/** Largest encoded batch. */
export const MAX_PARSIG_BATCH_BYTES = 1 + 8 + 4 + MAX_PARTIALS_PER_BATCH * (1 + 8 + 32 + 96);

/** Encodes one slot's partials of this operator. Every partial must be of `slot`. */
export function encodePartialBatch(slot: number, partials: readonly ParSignedData[]): Uint8Array {
  return BatchSsz.serialize({
    version: PARSIG_BATCH_VERSION,
    slot,
    partials: partials.map((p) => ({
      type: dutyTypes.indexOf(p.duty.type),
      validator: p.duty.validator,
      signingRoot: p.signingRoot,
      signature: p.signature,
    })),
  });
}

export type DecodedBatch =
  | { readonly ok: true; readonly slot: number; readonly partials: ParSignedData[] }
  | { readonly ok: false; readonly reason: "oversized" | "malformed" | "version" };

/**
 * Decodes a batch received from operator `shareIndex` (authenticated by the transport). Attribution comes from the
 * sender, not the payload; signatures are checked later (optimistic combine attributes bad ones). Never throws.
 */
export function decodePartialBatch(bytes: Uint8Array, shareIndex: number): DecodedBatch {
  if (bytes.length > MAX_PARSIG_BATCH_BYTES) return { ok: false, reason: "oversized" };
  let raw: ReturnType<typeof BatchSsz.deserialize>;
  try {
    raw = BatchSsz.deserialize(bytes);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (raw.version !== PARSIG_BATCH_VERSION) return { ok: false, reason: "version" };
  const partials: ParSignedData[] = [];
  for (const p of raw.partials) {
    const type = dutyTypes[p.type] as DutyType | undefined;
    if (type === undefined) return { ok: false, reason: "malformed" };
    partials.push({
      duty: { slot: raw.slot, type, validator: p.validator },
      signingRoot: p.signingRoot,
      signature: p.signature,
      shareIndex,
    });
  }
  return { ok: true, slot: raw.slot, partials };
}
