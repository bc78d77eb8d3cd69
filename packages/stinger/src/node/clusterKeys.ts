import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SecretKey } from "@chainsafe/blst";
import type { ApiClient } from "@lodestar/api";
import { decryptKeyShare, KeystoreError } from "@nektar/crypto";
import { bytesToHex, hexToBytes } from "viem";
import { PipelineError } from "../core/pipelineError.ts";
import type { ClusterDefinition } from "../dkg/definition.ts";
import { type AgreementSettings, lockAgreement } from "../dkg/lock.ts";
import { LOCK_FILE, SHARE_KEYSTORE_FILE } from "../dkg/outputs.ts";
import { verifyClusterLock } from "../dkg/verifyLock.ts";
import { SupervisorError } from "./errors.ts";

/** An operator set this node belongs to: the unit of the duty network (one gossip topic, one agreement domain). */
export type ClusterMembership = {
  /** Binds agreement and duty messages to this operator set (stable when validators are added). */
  clusterId: Uint8Array;
  clusterIdHex: string;
  operators: ClusterDefinition["operators"];
  threshold: number;
  /** This operator's member index: 0-based position in `operators`, its share index − 1. */
  selfIndex: number;
  /** The agreement protocol and parameters the lock binds (every lock of the operator set must bind the same). */
  agreement: AgreementSettings;
};

/** One distributed validator as this operator holds it (from one ceremony's outputs). */
export type ValidatorShare = {
  /** The ceremony output directory (`<dataDir>/validators/dv-…`). */
  dir: string;
  pubkey: Uint8Array;
  /** 0x-prefixed lowercase hex of `pubkey`. */
  pubkeyHex: string;
  sharePublicKeys: Uint8Array[];
  /** This operator's secret share (never logged). */
  secretShare: Uint8Array;
  /** Execution address its blocks must pay: the address of 0x01/0x02 withdrawal credentials (the withdrawal vault). */
  feeRecipient?: Uint8Array;
  /** The epochs this share signs when a resharing wrote or replaced it (`planShareEpochs`); absent: all. */
  epochs?: { fromEpoch?: number; untilEpoch?: number };
};

/** The execution address of 0x01/0x02 withdrawal credentials (where the protocol wants rewards), else `undefined`. */
export function feeRecipientOf(withdrawalCredentials: `0x${string}`): Uint8Array | undefined {
  const bytes = hexToBytes(withdrawalCredentials);
  return bytes.length === 32 && (bytes[0] === 1 || bytes[0] === 2) ? bytes.slice(12) : undefined;
}

export type LoadedLock = { cluster: ClusterMembership; validator: ValidatorShare };

function invalid(lock: string, reason: string): never {
  throw new SupervisorError({ code: "ERR_SUPERVISOR_LOCK_INVALID", lock, reason });
}

/** The cluster id of an operator set: every lock naming the same operators, in the same order, shares it. */
export function clusterIdOf(operators: readonly { peerId: string }[]): Uint8Array {
  return createHash("sha256")
    .update("nektar/stinger/cluster/v1")
    .update(operators.map((o) => o.peerId).join(","))
    .digest();
}

/** Every ceremony output directory under `<dataDir>/validators` (staging directories excluded), sorted. */
export function validatorDirs(dataDir: string): string[] {
  const root = join(dataDir, "validators");
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((d) => d.startsWith("dv-"))
    .sort()
    .map((d) => join(root, d));
}

/**
 * Loads one ceremony's outputs: the lock is verified on its own (`verifyClusterLock`), this node's identity must be
 * one of its operators, and the share keystore must decrypt with `password` to the secret of this operator's share
 * public key (so a wrong keystore fails here, not at the first duty).
 */
export async function loadValidatorLock(dir: string, selfPeerId: string, password: string): Promise<LoadedLock> {
  const lockPath = join(dir, LOCK_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(lockPath, "utf8"));
  } catch (e) {
    invalid(lockPath, (e as Error).message);
  }
  const { lock, definition } = verifyClusterLock(raw);
  const selfIndex = definition.operators.findIndex((o) => o.peerId === selfPeerId);
  if (selfIndex < 0) invalid(lockPath, `this node's identity ${selfPeerId} is not one of its operators`);
  const keystorePath = join(dir, SHARE_KEYSTORE_FILE);
  let secretShare: Uint8Array;
  try {
    secretShare = await decryptKeyShare(readFileSync(keystorePath, "utf8"), password);
  } catch (e) {
    if (!(e instanceof KeystoreError)) invalid(keystorePath, (e as Error).message);
    if (e.type.code === "ERR_KEYSTORE_WRONG_PASSWORD") invalid(keystorePath, "wrong password");
    invalid(keystorePath, e.type.code === "ERR_KEYSTORE_INVALID" ? e.type.reason : e.type.code);
  }
  const ownSharePublicKey = lock.sharePublicKeys[selfIndex] ?? "";
  let derived: string;
  try {
    derived = bytesToHex(SecretKey.fromBytes(secretShare).toPublicKey().toBytes());
  } catch (e) {
    invalid(keystorePath, `not a BLS secret key (${(e as Error).message})`);
  }
  if (derived !== ownSharePublicKey.toLowerCase()) {
    invalid(keystorePath, `the share does not match share public key ${selfIndex + 1} of ${lockPath}`);
  }
  const clusterId = clusterIdOf(definition.operators);
  const pubkey = hexToBytes(lock.groupPublicKey);
  const feeRecipient = feeRecipientOf(definition.withdrawalCredentials);
  return {
    cluster: {
      clusterId,
      clusterIdHex: Buffer.from(clusterId).toString("hex"),
      operators: definition.operators,
      threshold: lock.threshold,
      selfIndex,
      agreement: lockAgreement(lock),
    },
    validator: {
      dir,
      pubkey,
      pubkeyHex: bytesToHex(pubkey),
      sharePublicKeys: lock.sharePublicKeys.map((k) => hexToBytes(k)),
      secretShare,
      ...(feeRecipient !== undefined ? { feeRecipient } : {}),
    },
  };
}

/**
 * Beacon indices of the given validators through the standard Beacon API (`postStateValidators` at the head). A
 * validator the beacon node does not know yet (deposit not processed) is absent from the result.
 */
export async function resolveValidatorIndices(
  api: ApiClient,
  pubkeysHex: readonly string[],
): Promise<Map<string, number>> {
  if (pubkeysHex.length === 0) return new Map();
  const res = await api.beacon.postStateValidators({ stateId: "head", validatorIds: [...pubkeysHex] });
  if (!res.ok) {
    throw new PipelineError({ code: "ERR_BEACON_NODE", call: "postStateValidators", reason: `HTTP ${res.status}` });
  }
  return new Map(res.value().map((v) => [bytesToHex(v.validator.pubkey), v.index]));
}
