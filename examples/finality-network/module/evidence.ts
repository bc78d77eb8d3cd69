import { g2PointFromSignature } from "@nektar/crypto";
import { bytesToHex, encodeAbiParameters, type Hex } from "viem";
import type { Equivocation } from "./pool.ts";
import type { Statement } from "./statement.ts";

/** `IFinalityRelay.Offence`. */
export const Offence = { DoubleSign: 0, CertifiedRootMismatch: 1, SignedRootMismatch: 2 } as const;

const statementType = {
  type: "tuple",
  components: [
    { name: "epoch", type: "uint64" },
    { name: "checkpointRoot", type: "bytes32" },
    { name: "executionBlockHash", type: "bytes32" },
  ],
} as const;

/** The `slashWithEvidence` blob for an equivocation by the operator whose key is `keyPoint` (uncompressed G1). */
export function doubleSignEvidence(keyPoint: Hex, e: Equivocation): Hex {
  const point = (sig: Uint8Array) => bytesToHex(g2PointFromSignature(sig));
  return encodeDoubleSign(
    keyPoint,
    e.first.statement,
    point(e.first.signature),
    e.second.statement,
    point(e.second.signature),
  );
}

/** `doubleSignEvidence` from uncompressed G2 signatures. */
export function encodeDoubleSign(keyPoint: Hex, a: Statement, sigA: Hex, b: Statement, sigB: Hex): Hex {
  return encodeAbiParameters(
    [{ type: "uint8" }, { type: "bytes" }, statementType, { type: "bytes" }, statementType, { type: "bytes" }],
    [Offence.DoubleSign, keyPoint, a, sigA, b, sigB],
  );
}

/** The blob that slashes a signer of the certificate of `epoch` whose root contradicts EIP-4788. */
export function certifiedRootEvidence(epoch: bigint): Hex {
  return encodeAbiParameters([{ type: "uint8" }, { type: "uint256" }], [Offence.CertifiedRootMismatch, epoch]);
}

/**
 * The blob that slashes the operator whose key is `keyPoint` (uncompressed G1) for one signed statement whose root
 * contradicts the EIP-4788 root (`signature`: uncompressed G2).
 */
export function signedRootEvidence(keyPoint: Hex, statement: Statement, signature: Hex): Hex {
  return encodeAbiParameters(
    [{ type: "uint8" }, { type: "bytes" }, statementType, { type: "bytes" }],
    [Offence.SignedRootMismatch, keyPoint, statement, signature],
  );
}
