import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type AgreementMessage,
  decodeEnvelope,
  decodePreparedCertificate,
  encodeBody,
  encodeEnvelope,
  encodePreparedCertificate,
  MessageKind,
} from "../../../../src/core/agreement/codec.ts";
import { AgreementError } from "../../../../src/core/agreement/errors.ts";
import { CLUSTER_ID, DUTY } from "./sim.ts";

const h = { clusterId: CLUSTER_ID, duty: DUTY, round: 3, from: 5 };
const messages: AgreementMessage[] = [
  { ...h, kind: MessageKind.proposal, value: new Uint8Array([1, 2, 3]) },
  { ...h, kind: MessageKind.prePrepare, value: new Uint8Array([4]), justification: [new Uint8Array([9, 9])] },
  { ...h, kind: MessageKind.prepare, valueHash: new Uint8Array(32).fill(1) },
  { ...h, kind: MessageKind.commit, valueHash: new Uint8Array(32).fill(2) },
  { ...h, kind: MessageKind.roundChange, preparedRound: 2, preparedValueHash: new Uint8Array(32).fill(3) },
  { ...h, kind: MessageKind.decided, value: new Uint8Array(0), justification: [] },
];
const invalid = (e: unknown) => e instanceof AgreementError && e.type.code === "ERR_AGREEMENT_MESSAGE_INVALID";

describe("agreement codec", () => {
  it("round-trips every message kind with signature and attachment", () => {
    for (const m of messages) {
      const body = encodeBody(m);
      const env = decodeEnvelope(encodeEnvelope(body, new Uint8Array([7, 7]), new Uint8Array([5])));
      assert.deepEqual(
        { ...env.message, clusterId: new Uint8Array(env.message.clusterId) },
        {
          ...m,
          clusterId: new Uint8Array(m.clusterId),
          ...("value" in m ? { value: Buffer.from(m.value) } : {}),
          ...("valueHash" in m ? { valueHash: Buffer.from(m.valueHash) } : {}),
          ...("preparedValueHash" in m ? { preparedValueHash: Buffer.from(m.preparedValueHash) } : {}),
          ...("justification" in m ? { justification: m.justification.map((j) => Buffer.from(j)) } : {}),
        },
      );
      assert.deepEqual([...env.signature], [7, 7]);
      assert.deepEqual([...env.attachment], [5]);
    }
  });

  it("rejects truncated, trailing, oversized, unknown-version and unknown-kind input", () => {
    const env = encodeEnvelope(encodeBody(messages[0] as AgreementMessage), new Uint8Array(64));
    for (let cut = 0; cut < env.length; cut += 7) assert.throws(() => decodeEnvelope(env.subarray(0, cut)), invalid);
    assert.throws(() => decodeEnvelope(Buffer.concat([env, Buffer.from([0])])), invalid);
    assert.throws(() => decodeEnvelope(env, env.length - 1), invalid);
    const body = Buffer.from(encodeBody(messages[0] as AgreementMessage));
    body[0] = 2;
    assert.throws(() => decodeEnvelope(encodeEnvelope(body, new Uint8Array(1))), invalid);
    body[0] = 1;
    body[1] = 99;
    assert.throws(() => decodeEnvelope(encodeEnvelope(body, new Uint8Array(1))), invalid);
  });

  it("rejects a round change whose prepared round is not below its round", () => {
    const m: AgreementMessage = {
      ...h,
      kind: MessageKind.roundChange,
      preparedRound: 3,
      preparedValueHash: new Uint8Array(32),
    };
    assert.throws(() => decodeEnvelope(encodeEnvelope(encodeBody(m), new Uint8Array(1))), invalid);
  });

  it("round-trips a prepared certificate", () => {
    const c = { value: new Uint8Array([1, 2]), prepares: [new Uint8Array([3]), new Uint8Array([4, 5])] };
    const d = decodePreparedCertificate(encodePreparedCertificate(c), 1024);
    assert.deepEqual([...d.value], [1, 2]);
    assert.deepEqual(
      d.prepares.map((p) => [...p]),
      [[3], [4, 5]],
    );
  });
});
