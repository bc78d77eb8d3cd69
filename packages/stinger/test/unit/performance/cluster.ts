import { createHash } from "node:crypto";
import { type PublicKey, SecretKey } from "@chainsafe/blst";
import { evaluatePolynomial, type PerformanceSubject, randomPolynomial, scalarToBytes } from "@nektar/crypto";
import type { PerformanceContext } from "../../../src/performance/agreement.ts";

export const FORK = Uint8Array.of(0x10, 0x00, 0x00, 0x38);
export const N = 16;
export const THRESHOLD = 11;

/** A trusted-dealer 11-of-16 validator key from a seed (deterministic: BLS signatures over it are reproducible). */
export function dealtKey(seed: number): {
  groupPublicKey: PublicKey;
  sharePublicKeys: PublicKey[];
  secrets: SecretKey[];
} {
  let n = 0;
  // Every seed gives a different key: the coefficient bytes are SHA-256(seed ‖ counter).
  const f = randomPolynomial(THRESHOLD, (len) => {
    const out = new Uint8Array(len);
    for (let o = 0; o < len; o += 32)
      out.set(
        createHash("sha256")
          .update(`${seed}/${n++}`)
          .digest()
          .subarray(0, len - o),
        o,
      );
    return out;
  });
  const secrets = Array.from({ length: N }, (_, i) =>
    SecretKey.fromBytes(scalarToBytes(evaluatePolynomial(f, BigInt(i + 1)))),
  );
  return {
    groupPublicKey: SecretKey.fromBytes(scalarToBytes(f[0] as bigint)).toPublicKey(),
    sharePublicKeys: secrets.map((s) => s.toPublicKey()),
    secrets,
  };
}

/** The 16 members' contexts for one validator and frame. */
export function clusterContexts(seed: number, frame: number, validatorIndex = 7): PerformanceContext[] {
  const key = dealtKey(seed);
  const subject: PerformanceSubject = {
    chainId: 31337n,
    oracle: "0x00000000000000000000000000000000000000aa",
    validatorPubkey: key.groupPublicKey.toBytes(),
    frame: BigInt(frame),
  };
  return key.secrets.map((secretShare, i) => ({
    subject,
    genesisForkVersion: FORK,
    threshold: THRESHOLD,
    validatorIndex,
    groupPublicKey: key.groupPublicKey,
    sharePublicKeys: key.sharePublicKeys,
    shareIndex: i + 1,
    secretShare,
  }));
}
