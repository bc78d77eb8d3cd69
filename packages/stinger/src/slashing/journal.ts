/**
 * Durable storage of slashing-protection watermarks: an atomic snapshot plus an append-only journal of checksummed
 * records, replayed at startup and compacted atomically.
 *
 * Files in the DB directory:
 * - `snapshot.json` — all watermarks at some point, replaced only by write-tmp + fsync + rename + fsync(dir);
 * - `journal.log`   — header, then records `u32 length | payload | u32 crc32(payload)` appended and fsynced per batch.
 *
 * Records are watermark merges, which are monotone and idempotent, so replaying a journal over a snapshot that already
 * contains it is harmless: a crash at any point of a compaction leaves a correct state. A torn tail (a batch whose
 * fsync never returned, so whose signatures never left the node) fails its checksum and is cut off at startup.
 */
import { constants as fsConstants } from "node:fs";
import { type FileHandle, open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { SlashingProtectionError } from "./errors.ts";
import type { AttestationWatermark, BlockWatermark, RootHex, ValidatorWatermarks } from "./rules.ts";

const JOURNAL_MAGIC = Buffer.from("NKSJ1\n", "latin1");
const SNAPSHOT_VERSION = 1;
const KIND_BLOCK = 1;
const KIND_ATTESTATION = 2;
const PUBKEY_LEN = 48;
const BLOCK_PAYLOAD_LEN = 1 + PUBKEY_LEN + 8 + 1 + 32;
const ATTESTATION_PAYLOAD_LEN = 1 + PUBKEY_LEN + 8 + 8 + 1 + 32;
const U64_MAX = 2n ** 64n - 1n;

/** One watermark update as stored in the journal. */
export type JournalRecord =
  | { readonly kind: "block"; readonly pubkey: string; readonly slot: bigint; readonly signingRoot: RootHex }
  | {
      readonly kind: "attestation";
      readonly pubkey: string;
      readonly source: bigint;
      readonly target: bigint;
      readonly signingRoot: RootHex;
    };

export type LoadedState = {
  readonly genesisValidatorsRoot: string;
  readonly validators: Map<string, ValidatorWatermarks>;
  /** Records replayed from the journal (after the snapshot). */
  readonly journalRecords: readonly JournalRecord[];
  /** Bytes of the journal's valid prefix (the file is truncated to it). */
  readonly journalBytes: number;
};

type SnapshotFile = {
  version: number;
  genesisValidatorsRoot: string;
  validators: Record<string, { block?: [string, RootHex]; attestation?: [string, string, RootHex] }>;
};

export const SNAPSHOT_FILE = "snapshot.json";
export const JOURNAL_FILE = "journal.log";

function hexToBytes(hex: string, len: number, into: Buffer, offset: number): void {
  into.write(hex.slice(2), offset, len, "hex");
}

function encodeRoot(root: RootHex, buf: Buffer, offset: number): void {
  buf[offset] = root === null ? 0 : 1;
  if (root !== null) hexToBytes(root, 32, buf, offset + 1);
}

function decodeRoot(buf: Buffer, offset: number): RootHex {
  return buf[offset] === 0 ? null : `0x${buf.toString("hex", offset + 1, offset + 33)}`;
}

/** Encodes records as one contiguous buffer (one write, one fsync per batch). */
export function encodeRecords(records: readonly JournalRecord[]): Buffer {
  let total = 0;
  for (const r of records) total += 8 + (r.kind === "block" ? BLOCK_PAYLOAD_LEN : ATTESTATION_PAYLOAD_LEN);
  const out = Buffer.alloc(total);
  let o = 0;
  for (const r of records) {
    const len = r.kind === "block" ? BLOCK_PAYLOAD_LEN : ATTESTATION_PAYLOAD_LEN;
    out.writeUInt32LE(len, o);
    const p = o + 4;
    out[p] = r.kind === "block" ? KIND_BLOCK : KIND_ATTESTATION;
    hexToBytes(r.pubkey, PUBKEY_LEN, out, p + 1);
    if (r.kind === "block") {
      out.writeBigUInt64LE(r.slot, p + 1 + PUBKEY_LEN);
      encodeRoot(r.signingRoot, out, p + 1 + PUBKEY_LEN + 8);
    } else {
      out.writeBigUInt64LE(r.source, p + 1 + PUBKEY_LEN);
      out.writeBigUInt64LE(r.target, p + 1 + PUBKEY_LEN + 8);
      encodeRoot(r.signingRoot, out, p + 1 + PUBKEY_LEN + 16);
    }
    out.writeUInt32LE(crc32(out.subarray(p, p + len)), p + len);
    o = p + len + 4;
  }
  return out;
}

/** Decodes the valid prefix of a journal body; stops at the first torn or corrupt record. */
export function decodeRecords(buf: Buffer, start: number): { records: JournalRecord[]; end: number } {
  const records: JournalRecord[] = [];
  let o = start;
  while (o + 4 <= buf.length) {
    const len = buf.readUInt32LE(o);
    if (len !== BLOCK_PAYLOAD_LEN && len !== ATTESTATION_PAYLOAD_LEN) break;
    const p = o + 4;
    if (p + len + 4 > buf.length) break;
    if (crc32(buf.subarray(p, p + len)) !== buf.readUInt32LE(p + len)) break;
    const kind = buf[p];
    const pubkey = `0x${buf.toString("hex", p + 1, p + 1 + PUBKEY_LEN)}`;
    if (kind === KIND_BLOCK && len === BLOCK_PAYLOAD_LEN) {
      const slot = buf.readBigUInt64LE(p + 1 + PUBKEY_LEN);
      records.push({ kind: "block", pubkey, slot, signingRoot: decodeRoot(buf, p + 1 + PUBKEY_LEN + 8) });
    } else if (kind === KIND_ATTESTATION && len === ATTESTATION_PAYLOAD_LEN) {
      const source = buf.readBigUInt64LE(p + 1 + PUBKEY_LEN);
      const target = buf.readBigUInt64LE(p + 1 + PUBKEY_LEN + 8);
      const signingRoot = decodeRoot(buf, p + 1 + PUBKEY_LEN + 16);
      records.push({ kind: "attestation", pubkey, source, target, signingRoot });
    } else {
      break;
    }
    o = p + len + 4;
  }
  return { records, end: o };
}

function journalHeader(genesisValidatorsRoot: string): Buffer {
  const h = Buffer.alloc(JOURNAL_MAGIC.length + 32);
  JOURNAL_MAGIC.copy(h, 0);
  hexToBytes(genesisValidatorsRoot, 32, h, JOURNAL_MAGIC.length);
  return h;
}

/** Writes `data` to `path` atomically: tmp file, fsync, rename, fsync of the directory. */
export async function writeFileAtomic(dir: string, name: string, data: Buffer | string): Promise<void> {
  const tmp = join(dir, `${name}.tmp`);
  const fh = await open(tmp, "w", 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, name));
  await fsyncDir(dir);
}

async function fsyncDir(dir: string): Promise<void> {
  const d = await open(dir, fsConstants.O_RDONLY);
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

function parseU64(s: unknown, file: string): bigint {
  if (typeof s !== "string" || !/^[0-9]{1,20}$/.test(s) || BigInt(s) > U64_MAX) {
    throw new SlashingProtectionError({ code: "ERR_SLASHING_DB_CORRUPT", file, reason: `bad integer ${String(s)}` });
  }
  return BigInt(s);
}

function parseRoot(s: unknown, file: string): RootHex {
  if (s === null) return null;
  if (typeof s !== "string" || !/^0x[0-9a-f]{64}$/.test(s)) {
    throw new SlashingProtectionError({ code: "ERR_SLASHING_DB_CORRUPT", file, reason: `bad root ${String(s)}` });
  }
  return s;
}

/** Serialises all watermarks as the snapshot file's content. */
export function encodeSnapshot(genesisValidatorsRoot: string, validators: Map<string, ValidatorWatermarks>): string {
  const out: SnapshotFile = { version: SNAPSHOT_VERSION, genesisValidatorsRoot, validators: {} };
  for (const [pubkey, w] of validators) {
    const v: SnapshotFile["validators"][string] = {};
    if (w.block) v.block = [w.block.slot.toString(), w.block.signingRoot];
    if (w.attestation) {
      const a = w.attestation;
      v.attestation = [a.source.toString(), a.target.toString(), a.signingRoot];
    }
    out.validators[pubkey] = v;
  }
  return JSON.stringify(out);
}

function decodeSnapshot(text: string, file: string): { gvr: string; validators: Map<string, ValidatorWatermarks> } {
  let parsed: SnapshotFile;
  try {
    parsed = JSON.parse(text) as SnapshotFile;
  } catch (e) {
    throw new SlashingProtectionError({ code: "ERR_SLASHING_DB_CORRUPT", file, reason: (e as Error).message });
  }
  if (parsed?.version !== SNAPSHOT_VERSION || typeof parsed.validators !== "object" || parsed.validators === null) {
    throw new SlashingProtectionError({ code: "ERR_SLASHING_DB_CORRUPT", file, reason: "unknown snapshot layout" });
  }
  const gvr = parseRoot(parsed.genesisValidatorsRoot, file);
  if (gvr === null) throw new SlashingProtectionError({ code: "ERR_SLASHING_DB_CORRUPT", file, reason: "no gvr" });
  const validators = new Map<string, ValidatorWatermarks>();
  for (const [pubkey, v] of Object.entries(parsed.validators)) {
    if (!/^0x[0-9a-f]{96}$/.test(pubkey)) {
      throw new SlashingProtectionError({ code: "ERR_SLASHING_DB_CORRUPT", file, reason: `bad pubkey ${pubkey}` });
    }
    const block: BlockWatermark | null = v.block
      ? { slot: parseU64(v.block[0], file), signingRoot: parseRoot(v.block[1], file) }
      : null;
    const attestation: AttestationWatermark | null = v.attestation
      ? {
          source: parseU64(v.attestation[0], file),
          target: parseU64(v.attestation[1], file),
          signingRoot: parseRoot(v.attestation[2], file),
        }
      : null;
    validators.set(pubkey, { block, attestation });
  }
  return { gvr, validators };
}

async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/**
 * Loads the snapshot and the journal's valid prefix. If neither exists, returns an empty state for
 * `genesisValidatorsRoot`. Throws `ERR_SLASHING_DB_GENESIS_MISMATCH` if the DB belongs to another chain.
 */
export async function loadState(dir: string, genesisValidatorsRoot: string): Promise<LoadedState> {
  // A leftover tmp file is an unfinished compaction: the rename never happened, so it is garbage.
  await rm(join(dir, `${SNAPSHOT_FILE}.tmp`), { force: true });
  await rm(join(dir, `${JOURNAL_FILE}.tmp`), { force: true });
  const snapText = await readIfExists(join(dir, SNAPSHOT_FILE));
  let validators = new Map<string, ValidatorWatermarks>();
  if (snapText !== null) {
    const snap = decodeSnapshot(snapText.toString("utf8"), SNAPSHOT_FILE);
    if (snap.gvr !== genesisValidatorsRoot) {
      throw new SlashingProtectionError(
        { code: "ERR_SLASHING_DB_GENESIS_MISMATCH", expected: genesisValidatorsRoot, actual: snap.gvr },
        "The slashing-protection DB belongs to another chain; use a separate directory per network",
      );
    }
    validators = snap.validators;
  }
  const journal = await readIfExists(join(dir, JOURNAL_FILE));
  if (journal === null || journal.length === 0) {
    return { genesisValidatorsRoot, validators, journalRecords: [], journalBytes: 0 };
  }
  const header = journalHeader(genesisValidatorsRoot);
  if (journal.length < header.length) {
    // Torn header write of a fresh journal: nothing after it can have been acknowledged.
    return { genesisValidatorsRoot, validators, journalRecords: [], journalBytes: 0 };
  }
  if (!journal.subarray(0, JOURNAL_MAGIC.length).equals(JOURNAL_MAGIC)) {
    throw new SlashingProtectionError({ code: "ERR_SLASHING_DB_CORRUPT", file: JOURNAL_FILE, reason: "bad magic" });
  }
  if (!journal.subarray(0, header.length).equals(header)) {
    const actual = `0x${journal.toString("hex", JOURNAL_MAGIC.length, header.length)}`;
    throw new SlashingProtectionError(
      { code: "ERR_SLASHING_DB_GENESIS_MISMATCH", expected: genesisValidatorsRoot, actual },
      "The slashing-protection DB belongs to another chain; use a separate directory per network",
    );
  }
  const { records, end } = decodeRecords(journal, header.length);
  return { genesisValidatorsRoot, validators, journalRecords: records, journalBytes: end };
}

/** Append-only journal handle. Not safe for concurrent appends: the DB serialises them. */
export class Journal {
  private readonly fh: FileHandle;
  private size: number;

  private constructor(fh: FileHandle, size: number) {
    this.fh = fh;
    this.size = size;
  }

  /** Opens the journal, cutting a torn tail at `validBytes` (or writing a fresh header when empty). */
  static async open(dir: string, genesisValidatorsRoot: string, validBytes: number): Promise<Journal> {
    const path = join(dir, JOURNAL_FILE);
    if (validBytes === 0) {
      await writeFileAtomic(dir, JOURNAL_FILE, journalHeader(genesisValidatorsRoot));
      validBytes = JOURNAL_MAGIC.length + 32;
    }
    const fh = await open(path, "r+");
    await fh.truncate(validBytes);
    await fh.sync();
    return new Journal(fh, validBytes);
  }

  /** Bytes in the journal (header included). */
  get bytes(): number {
    return this.size;
  }

  /** Appends records and fsyncs; resolves only once they are on stable storage. */
  async append(records: readonly JournalRecord[]): Promise<void> {
    if (records.length === 0) return;
    const buf = encodeRecords(records);
    let written = 0;
    while (written < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, written, buf.length - written, this.size + written);
      written += bytesWritten;
    }
    await this.fh.datasync();
    this.size += buf.length;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
