import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateKeyPairFromSeed } from "@libp2p/crypto/keys";
import { DutyMessageKind } from "../../../../src/core/transport.ts";
import { identitySigner, identityVerifier } from "../../../../src/identity/ed25519.ts";
import { type DutyEnvelopeContext, openDutyMessage, sealDutyMessage } from "../../../../src/node/dutyNetwork.ts";

const keys = await Promise.all([1, 2, 3].map((i) => generateKeyPairFromSeed("Ed25519", new Uint8Array(32).fill(i))));
const clusterId = new Uint8Array(32).fill(9);
const members = keys.map((k) => ({ verifier: identityVerifier(k.publicKey.raw) }));
const receiver: DutyEnvelopeContext = { clusterId, members, selfIndex: 0 };
const payload = new Uint8Array(40_000).map((_, i) => i % 251);
const sealBy = (sender: number, cluster = clusterId, body = payload) =>
  sealDutyMessage(
    { clusterId: cluster, selfIndex: sender },
    identitySigner(keys[sender] as (typeof keys)[0]),
    DutyMessageKind.partials,
    body,
  );

describe("duty message envelope", () => {
  it("opens what a member sealed, attributed to that member", () => {
    const opened = openDutyMessage(receiver, sealBy(2));
    assert.ok(opened.ok);
    assert.equal(opened.sender, 2);
    assert.equal(opened.kind, DutyMessageKind.partials);
    assert.deepEqual(opened.payload, payload);
  });

  it("drops tampered, foreign, self-sent, mis-attributed and malformed messages with their reason", () => {
    const tampered = sealBy(1);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    assert.deepEqual(openDutyMessage(receiver, tampered), { ok: false, reason: "bad_signature" });
    assert.deepEqual(openDutyMessage(receiver, sealBy(1, new Uint8Array(32).fill(8))), {
      ok: false,
      reason: "wrong_cluster",
    });
    assert.deepEqual(openDutyMessage(receiver, sealBy(0)), { ok: false, reason: "unknown_sender" });
    // Operator 1's key signing as operator 2.
    const forged = sealDutyMessage(
      { clusterId, selfIndex: 2 },
      identitySigner(keys[1] as (typeof keys)[0]),
      DutyMessageKind.partials,
      payload,
    );
    assert.deepEqual(openDutyMessage(receiver, forged), { ok: false, reason: "bad_signature" });
    assert.deepEqual(openDutyMessage(receiver, new Uint8Array(10)), { ok: false, reason: "malformed" });
  });
});
