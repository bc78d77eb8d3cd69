import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ApiClient } from "@lodestar/api";
import { PipelineError } from "../core/pipelineError.ts";
import { type DistributedValidatorInput, ValidatorKeys } from "../core/signer/validatorKeys.ts";
import type { ClusterDefinition } from "../dkg/definition.ts";
import { LOCK_FILE, SHARE_KEYSTORE_FILE } from "../dkg/outputs.ts";
import { verifyClusterLock } from "../dkg/verifyLock.ts";
import { decryptSecret, parseKeystore } from "../identity/keystore.ts";

export type LoadedCluster = {
  definition: ClusterDefinition;
  threshold: number;
  /** 0-based index of this operator in the definition. */
  selfIndex: number;
  /** Binds agreement and duty messages to this operator set (stable when validators are added). */
  clusterId: Uint8Array;
  validators: { pubkey: Uint8Array; sharePublicKeys: Uint8Array[]; secretShare: Uint8Array }[];
};

const hexBytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/^0x/, ""), "hex"));

function fail(reason: string): never {
  throw new PipelineError({ code: "ERR_DUTY_DATA_INVALID", reason });
}

/**
 * Loads every ceremony output under `<dataDir>/validators`: each lock is verified on its own (`verifyClusterLock`),
 * all must name the same operators and threshold, and each share keystore must decrypt with `password`.
 */
export async function loadClusterKeys(dataDir: string, selfPeerId: string, password: string): Promise<LoadedCluster> {
  const root = join(dataDir, "validators");
  const dirs = existsSync(root) ? readdirSync(root).filter((d) => d.startsWith("dv-")) : [];
  if (dirs.length === 0) fail(`no distributed validators under ${root}; run \`stinger dkg\` first`);
  let first: { definition: ClusterDefinition; threshold: number } | undefined;
  const validators: LoadedCluster["validators"] = [];
  for (const d of dirs.sort()) {
    const lockPath = join(root, d, LOCK_FILE);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(lockPath, "utf8"));
    } catch (e) {
      fail(`${lockPath}: ${(e as Error).message}`);
    }
    const { lock, definition } = verifyClusterLock(raw);
    const operators = definition.operators.map((o) => o.peerId).join(",");
    if (first === undefined) first = { definition, threshold: lock.threshold };
    else if (
      first.definition.operators.map((o) => o.peerId).join(",") !== operators ||
      first.threshold !== lock.threshold
    ) {
      fail(`${lockPath} has another operator set or threshold than the other locks; run one node per cluster`);
    }
    const keystore = parseKeystore(readFileSync(join(root, d, SHARE_KEYSTORE_FILE), "utf8"), "bls");
    const secretShare = await decryptSecret(keystore, password);
    if (secretShare === null) fail(`wrong password for ${join(root, d, SHARE_KEYSTORE_FILE)}`);
    validators.push({
      pubkey: hexBytes(lock.groupPublicKey),
      sharePublicKeys: lock.sharePublicKeys.map(hexBytes),
      secretShare,
    });
  }
  const { definition, threshold } = first as { definition: ClusterDefinition; threshold: number };
  const selfIndex = definition.operators.findIndex((o) => o.peerId === selfPeerId);
  if (selfIndex < 0) fail(`this node's identity ${selfPeerId} is not an operator of the cluster locks`);
  const clusterId = createHash("sha256")
    .update("nektar/stinger/cluster/v1")
    .update(definition.operators.map((o) => o.peerId).join(","))
    .digest();
  return { definition, threshold, selfIndex, clusterId, validators };
}

/**
 * Resolves the validators' beacon indices through the standard Beacon API and builds the key registry. Validators not
 * (yet) known to the beacon node are skipped and reported, so a node can start before its deposits are processed.
 */
export async function resolveValidatorKeys(
  api: ApiClient,
  cluster: LoadedCluster,
): Promise<{ keys: ValidatorKeys; unknown: string[] }> {
  const ids = cluster.validators.map((v) => `0x${Buffer.from(v.pubkey).toString("hex")}`);
  const res = await api.beacon.postStateValidators({ stateId: "head", validatorIds: ids });
  if (!res.ok) {
    throw new PipelineError({ code: "ERR_BEACON_NODE", call: "postStateValidators", reason: `HTTP ${res.status}` });
  }
  const byPubkey = new Map(res.value().map((v) => [Buffer.from(v.validator.pubkey).toString("hex"), v.index]));
  const inputs: DistributedValidatorInput[] = [];
  const unknown: string[] = [];
  for (const v of cluster.validators) {
    const index = byPubkey.get(Buffer.from(v.pubkey).toString("hex"));
    if (index === undefined) unknown.push(`0x${Buffer.from(v.pubkey).toString("hex")}`);
    else inputs.push({ index, pubkey: v.pubkey, sharePublicKeys: v.sharePublicKeys, secretShare: v.secretShare });
  }
  return { keys: new ValidatorKeys(cluster.selfIndex + 1, inputs), unknown };
}
