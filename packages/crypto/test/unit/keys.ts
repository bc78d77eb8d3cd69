import { SecretKey } from "@chainsafe/blst";
import { evaluatePolynomial, type KeyShare, randomPolynomial, scalarToBytes } from "../../src/index.ts";
import { seededRandom } from "./harness.ts";

/** A dealer-made (trusted) 16-share key for threshold tests that do not need a DKG. */
export type TestKey = {
  secretKey: Uint8Array;
  groupPublicKey: Uint8Array;
  shares: KeyShare[];
  sharePublicKeys: Uint8Array[];
};

export function dealtKey(n = 16, t = 11, seed = "dealt"): TestKey {
  const f = randomPolynomial(t, seededRandom(seed));
  const secretKey = scalarToBytes(f[0] as bigint);
  const shares = Array.from({ length: n }, (_, i) => ({
    shareIndex: i + 1,
    secretKey: scalarToBytes(evaluatePolynomial(f, BigInt(i + 1))),
  }));
  return {
    secretKey,
    groupPublicKey: SecretKey.fromBytes(secretKey).toPublicKey().toBytes(),
    shares,
    sharePublicKeys: shares.map((s) => SecretKey.fromBytes(s.secretKey).toPublicKey().toBytes()),
  };
}

/** Every k-subset of 1..n in lexicographic order. */
export function* subsets(n: number, k: number, start = 1): Generator<number[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = start; i <= n - k + 1; i++) for (const rest of subsets(n, k - 1, i + 1)) yield [i, ...rest];
}
