import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runCli } from "../../cli/program.ts";
import {
  FINALITY_ERROR_HINTS,
  FinalityCertificateError,
  FinalityEvidenceError,
  FinalityRelayRevertedError,
  NotAFinalityRelayError,
  RelayArtifactError,
} from "../../client/index.ts";

const dir = mkdtempSync(join(tmpdir(), "finality-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("finality-network command line: bad input fails before any chain access", () => {
  it("lists its commands", async () => {
    const r = await run("--help");
    assert.equal(r.code, 0);
    for (const c of ["status", "register-key", "pay-rewards", "slash", "certify"]) assert.match(r.out, new RegExp(c));
  });

  it("refuses slash without exactly one kind of evidence, with a hint", async () => {
    const r = await run("slash", "--key-file", "k", "--operator", "0x0000000000000000000000000000000000000001");
    assert.equal(r.code, 2);
    assert.match(r.err, /give exactly one of --certified-epoch and --evidence/);
    assert.match(r.err, /hint: /);
  });

  it("refuses a bad operator address and an unreadable or malformed evidence file", async () => {
    const bad = await run("slash", "--key-file", "k", "--operator", "0x12", "--certified-epoch", "3");
    assert.equal(bad.code, 2);
    assert.match(bad.err, /operator/);
    const missing = join(dir, "missing.json");
    const unreadable = await run(
      "slash",
      "--key-file",
      "k",
      "--operator",
      "0x0000000000000000000000000000000000000001",
      "--evidence",
      missing,
    );
    assert.equal(unreadable.code, 2);
    assert.match(unreadable.err, /cannot read the evidence file/);
    const wrong = join(dir, "wrong.json");
    writeFileSync(wrong, JSON.stringify({ kind: "double-sign", first: { statement: { epoch: 1 } }, second: {} }));
    const r = await run(
      "slash",
      "--json",
      "--key-file",
      "k",
      "--operator",
      "0x0000000000000000000000000000000000000001",
      "--evidence",
      wrong,
    );
    assert.equal(r.code, 2);
    const body = JSON.parse(r.out) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "ERR_CLI_USAGE");
    assert.match(body.error.message, /a signed statement needs/);
  });

  it("refuses a certify signatures file that is unreadable, empty or malformed, before any chain access", async () => {
    const certify = (file: string) => run("certify", "--json", "--key-file", "k", "--signatures", file);
    const message = async (file: string, code = "ERR_CLI_USAGE") => {
      const r = await certify(file);
      assert.equal(r.code, 2);
      const body = JSON.parse(r.out) as { error: { code: string; message: string } };
      assert.equal(body.error.code, code);
      return body.error.message;
    };
    assert.match(await message(join(dir, "none.json")), /cannot read the signatures file/);
    const file = join(dir, "sigs.json");
    const statement = {
      epoch: "7",
      checkpointRoot: `0x${"11".repeat(32)}`,
      executionBlockHash: `0x${"22".repeat(32)}`,
    };
    writeFileSync(file, JSON.stringify({ statement, signatures: [] }));
    assert.match(await message(file), /non-empty list/);
    writeFileSync(file, JSON.stringify({ statement, signatures: [{ operator: "0x12", signature: "0xab" }] }));
    assert.match(await message(file, "ERR_INVALID_ADDRESS"), /operator/);
    const operator = "0x0000000000000000000000000000000000000001";
    writeFileSync(file, JSON.stringify({ statement, signatures: [{ operator, signature: "zz" }] }));
    assert.match(await message(file), /0x-hex/);
    writeFileSync(file, JSON.stringify({ statement: { epoch: 1 }, signatures: [{ operator, signature: "0xab" }] }));
    assert.match(await message(file), /a signed statement needs/);
  });

  it("has a hint for every error code of the client", () => {
    for (const e of [
      new FinalityRelayRevertedError("payRewards", "NothingToPay", [1n]),
      new NotAFinalityRelayError("0x0000000000000000000000000000000000000001"),
      new FinalityEvidenceError("bad", "fix it"),
      new FinalityCertificateError("bad", "fix it"),
      new RelayArtifactError("/x.json", new Error("missing")),
    ]) {
      assert.ok(e.type.code in FINALITY_ERROR_HINTS, `no hint for ${e.type.code}`);
      assert.ok(e.hint, `${e.type.code} carries its own hint`);
    }
  });

  it("needs a manifest and a relay", async () => {
    const r = await run("status", "--manifest", join(dir, "nope.json"));
    assert.equal(r.code, 2);
    assert.match(r.err, /manifest/i);
  });
});
