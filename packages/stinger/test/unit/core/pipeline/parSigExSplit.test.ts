import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ParSignedData } from "../../../../src/core/interfaces.ts";
import { decodePartialBatch } from "../../../../src/core/parsigex/codec.ts";
import { BatchedParSigEx, PARTIALS_PER_MESSAGE } from "../../../../src/core/parsigex/parSigEx.ts";
import type { DutyMessageKind, DutyTransport } from "../../../../src/core/transport.ts";
import { MAX_DUTY_PAYLOAD_BYTES } from "../../../../src/node/dutyNetwork.ts";
import { silentLogger } from "./fixtures.ts";

describe("parsigex: large slots", () => {
  it("splits a slot's partials into messages under the duty payload bound, losing none", async () => {
    const sent: Uint8Array[] = [];
    const transport: DutyTransport = {
      broadcast: async (_kind: DutyMessageKind, payload: Uint8Array) => {
        sent.push(payload);
      },
      onMessage: () => {},
    };
    const ex = new BatchedParSigEx({ transport, logger: silentLogger, acceptSlot: () => true });
    const count = PARTIALS_PER_MESSAGE * 2 + 7;
    const partials: ParSignedData[] = Array.from({ length: count }, (_, i) => ({
      duty: { slot: 77, type: "attester", validator: i },
      signingRoot: new Uint8Array(32).fill(1),
      signature: new Uint8Array(96).fill(i % 256),
      shareIndex: 3,
    }));
    await ex.broadcast(partials);
    assert.equal(sent.length, 3);
    const validators: number[] = [];
    for (const bytes of sent) {
      assert.ok(bytes.length <= MAX_DUTY_PAYLOAD_BYTES, `${bytes.length} bytes`);
      const d = decodePartialBatch(bytes, 3);
      assert.ok(d.ok);
      assert.equal(d.slot, 77);
      for (const p of d.partials) validators.push(p.duty.validator);
    }
    assert.deepEqual(
      validators,
      partials.map((p) => p.duty.validator),
    );
  });
});
