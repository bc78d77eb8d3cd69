/**
 * Capacity load generator: drives one operator's duty pipeline steps with simulated attestation duties for N
 * validators at mainnet timing (12 s slots, 32-slot epochs → N/32 attesters per slot) and measures the CPU time per
 * slot of everything on this node's critical path: signing N/32 partials behind the slashing DB (one fsynced batch),
 * encoding its partial batch, decoding the 15 other operators' batches, collecting them (parsigdb) and combining 11
 * partials per validator with the group-key check (sigagg). A slot is "on time" when this work fits in 4 s (attestations
 * are due one third into the slot; the other core is left to libp2p and the beacon node).
 * Usage: node bench/dutiesCapacity.ts [N ...]   (default 1000 5000 10000 20000)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBeaconConfig, createChainForkConfig } from "@lodestar/config";
import { chainConfig } from "@lodestar/config/default";
import type { PartialSignature } from "../src/core/interfaces.ts";
import { PartialSignatureDB } from "../src/core/parsigdb/parSigDb.ts";
import { decodePartialBatch, encodePartialBatch } from "../src/core/parsigex/codec.ts";
import { ThresholdSigAgg } from "../src/core/sigagg/sigAgg.ts";
import { ShareSigner } from "../src/core/signer/signer.ts";
import { ValidatorKeys } from "../src/core/signer/validatorKeys.ts";
import { SlashingProtectionDB } from "../src/slashing/db.ts";
import { trustedDealerSplitForTests } from "../test/e2e/dutiesSupport/trustedDealer.ts";

const OPERATORS = 16;
const THRESHOLD = 11;
const SLOTS_PER_EPOCH = 32;
const BUDGET_MS = 4000;
const GVR = new Uint8Array(32).fill(7);
const config = createBeaconConfig(
  createChainForkConfig({
    ...chainConfig,
    ALTAIR_FORK_EPOCH: 0,
    BELLATRIX_FORK_EPOCH: 0,
    CAPELLA_FORK_EPOCH: 0,
    DENEB_FORK_EPOCH: 0,
    ELECTRA_FORK_EPOCH: 0,
  }),
  GVR,
);

async function slotCost(validators: number, slot: number): Promise<Record<string, number>> {
  const perSlot = Math.ceil(validators / SLOTS_PER_EPOCH);
  const dealt = Array.from({ length: perSlot }, (_, i) => ({
    index: i,
    dealt: trustedDealerSplitForTests(OPERATORS, THRESHOLD),
  }));
  const keysOf = (share: number) =>
    new ValidatorKeys(
      share,
      dealt.map((v) => ({
        index: v.index,
        pubkey: v.dealt.pubkey,
        sharePublicKeys: v.dealt.sharePublicKeys,
        secretShare: v.dealt.secretShares[share - 1] as Uint8Array,
      })),
    );
  const dir = await mkdtemp(join(tmpdir(), "stinger-capacity-"));
  const dbs: SlashingProtectionDB[] = [];
  try {
    const data = {
      slot,
      index: 0,
      beaconBlockRoot: new Uint8Array(32).fill(3),
      source: { epoch: Math.floor(slot / 32) - 1, root: new Uint8Array(32).fill(1) },
      target: { epoch: Math.floor(slot / 32), root: new Uint8Array(32).fill(2) },
    };
    const items = dealt.map((v) => ({
      duty: { slot, type: "attester" as const, validator: v.index },
      data: { type: "attester" as const, data },
    }));
    // The other operators' batches (generated outside the timed section).
    const others: Uint8Array[] = [];
    for (let op = 2; op <= OPERATORS; op++) {
      const db = await SlashingProtectionDB.open({
        dir: join(dir, `op${op}`),
        genesisValidatorsRoot: `0x${Buffer.from(GVR).toString("hex")}`,
      });
      dbs.push(db);
      const outs = await new ShareSigner({ config, slotsPerEpoch: SLOTS_PER_EPOCH, keys: keysOf(op), db }).signBatch(
        items,
      );
      others.push(
        encodePartialBatch(
          slot,
          outs.flatMap((o) => (o.ok ? [o.partial] : [])),
        ),
      );
    }
    const self = await SlashingProtectionDB.open({
      dir: join(dir, "op1"),
      genesisValidatorsRoot: `0x${Buffer.from(GVR).toString("hex")}`,
    });
    dbs.push(self);
    const keys = keysOf(1);
    const signer = new ShareSigner({ config, slotsPerEpoch: SLOTS_PER_EPOCH, keys, db: self });
    const sigAgg = new ThresholdSigAgg({ keys, threshold: THRESHOLD });
    const t: Record<string, number> = {};
    // CPU time of this process (user + system), not wall time: the bench machine is shared with other jobs.
    const cpuMs = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    let mark = cpuMs();
    const lap = (name: string) => {
      const now = cpuMs();
      t[name] = now - mark;
      mark = now;
    };
    const own = (await signer.signBatch(items)).flatMap((o) => (o.ok ? [o.partial] : []));
    lap("sign");
    const encoded = encodePartialBatch(slot, own);
    lap("encode");
    const ready: PartialSignature[][] = [];
    const db = new PartialSignatureDB({ threshold: THRESHOLD, onThreshold: (ps) => ready.push(ps) });
    for (const p of own) {
      db.expect(p.duty, p.signingRoot);
      db.add(p);
    }
    for (const [i, bytes] of others.entries()) {
      const d = decodePartialBatch(bytes, i + 2);
      if (d.ok) for (const p of d.partials) db.add(p);
    }
    lap("collect");
    for (const ps of ready) {
      db.markDone((ps[0] as PartialSignature).duty);
      await sigAgg.aggregate(ps);
    }
    lap("combine");
    t.total = Object.values(t).reduce((a, b) => a + b, 0);
    t.perSlot = perSlot;
    t.batchKiB = encoded.length / 1024;
    return t;
  } finally {
    for (const d of dbs) await d.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const rows = [];
for (const n of sizes.length > 0 ? sizes : [1000, 5000, 10000, 20000]) {
  const t = await slotCost(n, 32 * 10 + 5);
  rows.push({
    validators: n,
    "attesters/slot": t.perSlot,
    "sign CPU ms": (t.sign ?? 0).toFixed(1),
    "collect CPU ms": (t.collect ?? 0).toFixed(1),
    "combine CPU ms": (t.combine ?? 0).toFixed(1),
    "total CPU ms/slot": (t.total ?? 0).toFixed(1),
    "batch KiB": (t.batchKiB ?? 0).toFixed(1),
    "on time (≤ 4 s)": (t.total ?? Number.POSITIVE_INFINITY) <= BUDGET_MS ? "yes" : "no",
  });
}
console.log("Duty pipeline capacity, one operator, mainnet timing (12 s slots, 32-slot epochs), attestation duties");
console.table(rows);
