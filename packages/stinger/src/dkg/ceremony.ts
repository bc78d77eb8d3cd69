import { createHash } from "node:crypto";
import type { KeystoreKdf } from "@nektar/crypto";
import { computeDkgSessionId } from "@nektar/crypto";
import { bytesToHex } from "viem";
import type { OperatorIdentity } from "../identity/identity.ts";
import type { Logger } from "../logger/logger.ts";
import type { PeerAllowlist } from "../p2p/gater.ts";
import type { P2pMetrics } from "../p2p/metrics.ts";
import type { OperatorNode } from "../p2p/node.ts";
import { type ProgressEvent, TOTAL_ROUNDS } from "./ceremonyContext.ts";
import { openCeremonySession } from "./ceremonySession.ts";
import { openDealerSeed } from "./dealerSeed.ts";
import { type ClusterDefinition, definitionHash, serializeClusterDefinition } from "./definition.ts";
import { depositDataJson } from "./deposit.ts";
import { signDepositThreshold } from "./depositRound.ts";
import { runDkgRounds } from "./dkgRounds.ts";
import { CeremonyError } from "./errors.ts";
import { type AgreementSettings, DEFAULT_AGREEMENT, LOCK_VERSION } from "./lock.ts";
import { approveLock } from "./lockRound.ts";
import type { DkgMetrics } from "./metrics.ts";
import { assertOutputAbsent, type CeremonyOutputPaths, ceremonyOutputDir, writeCeremonyOutputs } from "./outputs.ts";
import { confirmQualifiedSet } from "./qualifiedSetRound.ts";

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

const SESSION_DOMAIN = "nektar/stinger/dkg-session/v2";

/**
 * The DKG session id of a definition: `packages/crypto`'s (chain, registry, request id, ordered operators) bound to
 * the definition hash, i.e. also to the threshold, withdrawal credentials, fork version and deposit amount. Operators
 * whose definitions differ in any of them are in different sessions: their envelopes are refused, and the ceremony
 * aborts instead of building a key some members think has another threshold or pays out elsewhere.
 */
export function ceremonySessionId(def: ClusterDefinition): Uint8Array {
  const dkgSession = computeDkgSessionId({
    chainId: def.chainId,
    contractAddress: def.registryAddress,
    requestId: def.requestId,
    participants: def.operators.map((o) => ({ address: o.elAddress })),
  });
  return createHash("sha256").update(SESSION_DOMAIN).update(dkgSession).update(definitionHash(def)).digest();
}

/**
 * Run one DKG ceremony to completion or abort. The single entry point for both triggers: the file-driven
 * `stinger dkg --definition` and (next) the operator registry's `ValidatorRequested` event.
 *
 * Rounds: deal → complain → answer (the crypto DKG; complaints and answers by reliable broadcast), qualified-set
 * (every operator confirms the same qualified dealers and key), deposit-signature (threshold signing),
 * lock-signature (every operator signs the lock hash). Outputs (share keystore, lock, deposit data) are written all-or-nothing only after
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
  const session = await openCeremonySession(definition, sessionId, selfIndex, deps, { operator: selfIndex + 1 });
  const { ctx, signer, verifiers } = session;
  const progress = ctx.progress;
  const seed = openDealerSeed(deps.dataDir, sessionId);
  if (seed.resumed) ctx.logger.info("Resuming this node's deal of an interrupted ceremony (same polynomial)");
  try {
    const dkg = await runDkgRounds(ctx, { random: seed.random, dealt: seed.discard });
    // Once the key is fixed, only qualified dealers can stop the ceremony.
    const qualified = new Set(dkg.qualified);
    session.acceptAbortFrom = (sender) => qualified.has(sender + 1);
    await confirmQualifiedSet(ctx, dkg);
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
    const seconds = (performance.now() - started) / 1000;
    deps.dkgMetrics.ceremonies.inc({ outcome: "completed" });
    deps.dkgMetrics.ceremonyDuration.observe(seconds);
    progress({ type: "completed", lockHash: lock.lockHash, seconds });
    await session.close();
    return { ...paths, lockHash: lock.lockHash, groupPublicKey: lock.groupPublicKey, seconds };
  } catch (e) {
    const code = e instanceof CeremonyError ? e.type.code : "ERR_CEREMONY_INTERNAL";
    deps.dkgMetrics.ceremonies.inc({ outcome: code });
    progress({ type: "aborted", reason: (e as Error).message });
    await session.close(e);
    throw e;
  } finally {
    seed.discard();
  }
}
