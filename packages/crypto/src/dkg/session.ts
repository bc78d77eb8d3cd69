import { bigIntToBytes, fromHex } from "@lodestar/utils";
import { sha256 } from "@noble/hashes/sha2.js";
import { DkgUsageError } from "./errors.ts";
import type { OperatorIdentity } from "./types.ts";

const DKG_SESSION_TAG = "NEKTAR_DKG_SESSION_V1";
const RESHARE_SESSION_TAG = "NEKTAR_RESHARE_SESSION_V1";

export type ComputeDkgSessionIdParameters = {
  chainId: bigint | number;
  /** The contract that requested the validator (20-byte address, 0x hex). */
  contractAddress: `0x${string}`;
  /** The on-chain validator request id. */
  requestId: bigint | number;
  /** Ordered members; share index = index + 1. */
  participants: readonly OperatorIdentity[];
};

export type ComputeReshareSessionIdParameters = ComputeDkgSessionIdParameters & {
  /** The validator key being reshared (48 bytes). */
  groupPublicKey: Uint8Array;
  /** Ordered members of the old set (dealers). `participants` is the new set. */
  oldParticipants: readonly OperatorIdentity[];
};

const encoder = new TextEncoder();

function uint256(value: bigint | number, what: string): Uint8Array {
  const v = BigInt(value);
  if (v < 0n || v >= 1n << 256n)
    throw new DkgUsageError({ code: "ERR_DKG_INVALID_CONFIG", reason: `${what} out of range` });
  return bigIntToBytes(v, 32, "be");
}

function address(hex: string, what: string): Uint8Array {
  if (!/^0x[0-9a-fA-F]{40}$/.test(hex)) {
    throw new DkgUsageError({ code: "ERR_DKG_INVALID_CONFIG", reason: `${what} is not a 20-byte 0x address` });
  }
  return fromHex(hex);
}

function u16(n: number): Uint8Array {
  return Uint8Array.of((n >> 8) & 0xff, n & 0xff);
}

function participantsBytes(list: readonly OperatorIdentity[], what: string): Uint8Array[] {
  const parts = [u16(list.length)];
  list.forEach((p, i) => {
    parts.push(address(p.address, `${what}[${i}]`));
  });
  return parts;
}

function hashParts(tag: string, parts: Uint8Array[]): Uint8Array {
  const h = sha256.create();
  const t = encoder.encode(tag);
  h.update(u16(t.length));
  h.update(t);
  for (const p of parts) h.update(p);
  return h.digest();
}

/**
 * Session id of a DKG: a domain-separated SHA-256 over chain id, requesting contract, request id and the ordered
 * participant list, so messages of one ceremony can never be replayed into another.
 */
export function computeDkgSessionId(params: ComputeDkgSessionIdParameters): Uint8Array {
  return hashParts(DKG_SESSION_TAG, [
    uint256(params.chainId, "chainId"),
    address(params.contractAddress, "contractAddress"),
    uint256(params.requestId, "requestId"),
    ...participantsBytes(params.participants, "participants"),
  ]);
}

/** Session id of a resharing: like a DKG's, plus the group key and the old set, under its own domain tag. */
export function computeReshareSessionId(params: ComputeReshareSessionIdParameters): Uint8Array {
  if (params.groupPublicKey.length !== 48) {
    throw new DkgUsageError({ code: "ERR_DKG_INVALID_CONFIG", reason: "groupPublicKey must be 48 bytes" });
  }
  return hashParts(RESHARE_SESSION_TAG, [
    uint256(params.chainId, "chainId"),
    address(params.contractAddress, "contractAddress"),
    uint256(params.requestId, "requestId"),
    params.groupPublicKey,
    ...participantsBytes(params.oldParticipants, "oldParticipants"),
    ...participantsBytes(params.participants, "participants"),
  ]);
}
