import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { SlashingProtectionDB } from "../../../src/slashing/db.ts";

/**
 * The official EIP-3076 conformance vectors, kept unmodified in `test/vectors/eip3076` (source and version in its
 * README) so that a fresh clone needs nothing beside the repository.
 */
const VECTORS_DIR =
  process.env.EIP3076_VECTORS_DIR ?? fileURLToPath(new URL("../../vectors/eip3076/tests/generated", import.meta.url));

type Check = { should_succeed: boolean; should_succeed_complete: boolean };
type Vector = {
  name: string;
  genesis_validators_root: string;
  steps: {
    should_succeed: boolean;
    contains_slashable_data: boolean;
    interchange: unknown;
    blocks: ({ pubkey: string; slot: string; signing_root?: string } & Check)[];
    attestations: ({ pubkey: string; source_epoch: string; target_epoch: string; signing_root?: string } & Check)[];
  }[];
};

/**
 * The DB is "minimal plus identical re-signing": it must accept whatever a minimal client accepts and refuse whatever
 * a complete client refuses; in between (re-signing the same root at the watermark) either answer is allowed.
 */
function assertAllowed(ok: boolean, c: Check, what: string): void {
  if (c.should_succeed) assert.equal(ok, true, `${what}: minimal strategy must accept`);
  if (!c.should_succeed_complete) assert.equal(ok, false, `${what}: slashable, must refuse`);
}

const files = (await readdir(VECTORS_DIR)).filter((f) => f.endsWith(".json")).sort();

describe("EIP-3076 interchange vectors", () => {
  it("finds the vectors", () => assert.ok(files.length >= 38, `only ${files.length} vectors in ${VECTORS_DIR}`));

  for (const file of files) {
    it(file, async () => {
      const v = JSON.parse(await readFile(join(VECTORS_DIR, file), "utf8")) as Vector;
      const dir = await mkdtemp(join(tmpdir(), "nektar-sp-"));
      let db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: v.genesis_validators_root });
      try {
        for (const [i, step] of v.steps.entries()) {
          if (!step.should_succeed) {
            await assert.rejects(db.importInterchange(step.interchange), `step ${i}: import must fail`);
            continue;
          }
          await db.importInterchange(step.interchange);
          for (const [j, b] of step.blocks.entries()) {
            const verdict = await db.checkAndInsertBlock({
              pubkey: b.pubkey,
              slot: BigInt(b.slot),
              signingRoot: b.signing_root ?? null,
            });
            assertAllowed(verdict.ok, b, `step ${i} block ${j} slot ${b.slot}`);
          }
          for (const [j, a] of step.attestations.entries()) {
            const verdict = await db.checkAndInsertAttestation({
              pubkey: a.pubkey,
              source: BigInt(a.source_epoch),
              target: BigInt(a.target_epoch),
              signingRoot: a.signing_root ?? null,
            });
            assertAllowed(verdict.ok, a, `step ${i} attestation ${j} ${a.source_epoch}->${a.target_epoch}`);
          }
          // Every step must survive a restart: reopen from disk and compare the export.
          const before = await db.exportInterchange();
          await db.close();
          db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: v.genesis_validators_root });
          assert.deepEqual(await db.exportInterchange(), before, `step ${i}: state lost across reopen`);
        }
      } finally {
        await db.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
