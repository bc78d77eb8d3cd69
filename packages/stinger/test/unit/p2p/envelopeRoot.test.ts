import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import fc from "fast-check";
import { EnvelopeSsz, MAX_PAYLOAD_BYTES, SignedEnvelopeSsz } from "../../../src/p2p/envelope.ts";
import { envelopeRoot, signedEnvelopeRoot } from "../../../src/p2p/envelopeRoot.ts";

const byte = fc.integer({ min: 0, max: 255 });
const envelopeArb = fc.record({
  version: byte,
  kind: byte,
  sessionId: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  sender: byte,
  recipient: byte,
  round: byte,
  // Lengths around chunk boundaries and up to the limit (every tree level gets exercised).
  payload: fc.oneof(
    fc.uint8Array({ maxLength: 100 }),
    fc.integer({ min: 0, max: MAX_PAYLOAD_BYTES }).map((n) => new Uint8Array(randomBytes(n))),
  ),
});

describe("native envelope roots", () => {
  it("equal the SSZ hash tree roots of Envelope and SignedEnvelope", () => {
    fc.assert(
      fc.property(envelopeArb, fc.uint8Array({ minLength: 64, maxLength: 64 }), (message, signature) => {
        const root = envelopeRoot(message);
        assert.deepEqual(new Uint8Array(root), EnvelopeSsz.hashTreeRoot(message));
        assert.deepEqual(
          new Uint8Array(signedEnvelopeRoot(root, signature)),
          SignedEnvelopeSsz.hashTreeRoot({ message, signature }),
        );
      }),
      { numRuns: 60 },
    );
  });

  it("match at the edges: empty payload, one chunk, one byte over, the maximum", () => {
    for (const n of [0, 1, 31, 32, 33, 64, 65, MAX_PAYLOAD_BYTES - 1, MAX_PAYLOAD_BYTES]) {
      const message = {
        version: 1,
        kind: 2,
        sessionId: new Uint8Array(randomBytes(32)),
        sender: 3,
        recipient: 255,
        round: 4,
        payload: new Uint8Array(randomBytes(n)),
      };
      assert.deepEqual(new Uint8Array(envelopeRoot(message)), EnvelopeSsz.hashTreeRoot(message), `payload ${n} bytes`);
    }
  });
});
