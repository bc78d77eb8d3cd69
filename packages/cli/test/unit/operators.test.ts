import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createIdentities } from "../../src/devnet/operators.ts";
import { REPO_ROOT, STINGER_CLI } from "../../src/devnet/paths.ts";

const dir = mkdtempSync(join(tmpdir(), "nektar-identities-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("devnet operator identities", () => {
  it("come from the operator record `stinger init` writes, and are reused on resume", async () => {
    const create = () =>
      createIdentities({ count: 2, dir, stingerCli: STINGER_CLI, cwd: REPO_ROOT, onProgress: () => {} });
    const identities = await create();
    for (const id of identities) {
      const record = JSON.parse(readFileSync(join(id.dataDir, "operator.json"), "utf8"));
      assert.equal(id.peerId, record.peerId);
      assert.equal(id.identityPubkey, record.identityPubkey);
      assert.match(id.identityPubkey, /^0x[0-9a-f]{64}$/);
    }
    assert.notEqual(identities[0]?.peerId, identities[1]?.peerId);
    assert.deepEqual(await create(), identities);
  });
});
