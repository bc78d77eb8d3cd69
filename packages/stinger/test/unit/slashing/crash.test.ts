import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { SlashingProtectionDB } from "../../../src/slashing/db.ts";

const GVR = `0x${"11".repeat(32)}`;
const VALIDATORS = 200;
const CHILD = join(import.meta.dirname, "crashChild.ts");
const children = new Set<ChildProcess>();
after(() => {
  for (const c of children) if (c.exitCode === null && c.pid !== undefined) process.kill(c.pid, "SIGKILL");
});

/** Runs the child until it acked `minAcks` batches plus a random extra delay, then SIGKILLs it mid-write. */
async function runAndKill(dir: string, firstTarget: bigint, minAcks: number, extraMs: number): Promise<bigint> {
  const child = spawn(
    process.execPath,
    [CHILD, dir, GVR, String(VALIDATORS), firstTarget.toString(), String(48 * 1024)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  children.add(child);
  let lastAcked = firstTarget - 1n;
  let acks = 0;
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    let buf = "";
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl = buf.indexOf("\n");
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith("acked ")) {
          lastAcked = BigInt(line.slice(6));
          if (++acks === minAcks) setTimeout(resolve, extraMs);
        }
        nl = buf.indexOf("\n");
      }
    });
    child.on("exit", () => reject(new Error(`child exited early: ${stderr}`)));
  });
  assert.ok(child.pid !== undefined);
  process.kill(child.pid, "SIGKILL");
  assert.equal(await exited, "SIGKILL");
  children.delete(child);
  return lastAcked;
}

describe("slashing DB crash safety (SIGKILL during writes)", () => {
  it("keeps every acknowledged record and refuses conflicting data after each restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nektar-sp-crash-"));
    try {
      let next = 1n;
      for (let round = 0; round < 6; round++) {
        const acked = await runAndKill(dir, next, 3 + round * 2, round * 7);
        const db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR });
        try {
          for (let i = 0; i < VALIDATORS; i += 37) {
            const pubkey = `0x${i.toString(16).padStart(96, "0")}`;
            const w = db.watermarks(pubkey);
            assert.ok(w?.attestation, `validator ${i} lost its history`);
            // Batches not yet acked may or may not be on disk; acked ones must be.
            assert.ok(w.attestation.target >= acked, `acked target ${acked} lost (have ${w.attestation.target})`);
            const conflicting = await db.checkAndInsertAttestation({
              pubkey,
              source: acked - 1n,
              target: acked,
              signingRoot: `0x${"bb".repeat(32)}`,
            });
            assert.equal(conflicting.ok, false, "double vote accepted after crash");
            const surrounding = await db.checkAndInsertAttestation({
              pubkey,
              source: 0n,
              target: w.attestation.target + 1n,
              signingRoot: `0x${"cc".repeat(32)}`,
            });
            assert.equal(surrounding.ok, acked <= 1n, "surrounding vote accepted after crash");
          }
          next = (db.watermarks(`0x${"0".repeat(96)}`)?.attestation?.target ?? 0n) + 1n;
        } finally {
          await db.close();
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
