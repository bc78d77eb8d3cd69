import "@nektar/beacon-devnet/preset";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { registrationSigningRoot } from "@nektar/beacon-devnet";
import { SlotClock } from "../../../src/core/scheduler/slotClock.ts";
import { computeDutySigningRoot } from "../../../src/core/signer/signingRoot.ts";
import { BuilderRegistrations, REGISTRATION_PERIOD_EPOCHS } from "../../../src/node/builderRegistrations.ts";
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
      regs.duties(5).map((d) => d.duty),
      [{ slot: 5 * SLOTS_PER_EPOCH, type: "builder_registration", validator: index }],
    );
  });

  it("signs under the builder domain exactly as the beacon node verifies it", () => {
    const message = regs.registration(def(SLOTS_PER_EPOCH));
    assert.ok(message);
    const ours = computeDutySigningRoot(config, SLOTS_PER_EPOCH, { type: "builder_registration", data: message });
    assert.deepEqual(Buffer.from(ours), Buffer.from(registrationSigningRoot(config, message)));
  });
});
