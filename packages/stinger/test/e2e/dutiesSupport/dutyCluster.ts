/**
 * TEST FIXTURE: everything a duty-pipeline cluster test needs without running DKGs — trusted-dealer validators,
 * per-operator Ed25519 identities for agreement envelopes, and an in-process devnet with the DV keys in genesis.
 */
import { generateKeyPairSync, type KeyObject, sign, verify } from "node:crypto";
import { ValidatorKeys } from "../../../src/core/signer/validatorKeys.ts";
import { type DealtValidator, trustedDealerSplitForTests } from "./trustedDealer.ts";

export type ClusterFixture = {
  validators: { index: number; dealt: DealtValidator }[];
  identities: { privateKey: KeyObject; publicKey: KeyObject }[];
  keysFor(shareIndex: number): ValidatorKeys;
  signAs(operator: number): (body: Uint8Array) => Uint8Array;
  verify(from: number, body: Uint8Array, signature: Uint8Array): boolean;
};

/** `firstIndex`: the DVs' beacon indices start there (after the devnet's interop validators). */
export function clusterFixture(opts: {
  operators: number;
  threshold: number;
  validators: number;
  firstIndex: number;
  /** The fee recipient the validators' blocks must pay (registered and checked by every operator). */
  feeRecipient?: Uint8Array;
}): ClusterFixture {
  const validators = Array.from({ length: opts.validators }, (_, i) => ({
    index: opts.firstIndex + i,
    dealt: trustedDealerSplitForTests(opts.operators, opts.threshold),
  }));
  const identities = Array.from({ length: opts.operators }, () => generateKeyPairSync("ed25519"));
  return {
    validators,
    identities,
    keysFor: (shareIndex) =>
      new ValidatorKeys(
        shareIndex,
        validators.map((v) => ({
          index: v.index,
          pubkey: v.dealt.pubkey,
          sharePublicKeys: v.dealt.sharePublicKeys,
          secretShare: v.dealt.secretShares[shareIndex - 1] as Uint8Array,
          ...(opts.feeRecipient !== undefined ? { feeRecipient: opts.feeRecipient } : {}),
        })),
      ),
    signAs: (operator) => (body) => new Uint8Array(sign(null, body, identities[operator]?.privateKey as KeyObject)),
    verify: (from, body, signature) => {
      const id = identities[from];
      return id !== undefined && signature.length === 64 && verify(null, body, id.publicKey, signature);
    },
  };
}

/** 0x01 withdrawal credentials to an arbitrary address (the devnet only needs 32 bytes). */
export function testWithdrawalCredentials(): Uint8Array {
  const c = new Uint8Array(32);
  c[0] = 1;
  c.fill(0xaa, 12);
  return c;
}
