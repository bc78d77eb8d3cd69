/**
 * `stinger slashing export|import` against the official EIP-3076 vectors: every step's interchange goes in through
 * `import`, comes out through `export`, and goes into a fresh data directory through `import` again; the step's
 * signing checks then run against that round-tripped DB and must give the verdicts the vector demands. Exporting the
 * round-tripped DB again gives the same document (a fixpoint).
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runStinger } from "../../../src/cli/main.ts";
import { slashingDbDir } from "../../../src/cli/slashing.ts";
import { SlashingProtectionDB } from "../../../src/slashing/db.ts";
import { checkStep, VECTORS_DIR, type Vector, vectorFiles } from "../../support/eip3076.ts";

async function stinger(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runStinger(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const files = await vectorFiles();

describe("stinger slashing export|import", () => {
  let root: string;
  let n = 0;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "stinger-slashing-cli-"));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const fresh = () => join(root, `node${++n}`);

  it("finds the vectors", () => assert.ok(files.length >= 38, `only ${files.length} vectors in ${VECTORS_DIR}`));

  for (const file of files) {
    it(`round-trips ${file}`, async () => {
      const v = JSON.parse(await readFile(join(VECTORS_DIR, file), "utf8")) as Vector;
      const gvr = ["--genesis-validators-root", v.genesis_validators_root];
      let dataDir = fresh();
      for (const [i, step] of v.steps.entries()) {
        const input = join(root, `in-${n}-${i}.json`);
        await writeFile(input, JSON.stringify(step.interchange));
        const imported = await stinger(["slashing", "import", input, "--data-dir", dataDir, ...gvr, "--json"]);
        if (!step.should_succeed) {
          assert.notEqual(imported.code, 0, `step ${i}: import must fail`);
          assert.match(JSON.parse(imported.out.join("")).error.code, /^ERR_INTERCHANGE_|^ERR_SLASHING_/);
          continue;
        }
        assert.equal(imported.code, 0, `step ${i}: ${imported.err.join("\n")}`);
        const exported = join(root, `out-${n}-${i}.json`);
        const ex = await stinger(["slashing", "export", "--data-dir", dataDir, ...gvr, "--out", exported, "--json"]);
        assert.equal(ex.code, 0, ex.err.join("\n"));
        // The exported document goes into a fresh node: the step's checks run there.
        dataDir = fresh();
        const again = await stinger(["slashing", "import", exported, "--data-dir", dataDir]);
        assert.equal(again.code, 0, again.err.join("\n"));
        const reexport = await stinger(["slashing", "export", "--data-dir", dataDir, ...gvr]);
        assert.deepEqual(
          JSON.parse(reexport.out.join("\n")),
          JSON.parse(await readFile(exported, "utf8")),
          `step ${i}: export is not a fixpoint`,
        );
        const db = await SlashingProtectionDB.open({
          dir: slashingDbDir(dataDir),
          genesisValidatorsRoot: v.genesis_validators_root,
        });
        try {
          await checkStep(db, step, i);
        } finally {
          await db.close();
        }
      }
    });
  }

  it("refuses while the DB is in use, and answers bad input before touching the DB", async () => {
    const dataDir = fresh();
    const root32 = `0x${"11".repeat(32)}`;
    const db = await SlashingProtectionDB.open({ dir: slashingDbDir(dataDir), genesisValidatorsRoot: root32 });
    try {
      const busy = await stinger(["slashing", "export", "--data-dir", dataDir, "--genesis-validators-root", root32]);
      assert.notEqual(busy.code, 0);
      assert.match(busy.err.join("\n"), /in use/);
    } finally {
      await db.close();
    }
    const noChain = await stinger(["slashing", "export", "--data-dir", dataDir, "--json"]);
    assert.equal(noChain.code, 2);
    assert.match(JSON.parse(noChain.out.join("")).error.message, /--genesis-validators-root/);
    const badRoot = await stinger(["slashing", "export", "--data-dir", dataDir, "--genesis-validators-root", "0x12"]);
    assert.equal(badRoot.code, 2);
    const missing = await stinger(["slashing", "import", join(root, "absent.json"), "--data-dir", dataDir]);
    assert.equal(missing.code, 2);
    const otherChain = join(root, "other-chain.json");
    await writeFile(
      otherChain,
      JSON.stringify({
        metadata: { interchange_format_version: "5", genesis_validators_root: `0x${"22".repeat(32)}` },
        data: [],
      }),
    );
    const wrong = await stinger([
      "slashing",
      "import",
      otherChain,
      "--data-dir",
      dataDir,
      "--genesis-validators-root",
      root32,
      "--json",
    ]);
    assert.notEqual(wrong.code, 0);
    assert.equal(JSON.parse(wrong.out.join("")).error.code, "ERR_INTERCHANGE_GENESIS_MISMATCH");
  });
});
