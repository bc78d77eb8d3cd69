import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SlashingProtectionDB } from "../../../src/slashing/db.ts";
import { checkStep, VECTORS_DIR, type Vector, vectorFiles } from "../../support/eip3076.ts";

const files = await vectorFiles();

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
          await checkStep(db, step, i);
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
