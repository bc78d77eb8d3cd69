/**
 * Pure slashing-protection rules over per-validator watermarks (EIP-3076 "minimal" strategy, plus re-signing of the
 * identical message at the watermark, which is never slashable).
 *
 * Per validator we keep only:
 * - blocks: the highest signed slot and the signing root signed at that slot (or `null` if unknown/ambiguous);
 * - attestations: the highest signed source epoch, the highest signed target epoch and the signing root at that target.
 *
 * Why this is safe: a new attestation (s, t) is accepted only if s ≥ maxSource and t > maxTarget. Every earlier (s', t')
 * has s' ≤ maxSource ≤ s and t' ≤ maxTarget < t, so t ≠ t' (no double vote), s' ≤ s (the new one cannot surround the
 * old one, which needs s < s') and t' < t (the old one cannot surround the new one, which needs t' > t). A block is
 * accepted only at a slot above every slot signed before. The single exception — the same signing root at the
 * watermark itself (same slot, or same source and target) — signs byte-identical data again, which is not slashable.
 *
 * State is O(1) per validator, so 10,000+ validators cost a few MB and checks are map lookups.
 */

/** 0x-prefixed lowercase hex of 32 bytes, or `null` when the signing root is unknown. */
export type RootHex = string | null;

export type BlockWatermark = { readonly slot: bigint; readonly signingRoot: RootHex };
export type AttestationWatermark = {
  readonly source: bigint;
  readonly target: bigint;
  /** Signing root signed at `target`, `null` when unknown or when two different roots were imported for it. */
  readonly signingRoot: RootHex;
};

export type ValidatorWatermarks = {
  block: BlockWatermark | null;
  attestation: AttestationWatermark | null;
};

/** A request to sign a block (the DB only needs the slot and signing root). */
export type BlockSigningRequest = { readonly pubkey: string; readonly slot: bigint; readonly signingRoot: RootHex };
/** A request to sign an attestation. */
export type AttestationSigningRequest = {
  readonly pubkey: string;
  readonly source: bigint;
  readonly target: bigint;
  readonly signingRoot: RootHex;
};

/** Result of a check: `ok` means the message was (or may be) signed; otherwise the rule that refused it. */
export type SafetyVerdict =
  | { readonly ok: true; readonly repeat: boolean }
  | {
      readonly ok: false;
      readonly reason:
        | "block_slot_not_above_watermark"
        | "attestation_source_below_watermark"
        | "attestation_target_not_above_watermark"
        | "attestation_source_after_target";
    };

function sameRoot(a: RootHex, b: RootHex): boolean {
  return a !== null && b !== null && a === b;
}

/** Checks a block signing against the watermark (pure; does not update anything). */
export function checkBlock(w: BlockWatermark | null, req: BlockSigningRequest): SafetyVerdict {
  if (w === null || req.slot > w.slot) return { ok: true, repeat: false };
  if (req.slot === w.slot && sameRoot(req.signingRoot, w.signingRoot)) return { ok: true, repeat: true };
  return { ok: false, reason: "block_slot_not_above_watermark" };
}

/** Checks an attestation signing against the watermark (pure; does not update anything). */
export function checkAttestation(w: AttestationWatermark | null, req: AttestationSigningRequest): SafetyVerdict {
  // An honest attestation never has source > target; signing one would only be useful to an attacker.
  if (req.source > req.target) return { ok: false, reason: "attestation_source_after_target" };
  if (w === null) return { ok: true, repeat: false };
  if (req.source < w.source) return { ok: false, reason: "attestation_source_below_watermark" };
  if (req.target > w.target) return { ok: true, repeat: false };
  // A re-sign must be the identical message. Equal roots imply equal data, but also requiring the watermark's source
  // keeps a caller that pairs a root with the wrong epochs from slipping a surround vote through.
  if (req.target === w.target && req.source === w.source && sameRoot(req.signingRoot, w.signingRoot)) {
    return { ok: true, repeat: true };
  }
  return { ok: false, reason: "attestation_target_not_above_watermark" };
}

/**
 * Merges a signed (or imported) block into a watermark. Monotone and idempotent, so replaying a journal twice or
 * importing the same interchange twice gives the same state.
 */
export function mergeBlock(w: BlockWatermark | null, slot: bigint, signingRoot: RootHex): BlockWatermark {
  if (w === null || slot > w.slot) return { slot, signingRoot };
  if (slot < w.slot) return w;
  return { slot, signingRoot: sameRoot(w.signingRoot, signingRoot) ? signingRoot : null };
}

/**
 * Merges a signed (or imported) attestation into a watermark; monotone and idempotent like {@link mergeBlock}. The
 * signing root is kept only while (source, target, root) is one real record: once the source watermark comes from
 * another record, re-signing at the watermark is no longer provably identical, so it is refused.
 */
export function mergeAttestation(
  w: AttestationWatermark | null,
  source: bigint,
  target: bigint,
  signingRoot: RootHex,
): AttestationWatermark {
  if (w === null) return { source, target, signingRoot };
  const maxSource = source > w.source ? source : w.source;
  if (target > w.target) return { source: maxSource, target, signingRoot: source === maxSource ? signingRoot : null };
  if (target < w.target) return maxSource === w.source ? w : { source: maxSource, target: w.target, signingRoot: null };
  const identical = source === w.source && sameRoot(w.signingRoot, signingRoot);
  return { source: maxSource, target, signingRoot: identical ? signingRoot : null };
}
