import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { decrypt } from "@chainsafe/bls-keystore";
import { SecretKey } from "@chainsafe/blst";
import { CeremonyError } from "../../../src/dkg/errors.ts";
import type { ClusterLock } from "../../../src/dkg/lock.ts";
import { DEPOSIT_DATA_FILE, LOCK_FILE, SHARE_KEYSTORE_FILE, writeCeremonyOutputs } from "../../../src/dkg/outputs.ts";

const root = mkdtempSync(join(tmpdir(), "stinger-outputs-"));
after(() => rmSync(root, { recursive: true, force: true }));
const secretKey = Uint8Array.from(Buffer.from(`${"00".repeat(31)}07`, "hex"));
const share = { secretKey, publicKey: SecretKey.fromBytes(secretKey).toPublicKey().toBytes(), shareIndex: 1 };
const lock = { version: "nektar-cluster-lock/v1", groupPublicKey: "0xaa" } as unknown as ClusterLock;
const deposit = { pubkey: "aa" } as never;

describe("writeCeremonyOutputs", () => {
  it("writes keystore, lock and deposit data together, and never over an existing output", async () => {
    const dir = join(root, "validators", "dv-1");
    const paths = await writeCeremonyOutputs(dir, lock, deposit, share, "share password", "pbkdf2");
    assert.deepEqual(readdirSync(dir).sort(), [DEPOSIT_DATA_FILE, LOCK_FILE, SHARE_KEYSTORE_FILE].sort());
    assert.deepEqual(await decrypt(JSON.parse(readFileSync(paths.keystore, "utf8")), "share password"), secretKey);
    await assert.rejects(
      writeCeremonyOutputs(dir, lock, deposit, share, "share password", "pbkdf2"),
      (e) => e instanceof CeremonyError && e.type.code === "ERR_CEREMONY_OUTPUT_EXISTS",
    );
    assert.deepEqual(
      readdirSync(join(root, "validators")).filter((d) => d.startsWith(".staging")),
      [],
    );
  });

  it("leaves either a complete output directory or none when killed with SIGKILL", async () => {
    const base = join(root, "killed");
    const script = `
      import { writeCeremonyOutputs } from ${JSON.stringify(new URL("../../../src/dkg/outputs.ts", import.meta.url).href)};
      const sk = Uint8Array.from(Buffer.from(${JSON.stringify(`${"00".repeat(31)}07`)}, "hex"));
      const pk = Uint8Array.from(Buffer.from(${JSON.stringify(Buffer.from(share.publicKey).toString("hex"))}, "hex"));
      const share = { secretKey: sk, publicKey: pk, shareIndex: 1 };
      const lock = { version: "v", groupPublicKey: "0x" + "ab".repeat(48), pad: "x".repeat(200000) };
      for (let i = 0; ; i++) {
        await writeCeremonyOutputs(${JSON.stringify(base)} + "/validators/dv-" + i, lock, { pad: "y".repeat(200000) }, share, "pw", "pbkdf2");
        process.stdout.write(".");
      }
    `;
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      await new Promise((r) => setTimeout(r, 30 + round * 41));
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      const parent = join(base, "validators");
      for (const d of readdirSync(parent).filter((x) => x.startsWith("dv-"))) {
        for (const f of [SHARE_KEYSTORE_FILE, LOCK_FILE, DEPOSIT_DATA_FILE]) {
          assert.ok(existsSync(join(parent, d, f)), `${d}/${f} exists`);
          JSON.parse(readFileSync(join(parent, d, f), "utf8"));
        }
      }
      rmSync(base, { recursive: true, force: true });
    }
  });
});
