import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey, Signature } from "@chainsafe/blst";
import {
  type CombinePartialSignaturesParameters,
  CryptoInputError,
  combinePartialSignatures,
  combinePartialSignaturesBatch,
  type PartialSignature,
  signPartial,
  ThresholdError,
} from "../../src/index.ts";
import { dealtKey, type TestKey } from "./keys.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const keys: TestKey[] = Array.from({ length: 6 }, (_, i) => dealtKey(16, 11, `batch-${i}`));
const rootA = new Uint8Array(32).fill(0xa1);
const rootB = new Uint8Array(32).fill(0xb2);

function item(key: TestKey, root: Uint8Array, partials?: PartialSignature[]): CombinePartialSignaturesParameters {
  return {
    partials: partials ?? key.shares.slice(0, 12).map((s) => signPartial(s, root)),
    threshold: 11,
    groupPublicKey: key.groupPublicKey,
    signingRoot: root,
    sharePublicKeys: key.sharePublicKeys,
  };
}
const whole = (key: TestKey, root: Uint8Array): string => hex(SecretKey.fromBytes(key.secretKey).sign(root).toBytes());

/** A G2 point on the curve but outside the prime-order subgroup (found by trying x-coordinates). */
function offSubgroupPoint(): Uint8Array {
  for (let x = 1; x < 1000; x++) {
    const bytes = new Uint8Array(96);
    bytes[0] = 0x80;
    bytes[95] = x;
    try {
      Signature.fromBytes(bytes, false, false);
    } catch {
      continue;
    }
    try {
      Signature.fromBytes(bytes, true, true);
    } catch {
      return bytes;
    }
  }
  throw new Error("no off-subgroup point found");
}

describe("combinePartialSignaturesBatch", () => {
  it("gives the whole key's signature for every item, over mixed signing roots", () => {
    const items = keys.map((k, i) => item(k, i % 2 === 0 ? rootA : rootB));
    const out = combinePartialSignaturesBatch(items);
    assert.equal(out.length, items.length);
    out.forEach((o, i) => {
      assert.ok(o.ok);
      assert.equal(hex(o.value.signature), whole(keys[i] as TestKey, i % 2 === 0 ? rootA : rootB));
      assert.deepEqual(o.value.bad, []);
      assert.equal(o.value.used.length, 11);
    });
  });

  it("a bad partial in one item is attributed there and does not affect the others", () => {
    const offSubgroup = offSubgroupPoint();
    const infinity = new Uint8Array(96);
    infinity[0] = 0xc0;
    const corruptions: [string, (k: TestKey) => Uint8Array][] = [
      ["another root", (k) => signPartial(k.shares[2] as never, rootB).signature],
      ["another operator's partial", (k) => signPartial(k.shares[15] as never, rootA).signature],
      ["off the subgroup", () => offSubgroup],
      ["infinity", () => infinity],
      ["off the curve", () => new Uint8Array(96).fill(0x8f)],
    ];
    for (const [what, corrupt] of corruptions) {
      const items = keys.map((k) => item(k, rootA));
      const victim = keys[3] as TestKey;
      const partials = victim.shares.slice(0, 12).map((s) => signPartial(s, rootA));
      partials[2] = { shareIndex: 3, signature: corrupt(victim) };
      items[3] = item(victim, rootA, partials);
      const out = combinePartialSignaturesBatch(items);
      out.forEach((o, i) => {
        assert.ok(o.ok, what);
        assert.equal(hex(o.value.signature), whole(keys[i] as TestKey, rootA), what);
        assert.deepEqual(o.value.bad, i === 3 ? [3] : [], what);
      });
    }
  });

  it("too few good partials fail that item only, with the same error as combinePartialSignatures", () => {
    const items = keys.slice(0, 4).map((k) => item(k, rootA));
    const k = keys[1] as TestKey;
    const tooFew = k.shares.slice(0, 11).map((s) => signPartial(s, rootA));
    tooFew[5] = { shareIndex: 6, signature: signPartial(k.shares[5] as never, rootB).signature };
    items[1] = item(k, rootA, tooFew);
    const out = combinePartialSignaturesBatch(items);
    const failed = out[1];
    assert.ok(failed !== undefined && !failed.ok);
    assert.ok(failed.error instanceof ThresholdError);
    assert.equal(failed.error.type.code, "ERR_THRESHOLD_INSUFFICIENT_PARTIALS");
    assert.throws(() => combinePartialSignatures(items[1] as CombinePartialSignaturesParameters), ThresholdError);
    for (const i of [0, 2, 3]) assert.ok(out[i]?.ok);
  });

  it("an argument error is that item's outcome, not a throw", () => {
    const items = keys.slice(0, 3).map((k) => item(k, rootA));
    const k = keys[0] as TestKey;
    items[0] = item(k, rootA, [{ shareIndex: 17, signature: signPartial(k.shares[0] as never, rootA).signature }]);
    const out = combinePartialSignaturesBatch(items);
    const first = out[0];
    assert.ok(first !== undefined && !first.ok && first.error instanceof CryptoInputError);
    assert.ok(out[1]?.ok && out[2]?.ok);
  });

  it("share keys of another group: the item fails as inconsistent keys", () => {
    const other = dealtKey(16, 11, "batch-other");
    const items = keys.slice(0, 3).map((k) => item(k, rootA));
    items[2] = { ...(items[2] as CombinePartialSignaturesParameters), groupPublicKey: other.groupPublicKey };
    const out = combinePartialSignaturesBatch(items);
    const last = out[2];
    assert.ok(last !== undefined && !last.ok && last.error instanceof ThresholdError);
    assert.equal(last.error.type.code, "ERR_THRESHOLD_INCONSISTENT_KEYS");
    assert.ok(out[0]?.ok && out[1]?.ok);
  });

  it("an empty batch gives no outcomes", () => {
    assert.deepEqual(combinePartialSignaturesBatch([]), []);
  });
});
