/**
 * Property tests of the slashing-protection rules against the spec's definition of slashable, independent of the
 * implementation: over random sequences of imports and signing requests, nothing accepted is ever slashable with
 * anything signed or imported before, and the minimal strategy's guarantee (above every watermark ⇒ accepted) holds.
 * A second property runs the same sequences through the real DB with reopens in between and compares verdicts.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { SlashingProtectionDB } from "../../../src/slashing/db.ts";
import {
  type AttestationWatermark,
  type BlockWatermark,
  checkAttestation,
  checkBlock,
  mergeAttestation,
  mergeBlock,
} from "../../../src/slashing/rules.ts";

const PUBKEY = `0x${"aa".repeat(48)}`;
const GVR = `0x${"55".repeat(32)}`;
const root = (r: number): string | null => (r === 0 ? null : `0x${r.toString(16).padStart(64, "0")}`);

type Att = { kind: "att"; source: number; target: number; root: number };
type Block = { kind: "block"; slot: number; root: number };
type Op = { import: boolean; record: Att | Block };

const opArb: fc.Arbitrary<Op> = fc.record({
  import: fc.boolean(),
  record: fc.oneof(
    fc.record({
      kind: fc.constant("att" as const),
      source: fc.integer({ min: 0, max: 12 }),
      target: fc.integer({ min: 0, max: 12 }),
      root: fc.integer({ min: 0, max: 3 }),
    }),
    fc.record({
      kind: fc.constant("block" as const),
      slot: fc.integer({ min: 0, max: 12 }),
      root: fc.integer({ min: 0, max: 3 }),
    }),
  ),
});

/** Spec: slashable pairs of attestations (double vote or surround); unknown roots never prove identity. */
function attSlashable(a: Att, b: Att): boolean {
  const identical = a.source === b.source && a.target === b.target && a.root !== 0 && a.root === b.root;
  if (identical) return false;
  return (
    a.target === b.target ||
    (a.source < b.source && b.target < a.target) ||
    (b.source < a.source && a.target < b.target)
  );
}
function blockSlashable(a: Block, b: Block): boolean {
  return a.slot === b.slot && !(a.root !== 0 && a.root === b.root);
}

type Model = { block: BlockWatermark | null; att: AttestationWatermark | null };

function apply(m: Model, op: Op): boolean {
  const r = op.record;
  if (op.import) {
    if (r.kind === "att") m.att = mergeAttestation(m.att, BigInt(r.source), BigInt(r.target), root(r.root));
    else m.block = mergeBlock(m.block, BigInt(r.slot), root(r.root));
    return true;
  }
  if (r.kind === "att") {
    const req = { pubkey: PUBKEY, source: BigInt(r.source), target: BigInt(r.target), signingRoot: root(r.root) };
    const v = checkAttestation(m.att, req);
    if (v.ok) m.att = mergeAttestation(m.att, req.source, req.target, req.signingRoot);
    return v.ok;
  }
  const v = checkBlock(m.block, { pubkey: PUBKEY, slot: BigInt(r.slot), signingRoot: root(r.root) });
  if (v.ok) m.block = mergeBlock(m.block, BigInt(r.slot), root(r.root));
  return v.ok;
}

describe("slashing rules: properties", () => {
  it("never accepts anything slashable with the history, and accepts everything above the watermarks", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const model: Model = { block: null, att: null };
        const history: (Att | Block)[] = [];
        for (const op of ops) {
          const r = op.record;
          const above =
            r.kind === "att"
              ? r.source <= r.target &&
                history.every((h) => h.kind !== "att" || (h.source <= r.source && h.target < r.target))
              : history.every((h) => h.kind !== "block" || h.slot < r.slot);
          const ok = apply(model, op);
          if (!op.import) {
            if (ok) {
              for (const h of history) {
                if (h.kind === "att" && r.kind === "att")
                  assert.ok(!attSlashable(h, r), `slashable ${JSON.stringify([h, r])}`);
                if (h.kind === "block" && r.kind === "block")
                  assert.ok(!blockSlashable(h, r), `double block ${r.slot}`);
              }
            }
            if (above) assert.ok(ok, `refused ${JSON.stringify(r)} although above every watermark`);
          }
          if (op.import || ok) history.push(r);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it("gives the same verdicts through the real DB, across reopens", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nektar-sp-prop-"));
    try {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(opArb, { maxLength: 25 }),
          fc.integer({ min: 1, max: 8 }),
          async (ops, reopenEvery) => {
            const runDir = join(dir, String(run++));
            let db = await SlashingProtectionDB.open({ dir: runDir, genesisValidatorsRoot: GVR });
            const model: Model = { block: null, att: null };
            try {
              for (const [k, op] of ops.entries()) {
                const expected = apply(model, op);
                const r = op.record;
                let actual: boolean;
                if (op.import) {
                  const signed =
                    r.kind === "att"
                      ? {
                          signed_blocks: [],
                          signed_attestations: [
                            {
                              source_epoch: `${r.source}`,
                              target_epoch: `${r.target}`,
                              ...(r.root ? { signing_root: root(r.root) } : {}),
                            },
                          ],
                        }
                      : {
                          signed_blocks: [{ slot: `${r.slot}`, ...(r.root ? { signing_root: root(r.root) } : {}) }],
                          signed_attestations: [],
                        };
                  await db.importInterchange({
                    metadata: { interchange_format_version: "5", genesis_validators_root: GVR },
                    data: [{ pubkey: PUBKEY, ...signed }],
                  });
                  actual = true;
                } else if (r.kind === "att") {
                  actual = (
                    await db.checkAndInsertAttestation({
                      pubkey: PUBKEY,
                      source: BigInt(r.source),
                      target: BigInt(r.target),
                      signingRoot: root(r.root),
                    })
                  ).ok;
                } else {
                  actual = (
                    await db.checkAndInsertBlock({ pubkey: PUBKEY, slot: BigInt(r.slot), signingRoot: root(r.root) })
                  ).ok;
                }
                assert.equal(actual, expected, `op ${k}: ${JSON.stringify(op)}`);
                if ((k + 1) % reopenEvery === 0) {
                  await db.close();
                  db = await SlashingProtectionDB.open({ dir: runDir, genesisValidatorsRoot: GVR });
                }
              }
              const w = db.watermarks(PUBKEY);
              assert.deepEqual(w ?? { block: null, attestation: null }, { block: model.block, attestation: model.att });
            } finally {
              await db.close();
            }
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
