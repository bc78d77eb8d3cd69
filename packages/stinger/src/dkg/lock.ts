import { createHash } from "node:crypto";
import { ByteVectorType, ContainerType, ListBasicType, ListCompositeType, UintNumberType } from "@chainsafe/ssz";
import { hexToBytes } from "viem";
import type { AgreementProtocol } from "../core/agreement/types.ts";
import { MAX_OPERATORS } from "./definition.ts";
import type { DepositDataJson } from "./deposit.ts";

/** Locks written today: v1 plus the agreement settings in the lock hash. */
export const LOCK_VERSION = "nektar-cluster-lock/v2";
/** Locks written before the agreement settings were bound; still loaded, with {@link V1_AGREEMENT}. */
export const LOCK_VERSION_V1 = "nektar-cluster-lock/v1";

/**
 * How the cluster's operators agree on duty data. Bound in the lock hash, so every operator of a lock runs the same
 * protocol with the same parameters: operators configured differently compute different lock hashes and the ceremony
 * aborts, instead of a cluster whose members silently talk past each other.
 */
export type AgreementSettings = {
  protocol: AgreementProtocol;
  /** Rounds after which an instance gives up. */
  maxRounds: number;
  /** Round timeout in ms; 0 means a sixth of the chain's slot. */
  roundTimeoutMs: number;
};

/** What every v1 lock ran with (the defaults of `stinger run` when v1 locks were written). */
export const V1_AGREEMENT: AgreementSettings = { protocol: "one-round", maxRounds: 6, roundTimeoutMs: 0 };
export const DEFAULT_AGREEMENT: AgreementSettings = V1_AGREEMENT;
const PROTOCOL_IDS: readonly AgreementProtocol[] = ["one-round", "qbft"];

/**
 * The result of a ceremony: the distributed validator's keys, the threshold-signed deposit data, and every operator's
 * Ed25519 signature over the lock hash. Secrets are not in it. Every operator writes the same lock except for the
 * definition's unhashed fields (`name`, each operator's `multiaddrs`): those are this node's dialing hints, so two
 * operators' locks are compared by `lockHash`, not byte for byte.
 */
export type ClusterLock = {
  version: typeof LOCK_VERSION | typeof LOCK_VERSION_V1;
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
  /** The agreement protocol and parameters (v2; absent in v1 locks, which ran {@link V1_AGREEMENT}). */
  agreement?: AgreementSettings;
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
const LockV1Fields = {
  definitionHash: Bytes32,
  sessionId: Bytes32,
  threshold: new UintNumberType(1),
  groupPublicKey: Bytes48,
  sharePublicKeys: new ListCompositeType(Bytes48, MAX_OPERATORS),
  qualifiedDealers: new ListBasicType(new UintNumberType(1), MAX_OPERATORS),
  depositDataRoot: Bytes32,
  depositSignature: new ByteVectorType(96),
};
const LockV1Ssz = new ContainerType(LockV1Fields);
const LockSsz = new ContainerType({
  ...LockV1Fields,
  agreement: new ContainerType({
    protocol: new UintNumberType(1),
    maxRounds: new UintNumberType(1),
    roundTimeoutMs: new UintNumberType(4),
  }),
});

/** The agreement settings a lock binds (v1 locks: {@link V1_AGREEMENT}). */
export function lockAgreement(lock: Pick<ClusterLock, "version" | "agreement">): AgreementSettings {
  return lock.version === LOCK_VERSION_V1 || lock.agreement === undefined ? V1_AGREEMENT : lock.agreement;
}

/** Why agreement settings cannot be bound in a lock, or `null`. */
export function agreementSettingsProblem(a: unknown): string | null {
  if (typeof a !== "object" || a === null) return "agreement settings missing";
  const { protocol, maxRounds, roundTimeoutMs } = a as AgreementSettings;
  if (!PROTOCOL_IDS.includes(protocol)) return `agreement.protocol must be one of ${PROTOCOL_IDS.join(", ")}`;
  if (!Number.isInteger(maxRounds) || maxRounds < 1 || maxRounds > 255) return "agreement.maxRounds must be 1..255";
  if (!Number.isInteger(roundTimeoutMs) || roundTimeoutMs < 0 || roundTimeoutMs > 3_600_000)
    return "agreement.roundTimeoutMs must be 0..3600000 (0: a sixth of the slot)";
  return null;
}

/**
 * SSZ hash-tree-root of what the lock commits to. The definition enters through its hash and the deposit through
 * its data root and signature, so any difference between two operators' views changes the hash. v2 adds the agreement
 * settings; a v1 lock keeps its v1 hash (and runs {@link V1_AGREEMENT}).
 */
export function computeLockHash(body: LockBody): Uint8Array {
  const v1 = {
    definitionHash: hexToBytes(body.definitionHash),
    sessionId: hexToBytes(body.sessionId),
    threshold: body.threshold,
    groupPublicKey: hexToBytes(body.groupPublicKey),
    sharePublicKeys: body.sharePublicKeys.map((k) => hexToBytes(k)),
    qualifiedDealers: body.qualifiedDealers,
    depositDataRoot: hexToBytes(`0x${body.depositData.deposit_data_root}`),
    depositSignature: hexToBytes(`0x${body.depositData.signature}`),
  };
  if (body.version === LOCK_VERSION_V1) return LockV1Ssz.hashTreeRoot(v1);
  const a = lockAgreement(body);
  return LockSsz.hashTreeRoot({
    ...v1,
    agreement: { protocol: PROTOCOL_IDS.indexOf(a.protocol), maxRounds: a.maxRounds, roundTimeoutMs: a.roundTimeoutMs },
  });
}

const LOCK_DOMAIN = Buffer.from("nektar/stinger/cluster-lock/v1", "utf8");

/** What an operator signs with its identity key to approve a lock. */
export function lockSigningRoot(lockHash: Uint8Array): Uint8Array {
  return createHash("sha256").update(LOCK_DOMAIN).update(lockHash).digest();
}
