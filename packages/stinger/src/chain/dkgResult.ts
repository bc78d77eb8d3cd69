import type { DkgResult } from "@nektar/sdk";
import {
  type Address,
  encodeAbiParameters,
  type Hex,
  hashTypedData,
  keccak256,
  type LocalAccount,
  recoverAddress,
  type TypedDataDomain,
} from "viem";
import { CLUSTER_SIZE } from "./requestDefinition.ts";

/** The DKG result every operator of a request approves, as `OperatorRegistry.submitDkgResult` takes it. */
export type { DkgResult };

/** EIP-712 types of the registry's `DKG_RESULT_TYPEHASH` (`bytes` fields hashed, as EIP-712 specifies). */
export const DKG_RESULT_TYPES = {
  DkgResult: [
    { name: "requestId", type: "uint256" },
    { name: "groupPubkey", type: "bytes" },
    { name: "sharePubkeys", type: "bytes" },
    { name: "depositSignature", type: "bytes" },
    { name: "depositDataRoot", type: "bytes32" },
  ],
} as const;

/** The registry's EIP-712 domain (`EIP712("Nektar Operator Registry", "1")`). */
export function registryDomain(chainId: number, registry: Address): TypedDataDomain {
  return { name: "Nektar Operator Registry", version: "1", chainId, verifyingContract: registry };
}

function typedData(chainId: number, registry: Address, result: DkgResult) {
  return {
    domain: registryDomain(chainId, registry),
    types: DKG_RESULT_TYPES,
    primaryType: "DkgResult" as const,
    message: result,
  };
}

/** The digest the registry's `dkgResultDigest` view returns for the same inputs. */
export function dkgResultDigest(chainId: number, registry: Address, result: DkgResult): Hex {
  return hashTypedData(typedData(chainId, registry, result));
}

/** This operator's EIP-712 approval of a result, with its signer key (65-byte r‖s‖v). */
export function signDkgResult(account: LocalAccount, chainId: number, registry: Address, result: DkgResult) {
  return account.signTypedData(typedData(chainId, registry, result));
}

/** Whether `signature` is `expected`'s ECDSA signature over `digest` (malformed signatures are simply invalid). */
export async function isSignatureBy(digest: Hex, signature: Hex, expected: Address): Promise<boolean> {
  try {
    const signer = await recoverAddress({ hash: digest, signature });
    return signer.toLowerCase() === expected.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Cluster position (0-based) of the operator that submits a request's result first: keccak256(abi.encode(requestId))
 * mod 16, so every operator computes the same one and no operator can choose to be it.
 */
export function firstSubmitter(requestId: bigint): number {
  const h = keccak256(encodeAbiParameters([{ type: "uint256" }], [requestId]));
  return Number(BigInt(h) % BigInt(CLUSTER_SIZE));
}

/**
 * How many fallback periods the operator at `position` waits before submitting: 0 for the first submitter, then 1, 2, …
 * for the next positions (wrapping around), so a missing submitter is replaced by the next one.
 */
export function submitterRank(requestId: bigint, position: number): number {
  return (position - firstSubmitter(requestId) + CLUSTER_SIZE) % CLUSTER_SIZE;
}
