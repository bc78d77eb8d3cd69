/**
 * The official EIP-3076 conformance vectors, kept unmodified in `test/vectors/eip3076` (source and version in its
 * README) so that a fresh clone needs nothing beside the repository; shared by the DB and the command-line tests.
 */
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { SlashingProtectionDB } from "../../src/slashing/db.ts";

export const VECTORS_DIR =
  process.env.EIP3076_VECTORS_DIR ?? fileURLToPath(new URL("../vectors/eip3076/tests/generated", import.meta.url));

type Check = { should_succeed: boolean; should_succeed_complete: boolean };
export type VectorStep = {
  should_succeed: boolean;
  contains_slashable_data: boolean;
  interchange: unknown;
  blocks: ({ pubkey: string; slot: string; signing_root?: string } & Check)[];
  attestations: ({ pubkey: string; source_epoch: string; target_epoch: string; signing_root?: string } & Check)[];
};
export type Vector = { name: string; genesis_validators_root: string; steps: VectorStep[] };

export const vectorFiles = async (): Promise<string[]> =>
  (await readdir(VECTORS_DIR)).filter((f) => f.endsWith(".json")).sort();

/**
 * The DB is "minimal plus identical re-signing": it must accept whatever a minimal client accepts and refuse whatever
 * a complete client refuses; in between (re-signing the same root at the watermark) either answer is allowed.
 */
function assertAllowed(ok: boolean, c: Check, what: string): void {
  if (c.should_succeed) assert.equal(ok, true, `${what}: minimal strategy must accept`);
  if (!c.should_succeed_complete) assert.equal(ok, false, `${what}: slashable, must refuse`);
}

/** Runs a step's signing checks (in order, each recorded when accepted) against `db`, asserting the vector's verdicts. */
export async function checkStep(db: SlashingProtectionDB, step: VectorStep, i: number): Promise<void> {
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
}
