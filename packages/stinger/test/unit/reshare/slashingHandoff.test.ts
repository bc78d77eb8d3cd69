import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { identitySigner, identityVerifier } from "../../../src/identity/ed25519.ts";
import { ReshareError } from "../../../src/reshare/errors.ts";
import {
  attestedWatermarks,
  combineSlashingStatements,
  coversAttested,
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

  it("5 members reporting low values cannot lower the imported maxima (11-of-16, 15 remaining)", () => {
    // Seat 16 leaves. Honest members signed up to block 950, source 118, target 119 (not every one saw every duty:
    // a group signature needs 11 shares, so 10 of the 15 remaining members signed each of them).
    const honest = (seat: number) =>
      slashingStatement(base, {
        block: { slot: seat % 3 === 0 ? 950n : 949n, signingRoot: null },
        attestation: att(seat % 2 === 0 ? 118n : 117n, seat % 2 === 0 ? 119n : 118n),
      });
    const lies = [
      slashingStatement(base, undefined),
      slashingStatement(base, { block: { slot: 1n, signingRoot: null }, attestation: att(0n, 0n) }),
      slashingStatement(base, { block: null, attestation: att(5n, 6n) }),
      slashingStatement(base, { block: { slot: 949n, signingRoot: null }, attestation: null }),
      slashingStatement(base, { block: { slot: 900n, signingRoot: null }, attestation: att(117n, 117n) }),
    ];
    const seats = Array.from({ length: 15 }, (_, i) => i + 1);
    const random = (() => {
      let x = 0x2545f491;
      return () => {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        return (x >>> 0) / 2 ** 32;
      };
    })();
    for (let trial = 0; trial < 200; trial++) {
      const shuffled = [...seats].sort(() => random() - 0.5);
      const liars = new Set(shuffled.slice(0, 5));
      // From the smallest quorum the rule accepts (the 5 liars and 6 honest members: 2·11 − 16 = 6 of any group
      // signature's signers are among any 11 attesters) to all 15.
      const attesters = shuffled.slice(0, 11 + (trial % 5));
      const counted = new Map(
        attesters.map((seat) => [seat, liars.has(seat) ? (lies[seat % 5] as SlashingStatement) : honest(seat)]),
      );
      const { interchange } = combineSlashingStatements(base, counted, 11, now);
      const hasMaxBlock = [...counted].some(([seat]) => !liars.has(seat) && seat % 3 === 0);
      const hasMaxAtt = [...counted].some(([seat]) => !liars.has(seat) && seat % 2 === 0);
      // Whenever an honest attester signed a maximum, it is imported; otherwise nothing above the honest reports is.
      assert.deepEqual(interchange.data[0]?.signed_blocks, [{ slot: hasMaxBlock ? "950" : "949" }]);
      assert.deepEqual(
        interchange.data[0]?.signed_attestations,
        hasMaxAtt ? [{ source_epoch: "118", target_epoch: "119" }] : [{ source_epoch: "117", target_epoch: "118" }],
      );
    }
    // All 15 attest, the 5 lowest reporters lie: the imported state is the honest maxima.
    const all = new Map(seats.map((seat) => [seat, seat <= 5 ? (lies[seat - 1] as SlashingStatement) : honest(seat)]));
    const { interchange, attesters } = combineSlashingStatements(base, all, 11, now);
    assert.equal(attesters.length, 15);
    assert.deepEqual(interchange.data[0]?.signed_blocks, [{ slot: "950" }]);
    assert.deepEqual(interchange.data[0]?.signed_attestations, [{ source_epoch: "118", target_epoch: "119" }]);
  });

  it("a member reporting high is bounded by the clock and cannot claim a source above its target", () => {
    const all = statements(11);
    all.set(
      12,
      slashingStatement(base, { block: { slot: now.slot + 1n, signingRoot: null }, attestation: att(9n, 3n) }),
    );
    const { interchange, attesters } = combineSlashingStatements(base, all, 11, now);
    assert.equal(attesters.length, 11, "the statement with source > target is not counted");
    assert.deepEqual(interchange.data[0]?.signed_blocks, [{ slot: "910" }]);
  });

  it("the imported watermarks are kept as strings and checked against the DB field by field", () => {
    const state = combineSlashingStatements(base, statements(11), 11, now);
    const kept = attestedWatermarks(state);
    assert.deepEqual(kept, { blockSlot: "910", sourceEpoch: "102", targetEpoch: "113" });
    const w = (slot: bigint, source: bigint, target: bigint) => ({
      block: { slot, signingRoot: null },
      attestation: att(source, target),
    });
    assert.equal(coversAttested(w(910n, 102n, 113n), kept), true);
    assert.equal(coversAttested(w(911n, 103n, 120n), kept), true);
    assert.equal(coversAttested(w(909n, 102n, 113n), kept), false);
    assert.equal(coversAttested(w(910n, 101n, 113n), kept), false);
    assert.equal(coversAttested(w(910n, 102n, 112n), kept), false);
    assert.equal(coversAttested(undefined, kept), false);
    assert.equal(coversAttested(undefined, { blockSlot: null, sourceEpoch: null, targetEpoch: null }), true);
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
