import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { identitySigner, identityVerifier } from "../../../src/identity/ed25519.ts";
import { EnvelopeAdmission } from "../../../src/p2p/admission.ts";
import {
  BROADCAST,
  decodeSignedEnvelope,
  ENVELOPE_VERSION,
  encodeSignedEnvelope,
  envelopeSigningRoot,
  MAX_ENVELOPE_BYTES,
  MAX_PAYLOAD_BYTES,
  MessageKind,
  type SignedEnvelope,
} from "../../../src/p2p/envelope.ts";

const session = randomBytes(32);
const keys = await Promise.all([0, 1, 2].map(() => generateKeyPair("Ed25519")));
const signers = keys.map(identitySigner);
const verifiers = keys.map((k) => identityVerifier(k.publicKey.raw));

function envelope(
  sender: number,
  recipient: number,
  payload: Uint8Array,
  over: Partial<SignedEnvelope["message"]> = {},
) {
  const message = {
    version: ENVELOPE_VERSION,
    kind: MessageKind.dkg,
    sessionId: session,
    sender,
    recipient,
    round: 1,
    payload,
    ...over,
  };
  return { message, signature: (signers[sender] ?? signers[0])?.sign(envelopeSigningRoot(message)) as Uint8Array };
}

describe("envelope codec", () => {
  it("round-trips and rejects malformed, oversized, unknown-version and unknown-kind bytes", () => {
    const e = envelope(0, BROADCAST, new Uint8Array([1, 2]));
    const decoded = decodeSignedEnvelope(encodeSignedEnvelope(e));
    assert.ok(decoded.ok);
    assert.deepEqual([...decoded.envelope.message.payload], [1, 2]);
    assert.deepEqual(decodeSignedEnvelope(randomBytes(50)), { ok: false, reason: "malformed" });
    assert.deepEqual(decodeSignedEnvelope(new Uint8Array(MAX_ENVELOPE_BYTES + 1)), { ok: false, reason: "oversized" });
    assert.throws(() => encodeSignedEnvelope(envelope(0, BROADCAST, new Uint8Array(MAX_PAYLOAD_BYTES + 1))));
    const v2 = encodeSignedEnvelope(envelope(0, BROADCAST, new Uint8Array(1), { version: 2 }));
    assert.deepEqual(decodeSignedEnvelope(v2), { ok: false, reason: "unsupported_version" });
    const k9 = encodeSignedEnvelope(envelope(0, BROADCAST, new Uint8Array(1), { kind: 9 }));
    assert.deepEqual(decodeSignedEnvelope(k9), { ok: false, reason: "unknown_kind" });
    const truncated = encodeSignedEnvelope(e).subarray(0, 40);
    assert.deepEqual(decodeSignedEnvelope(truncated), { ok: false, reason: "malformed" });
  });
});

describe("EnvelopeAdmission", () => {
  it("admits a member's envelope once and names every rejection", () => {
    const a = new EnvelopeAdmission(session, verifiers, 1);
    const e = envelope(0, BROADCAST, new Uint8Array([1]));
    assert.deepEqual(a.admit(e), { ok: true });
    assert.deepEqual(a.admit(e), { ok: false, reason: "duplicate" });
    // The conflicting version is not delivered, but handed back with the first: both signed, they are evidence.
    assert.deepEqual(a.admit(envelope(0, BROADCAST, new Uint8Array([2]))), {
      ok: false,
      reason: "equivocation",
      first: e,
    });
    assert.deepEqual(a.admit(envelope(2, BROADCAST, new Uint8Array([1]), { sessionId: randomBytes(32) })), {
      ok: false,
      reason: "wrong_session",
    });
    const stranger = envelope(0, BROADCAST, new Uint8Array([1]), { sender: 7 });
    assert.deepEqual(a.admit(stranger), { ok: false, reason: "non_member" });
    const forged = { ...envelope(2, BROADCAST, new Uint8Array([5])), signature: new Uint8Array(64) };
    assert.deepEqual(a.admit(forged), { ok: false, reason: "bad_signature" });
    assert.deepEqual(a.admit(envelope(2, 0, new Uint8Array([5]), { round: 2 })), {
      ok: false,
      reason: "wrong_recipient",
    });
    assert.deepEqual(a.admit(envelope(2, 1, new Uint8Array([5]), { round: 3 }), 0), {
      ok: false,
      reason: "sender_mismatch",
    });
    assert.deepEqual(a.admit(envelope(2, 1, new Uint8Array([5]), { round: 3 }), 2), { ok: true });
  });

  it("does not let a forged envelope poison a slot before the real one arrives", () => {
    const a = new EnvelopeAdmission(session, verifiers, 1);
    const real = envelope(2, BROADCAST, new Uint8Array([1]));
    assert.equal(a.admit({ ...real, signature: new Uint8Array(64) }).ok, false);
    assert.deepEqual(a.admit(real), { ok: true });
  });
});
