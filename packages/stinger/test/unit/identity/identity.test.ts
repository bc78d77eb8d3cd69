import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { IdentityError } from "../../../src/identity/errors.ts";
import {
  createIdentity,
  IDENTITY_KEYSTORE_FILE,
  loadIdentity,
  parseImportedSeed,
  readOperatorRecord,
} from "../../../src/identity/identity.ts";
import { resolvePassword } from "../../../src/identity/password.ts";

const root = mkdtempSync(join(tmpdir(), "stinger-identity-"));
after(() => rmSync(root, { recursive: true, force: true }));
const EL = { address: "0x52908400098527886e0f7030069857d2e4169ee7" };

function code(e: unknown): string | undefined {
  return e instanceof IdentityError ? e.type.code : undefined;
}

describe("operator identity", () => {
  it("creates an Ed25519 identity that decrypts only with the right password", async () => {
    const dataDir = join(root, "a");
    const created = await createIdentity({ dataDir, password: "correct horse", elAccount: EL });
    assert.equal(created.peerId.type, "Ed25519");
    const loaded = await loadIdentity(dataDir, "correct horse");
    assert.equal(loaded.peerId.toString(), created.peerId.toString());
    assert.equal(loaded.record.elAccount.address, "0x52908400098527886E0F7030069857D2E4169EE7");
    await assert.rejects(loadIdentity(dataDir, "wrong horse"), (e) => code(e) === "ERR_IDENTITY_WRONG_PASSWORD");
  });

  it("stores no secret in clear", async () => {
    const dataDir = join(root, "b");
    const seed = parseImportedSeed("11".repeat(32));
    await createIdentity({ dataDir, password: "password1", elAccount: EL, seed });
    const text = readFileSync(join(dataDir, IDENTITY_KEYSTORE_FILE), "utf8");
    assert.ok(!text.includes("11".repeat(32)));
    assert.equal(JSON.parse(text).version, 4);
  });

  it("imports a seed deterministically and refuses to overwrite an existing identity", async () => {
    const seed = parseImportedSeed(`0x${"22".repeat(32)}`);
    const a = await createIdentity({ dataDir: join(root, "c"), password: "password1", elAccount: EL, seed });
    const b = await createIdentity({ dataDir: join(root, "d"), password: "password2", elAccount: EL, seed });
    assert.equal(a.peerId.toString(), b.peerId.toString());
    await assert.rejects(
      createIdentity({ dataDir: join(root, "c"), password: "password1", elAccount: EL }),
      (e) => code(e) === "ERR_IDENTITY_EXISTS",
    );
  });

  it("rejects bad input with typed errors", async () => {
    assert.throws(
      () => parseImportedSeed("abc"),
      (e) => code(e) === "ERR_IDENTITY_INVALID",
    );
    await assert.rejects(
      createIdentity({ dataDir: join(root, "e"), password: "short", elAccount: EL }),
      (e) => code(e) === "ERR_PASSWORD_UNAVAILABLE",
    );
    await assert.rejects(
      createIdentity({ dataDir: join(root, "e"), password: "long enough", elAccount: { address: "0x1234" } }),
      (e) => code(e) === "ERR_EL_ACCOUNT_INVALID",
    );
    assert.throws(
      () => readOperatorRecord(join(root, "nope")),
      (e) => code(e) === "ERR_IDENTITY_NOT_FOUND",
    );
  });

  it("resolves the password from file, then environment, and fails clearly without one", async () => {
    const file = join(root, "pw.txt");
    (await import("node:fs")).writeFileSync(file, "from-file\nignored\n");
    assert.equal(await resolvePassword({ file }, { STINGER_PASSWORD: "from-env" }), "from-file");
    assert.equal(await resolvePassword({}, { STINGER_PASSWORD: "from-env" }), "from-env");
    await assert.rejects(resolvePassword({}, {}), (e) => code(e) === "ERR_PASSWORD_UNAVAILABLE");
  });
});
