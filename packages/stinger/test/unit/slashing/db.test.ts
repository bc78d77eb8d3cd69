import assert from "node:assert/strict";
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { SlashingProtectionDB } from "../../../src/slashing/db.ts";
import { SlashingProtectionError } from "../../../src/slashing/errors.ts";
import { JOURNAL_FILE, SNAPSHOT_FILE } from "../../../src/slashing/journal.ts";

const GVR = `0x${"22".repeat(32)}`;
const PK = (i: number): string => `0x${(i + 1).toString(16).padStart(96, "0")}`;
const ROOT = (i: number): string => `0x${i.toString(16).padStart(64, "0")}`;

function hasCode(code: string): (e: unknown) => boolean {
  return (e) => e instanceof SlashingProtectionError && e.type.code === code;
}

describe("SlashingProtectionDB", () => {
  let dir: string;
  let db: SlashingProtectionDB;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "nektar-sp-db-"));
    db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR });
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses double block proposals and allows the identical block again", async () => {
    assert.equal((await db.checkAndInsertBlock({ pubkey: PK(0), slot: 10n, signingRoot: ROOT(1) })).ok, true);
    assert.deepEqual(await db.checkAndInsertBlock({ pubkey: PK(0), slot: 10n, signingRoot: ROOT(1) }), {
      ok: true,
      repeat: true,
    });
    assert.equal((await db.checkAndInsertBlock({ pubkey: PK(0), slot: 10n, signingRoot: ROOT(2) })).ok, false);
    assert.equal((await db.checkAndInsertBlock({ pubkey: PK(0), slot: 9n, signingRoot: ROOT(3) })).ok, false);
    assert.equal((await db.checkAndInsertBlock({ pubkey: PK(1), slot: 9n, signingRoot: ROOT(3) })).ok, true);
  });

  it("refuses double votes and surround votes in both directions", async () => {
    const att = (source: bigint, target: bigint, r: number) =>
      db.checkAndInsertAttestation({ pubkey: PK(0), source, target, signingRoot: ROOT(r) });
    assert.equal((await att(2n, 5n, 1)).ok, true);
    assert.equal((await att(2n, 5n, 2)).ok, false, "double vote");
    assert.equal((await att(1n, 6n, 3)).ok, false, "surrounds existing");
    assert.equal((await att(3n, 4n, 4)).ok, false, "surrounded by existing");
    assert.equal((await att(6n, 5n, 5)).ok, false, "source after target");
    assert.equal((await att(2n, 5n, 1)).ok, true, "identical re-sign");
    assert.equal((await att(5n, 6n, 6)).ok, true);
  });

  it("checks a batch against its own earlier entries and persists it once", async () => {
    const verdicts = await db.checkAndInsertAttestations([
      { pubkey: PK(0), source: 0n, target: 1n, signingRoot: ROOT(1) },
      { pubkey: PK(0), source: 0n, target: 1n, signingRoot: ROOT(2) },
      { pubkey: PK(1), source: 0n, target: 1n, signingRoot: ROOT(3) },
    ]);
    assert.deepEqual(
      verdicts.map((v) => v.ok),
      [true, false, true],
    );
    await db.close();
    db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR });
    assert.equal(db.watermarks(PK(0))?.attestation?.signingRoot, ROOT(1));
    assert.equal(db.watermarks(PK(1))?.attestation?.target, 1n);
  });

  it("rejects malformed signing requests with a typed error", async () => {
    await assert.rejects(
      db.checkAndInsertBlock({ pubkey: "0x1234", slot: 1n, signingRoot: null }),
      hasCode("ERR_SIGNING_REQUEST_INVALID"),
    );
    await assert.rejects(
      db.checkAndInsertAttestation({ pubkey: PK(0), source: -1n, target: 1n, signingRoot: null }),
      hasCode("ERR_SIGNING_REQUEST_INVALID"),
    );
    await assert.rejects(
      db.checkAndInsertBlock({ pubkey: PK(0), slot: 1n, signingRoot: "0xzz" }),
      hasCode("ERR_SIGNING_REQUEST_INVALID"),
    );
  });

  it("refuses a second opener of the same directory", async () => {
    await assert.rejects(
      SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR }),
      hasCode("ERR_SLASHING_DB_LOCKED"),
    );
  });

  it("refuses a DB or interchange of another chain", async () => {
    await db.checkAndInsertBlock({ pubkey: PK(0), slot: 1n, signingRoot: ROOT(1) });
    await db.close();
    await assert.rejects(
      SlashingProtectionDB.open({ dir, genesisValidatorsRoot: `0x${"33".repeat(32)}` }),
      hasCode("ERR_SLASHING_DB_GENESIS_MISMATCH"),
    );
    db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR });
    const other = { metadata: { interchange_format_version: "5", genesis_validators_root: ROOT(9) }, data: [] };
    await assert.rejects(db.importInterchange(other), hasCode("ERR_INTERCHANGE_GENESIS_MISMATCH"));
    const v4 = { metadata: { interchange_format_version: "4", genesis_validators_root: GVR }, data: [] };
    await assert.rejects(db.importInterchange(v4), hasCode("ERR_INTERCHANGE_VERSION"));
  });

  it("imports all-or-nothing: one bad record imports nothing", async () => {
    const doc = {
      metadata: { interchange_format_version: "5", genesis_validators_root: GVR },
      data: [
        { pubkey: PK(0), signed_blocks: [{ slot: "5" }], signed_attestations: [] },
        { pubkey: PK(1), signed_blocks: [{ slot: "-1" }], signed_attestations: [] },
      ],
    };
    await assert.rejects(db.importInterchange(doc), hasCode("ERR_INTERCHANGE_INVALID"));
    assert.equal(db.watermarks(PK(0)), undefined);
  });

  it("exports an interchange that another DB imports to the same protection", async () => {
    await db.checkAndInsertBlock({ pubkey: PK(0), slot: 7n, signingRoot: ROOT(1) });
    await db.checkAndInsertAttestation({ pubkey: PK(0), source: 3n, target: 4n, signingRoot: ROOT(2) });
    const exported = await db.exportInterchange();
    const dir2 = await mkdtemp(join(tmpdir(), "nektar-sp-db2-"));
    const db2 = await SlashingProtectionDB.open({ dir: dir2, genesisValidatorsRoot: GVR });
    try {
      assert.deepEqual(await db2.importInterchange(JSON.parse(JSON.stringify(exported))), {
        validators: 1,
        records: 2,
      });
      assert.equal((await db2.checkAndInsertBlock({ pubkey: PK(0), slot: 7n, signingRoot: ROOT(5) })).ok, false);
      assert.equal(
        (await db2.checkAndInsertAttestation({ pubkey: PK(0), source: 3n, target: 4n, signingRoot: ROOT(6) })).ok,
        false,
      );
      assert.deepEqual(await db2.exportInterchange(), exported);
    } finally {
      await db2.close();
      await rm(dir2, { recursive: true, force: true });
    }
  });

  it("cuts a torn journal tail at startup and keeps earlier records", async () => {
    await db.checkAndInsertBlock({ pubkey: PK(0), slot: 7n, signingRoot: ROOT(1) });
    await db.close();
    const journal = join(dir, JOURNAL_FILE);
    const sizeBefore = (await stat(journal)).size;
    // A torn record: plausible length prefix, half a payload.
    await appendFile(journal, Buffer.from([90, 0, 0, 0, 1, 2, 3, 4, 5]));
    db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR });
    assert.equal(db.watermarks(PK(0))?.block?.slot, 7n);
    assert.equal((await stat(journal)).size, sizeBefore);
    assert.equal((await db.checkAndInsertBlock({ pubkey: PK(0), slot: 8n, signingRoot: ROOT(2) })).ok, true);
  });

  it("ignores a record whose checksum does not match", async () => {
    await db.checkAndInsertBlock({ pubkey: PK(0), slot: 7n, signingRoot: ROOT(1) });
    await db.checkAndInsertBlock({ pubkey: PK(0), slot: 8n, signingRoot: ROOT(2) });
    await db.close();
    const journal = join(dir, JOURNAL_FILE);
    const bytes = await readFile(journal);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    await writeFile(journal, bytes);
    db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR });
    assert.equal(db.watermarks(PK(0))?.block?.slot, 7n);
  });

  it("compacts into a snapshot without losing state", async () => {
    await db.close();
    db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR, compactAfterBytes: 2048 });
    for (let t = 1n; t <= 40n; t++) {
      const v = await db.checkAndInsertAttestations(
        [0, 1, 2].map((i) => ({ pubkey: PK(i), source: t - 1n, target: t, signingRoot: ROOT(Number(t)) })),
      );
      assert.ok(v.every((x) => x.ok));
    }
    assert.ok((await stat(join(dir, SNAPSHOT_FILE))).size > 0, "no snapshot written");
    assert.ok((await stat(join(dir, JOURNAL_FILE))).size < 2048 + 300);
    await db.close();
    db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR });
    assert.deepEqual(db.watermarks(PK(2))?.attestation, { source: 39n, target: 40n, signingRoot: ROOT(40) });
  });

  it("keeps the batch whose append triggered a compaction", async () => {
    await db.close();
    db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR, compactAfterBytes: 1 });
    await db.checkAndInsertAttestations([{ pubkey: PK(0), source: 1n, target: 2n, signingRoot: ROOT(2) }]);
    await db.checkAndInsertBlock({ pubkey: PK(0), slot: 3n, signingRoot: ROOT(3) });
    await db.close();
    db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR });
    assert.deepEqual(db.watermarks(PK(0)), {
      block: { slot: 3n, signingRoot: ROOT(3) },
      attestation: { source: 1n, target: 2n, signingRoot: ROOT(2) },
    });
  });

  it("answers would-accept queries without recording anything", async () => {
    await db.checkAndInsertAttestation({ pubkey: PK(0), source: 1n, target: 2n, signingRoot: ROOT(2) });
    const req = { pubkey: PK(0), source: 2n, target: 3n, signingRoot: ROOT(3) };
    assert.equal(db.wouldAcceptAttestation(req).ok, true);
    assert.equal(db.wouldAcceptAttestation({ ...req, target: 2n }).ok, false);
    assert.equal(db.watermarks(PK(0))?.attestation?.target, 2n, "a query must not record");
    assert.equal(db.wouldAcceptBlock({ pubkey: PK(5), slot: 0n, signingRoot: null }).ok, true);
  });

  it("serves 10,000 validators: one batch per epoch, persisted once, intact after reopen", async () => {
    const n = 10_000;
    for (let target = 1n; target <= 2n; target++) {
      const verdicts = await db.checkAndInsertAttestations(
        Array.from({ length: n }, (_, i) => ({ pubkey: PK(i), source: target - 1n, target, signingRoot: ROOT(i) })),
      );
      assert.ok(verdicts.every((v) => v.ok));
    }
    await db.close();
    db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR });
    assert.equal(db.watermarks(PK(n - 1))?.attestation?.target, 2n);
    const exported = await db.exportInterchange();
    assert.equal(exported.data.length, n);
  });

  it("refuses a corrupt snapshot instead of starting empty", async () => {
    await db.compact();
    await db.close();
    await writeFile(join(dir, SNAPSHOT_FILE), "{not json");
    await assert.rejects(
      SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR }),
      hasCode("ERR_SLASHING_DB_CORRUPT"),
    );
    db = await SlashingProtectionDB.open({ dir: `${dir}-fresh`, genesisValidatorsRoot: GVR });
    await rm(`${dir}-fresh`, { recursive: true, force: true });
  });

  it("refuses work after close", async () => {
    await db.close();
    await assert.rejects(
      db.checkAndInsertBlock({ pubkey: PK(0), slot: 1n, signingRoot: null }),
      hasCode("ERR_SLASHING_DB_CLOSED"),
    );
  });
});
