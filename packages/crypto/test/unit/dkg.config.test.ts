import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computeDkgSessionId, computeReshareSessionId, DkgParticipant, DkgUsageError } from "../../src/index.ts";
import { operators, sessionFor } from "./harness.ts";

const base = {
  chainId: 1n,
  contractAddress: "0x00000000000000000000000000000000000000aa" as const,
  requestId: 5n,
  participants: operators(16),
};

describe("session ids and configuration", () => {
  it("the session id binds chain, contract, request and the ordered member list", () => {
    const id = computeDkgSessionId(base);
    assert.equal(id.length, 32);
    const variants = [
      { ...base, chainId: 2n },
      { ...base, contractAddress: "0x00000000000000000000000000000000000000ab" as const },
      { ...base, requestId: 6n },
      { ...base, participants: [...base.participants].reverse() },
      { ...base, participants: base.participants.slice(1) },
    ];
    const ids = new Set([id, ...variants.map(computeDkgSessionId)].map((b) => Buffer.from(b).toString("hex")));
    assert.equal(ids.size, 6);
    const reshare = computeReshareSessionId({
      ...base,
      groupPublicKey: new Uint8Array(48),
      oldParticipants: base.participants,
    });
    assert.notDeepEqual(reshare, id);
    assert.throws(() => computeDkgSessionId({ ...base, contractAddress: "0x12" as `0x${string}` }), DkgUsageError);
    assert.throws(() => computeDkgSessionId({ ...base, chainId: -1n }), DkgUsageError);
  });

  it("rejects bad configurations with DkgUsageError", () => {
    const participants = operators(16);
    const sessionId = sessionFor(participants);
    const bad = [
      { sessionId, participants, threshold: 17, self: 1 },
      { sessionId, participants, threshold: 0, self: 1 },
      { sessionId, participants, threshold: 11, self: 0 },
      { sessionId, participants, threshold: 11, self: 17 },
      { sessionId: new Uint8Array(31), participants, threshold: 11, self: 1 },
      {
        sessionId,
        participants: [...participants.slice(0, 15), participants[0] as (typeof participants)[0]],
        threshold: 11,
        self: 1,
      },
    ];
    for (const config of bad) assert.throws(() => new DkgParticipant(config), DkgUsageError);
    const p = new DkgParticipant({ sessionId, participants, threshold: 11, self: 1 });
    assert.throws(() => p.closeRound(), DkgUsageError);
    p.start();
    assert.throws(() => p.start(), DkgUsageError);
  });
});
