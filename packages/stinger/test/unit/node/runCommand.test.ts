import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";

const BIN = new URL("../../../bin/stinger.js", import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), "stinger-run-"));
after(() => rmSync(root, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, "run", "--data-dir", join(root, "node"), ...args], {
    encoding: "utf8",
    env: { ...process.env, STINGER_PASSWORD: "unused", STINGER_BEACON_NODE: "" },
    timeout: 60_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("stinger run: bad input is refused before anything starts", () => {
  it("needs a Beacon API URL, a known agreement protocol, a 4-byte fork version and a private signer key file", () => {
    const beacon = ["--beacon-node", "http://127.0.0.1:1"];
    const noBeacon = run([]);
    assert.equal(noBeacon.code, 2, noBeacon.out);
    assert.match(noBeacon.out, /--beacon-node <url\[,url…\]> is required/);
    const notUrl = run(["--beacon-node", "localhost:5052"]);
    assert.match(notUrl.out, /--beacon-node <url\[,url…\]> is required/);
    const oneNotUrl = run(["--beacon-node", "http://127.0.0.1:1,localhost:5052"]);
    assert.equal(oneNotUrl.code, 2, "every URL of the list is checked");
    const agreement = run([...beacon, "--agreement", "pbft"]);
    assert.equal(agreement.code, 2);
    assert.match(agreement.out, /--agreement must be one-round or qbft, got pbft/);
    const fork = run([...beacon, "--fork-version", "0x1234"]);
    assert.notEqual(fork.code, 0);
    assert.match(fork.out, /must be 0x-prefixed hex of 4 bytes/);
    const timeout = run([...beacon, "--agreement-timeout-ms", "0"]);
    assert.notEqual(timeout.code, 0);
    assert.match(timeout.out, /expected a positive integer/);
    const keyFile = join(root, "signer.key");
    writeFileSync(keyFile, `0x${"11".repeat(32)}\n`, { mode: 0o644 });
    const open = run([...beacon, "--signer-key-file", keyFile]);
    assert.equal(open.code, 2);
    assert.match(open.out, /error: key file .*permissions too open.*\nhint: .*chmod 600/);
    assert.doesNotMatch(open.out, /11{16}/, "the key is never printed");
    const missing = run([...beacon, "--signer-key-file", join(root, "absent.key")]);
    assert.match(missing.out, /error: key file .*absent\.key: not found/);
  });
});
