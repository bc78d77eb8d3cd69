/**
 * Agreement wired to the real slashing-protection DB, the way the signer step will use it: values are SSZ
 * AttestationData, `isAcceptable` checks the operator's own view and `wouldAcceptAttestation`, and a decision is signed
 * only after `checkAndInsertAttestation` recorded it. A restart between signing and broadcasting must not lead to a
 * conflicting signature when a later round's leader proposes different data.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ssz } from "@lodestar/types";
import { encodeBody, encodeEnvelope, MessageKind } from "../../../../src/core/agreement/codec.ts";
import { createAgreement } from "../../../../src/core/agreement/create.ts";
import type { AgreementInstance } from "../../../../src/core/agreement/types.ts";
import { SlashingProtectionDB } from "../../../../src/slashing/db.ts";
import { leader } from "./scenarios.ts";
import { CLUSTER_ID, config, DUTY, signAs, verifyAs } from "./sim.ts";

const GVR = `0x${"44".repeat(32)}`;
const GROUP_PUBKEY = `0x${"ab".repeat(48)}`;
const checkpoint = (epoch: number, byte: number) => ({ epoch, root: new Uint8Array(32).fill(byte) });

function attestation(head: number) {
  return {
    slot: DUTY.slot,
    index: 0,
    beaconBlockRoot: new Uint8Array(32).fill(head),
    source: checkpoint(37, 1),
    target: checkpoint(38, 2),
  };
}

const bytesOf = (head: number) => ssz.phase0.AttestationData.serialize(attestation(head));

function request(value: Uint8Array) {
  const data = ssz.phase0.AttestationData.deserialize(value);
  // The signer uses compute_signing_root(data, domain); the data root stands in for it here.
  const signingRoot = `0x${Buffer.from(ssz.phase0.AttestationData.hashTreeRoot(data)).toString("hex")}`;
  return { pubkey: GROUP_PUBKEY, source: BigInt(data.source.epoch), target: BigInt(data.target.epoch), signingRoot };
}

function instance(db: SlashingProtectionDB, self: number): AgreementInstance {
  return createAgreement({
    config: config("one-round"),
    duty: DUTY,
    selfMember: self,
    localValue: bytesOf(9),
    isAcceptable: (value) => {
      let data: ReturnType<typeof ssz.phase0.AttestationData.deserialize>;
      try {
        data = ssz.phase0.AttestationData.deserialize(value);
      } catch {
        return false;
      }
      // Own beacon view: same source and target checkpoints.
      if (data.source.epoch !== 37 || data.target.epoch !== 38) return false;
      return db.wouldAcceptAttestation(request(value)).ok;
    },
    sign: (body) => signAs(self, body),
    verify: verifyAs,
  });
}

function proposal(round: number, value: Uint8Array): Uint8Array {
  const from = leader(round);
  const body = encodeBody({ kind: MessageKind.proposal, clusterId: CLUSTER_ID, duty: DUTY, round, from, value });
  return encodeEnvelope(body, signAs(from, body));
}

describe("agreement + slashing-protection DB", () => {
  it("after a restart between signing and broadcasting, refuses a later leader's conflicting data", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nektar-agreement-db-"));
    const self = leader(6);
    try {
      let db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR });
      let inst = instance(db, self);
      inst.start(0);
      const decided = inst.receive(proposal(1, bytesOf(1)), 5).decided;
      assert.ok(decided, "round-1 proposal not accepted");
      assert.equal((await db.checkAndInsertAttestation(request(decided.value))).ok, true);
      // Crash before the partial signature was broadcast; the DB survives, the agreement state does not.
      await db.close();
      db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR });
      inst = instance(db, self);
      inst.start(300);
      // Proposals of rounds that have not started here are held until they do.
      assert.deepEqual(inst.receive(proposal(2, bytesOf(2)), 301), { broadcast: [], faults: [] });
      const conflicting = inst.tick(500);
      assert.equal(inst.round, 2);
      assert.equal(conflicting.decided, undefined, "signed a double vote after restart");
      assert.deepEqual(conflicting.faults, [{ member: leader(2), reason: "invalid_value" }]);
      inst.tick(800);
      const same = inst.receive(proposal(3, bytesOf(1)), 802);
      assert.ok(same.decided, "the value signed before the crash must be signable again");
      assert.equal((await db.checkAndInsertAttestation(request(same.decided.value))).ok, true);
      await db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects proposals that disagree with the operator's own source/target view", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nektar-agreement-db-"));
    try {
      const db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR });
      const inst = instance(db, leader(6));
      inst.start(0);
      const wrongTarget = ssz.phase0.AttestationData.serialize({ ...attestation(1), target: checkpoint(39, 2) });
      const out = inst.receive(proposal(1, wrongTarget), 1);
      assert.equal(out.decided, undefined);
      assert.deepEqual(out.faults, [{ member: leader(1), reason: "invalid_value" }]);
      inst.tick(200);
      const garbage = inst.receive(proposal(2, new Uint8Array([1, 2, 3])), 202);
      assert.deepEqual(garbage.faults, [{ member: leader(2), reason: "invalid_value" }]);
      await db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
