import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  type DkgMessage,
  DkgMessageError,
  DkgParticipant,
  decodeDkgMessage,
  encodeDkgMessage,
  MAX_DKG_MESSAGE_BYTES,
} from "../../src/index.ts";
import { operators, seededRandom, sessionFor } from "./harness.ts";

const participants = operators(4);
const sessionId = sessionFor(participants);
const make = (self: number, seed = "m"): DkgParticipant =>
  new DkgParticipant({ sessionId, participants, threshold: 3, self }, seededRandom(`${seed}-${self}`));

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof DkgMessageError) return e.type.code;
    throw e;
  }
  return "no error";
}

/** Real messages of every type, from a 4-party ceremony with one disputed dealer. */
function sampleMessages(): DkgMessage[] {
  const nodes = [1, 2, 3, 4].map((i) => make(i));
  const out = nodes.map((n) => n.start());
  const msgs: DkgMessage[] = out.flat().map((o) => o.message);
  const commitment = out[0]?.find((o) => o.message.type === "commitment")?.message as DkgMessage;
  // Node 2 gets dealer 1's commitment but not its share: it complains, and dealer 1 answers.
  nodes[1]?.receive(1, commitment);
  nodes[0]?.closeRound();
  const complaints = nodes[1]?.closeRound() ?? [];
  msgs.push(...complaints.map((o) => o.message));
  for (const c of complaints) nodes[0]?.receive(2, c.message);
  msgs.push(...(nodes[0]?.closeRound() ?? []).map((o) => o.message));
  return msgs;
}

describe("DKG message codec", () => {
  const samples = sampleMessages();

  it("round-trips every message type exactly", () => {
    const types = new Set(samples.map((m) => m.type));
    assert.deepEqual([...types].sort(), ["answer", "commitment", "complaints", "share"]);
    for (const m of samples) {
      const bytes = encodeDkgMessage(m);
      assert.ok(bytes.length <= MAX_DKG_MESSAGE_BYTES);
      const back = decodeDkgMessage(bytes);
      assert.deepEqual(encodeDkgMessage(back), bytes);
      assert.deepEqual(back, m);
    }
  });

  it("rejects oversized, truncated, trailing, unknown-version and unknown-type input", () => {
    const bytes = encodeDkgMessage(samples[0] as DkgMessage);
    assert.equal(
      code(() => decodeDkgMessage(new Uint8Array(MAX_DKG_MESSAGE_BYTES + 1))),
      "ERR_DKG_MESSAGE_TOO_LARGE",
    );
    assert.equal(
      code(() => decodeDkgMessage(bytes.slice(0, bytes.length - 1))),
      "ERR_DKG_MALFORMED_MESSAGE",
    );
    assert.equal(
      code(() => decodeDkgMessage(new Uint8Array([...bytes, 0]))),
      "ERR_DKG_MALFORMED_MESSAGE",
    );
    assert.equal(
      code(() => decodeDkgMessage(Uint8Array.of(2, ...bytes.slice(1)))),
      "ERR_DKG_UNSUPPORTED_VERSION",
    );
    assert.equal(
      code(() => decodeDkgMessage(Uint8Array.of(1, 9, ...bytes.slice(2)))),
      "ERR_DKG_MALFORMED_MESSAGE",
    );
    assert.equal(
      code(() => decodeDkgMessage(new Uint8Array(10))),
      "ERR_DKG_MALFORMED_MESSAGE",
    );
  });

  it("rejects points off the subgroup or at infinity, scalars >= r and ids out of range", () => {
    const commitment = samples.find((m) => m.type === "commitment") as DkgMessage;
    const bytes = encodeDkgMessage(commitment);
    const infinity = bytes.slice();
    infinity.set([0xc0, ...new Uint8Array(47)], 37); // first commitment point := compressed infinity
    assert.equal(
      code(() => decodeDkgMessage(infinity)),
      "ERR_DKG_MALFORMED_MESSAGE",
    );
    const garbage = bytes.slice();
    garbage.set(new Uint8Array(48).fill(0x9a), 37);
    assert.equal(
      code(() => decodeDkgMessage(garbage)),
      "ERR_DKG_MALFORMED_MESSAGE",
    );
    const share = encodeDkgMessage(samples.find((m) => m.type === "share") as DkgMessage);
    const big = share.slice();
    big.fill(0xff, share.length - 32);
    assert.equal(
      code(() => decodeDkgMessage(big)),
      "ERR_DKG_MALFORMED_MESSAGE",
    );
    const zeroSender = share.slice();
    zeroSender.set([0, 0], 34);
    assert.equal(
      code(() => decodeDkgMessage(zeroSender)),
      "ERR_DKG_MALFORMED_MESSAGE",
    );
  });

  it("never throws anything but DkgMessageError on random or mutated bytes", () => {
    const encoded = samples.map((m) => encodeDkgMessage(m));
    fc.assert(
      fc.property(
        fc.nat({ max: encoded.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.uint8Array({ maxLength: 400 }),
        (which, flips, random) => {
          const b = (encoded[which] as Uint8Array).slice();
          for (const [pos, val] of flips) b[pos % b.length] = val;
          for (const input of [b, random]) {
            try {
              const m = decodeDkgMessage(input);
              assert.deepEqual(encodeDkgMessage(m), input);
            } catch (e) {
              if (!(e instanceof DkgMessageError)) throw e;
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("DkgParticipant.receive validation", () => {
  it("rejects wrong session, sender mismatch, wrong recipient, replay, equivocation and closed rounds", () => {
    const [a, b] = [make(1), make(2)];
    const outA = a.start();
    b.start();
    const commitment = outA.find((o) => o.message.type === "commitment")?.message as DkgMessage;
    const shareTo2 = outA.find((o) => o.to === 2)?.message as DkgMessage;
    const shareTo3 = outA.find((o) => o.to === 3)?.message as DkgMessage;
    const otherSession = { ...commitment, sessionId: new Uint8Array(32) };
    assert.equal(
      code(() => b.receive(1, otherSession)),
      "ERR_DKG_WRONG_SESSION",
    );
    assert.equal(
      code(() => b.receive(3, commitment)),
      "ERR_DKG_SENDER_MISMATCH",
    );
    assert.equal(
      code(() => b.receive(1, shareTo3)),
      "ERR_DKG_WRONG_RECIPIENT",
    );
    assert.equal(
      code(() => b.receive(9, { ...commitment, dealer: 9 } as DkgMessage)),
      "ERR_DKG_UNKNOWN_SENDER",
    );
    assert.equal(
      code(() => b.receive(1, commitment)),
      "no error",
    );
    assert.equal(
      code(() => b.receive(1, commitment)),
      "ERR_DKG_DUPLICATE_MESSAGE",
    );
    assert.equal(
      code(() => b.receive(1, shareTo2)),
      "no error",
    );
    const forged = { ...shareTo2, share: new Uint8Array(32).fill(1) } as DkgMessage;
    assert.equal(
      code(() => b.receive(1, forged)),
      "ERR_DKG_EQUIVOCATION",
    );
    const wrongLength = { ...commitment, dealer: 3, commitments: [] } as DkgMessage;
    assert.equal(
      code(() => b.receive(3, wrongLength)),
      "ERR_DKG_INVALID_MESSAGE",
    );
    b.closeRound();
    const late = make(3)
      .start()
      .find((o) => o.message.type === "commitment")?.message as DkgMessage;
    assert.equal(
      code(() => b.receive(3, late)),
      "ERR_DKG_WRONG_ROUND",
    );
    assert.equal(
      code(() => b.receive(2, { ...late, dealer: 2 } as DkgMessage)),
      "ERR_DKG_DUPLICATE_MESSAGE",
    );
  });

  it("remembers an equivocating dealer and complains about it", () => {
    const b = make(2);
    b.start();
    const c1 = make(1, "x")
      .start()
      .find((o) => o.message.type === "commitment")?.message as DkgMessage;
    const c2 = make(1, "y")
      .start()
      .find((o) => o.message.type === "commitment")?.message as DkgMessage;
    b.receive(1, c1);
    assert.equal(
      code(() => b.receive(1, c2)),
      "ERR_DKG_EQUIVOCATION",
    );
    const [out] = b.closeRound();
    assert.ok(out?.message.type === "complaints");
    if (out?.message.type === "complaints") {
      assert.equal(out.message.views[0]?.commitmentDigest, null);
      assert.equal(out.message.views[0]?.complaint, true);
    }
  });

  it("keeps next-round messages that arrive early", () => {
    const [a, b] = [make(1), make(2)];
    const outA = a.start();
    const outB = b.start();
    for (const o of outB) if (o.to === "all" || o.to === 1) a.receive(2, o.message);
    for (const o of outA) if (o.to === "all" || o.to === 2) b.receive(1, o.message);
    const [complaintsFromB] = b.closeRound();
    assert.equal(
      code(() => a.receive(2, complaintsFromB?.message as DkgMessage)),
      "no error",
    );
    assert.equal(a.round, 1);
  });
});
