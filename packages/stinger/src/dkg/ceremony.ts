import { peerIdFromString } from "@libp2p/peer-id";
import type { KeystoreKdf } from "@nektar/crypto";
import { computeDkgSessionId } from "@nektar/crypto";
import { bytesToHex } from "viem";
import { identitySigner, identityVerifier, peerIdPublicKey } from "../identity/ed25519.ts";
import type { OperatorIdentity } from "../identity/identity.ts";
import type { Logger } from "../logger/logger.ts";
import { ClusterNetwork } from "../p2p/clusterNetwork.ts";
import { BROADCAST, MessageKind } from "../p2p/envelope.ts";
import type { PeerAllowlist } from "../p2p/gater.ts";
import type { P2pMetrics } from "../p2p/metrics.ts";
import type { OperatorNode } from "../p2p/node.ts";
import { type CeremonyContext, CeremonyRound, type ProgressEvent, TOTAL_ROUNDS } from "./ceremonyContext.ts";
import { type ClusterDefinition, definitionHash, serializeClusterDefinition } from "./definition.ts";
import { depositDataJson } from "./deposit.ts";
import { signDepositThreshold } from "./depositRound.ts";
import { runDkgRounds } from "./dkgRounds.ts";
import { CeremonyError } from "./errors.ts";
import { CeremonyInbox } from "./inbox.ts";
import { type AgreementSettings, DEFAULT_AGREEMENT, LOCK_VERSION } from "./lock.ts";
import { approveLock } from "./lockRound.ts";
import type { DkgMetrics } from "./metrics.ts";
import { assertOutputAbsent, type CeremonyOutputPaths, ceremonyOutputDir, writeCeremonyOutputs } from "./outputs.ts";
import { ceremonyRandomSource } from "./rng.ts";

export { TOTAL_ROUNDS };

export type CeremonyDeps = {
  identity: OperatorIdentity;
  /** A started operator node; the ceremony adds its operators to `allowlist` for its duration. */
  node: OperatorNode;
  allowlist: PeerAllowlist;
  dataDir: string;
  /** Password of the share keystore written at the end. */
  keystorePassword: string;
  kdf: KeystoreKdf;
  timeouts: { joinTimeoutMs: number; roundTimeoutMs: number };
  logger: Logger;
  p2pMetrics: P2pMetrics;
  dkgMetrics: DkgMetrics;
  onProgress?: (event: ProgressEvent) => void;
  /** Keep serving this node's messages this long after completing, for peers still finishing (default 2 s). */
  lingerMs?: number;
  /** Agreement settings the lock binds (default {@link DEFAULT_AGREEMENT}); every operator must bring the same. */
  agreement?: AgreementSettings;
};

export type CeremonyOutcome = CeremonyOutputPaths & { lockHash: string; groupPublicKey: string; seconds: number };

/** The DKG session id of a definition: `packages/crypto`'s, over chain, registry, request id and the ordered operators. */
export function ceremonySessionId(def: ClusterDefinition): Uint8Array {
  return computeDkgSessionId({
    chainId: def.chainId,
    contractAddress: def.registryAddress,
    requestId: def.requestId,
    participants: def.operators.map((o) => ({ address: o.elAddress })),
  });
}

/**
 * Run one DKG ceremony to completion or abort. The single entry point for both triggers: the file-driven
 * `stinger dkg --definition` and (next) the operator registry's `ValidatorRequested` event.
 *
 * Rounds: deal → complain → answer (the crypto DKG), deposit-signature (threshold signing), lock-signature (every
 * operator signs the lock hash). Outputs (share keystore, lock, deposit data) are written all-or-nothing only after
 * every operator signed the same lock. On any failure this node broadcasts an abort with the reason, so peers stop
 * too, and throws a `CeremonyError`.
 */
export async function runDkgCeremony(definition: ClusterDefinition, deps: CeremonyDeps): Promise<CeremonyOutcome> {
  const started = performance.now();
  const self = deps.identity.peerId.toString();
  const selfIndex = definition.operators.findIndex((o) => o.peerId === self);
  if (selfIndex < 0) throw new CeremonyError({ code: "ERR_CEREMONY_NOT_MEMBER", peerId: self });
  const sessionId = ceremonySessionId(definition);
  const outputDir = ceremonyOutputDir(deps.dataDir, sessionId);
  assertOutputAbsent(outputDir);
  const progress = deps.onProgress ?? (() => {});
  const logger = deps.logger.child({ session: bytesToHex(sessionId).slice(0, 18), operator: selfIndex + 1 });
  const verifiers = definition.operators.map((o) => identityVerifier(peerIdPublicKey(peerIdFromString(o.peerId))));
  const signer = identitySigner(deps.identity.privateKey);
  const release = deps.allowlist.admit(definition.operators.map((o) => o.peerId));
  const network = new ClusterNetwork({
    node: deps.node,
    sessionId,
    members: definition.operators.map((o, i) => ({
      peerId: o.peerId,
      multiaddrs: o.multiaddrs,
      verifier: verifiers[i] as (typeof verifiers)[number],
    })),
    selfIndex,
    signer,
    metrics: deps.p2pMetrics,
    logger,
  });
  const inbox = new CeremonyInbox();
  // Once the key is fixed, only qualified dealers can stop the ceremony; a disqualified one may well try.
  let qualified: Set<number> | null = null;
  network.onEnvelope((e) => {
    if (e.message.kind === MessageKind.abort) {
      if (qualified !== null && !qualified.has(e.message.sender + 1)) return;
      const reason = Buffer.from(e.message.payload).toString("utf8").slice(0, 512);
      inbox.fail(new CeremonyError({ code: "ERR_CEREMONY_PEER_ABORTED", operator: e.message.sender + 1, reason }));
    } else {
      inbox.push(e);
    }
  });
  const ctx: CeremonyContext = {
    definition,
    sessionId,
    selfIndex,
    network,
    inbox,
    logger,
    metrics: deps.dkgMetrics,
    timeouts: deps.timeouts,
    progress,
  };
  await network.start();
  progress({
    type: "joined",
    operator: selfIndex + 1,
    operators: definition.operators.length,
    sessionId: bytesToHex(sessionId),
  });
  let completed = false;
  try {
    const dkg = await runDkgRounds(ctx, ceremonyRandomSource(deps.identity.privateKey.raw.subarray(0, 32), sessionId));
    qualified = new Set(dkg.qualified);
    const disqualified = definition.operators.map((_, i) => i + 1).filter((id) => !dkg.qualified.includes(id));
    if (disqualified.length > 0) {
      deps.dkgMetrics.disqualifiedDealers.inc(disqualified.length);
      progress({ type: "disqualified", dealers: disqualified });
    }
    const deposit = await signDepositThreshold(ctx, dkg);
    const networkName = `chain-${definition.chainId}`;
    const depositData = depositDataJson(deposit.input, deposit.signature, networkName);
    const lock = await approveLock(
      ctx,
      {
        version: LOCK_VERSION,
        definition: JSON.parse(serializeClusterDefinition(definition)),
        definitionHash: bytesToHex(definitionHash(definition)),
        sessionId: bytesToHex(sessionId),
        threshold: definition.threshold,
        groupPublicKey: bytesToHex(dkg.groupPublicKey),
        sharePublicKeys: dkg.sharePublicKeys.map((k) => bytesToHex(k)),
        qualifiedDealers: [...dkg.qualified].sort((a, b) => a - b),
        depositData,
        agreement: deps.agreement ?? DEFAULT_AGREEMENT,
      },
      signer,
      verifiers,
    );
    const paths = await writeCeremonyOutputs(
      outputDir,
      lock,
      depositData,
      {
        secretKey: dkg.keyShare.secretKey,
        publicKey: dkg.sharePublicKeys[selfIndex] as Uint8Array,
        shareIndex: dkg.keyShare.shareIndex,
      },
      deps.keystorePassword,
      deps.kdf,
    );
    completed = true;
    const seconds = (performance.now() - started) / 1000;
    deps.dkgMetrics.ceremonies.inc({ outcome: "completed" });
    deps.dkgMetrics.ceremonyDuration.observe(seconds);
    progress({ type: "completed", lockHash: lock.lockHash, seconds });
    return { ...paths, lockHash: lock.lockHash, groupPublicKey: lock.groupPublicKey, seconds };
  } catch (e) {
    const code = e instanceof CeremonyError ? e.type.code : "ERR_CEREMONY_INTERNAL";
    deps.dkgMetrics.ceremonies.inc({ outcome: code });
    progress({ type: "aborted", reason: (e as Error).message });
    if (!(e instanceof CeremonyError && e.type.code === "ERR_CEREMONY_PEER_ABORTED")) {
      const reason = Buffer.from(`${code}: ${describe(e)}`.slice(0, 512), "utf8");
      await network.send(MessageKind.abort, CeremonyRound.deal, BROADCAST, reason).catch(() => {});
    }
    throw e;
  } finally {
    await new Promise((r) => setTimeout(r, completed ? (deps.lingerMs ?? 2000) : 500));
    await network.stop();
    release();
  }
}

function describe(e: unknown): string {
  if (e instanceof CeremonyError) return JSON.stringify(e.getMetadata());
  return (e as Error).message;
}
