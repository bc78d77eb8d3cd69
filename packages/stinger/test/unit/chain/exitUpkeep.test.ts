import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ValidatorExit } from "@nektar/sdk";
import {
  EXIT_DUTY_DELAY_EPOCHS,
  EXIT_DUTY_RETRY_EPOCHS,
  exitDutySlot,
  planExit,
} from "../../../src/chain/exitUpkeep.ts";

const clock = { genesisTime: 1_000, secondsPerSlot: 12, slotsPerEpoch: 8 };
const at = (slot: number) => clock.genesisTime + slot * clock.secondsPerSlot;
/** An exit requested at slot 100 (epoch 12); the EIP-7002 window opens an hour later. */
const exit: ValidatorExit = {
  validatorId: 3n,
  reason: "withdrawal-demand",
  requestedAt: BigInt(at(100)),
  lastWithdrawalRequestAt: 0n,
  withdrawalRequestAfter: BigInt(at(100) + 3_600),
  settled: false,
};
const plan = (over: Partial<Parameters<typeof planExit>[0]>) =>
  planExit({ exit, beaconStatus: "active_ongoing", position: 0, clock, nowSeconds: at(101), turnSeconds: 24, ...over });

describe("exit upkeep: the slot every member signs the voluntary exit at", () => {
  it("is the first slot of the epoch two after the request's, for every member looking before it", () => {
    const first = (12 + EXIT_DUTY_DELAY_EPOCHS) * clock.slotsPerEpoch;
    for (const now of [100, 103, 111]) assert.equal(exitDutySlot(clock, exit.requestedAt, now), first);
  });

  it("moves to the next retry epoch once it has begun, and is always ahead of now", () => {
    const first = 12 + EXIT_DUTY_DELAY_EPOCHS;
    assert.equal(exitDutySlot(clock, exit.requestedAt, 112), (first + EXIT_DUTY_RETRY_EPOCHS) * 8);
    for (let now = 100; now < 400; now++) {
      const slot = exitDutySlot(clock, exit.requestedAt, now);
      assert.ok(slot > now, `slot ${slot} at ${now}`);
      assert.equal(slot % 8, 0);
      assert.equal((slot / 8 - first) % EXIT_DUTY_RETRY_EPOCHS, 0, "only retry epochs: members converge");
    }
  });
});

describe("exit upkeep: what one operator does", () => {
  it("nothing without an exit request, once settled, or once the beacon chain shows the exit", () => {
    assert.deepEqual(plan({ exit: { ...exit, reason: "none", withdrawalRequestAfter: undefined } }), { kind: "none" });
    assert.deepEqual(plan({ exit: { ...exit, settled: true } }), { kind: "none" });
    for (const beaconStatus of ["active_exiting", "exited_unslashed", "withdrawal_possible", "withdrawal_done"]) {
      assert.deepEqual(plan({ beaconStatus, nowSeconds: at(100) + 10_000 }), { kind: "none" });
    }
  });

  it("signs the voluntary exit first, and sends the EIP-7002 request only after the window, in turn", () => {
    assert.deepEqual(plan({}), { kind: "voluntary-exit", slot: 112 });
    const windowOpens = Number(exit.withdrawalRequestAfter);
    assert.deepEqual(plan({ nowSeconds: windowOpens - 1 }).kind, "voluntary-exit");
    assert.deepEqual(plan({ nowSeconds: windowOpens }).kind, "withdrawal-request");
    // Position 3 steps in three turns later, if the first ones did not send it.
    assert.equal(plan({ position: 3, nowSeconds: windowOpens + 3 * 24 - 1 }).kind, "voluntary-exit");
    const late = plan({ position: 3, nowSeconds: windowOpens + 3 * 24 });
    assert.equal(late.kind, "withdrawal-request");
    // The voluntary exit keeps being retried alongside the fallback (it is free).
    if (late.kind === "withdrawal-request") assert.ok(late.voluntaryExitSlot * 12 + 1_000 > windowOpens);
  });
});
