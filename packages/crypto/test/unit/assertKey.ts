import assert from "node:assert/strict";
import { PublicKey, SecretKey, Signature, verify } from "@chainsafe/blst";
import { combinePartialSignatures, type DkgResult, signPartial } from "../../src/index.ts";

/** All results agree, every share matches its public key, and the given signers produce a valid group signature. */
export function assertWorkingKey(results: DkgResult[], signers: number[], t = 11): void {
  const first = results[0] as DkgResult;
  for (const r of results) {
    assert.deepEqual(r.groupPublicKey, first.groupPublicKey);
    assert.deepEqual(r.sharePublicKeys, first.sharePublicKeys);
    assert.deepEqual(r.qualified, first.qualified);
    assert.deepEqual(
      SecretKey.fromBytes(r.keyShare.secretKey).toPublicKey().toBytes(),
      r.sharePublicKeys[r.keyShare.shareIndex - 1],
    );
  }
  const root = new Uint8Array(32).fill(7);
  const bySigner = new Map(results.map((r) => [r.keyShare.shareIndex, r]));
  const partials = signers.map((id) => signPartial((bySigner.get(id) as DkgResult).keyShare, root));
  const { signature, bad } = combinePartialSignatures({
    partials,
    threshold: t,
    groupPublicKey: first.groupPublicKey,
    signingRoot: root,
    sharePublicKeys: first.sharePublicKeys,
  });
  assert.deepEqual(bad, []);
  assert.ok(verify(root, PublicKey.fromBytes(first.groupPublicKey, true), Signature.fromBytes(signature, true)));
}
