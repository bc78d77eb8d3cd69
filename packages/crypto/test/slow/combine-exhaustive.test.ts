import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { combinePartialSignatures, signPartial } from "../../src/index.ts";
import { dealtKey, subsets } from "../unit/keys.ts";

describe("threshold combine, exhaustive", () => {
  it("every one of the 4,368 11-of-16 subsets yields the whole key's signature", () => {
    const key = dealtKey(16, 11, "exhaustive");
    const root = new Uint8Array(32).fill(0x5a);
    const whole = Buffer.from(SecretKey.fromBytes(key.secretKey).sign(root).toBytes());
    const partials = key.shares.map((s) => signPartial(s, root));
    let count = 0;
    for (const ids of subsets(16, 11)) {
      const { signature, used, bad } = combinePartialSignatures({
        partials: ids.map((id) => partials[id - 1] as (typeof partials)[0]),
        threshold: 11,
        groupPublicKey: key.groupPublicKey,
        signingRoot: root,
        sharePublicKeys: key.sharePublicKeys,
      });
      assert.ok(whole.equals(signature), `subset ${ids}`);
      assert.deepEqual(used, ids);
      assert.deepEqual(bad, []);
      count++;
    }
    assert.equal(count, 4368);
  });
});
