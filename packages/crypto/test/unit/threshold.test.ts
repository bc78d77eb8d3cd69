import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { PublicKey, SecretKey, Signature, verify } from "@chainsafe/blst";
import bls from "bls-eth-wasm";
import {
  combinePartialSignatures,
  interpolateSignatures,
  type PartialSignature,
  signPartial,
  ThresholdError,
  verifyPartial,
  verifyPartialsBatch,
} from "../../src/index.ts";
import { seededRandom } from "./harness.ts";
import { dealtKey, subsets } from "./keys.ts";

type HerumiId = { setInt(x: number): void };
const herumi = bls as unknown as typeof bls & { Id: new () => HerumiId };

const key = dealtKey();
const root = new Uint8Array(32).fill(0xab);
const whole = SecretKey.fromBytes(key.secretKey).sign(root).toBytes();
const partials = key.shares.map((s) => signPartial(s, root));
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

function combine(ps: PartialSignature[]) {
  return combinePartialSignatures({
    partials: ps,
    threshold: 11,
    groupPublicKey: key.groupPublicKey,
    signingRoot: root,
    sharePublicKeys: key.sharePublicKeys,
  });
}

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ThresholdError) return e.type.code;
    throw e;
  }
  return "no error";
}

describe("agreement with herumi bls-eth-wasm", () => {
  before(async () => {
    await herumi.init(herumi.BLS12_381);
  });

  it("standard Ethereum BLS sign/verify agree in both directions", () => {
    for (let i = 0; i < 5; i++) {
      const ikm = seededRandom(`agree-${i}`)(32);
      const sk = SecretKey.fromKeygen(ikm);
      const msg = seededRandom(`msg-${i}`)(32);
      const hsk = herumi.deserializeHexStrToSecretKey(sk.toHex().replace(/^0x/, ""));
      assert.equal(hex(hsk.getPublicKey().serialize()), hex(sk.toPublicKey().toBytes()));
      const ours = sk.sign(msg).toBytes();
      const theirs = hsk.sign(msg).serialize();
      assert.equal(hex(theirs), hex(ours));
      const hpk = herumi.deserializeHexStrToPublicKey(hex(sk.toPublicKey().toBytes()));
      assert.ok(hpk.verify(herumi.deserializeHexStrToSignature(hex(ours)), msg));
      assert.ok(verify(msg, sk.toPublicKey(), Signature.fromBytes(theirs, true)));
    }
  });

  it("herumi's Signature.recover of our partials equals our combination", () => {
    const ids = [1, 3, 4, 6, 7, 9, 10, 12, 14, 15, 16];
    const sigs = ids.map((id) =>
      herumi.deserializeHexStrToSignature(hex((partials[id - 1] as PartialSignature).signature)),
    );
    const idVec = ids.map((id) => {
      const x = new herumi.Id();
      x.setInt(id);
      return x;
    });
    const recovered = new herumi.Signature();
    recovered.recover(sigs, idVec as never);
    const ours = combine(ids.map((id) => partials[id - 1] as PartialSignature));
    assert.equal(hex(recovered.serialize()), hex(ours.signature));
    assert.equal(hex(ours.signature), hex(whole));
  });
});

describe("threshold combine", () => {
  it("sampled 11-subsets of 16 all give the whole key's signature", () => {
    const all = [...subsets(16, 11)];
    assert.equal(all.length, 4368);
    const rnd = seededRandom("subsets");
    for (let k = 0; k < 40; k++) {
      const b = rnd(2);
      const ids = all[(((b[0] as number) << 8) | (b[1] as number)) % all.length] as number[];
      const shuffled = [...ids].reverse();
      const { signature, used, bad } = combine(shuffled.map((id) => partials[id - 1] as PartialSignature));
      assert.equal(hex(signature), hex(whole), `subset ${ids}`);
      assert.deepEqual(used, ids);
      assert.deepEqual(bad, []);
    }
  });

  it("10 partials never produce a valid signature", () => {
    const gpk = PublicKey.fromBytes(key.groupPublicKey, true);
    const rnd = seededRandom("ten");
    const all = [...subsets(16, 10)];
    for (let k = 0; k < 12; k++) {
      const b = rnd(2);
      const ids = all[(((b[0] as number) << 8) | (b[1] as number)) % all.length] as number[];
      const sigs = ids.map((id) => Signature.fromBytes((partials[id - 1] as PartialSignature).signature, true));
      assert.ok(!verify(root, gpk, interpolateSignatures(ids, sigs)));
      assert.equal(
        errorCode(() => combine(ids.map((id) => partials[id - 1] as PartialSignature))),
        "ERR_THRESHOLD_INSUFFICIENT_PARTIALS",
      );
    }
  });

  it("a bad partial among 12 is detected, attributed and skipped", () => {
    const otherRoot = new Uint8Array(32).fill(1);
    const infinity = new Uint8Array(96);
    infinity[0] = 0xc0;
    const notOnCurve = new Uint8Array(96).fill(0x8f);
    const corruptions: [string, (p: PartialSignature) => Uint8Array][] = [
      ["another operator's partial", () => (partials[15] as PartialSignature).signature],
      ["a signature over another root", (p) => signPartial(key.shares[p.shareIndex - 1] as never, otherRoot).signature],
      ["infinity", () => infinity],
      ["bytes off the curve", () => notOnCurve],
      ["the whole-key signature", () => whole],
    ];
    for (const badId of [1, 6, 11]) {
      for (const [what, corrupt] of corruptions) {
        const twelve = partials.slice(0, 12).map((p) => (p.shareIndex === badId ? { ...p, signature: corrupt(p) } : p));
        const { signature, used, bad } = combine(twelve);
        assert.equal(hex(signature), hex(whole), what);
        assert.deepEqual(bad, [badId], what);
        assert.ok(!used.includes(badId));
        assert.equal(used.length, 11);
      }
    }
  });

  it("two bad partials among 12 leave too few and are both reported", () => {
    const twelve = partials
      .slice(0, 12)
      .map((p) => (p.shareIndex === 2 || p.shareIndex === 9 ? { ...p, signature: whole } : p));
    assert.throws(
      () => combine(twelve),
      (e: unknown) =>
        e instanceof ThresholdError && e.type.code === "ERR_THRESHOLD_INSUFFICIENT_PARTIALS" && e.type.bad === "2,9",
    );
  });

  it("rejects share public keys that do not belong to the group key", () => {
    const other = dealtKey(16, 11, "other");
    const twelve = partials.slice(0, 12).map((p) => (p.shareIndex === 3 ? { ...p, signature: whole } : p));
    assert.equal(
      errorCode(() =>
        combinePartialSignatures({
          partials: twelve,
          threshold: 11,
          groupPublicKey: other.groupPublicKey,
          signingRoot: root,
          sharePublicKeys: key.sharePublicKeys,
        }),
      ),
      "ERR_THRESHOLD_INCONSISTENT_KEYS",
    );
  });
});

describe("partial verification", () => {
  it("verifyPartial accepts the right share key only, and rejects malformed points", () => {
    const p = partials[4] as PartialSignature;
    assert.ok(verifyPartial(key.sharePublicKeys[4] as Uint8Array, root, p.signature));
    assert.ok(!verifyPartial(key.sharePublicKeys[5] as Uint8Array, root, p.signature));
    assert.ok(!verifyPartial(key.sharePublicKeys[4] as Uint8Array, root, new Uint8Array(96)));
    assert.ok(!verifyPartial(new Uint8Array(48), root, p.signature));
  });

  it("verifyPartialsBatch finds every bad partial", () => {
    const items = partials.slice(0, 11).map((p) => ({
      shareIndex: p.shareIndex,
      sharePublicKey: key.sharePublicKeys[p.shareIndex - 1] as Uint8Array,
      signature: p.shareIndex === 4 || p.shareIndex === 8 ? whole : p.signature,
    }));
    assert.deepEqual(verifyPartialsBatch(root, items), { valid: [1, 2, 3, 5, 6, 7, 9, 10, 11], invalid: [4, 8] });
    items[0] = { ...items[0], signature: new Uint8Array(96) } as (typeof items)[0];
    assert.deepEqual(verifyPartialsBatch(root, items).invalid, [1, 4, 8]);
  });
});
