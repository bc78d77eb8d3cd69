import { createHash } from "node:crypto";
import { ByteVectorType, ContainerType, ListBasicType, ListCompositeType, UintNumberType } from "@chainsafe/ssz";
import { hexToBytes } from "viem";
import { MAX_OPERATORS } from "./definition.ts";
import type { DepositDataJson } from "./deposit.ts";

export const LOCK_VERSION = "nektar-cluster-lock/v1";

/**
 * The result of a ceremony: the distributed validator's keys, the threshold-signed deposit data, and every operator's
 * Ed25519 signature over the lock hash. Secrets are not in it. Every operator writes the same lock except for the
 * definition's unhashed fields (`name`, each operator's `multiaddrs`): those are this node's dialing hints, so two
 * operators' locks are compared by `lockHash`, not byte for byte.
 */
export type ClusterLock = {
  version: typeof LOCK_VERSION;
  /** The cluster definition as JSON (see `serializeClusterDefinition`); enters the lock hash through `definitionHash`. */
  definition: Record<string, unknown>;
  definitionHash: `0x${string}`;
  sessionId: `0x${string}`;
  threshold: number;
  groupPublicKey: `0x${string}`;
  /** Share public key of operator i at index i (0-based; Shamir index i+1). */
  sharePublicKeys: `0x${string}`[];
  /** 1-based operator ids whose dealings make up the key. */
  qualifiedDealers: number[];
  depositData: DepositDataJson;
  lockHash: `0x${string}`;
  /**
   * Ed25519 signature of operator i over `lockSigningRoot(lockHash)`; required from every qualified dealer, `null`
   * for a disqualified one (its view of the ceremony may differ, and it must not be able to block the lock).
   */
  operatorSignatures: (`0x${string}` | null)[];
};

export type LockBody = Omit<ClusterLock, "lockHash" | "operatorSignatures">;

const Bytes32 = new ByteVectorType(32);
const Bytes48 = new ByteVectorType(48);
const LockSsz = new ContainerType({
  definitionHash: Bytes32,
  sessionId: Bytes32,
  threshold: new UintNumberType(1),
  groupPublicKey: Bytes48,
  sharePublicKeys: new ListCompositeType(Bytes48, MAX_OPERATORS),
  qualifiedDealers: new ListBasicType(new UintNumberType(1), MAX_OPERATORS),
  depositDataRoot: Bytes32,
  depositSignature: new ByteVectorType(96),
});

/**
 * SSZ hash-tree-root of what the lock commits to. The definition enters through its hash and the deposit through
 * its data root and signature, so any difference between two operators' views changes the hash.
 */
export function computeLockHash(body: LockBody): Uint8Array {
  return LockSsz.hashTreeRoot({
    definitionHash: hexToBytes(body.definitionHash),
    sessionId: hexToBytes(body.sessionId),
    threshold: body.threshold,
    groupPublicKey: hexToBytes(body.groupPublicKey),
    sharePublicKeys: body.sharePublicKeys.map((k) => hexToBytes(k)),
    qualifiedDealers: body.qualifiedDealers,
    depositDataRoot: hexToBytes(`0x${body.depositData.deposit_data_root}`),
    depositSignature: hexToBytes(`0x${body.depositData.signature}`),
  });
}

const LOCK_DOMAIN = Buffer.from("nektar/stinger/cluster-lock/v1", "utf8");

/** What an operator signs with its identity key to approve a lock. */
export function lockSigningRoot(lockHash: Uint8Array): Uint8Array {
  return createHash("sha256").update(LOCK_DOMAIN).update(lockHash).digest();
}
