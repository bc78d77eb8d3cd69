import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getValidatorStatus, statusMatches } from "../../src/api/validatorStatus.ts";

const FAR = Number.POSITIVE_INFINITY;
const base = {
  pubkey: new Uint8Array(48),
  withdrawalCredentials: new Uint8Array(32),
  effectiveBalance: 32e9,
  slashed: false,
  activationEligibilityEpoch: 0,
  activationEpoch: 0,
  exitEpoch: FAR,
  withdrawableEpoch: FAR,
};

describe("validator status", () => {
  it("follows the Beacon API status table", () => {
    assert.equal(
      getValidatorStatus({ ...base, activationEligibilityEpoch: FAR, activationEpoch: FAR }, 1, 3),
      "pending_initialized",
    );
    assert.equal(
      getValidatorStatus({ ...base, activationEligibilityEpoch: 2, activationEpoch: FAR }, 1, 3),
      "pending_queued",
    );
    assert.equal(getValidatorStatus(base, 32e9, 3), "active_ongoing");
    assert.equal(getValidatorStatus({ ...base, exitEpoch: 9, withdrawableEpoch: 20 }, 32e9, 3), "active_exiting");
    assert.equal(
      getValidatorStatus({ ...base, slashed: true, exitEpoch: 9, withdrawableEpoch: 20 }, 32e9, 3),
      "active_slashed",
    );
    assert.equal(getValidatorStatus({ ...base, exitEpoch: 2, withdrawableEpoch: 20 }, 32e9, 3), "exited_unslashed");
    assert.equal(
      getValidatorStatus({ ...base, slashed: true, exitEpoch: 2, withdrawableEpoch: 20 }, 1, 3),
      "exited_slashed",
    );
    assert.equal(getValidatorStatus({ ...base, exitEpoch: 1, withdrawableEpoch: 2 }, 5, 3), "withdrawal_possible");
    assert.equal(getValidatorStatus({ ...base, exitEpoch: 1, withdrawableEpoch: 2 }, 0, 3), "withdrawal_done");
  });

  it("matches exact statuses and their groups", () => {
    assert.ok(statusMatches("active_ongoing", ["active"]));
    assert.ok(statusMatches("active_ongoing", ["active_ongoing"]));
    assert.ok(!statusMatches("active_ongoing", ["pending", "exited"]));
    assert.ok(statusMatches("withdrawal_done", []));
  });
});
