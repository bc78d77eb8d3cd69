import "@nektar/beacon-devnet/preset";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { bellatrix } from "@lodestar/types";
import { registrationSigningRoot } from "@nektar/beacon-devnet";
import type { SignedDuty } from "../../../src/core/interfaces.ts";
import { SlotClock } from "../../../src/core/scheduler/slotClock.ts";
import { computeDutySigningRoot } from "../../../src/core/signer/signingRoot.ts";
import {
  BuilderRegistrations,
  REGISTRATION_PERIOD_EPOCHS,
  readRegistrations,
} from "../../../src/node/builderRegistrations.ts";
import { config, dealValidators, keysFor, SLOTS_PER_EPOCH } from "../core/pipeline/fixtures.ts";

const VAULT = new Uint8Array(20).fill(0xfe);

describe("builder registrations (builder_registration duty)", () => {
  const validators = dealValidators(1);
  const keys = keysFor(1, validators, VAULT);
  const index = (validators[0] as { index: number }).index;
  const clock = new SlotClock({ genesisTime: 1_000_000, secondsPerSlot: 12, slotsPerEpoch: SLOTS_PER_EPOCH });
  const regs = new BuilderRegistrations({ clock, keys, addDuty: () => {} });
  const def = (slot: number) => ({
    duty: { slot, type: "builder_registration" as const, validator: index },
    pubkey: keys.get(index).pubkey,
  });
  /** The combined registration of the duty at `slot` as the pipeline hands it to the broadcaster. */
  const combined = (slot: number, message: bellatrix.ValidatorRegistrationV1, signature: Uint8Array): SignedDuty => ({
    definition: def(slot),
    data: { type: "builder_registration", data: message },
    signature: { duty: def(slot).duty, signingRoot: new Uint8Array(32), signature },
  });

  it("every operator derives the same message: the lock's fee recipient, the group key, the period's start as timestamp", () => {
    const a = regs.registration(def(3 * SLOTS_PER_EPOCH));
    const b = regs.registration(def(7 * SLOTS_PER_EPOCH));
    assert.ok(a && b);
    assert.deepEqual(a, b, "same message within a period: the same signing root, the same group signature");
    assert.equal(Buffer.from(a.feeRecipient).toString("hex"), "fe".repeat(20));
    assert.equal(a.timestamp, 1_000_000);
    const next = regs.registration(def(REGISTRATION_PERIOD_EPOCHS * SLOTS_PER_EPOCH));
    assert.equal(next?.timestamp, 1_000_000 + REGISTRATION_PERIOD_EPOCHS * SLOTS_PER_EPOCH * 12);
    assert.deepEqual(
      regs.epoch(5).duties.map((d) => d.duty),
      [{ slot: 5 * SLOTS_PER_EPOCH, type: "builder_registration", validator: index }],
    );
  });

  it("signs under the builder domain exactly as the beacon node verifies it", () => {
    const message = regs.registration(def(SLOTS_PER_EPOCH));
    assert.ok(message);
    const ours = computeDutySigningRoot(config, SLOTS_PER_EPOCH, { type: "builder_registration", data: message });
    assert.deepEqual(Buffer.from(ours), Buffer.from(registrationSigningRoot(config, message)));
  });

  it("signs once: a published registration is cached and re-sent in later epochs without a duty", async () => {
    const cache = new BuilderRegistrations({ clock, keys, addDuty: () => {} });
    const message = cache.registration(def(3 * SLOTS_PER_EPOCH));
    assert.ok(message);
    const signature = new Uint8Array(96).fill(7);
    const signed = combined(3 * SLOTS_PER_EPOCH, message, signature);
    const inner = {
      broadcastBatch: async () => ({ published: [signed], duplicates: [], failed: [] }),
      prune: () => {},
    };
    await cache.observe(inner).broadcastBatch([signed]);
    const next = cache.epoch(4);
    assert.deepEqual(next.duties, [], "nothing to sign again");
    assert.deepEqual(next.resend, [{ message, signature }], "the cached signed message, unchanged");
    // A period's first epoch signs again (a node that lost its cache gets the others' partials there).
    assert.equal(cache.epoch(REGISTRATION_PERIOD_EPOCHS).duties.length, 1);
    assert.equal(cache.epoch(REGISTRATION_PERIOD_EPOCHS).resend.length, 0);
  });

  it("a change of fee recipient, gas limit or key is not served from the cache", async () => {
    const other = new BuilderRegistrations({ clock, keys, addDuty: () => {}, gasLimit: 30_000_000 });
    const message = regs.registration(def(SLOTS_PER_EPOCH));
    assert.ok(message);
    const signed = combined(SLOTS_PER_EPOCH, message, new Uint8Array(96));
    // Cached for gas limit 36 M; this node now asks for 30 M: the duty runs again.
    other.remember({ published: [signed], duplicates: [], failed: [] });
    assert.equal(other.epoch(2).duties.length, 1);
    assert.equal(other.epoch(2).resend.length, 0);
    // A refused registration is not cached either.
    const fresh = new BuilderRegistrations({ clock, keys, addDuty: () => {} });
    fresh.remember({ published: [], duplicates: [], failed: [{ item: signed, reason: "rejected" }] });
    assert.equal(fresh.epoch(2).duties.length, 1);
  });

  it("start() adds the next epoch's duties, and re-sends what is cached instead of signing it", () => {
    // Mid-epoch 4 of the first period: the next epoch (5) is no period start.
    const fixed = new SlotClock({
      genesisTime: 1_000_000,
      secondsPerSlot: 12,
      slotsPerEpoch: SLOTS_PER_EPOCH,
      nowMs: () => (1_000_000 + (4 * SLOTS_PER_EPOCH + 1) * 12) * 1000,
    });
    const run = (cached: boolean) => {
      const added: unknown[] = [];
      const sent: unknown[][] = [];
      const live = new BuilderRegistrations({
        clock: fixed,
        keys,
        addDuty: (d) => added.push(d.duty),
        resend: async (r) => {
          sent.push(r);
        },
      });
      const message = live.registration(def(5 * SLOTS_PER_EPOCH));
      assert.ok(message);
      const signed = { message, signature: new Uint8Array(96).fill(3) };
      if (cached)
        live.remember({
          published: [],
          duplicates: [combined(SLOTS_PER_EPOCH, message, signed.signature)],
          failed: [],
        });
      live.start();
      live.stop();
      return { added, sent, signed };
    };
    const first = run(false);
    assert.deepEqual(first.added, [{ slot: 5 * SLOTS_PER_EPOCH, type: "builder_registration", validator: index }]);
    assert.deepEqual(first.sent, []);
    const later = run(true);
    assert.deepEqual(later.added, [], "no duty: nothing is signed again");
    assert.deepEqual(later.sent, [[later.signed]], "the cached signed registration is sent");
  });

  it("kept in a file: a restarted node re-sends its registrations instead of signing; a damaged file is ignored", async () => {
    const dir = await mkdtemp(join(tmpdir(), "stinger-registrations-"));
    try {
      const file = join(dir, "builder-registrations.json");
      const message = regs.registration(def(SLOTS_PER_EPOCH));
      assert.ok(message);
      const before = new BuilderRegistrations({ clock, keys, addDuty: () => {}, file });
      before.remember({
        published: [combined(SLOTS_PER_EPOCH, message, new Uint8Array(96).fill(5))],
        duplicates: [],
        failed: [],
      });
      assert.deepEqual(readRegistrations(file), [{ message, signature: new Uint8Array(96).fill(5) }]);
      const restarted = new BuilderRegistrations({ clock, keys, addDuty: () => {}, file });
      assert.deepEqual(restarted.epoch(3), {
        duties: [],
        resend: [{ message, signature: new Uint8Array(96).fill(5) }],
      });
      // A truncated file or a wrong-shaped entry counts as nothing cached: the duty runs.
      writeFileSync(file, '{"registrations": [{"pubkey": "00"}]');
      assert.equal(new BuilderRegistrations({ clock, keys, addDuty: () => {}, file }).epoch(3).duties.length, 1);
      writeFileSync(file, JSON.stringify({ registrations: [{ feeRecipient: "zz", gasLimit: 1, timestamp: 1 }] }));
      assert.equal(new BuilderRegistrations({ clock, keys, addDuty: () => {}, file }).epoch(3).duties.length, 1);
      // A file that cannot be written is reported; the registration stays cached in memory.
      const errors: string[] = [];
      const unwritable = new BuilderRegistrations({
        clock,
        keys,
        addDuty: () => {},
        file: join(dir, "missing-dir", "r.json"),
        onPersistError: (e) => errors.push(e.message),
      });
      unwritable.remember({
        published: [combined(SLOTS_PER_EPOCH, message, new Uint8Array(96))],
        duplicates: [],
        failed: [],
      });
      assert.equal(errors.length, 1);
      assert.equal(unwritable.epoch(3).resend.length, 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
