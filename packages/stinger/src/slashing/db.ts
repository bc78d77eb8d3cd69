/**
 * Persistent EIP-3076 slashing-protection DB for the distributed validators' group keys.
 *
 * `checkAndInsert…` resolves `ok` only after the record is fsynced, so a signature can never leave the node unrecorded.
 * Batches cost one write and one fsync. Calls are serialised: a check always sees every earlier insert.
 */
import { mkdir } from "node:fs/promises";
import { SlashingProtectionError } from "./errors.ts";
import { exportInterchange, type Interchange, parseHex, parseInterchange } from "./interchange.ts";
import { encodeSnapshot, Journal, type JournalRecord, loadState, SNAPSHOT_FILE, writeFileAtomic } from "./journal.ts";
import { DirectoryLock } from "./lock.ts";
import {
  type AttestationSigningRequest,
  type BlockSigningRequest,
  checkAttestation,
  checkBlock,
  mergeAttestation,
  mergeBlock,
  type SafetyVerdict,
  type ValidatorWatermarks,
} from "./rules.ts";

export type SlashingProtectionDBOptions = {
  /** Directory holding the DB files (created if missing, mode 0700). One directory per network. */
  readonly dir: string;
  /** Genesis validators root of the chain, 0x-prefixed hex; a DB or interchange of another chain is refused. */
  readonly genesisValidatorsRoot: string;
  /** Journal size that triggers a compaction into a fresh snapshot (default 32 MiB). */
  readonly compactAfterBytes?: number;
};

/** Outcome of an interchange import. */
export type ImportResult = { readonly validators: number; readonly records: number };

const DEFAULT_COMPACT_AFTER_BYTES = 32 * 1024 * 1024;
const U64_MAX = 2n ** 64n - 1n;

function requestError(reason: string): SlashingProtectionError {
  return new SlashingProtectionError(
    { code: "ERR_SIGNING_REQUEST_INVALID", reason },
    `Invalid signing request: ${reason}`,
  );
}

function checkU64(x: bigint, name: string): void {
  if (typeof x !== "bigint" || x < 0n || x > U64_MAX) throw requestError(`${name} must be a u64 bigint`);
}

function normaliseRoot(root: string | null, name: string): string | null {
  return root === null ? null : parseRootOrThrow(root, name);
}

function parseRootOrThrow(root: string, name: string): string {
  try {
    return parseHex(root, 32, name);
  } catch {
    throw requestError(`${name} must be 0x-prefixed hex of 32 bytes`);
  }
}

function normalisePubkey(pubkey: string): string {
  try {
    return parseHex(pubkey, 48, "pubkey");
  } catch {
    throw requestError("pubkey must be 0x-prefixed hex of 48 bytes");
  }
}

export class SlashingProtectionDB {
  readonly genesisValidatorsRoot: string;
  private readonly dir: string;
  private readonly compactAfterBytes: number;
  private readonly validators: Map<string, ValidatorWatermarks>;
  private readonly lock: DirectoryLock;
  private journal: Journal;
  /** Serialises every operation so checks see all earlier inserts and journal appends never interleave. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Set after an I/O failure: the journal tail is unknown, so nothing more is signed until the DB is reopened. */
  private failure: string | null = null;

  private constructor(
    opts: SlashingProtectionDBOptions,
    validators: Map<string, ValidatorWatermarks>,
    journal: Journal,
    lock: DirectoryLock,
  ) {
    this.dir = opts.dir;
    this.genesisValidatorsRoot = opts.genesisValidatorsRoot;
    this.compactAfterBytes = opts.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
    this.validators = validators;
    this.journal = journal;
    this.lock = lock;
  }

  /** Opens (or creates) the DB: takes the directory lock, loads the snapshot, replays the journal, cuts a torn tail. */
  static async open(opts: SlashingProtectionDBOptions): Promise<SlashingProtectionDB> {
    const gvr = parseRootOrThrow(opts.genesisValidatorsRoot, "genesisValidatorsRoot");
    await mkdir(opts.dir, { recursive: true, mode: 0o700 });
    const lock = await DirectoryLock.acquire(opts.dir);
    try {
      const state = await loadState(opts.dir, gvr);
      const validators = state.validators;
      for (const r of state.journalRecords) applyRecord(validators, r);
      const journal = await Journal.open(opts.dir, gvr, state.journalBytes);
      return new SlashingProtectionDB({ ...opts, genesisValidatorsRoot: gvr }, validators, journal, lock);
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  /** Checks a block signing and, if safe, durably records it before resolving. */
  async checkAndInsertBlock(req: BlockSigningRequest): Promise<SafetyVerdict> {
    const [verdict] = await this.checkAndInsertBlocks([req]);
    return verdict as SafetyVerdict;
  }

  /** Batch form of {@link checkAndInsertBlock}: one fsync for the whole batch; verdicts in request order. */
  async checkAndInsertBlocks(reqs: readonly BlockSigningRequest[]): Promise<SafetyVerdict[]> {
    const normalised = reqs.map((r) => {
      checkU64(r.slot, "slot");
      return {
        pubkey: normalisePubkey(r.pubkey),
        slot: r.slot,
        signingRoot: normaliseRoot(r.signingRoot, "signingRoot"),
      };
    });
    return this.serial(() =>
      this.checkBatch(
        normalised,
        (w, r) => checkBlock(w.block, r),
        (r) => ({ kind: "block", ...r }),
      ),
    );
  }

  /** Checks an attestation signing and, if safe, durably records it before resolving. */
  async checkAndInsertAttestation(req: AttestationSigningRequest): Promise<SafetyVerdict> {
    const [verdict] = await this.checkAndInsertAttestations([req]);
    return verdict as SafetyVerdict;
  }

  /**
   * Batch form of {@link checkAndInsertAttestation} for a slot's worth of validators: one write and one fsync.
   * Later requests in the batch are checked against earlier accepted ones. Verdicts in request order.
   */
  async checkAndInsertAttestations(reqs: readonly AttestationSigningRequest[]): Promise<SafetyVerdict[]> {
    const normalised = reqs.map((r) => {
      checkU64(r.source, "source");
      checkU64(r.target, "target");
      const signingRoot = normaliseRoot(r.signingRoot, "signingRoot");
      return { pubkey: normalisePubkey(r.pubkey), source: r.source, target: r.target, signingRoot };
    });
    return this.serial(() =>
      this.checkBatch(
        normalised,
        (w, r) => checkAttestation(w.attestation, r),
        (r) => ({ kind: "attestation", ...r }),
      ),
    );
  }

  /** Imports an EIP-3076 v5 interchange document (all-or-nothing, one fsync). Slashable data is minified away. */
  async importInterchange(doc: unknown): Promise<ImportResult> {
    const records = parseInterchange(doc, this.genesisValidatorsRoot);
    return this.serial(async () => {
      this.assertWritable();
      const pubkeys = new Set<string>();
      await this.persist(records, () => {
        for (const r of records) {
          applyRecord(this.validators, r);
          pubkeys.add(r.pubkey);
        }
      });
      return { validators: pubkeys.size, records: records.length };
    });
  }

  /** Exports the watermarks (all validators, or the given ones) as an EIP-3076 v5 interchange document. */
  async exportInterchange(pubkeys?: readonly string[]): Promise<Interchange> {
    const keys = pubkeys?.map(normalisePubkey);
    return this.serial(async () => exportInterchange(this.genesisValidatorsRoot, this.validators, keys));
  }

  /**
   * Whether a block signing would be accepted now, without recording it (synchronous; for the agreement step's
   * validity callback). Signing still has to go through {@link checkAndInsertBlock}, which is authoritative.
   */
  wouldAcceptBlock(req: BlockSigningRequest): SafetyVerdict {
    checkU64(req.slot, "slot");
    const w = this.validators.get(normalisePubkey(req.pubkey));
    return checkBlock(w?.block ?? null, { ...req, signingRoot: normaliseRoot(req.signingRoot, "signingRoot") });
  }

  /** Attestation form of {@link wouldAcceptBlock}; {@link checkAndInsertAttestations} stays authoritative. */
  wouldAcceptAttestation(req: AttestationSigningRequest): SafetyVerdict {
    checkU64(req.source, "source");
    checkU64(req.target, "target");
    const w = this.validators.get(normalisePubkey(req.pubkey));
    return checkAttestation(w?.attestation ?? null, {
      ...req,
      signingRoot: normaliseRoot(req.signingRoot, "signingRoot"),
    });
  }

  /** The current watermarks of a validator (for metrics and tests). */
  watermarks(pubkey: string): ValidatorWatermarks | undefined {
    const w = this.validators.get(normalisePubkey(pubkey));
    return w ? { block: w.block, attestation: w.attestation } : undefined;
  }

  /** Writes a fresh snapshot and empties the journal (atomic; safe to crash at any point). */
  async compact(): Promise<void> {
    return this.serial(() => this.compactNow());
  }

  /** Waits for pending operations, closes the journal and releases the directory lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.serial(async () => {
      this.closed = true;
      await this.journal.close();
      await this.lock.release();
    });
  }

  private async checkBatch<R extends { pubkey: string }>(
    reqs: readonly R[],
    check: (w: ValidatorWatermarks, r: R) => SafetyVerdict,
    toRecord: (r: R) => JournalRecord,
  ): Promise<SafetyVerdict[]> {
    this.assertWritable();
    // Check against a staged copy of the touched validators so earlier requests of the batch constrain later ones,
    // while the live state changes only after the fsync.
    const staged = new Map<string, ValidatorWatermarks>();
    const verdicts: SafetyVerdict[] = [];
    const records: JournalRecord[] = [];
    for (const r of reqs) {
      const w = staged.get(r.pubkey) ?? this.validators.get(r.pubkey) ?? { block: null, attestation: null };
      const verdict = check(w, r);
      verdicts.push(verdict);
      if (verdict.ok && !verdict.repeat) {
        const record = toRecord(r);
        records.push(record);
        const next = { block: w.block, attestation: w.attestation };
        applyToWatermarks(next, record);
        staged.set(r.pubkey, next);
      }
    }
    await this.persist(records, () => {
      for (const [pubkey, w] of staged) this.validators.set(pubkey, w);
    });
    return verdicts;
  }

  /**
   * Appends records durably, then `apply`s them to the live state, then compacts if the journal is large. The order
   * matters: a compaction snapshots the live state and empties the journal, so it must include the new records.
   */
  private async persist(records: readonly JournalRecord[], apply: () => void): Promise<void> {
    try {
      await this.journal.append(records);
      apply();
      if (this.journal.bytes >= this.compactAfterBytes) await this.compactNow();
    } catch (e) {
      this.failure = (e as Error).message;
      throw new SlashingProtectionError(
        { code: "ERR_SLASHING_DB_FAILED", reason: this.failure },
        `Slashing-protection DB write failed (${this.failure}); signing is stopped until the DB is reopened`,
      );
    }
  }

  private async compactNow(): Promise<void> {
    this.assertWritable();
    await writeFileAtomic(this.dir, SNAPSHOT_FILE, encodeSnapshot(this.genesisValidatorsRoot, this.validators));
    await this.journal.close();
    // Journal.open with 0 valid bytes atomically replaces the journal by a fresh header.
    this.journal = await Journal.open(this.dir, this.genesisValidatorsRoot, 0);
  }

  private assertWritable(): void {
    if (this.closed) {
      throw new SlashingProtectionError({ code: "ERR_SLASHING_DB_CLOSED" }, "The slashing-protection DB is closed");
    }
    if (this.failure !== null) {
      throw new SlashingProtectionError(
        { code: "ERR_SLASHING_DB_FAILED", reason: this.failure },
        "An earlier slashing-protection DB write failed; restart the node to reopen the DB",
      );
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function applyToWatermarks(w: ValidatorWatermarks, r: JournalRecord): void {
  if (r.kind === "block") w.block = mergeBlock(w.block, r.slot, r.signingRoot);
  else w.attestation = mergeAttestation(w.attestation, r.source, r.target, r.signingRoot);
}

function applyRecord(validators: Map<string, ValidatorWatermarks>, r: JournalRecord): void {
  let w = validators.get(r.pubkey);
  if (!w) {
    w = { block: null, attestation: null };
    validators.set(r.pubkey, w);
  }
  applyToWatermarks(w, r);
}
