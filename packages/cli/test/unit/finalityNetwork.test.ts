import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { devnetVaultEpochSeconds, type FinalityStatus, finalityEvents } from "../../src/devnet/network.ts";

const base: FinalityStatus = {
  networkId: 2n,
  relay: "0x00000000000000000000000000000000000000c3",
  optedIn: 10,
  keyed: 0,
  lastEpoch: undefined,
  lastSigners: 0,
  certificates: 0,
  rewardsEarned: 0n,
  rewardsPaid: 0n,
  claimable: 0n,
  offences: [],
};

describe("devnet finality relay events", () => {
  it("reports keys, a new certificate, a payment and each slashed operator once", () => {
    assert.deepEqual(finalityEvents(undefined, base), []);
    const keyed = { ...base, keyed: 10 };
    assert.deepEqual(finalityEvents(base, keyed), ["finality relay: 10 Network keys registered"]);
    const certified = { ...keyed, certificates: 1, lastEpoch: 5n, lastSigners: 9, rewardsEarned: 1n };
    assert.deepEqual(finalityEvents(keyed, certified), ["finality relay: epoch 5 certified by 9 operators"]);
    assert.deepEqual(finalityEvents(certified, certified), []);
    const offence = {
      operator: "0x00000000000000000000000000000000000000d4" as const,
      epoch: 6n,
      offence: "DoubleSign",
    };
    const slashed = { ...certified, rewardsPaid: 1n, offences: [offence] };
    assert.deepEqual(finalityEvents(certified, slashed), [
      "finality relay: rewards paid through the vault",
      "finality relay: operator 0x00000000000000000000000000000000000000d4 slashed (DoubleSign, epoch 6)",
    ]);
    assert.deepEqual(finalityEvents(slashed, slashed), []);
  });

  it("makes restaking epochs four beacon epochs long", () => {
    assert.equal(devnetVaultEpochSeconds(1), 32n);
    assert.equal(devnetVaultEpochSeconds(2), 64n);
  });
});
