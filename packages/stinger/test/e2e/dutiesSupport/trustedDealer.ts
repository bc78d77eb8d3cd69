/**
 * TEST FIXTURE ONLY — trusted-dealer split of a fresh BLS key into n Shamir shares. Production keys come from the DKG
 * ceremony (src/dkg/); this exists so pipeline tests and the e2e get threshold keys without running DKGs.
 */
import { randomBytes } from "node:crypto";
import { SecretKey } from "@chainsafe/blst";
import { evaluatePolynomial, randomPolynomial, scalarToBytes } from "@nektar/crypto";

export type DealtValidator = {
  pubkey: Uint8Array;
  sharePublicKeys: Uint8Array[];
  /** Secret share of operator i at index i (share index i + 1). */
  secretShares: Uint8Array[];
};

export function trustedDealerSplitForTests(n: number, t: number): DealtValidator {
  const poly = randomPolynomial(t, (k) => randomBytes(k));
  const secret = scalarToBytes(evaluatePolynomial(poly, 0n));
  const secretShares = Array.from({ length: n }, (_, i) => scalarToBytes(evaluatePolynomial(poly, BigInt(i + 1))));
  return {
    pubkey: SecretKey.fromBytes(secret).toPublicKey().toBytes(),
    sharePublicKeys: secretShares.map((s) => SecretKey.fromBytes(s).toPublicKey().toBytes()),
    secretShares,
  };
}
