import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { identitySigner, identityVerifier } from "../../../src/identity/ed25519.ts";
import { ReshareError } from "../../../src/reshare/errors.ts";
import {
  combineSlashingStatements,
  decodeSignedStatement,
  encodeSignedStatement,
  type SlashingStatement,
  SlashingStatementSsz,
  slashingStatement,
} from "../../../src/reshare/slashingHandoff.ts";

const base = {
  sessionId: new Uint8Array(32).fill(1),
  validator: new Uint8Array(48).fill(2),
  genesisValidatorsRoot: new Uint8Array(32).fill(3),
};
const now = { slot: 1000n, epoch: 125n };
const att = (source: bigint, target: bigint) => ({ source, target, signingRoot: null });

/** `k` honest statements: member i signed source 100 + i % 3, target 110 + i % 4, block 900 + i. */
function statements(k: number): Map<number, SlashingStatement> {
  return new Map(
    Array.from({ length: k }, (_, i) => [
      i + 1,
      slashingStatement(base, {
        block: { slot: 900n + BigInt(i), signingRoot: null },
        attestation: att(100n + BigInt(i % 3), 110n + BigInt(i % 4)),
      }),
    ]),
  );
}

describe("slashing-protection handoff to the newcomer", () => {
  it("a statement is accepted only with its author's identity signature", async () => {
    const [a, b] = await Promise.all([generateKeyPair("Ed25519"), generateKeyPair("Ed25519")]);
    const s = slashingStatement(base, { block: null, attestation: att(3n, 4n) });
    const wire = encodeSignedStatement(s, identitySigner(a));
    const decoded = decodeSignedStatement(wire, identityVerifier(a.publicKey.raw));
    assert.ok(decoded !== null);
    assert.deepEqual(SlashingStatementSsz.serialize(decoded), SlashingStatementSsz.serialize(s));
    assert.equal(decodeSignedStatement(wire, identityVerifier(b.publicKey.raw)), null);
    const tampered = Uint8Array.from(wire);
    tampered[120] = (tampered[120] as number) ^ 1;
    assert.equal(decodeSignedStatement(tampered, identityVerifier(a.publicKey.raw)), null);
    assert.equal(decodeSignedStatement(wire.subarray(1), identityVerifier(a.publicKey.raw)), null);
  });

  it("imports the highest attested block slot and source/target epochs, raised to the switch floor", () => {
    const { attesters, interchange } = combineSlashingStatements(base, statements(11), 11, now);
    assert.deepEqual(
      attesters,
      Array.from({ length: 11 }, (_, i) => i + 1),
    );
    assert.deepEqual(interchange.data[0]?.signed_blocks, [{ slot: "910" }]);
    assert.deepEqual(interchange.data[0]?.signed_attestations, [{ source_epoch: "102", target_epoch: "113" }]);
    const floored = combineSlashingStatements(base, statements(11), 11, now, { slot: 959n, epoch: 119n });
    assert.deepEqual(floored.interchange.data[0]?.signed_blocks, [{ slot: "959" }]);
    assert.deepEqual(floored.interchange.data[0]?.signed_attestations, [{ source_epoch: "102", target_epoch: "119" }]);
  });

  it("refuses with fewer than the threshold of valid statements", () => {
    assert.throws(
      () => combineSlashingStatements(base, statements(10), 11, now),
      (e: unknown) =>
        e instanceof ReshareError && e.type.code === "ERR_RESHARE_SLASHING_STATE" && e.type.required === 11,
    );
  });

  it("does not count statements for another session, validator or chain, or from the future", () => {
    const all = statements(12);
    all.set(1, { ...(all.get(1) as SlashingStatement), sessionId: new Uint8Array(32) });
    all.set(2, { ...(all.get(2) as SlashingStatement), validator: new Uint8Array(48) });
    all.set(3, { ...(all.get(3) as SlashingStatement), genesisValidatorsRoot: new Uint8Array(32) });
    all.set(4, { ...(all.get(4) as SlashingStatement), targetEpoch: now.epoch + 2n });
    all.set(13, slashingStatement(base, { block: { slot: now.slot + 5n, signingRoot: null }, attestation: null }));
    assert.throws(() => combineSlashingStatements(base, all, 9, now), ReshareError);
    const ok = combineSlashingStatements(base, all, 8, now);
    assert.deepEqual(ok.attesters, [5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("a member that never signed for the validator attests an empty state", () => {
    const empty = new Map(Array.from({ length: 11 }, (_, i) => [i + 1, slashingStatement(base, undefined)]));
    const { interchange } = combineSlashingStatements(base, empty, 11, now);
    assert.deepEqual(interchange.data[0]?.signed_blocks, []);
    assert.deepEqual(interchange.data[0]?.signed_attestations, []);
  });
});
