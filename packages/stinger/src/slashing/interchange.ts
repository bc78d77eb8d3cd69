/**
 * EIP-3076 slashing-protection interchange format, version 5: strict parsing into journal records and export of the
 * minimal form (one block and one attestation per validator: the watermarks).
 */
import { SlashingProtectionError } from "./errors.ts";
import type { JournalRecord } from "./journal.ts";
import type { RootHex, ValidatorWatermarks } from "./rules.ts";

export const INTERCHANGE_FORMAT_VERSION = "5";

/** The interchange document as JSON (EIP-3076). */
export type Interchange = {
  metadata: { interchange_format_version: string; genesis_validators_root: string };
  data: InterchangeValidator[];
};
export type InterchangeValidator = {
  pubkey: string;
  signed_blocks: { slot: string; signing_root?: string }[];
  signed_attestations: { source_epoch: string; target_epoch: string; signing_root?: string }[];
};

const U64_MAX = 2n ** 64n - 1n;
const ZERO_ROOT = `0x${"00".repeat(32)}`;

function invalid(path: string, reason: string): SlashingProtectionError {
  return new SlashingProtectionError(
    { code: "ERR_INTERCHANGE_INVALID", path, reason },
    `Invalid slashing-protection interchange at ${path}: ${reason}; fix or re-export the file`,
  );
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Parses a decimal u64 string (the interchange encodes integers as strings). */
export function parseU64String(x: unknown, path: string): bigint {
  if (typeof x !== "string" || !/^(0|[1-9][0-9]{0,19})$/.test(x)) throw invalid(path, "expected a decimal u64 string");
  const v = BigInt(x);
  if (v > U64_MAX) throw invalid(path, "exceeds u64");
  return v;
}

/** Normalises a 0x-prefixed hex string of `bytes` bytes to lowercase, or throws. */
export function parseHex(x: unknown, bytes: number, path: string): string {
  const re = new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`);
  if (typeof x !== "string" || !re.test(x)) throw invalid(path, `expected 0x-prefixed hex of ${bytes} bytes`);
  return x.toLowerCase();
}

/**
 * An absent signing root is unknown. The all-zero root is what some clients export for "unknown", and no real
 * signing root is zero, so it is treated as unknown too (it never allows re-signing).
 */
function parseOptionalRoot(x: unknown, path: string): RootHex {
  if (x === undefined) return null;
  const r = parseHex(x, 32, path);
  return r === ZERO_ROOT ? null : r;
}

/**
 * Validates an interchange document against the DB's genesis validators root and returns its records.
 * Nothing is imported unless the whole document is valid.
 */
export function parseInterchange(doc: unknown, genesisValidatorsRoot: string): JournalRecord[] {
  if (!isObject(doc)) throw invalid("$", "expected an object");
  const meta = doc.metadata;
  if (!isObject(meta)) throw invalid("$.metadata", "expected an object");
  if (meta.interchange_format_version !== INTERCHANGE_FORMAT_VERSION) {
    throw new SlashingProtectionError(
      { code: "ERR_INTERCHANGE_VERSION", version: String(meta.interchange_format_version) },
      `Only interchange format version ${INTERCHANGE_FORMAT_VERSION} is supported; export it again with a current client`,
    );
  }
  const gvr = parseHex(meta.genesis_validators_root, 32, "$.metadata.genesis_validators_root");
  if (gvr !== genesisValidatorsRoot) {
    throw new SlashingProtectionError(
      { code: "ERR_INTERCHANGE_GENESIS_MISMATCH", expected: genesisValidatorsRoot, actual: gvr },
      "The interchange file is for another chain (genesis validators root differs); import it on the right network",
    );
  }
  if (!Array.isArray(doc.data)) throw invalid("$.data", "expected an array");
  const records: JournalRecord[] = [];
  doc.data.forEach((v: unknown, i: number) => {
    const p = `$.data[${i}]`;
    if (!isObject(v)) throw invalid(p, "expected an object");
    const pubkey = parseHex(v.pubkey, 48, `${p}.pubkey`);
    if (!Array.isArray(v.signed_blocks)) throw invalid(`${p}.signed_blocks`, "expected an array");
    if (!Array.isArray(v.signed_attestations)) throw invalid(`${p}.signed_attestations`, "expected an array");
    v.signed_blocks.forEach((b: unknown, j: number) => {
      const q = `${p}.signed_blocks[${j}]`;
      if (!isObject(b)) throw invalid(q, "expected an object");
      const slot = parseU64String(b.slot, `${q}.slot`);
      records.push({
        kind: "block",
        pubkey,
        slot,
        signingRoot: parseOptionalRoot(b.signing_root, `${q}.signing_root`),
      });
    });
    v.signed_attestations.forEach((a: unknown, j: number) => {
      const q = `${p}.signed_attestations[${j}]`;
      if (!isObject(a)) throw invalid(q, "expected an object");
      const source = parseU64String(a.source_epoch, `${q}.source_epoch`);
      const target = parseU64String(a.target_epoch, `${q}.target_epoch`);
      const signingRoot = parseOptionalRoot(a.signing_root, `${q}.signing_root`);
      records.push({ kind: "attestation", pubkey, source, target, signingRoot });
    });
  });
  return records;
}

/** A signing root worth exporting: the zero root means "unknown" in EIP-3076, as does an absent one. */
const known = (root: RootHex): root is string => root !== null && root !== ZERO_ROOT;

/** Exports watermarks as a minimal interchange document (valid input for every EIP-3076 client). */
export function exportInterchange(
  genesisValidatorsRoot: string,
  validators: ReadonlyMap<string, ValidatorWatermarks>,
  pubkeys?: readonly string[],
): Interchange {
  const data: InterchangeValidator[] = [];
  const keys = pubkeys ?? [...validators.keys()].sort();
  for (const pubkey of keys) {
    const w = validators.get(pubkey);
    if (!w) continue;
    const v: InterchangeValidator = { pubkey, signed_blocks: [], signed_attestations: [] };
    if (w.block) {
      v.signed_blocks.push({
        slot: w.block.slot.toString(),
        ...(known(w.block.signingRoot) ? { signing_root: w.block.signingRoot } : {}),
      });
    }
    if (w.attestation) {
      const a = w.attestation;
      v.signed_attestations.push({
        source_epoch: a.source.toString(),
        target_epoch: a.target.toString(),
        ...(known(a.signingRoot) ? { signing_root: a.signingRoot } : {}),
      });
    }
    data.push(v);
  }
  return {
    metadata: {
      interchange_format_version: INTERCHANGE_FORMAT_VERSION,
      genesis_validators_root: genesisValidatorsRoot,
    },
    data,
  };
}
