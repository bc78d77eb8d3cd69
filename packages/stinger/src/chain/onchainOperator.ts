import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type Account,
  type Address,
  bytesToHex,
  type Chain,
  type Hex,
  type LocalAccount,
  type Transport,
  type WalletClient,
} from "viem";
import { type CeremonyDeps, ceremonySessionId, runDkgCeremony } from "../dkg/ceremony.ts";
import { type ClusterDefinition, definitionHash } from "../dkg/definition.ts";
import type { ClusterLock } from "../dkg/lock.ts";
import { ceremonyOutputDir, LOCK_FILE } from "../dkg/outputs.ts";
import { type DkgAttestor, type DkgRound, NO_RESULT_DIGEST } from "./dkgAttestation.ts";
import { type DkgResult, dkgResultDigest, signDkgResult } from "./dkgResult.ts";
import { ChainError } from "./errors.ts";
import type { RegistryReader } from "./registryReader.ts";
import { addressBook, type ChainContext, clusterPosition, definitionFromRequest } from "./requestDefinition.ts";
import type { RequestedEvent } from "./requestWatcher.ts";
import { ResultExchange } from "./resultExchange.ts";
import { type SubmitOutcome, submitWhenDue } from "./submitter.ts";

export type OnchainOperatorOptions = {
  chain: ChainContext;
  reader: RegistryReader;
  /** Signs DKG results (the registered signer) and pays for submissions. */
  signer: LocalAccount;
  wallet: WalletClient<Transport, Chain, Account>;
  /** Dialing hints for cluster members: multiaddrs ending in /p2p/<peerId>. */
  peers: readonly string[];
  /** Everything the ceremony needs (the same deps `stinger dkg --definition` passes). */
  ceremony: CeremonyDeps;
  signatureTimeoutMs: number;
  submitFallbackMs: number;
  pollIntervalMs: number;
  /**
   * Attests each ceremony's outcome on-chain (`attestDkgResult`: the result's digest, or "no result" when the ceremony
   * failed), so a timed-out DKG strikes only the operators that were not there. Without it nothing is attested.
   */
  attestor?: DkgAttestor | undefined;
};

export type RequestOutcome =
  | {
      requestId: bigint;
      action: "skipped";
      /** `gave-up`: this node attested "no result" for the request's current round already (its ceremony failed). */
      reason: "not-member" | "not-requested" | "signer-mismatch" | "gave-up";
      status?: string;
    }
  | { requestId: bigint; action: "failed"; error: string }
  | ({ requestId: bigint; action: "completed"; groupPubkey: Hex; lockPath: string } & SubmitOutcome);

/** The result operators approve, read from a cluster lock. */
export function dkgResultFromLock(requestId: bigint, lock: ClusterLock): DkgResult {
  return {
    requestId,
    groupPubkey: lock.groupPublicKey,
    sharePubkeys: `0x${lock.sharePublicKeys.map((k) => k.slice(2)).join("")}`,
    depositSignature: `0x${lock.depositData.signature}`,
    depositDataRoot: `0x${lock.depositData.deposit_data_root}`,
  };
}

/**
 * A request this node was drawn for, checked against the chain and ready for its ceremony. `round` is the DKG round
 * the cluster was read in: a redraw of missed seats starts a new round (and a new cluster, so a new ceremony).
 */
export type PreparedRequest = { definition: ClusterDefinition; position: number; round: DkgRound };

/**
 * Decide whether this node acts on a `ValidatorRequested` event: only if its node identity was drawn, the request is
 * still `Requested` on-chain and the registered signer is this node's key; then build the cluster definition from the
 * chain. Reads only, so an RPC failure here is retried by the watcher without losing the event.
 */
export async function prepareValidatorRequest(
  event: RequestedEvent,
  o: OnchainOperatorOptions,
): Promise<PreparedRequest | Extract<RequestOutcome, { action: "skipped" }>> {
  const requestId = event.requestId;
  const request = await o.reader.request(event);
  const position = clusterPosition(request, o.ceremony.identity.record.identityPubkey);
  if (position < 0) return { requestId, action: "skipped", reason: "not-member" };
  const { status, requestedAt } = await o.reader.state(requestId);
  if (status !== "requested") return { requestId, action: "skipped", reason: "not-requested", status };
  const round = { requestId, requestedAt };
  if (o.attestor?.recorded(round)?.digest === NO_RESULT_DIGEST) {
    return { requestId, action: "skipped", reason: "gave-up", status };
  }
  const registered = request.signers[position] as Address;
  if (registered.toLowerCase() !== o.signer.address.toLowerCase()) {
    // A configuration error no retry fixes: say so loudly and leave the request to expire.
    o.ceremony.logger.error(
      "Drawn for a validator, but the registered DKG-result signer is not this node's signer key",
      { requestId: requestId.toString(), position: position + 1 },
      new ChainError({
        code: "ERR_CHAIN_SIGNER_NOT_REGISTERED",
        requestId: requestId.toString(),
        position: position + 1,
        expected: registered,
        have: o.signer.address,
      }),
    );
    return { requestId, action: "skipped", reason: "signer-mismatch" };
  }
  return { definition: definitionFromRequest(request, o.chain, addressBook(o.peers)), position, round };
}

/**
 * Carry a prepared request to the end: run the DKG ceremony through the same `runDkgCeremony` as
 * `stinger dkg --definition` (or, after a restart, reuse the outputs already written); sign the result (EIP-712,
 * registered signer key); exchange the 16 signatures over P2P; then submit in turn (`submitWhenDue`) until the
 * result is on-chain.
 */
export async function executeValidatorRequest(
  prepared: PreparedRequest,
  o: OnchainOperatorOptions,
): Promise<RequestOutcome> {
  const { definition, position, round } = prepared;
  const requestId = definition.requestId;
  const logger = o.ceremony.logger.child({ requestId: requestId.toString() });
  logger.info("Drawn for a validator; starting the DKG ceremony", { position: position + 1 });
  const sessionId = ceremonySessionId(definition);
  let ceremony: Awaited<ReturnType<typeof ceremonyLock>>;
  try {
    ceremony = await ceremonyLock(definition, sessionId, o.ceremony);
  } catch (e) {
    // Present but without a result: only the operators that did not attest are struck when the request times out.
    await attestOutcome(o, round, position, NO_RESULT_DIGEST, logger);
    throw e;
  }
  const { lock, lockPath, ran } = ceremony;
  // Peers finishing the ceremony a little later still serve its session for its linger period; opening the exchange
  // after it spares most of them a reconnection (see `ResultExchange.collect`).
  const result = dkgResultFromLock(requestId, lock);
  const digest = dkgResultDigest(o.chain.chainId, o.chain.registry, result);
  // As soon as the ceremony ends, before the signature exchange: presence counts even if the exchange stalls.
  await attestOutcome(o, round, position, digest, logger);
  if (ran) await new Promise((r) => setTimeout(r, (o.ceremony.lingerMs ?? 2000) + 1000));
  const own = await signDkgResult(o.signer, o.chain.chainId, o.chain.registry, result);
  const exchange = await ResultExchange.open({
    definition,
    ceremonySessionId: sessionId,
    identity: o.ceremony.identity,
    node: o.ceremony.node,
    allowlist: o.ceremony.allowlist,
    p2pMetrics: o.ceremony.p2pMetrics,
    logger,
  });
  try {
    const signatures = await exchange.collect(digest, own, o.signatureTimeoutMs, async () => {
      const { attestedBitmap, requestedAt } = await o.reader.state(requestId);
      // Attestations of another round (the seats were redrawn meanwhile) do not count.
      return requestedAt === round.requestedAt ? attestedBitmap : 0n;
    });
    logger.info("Collected all operator signatures of the DKG result", { digest });
    const outcome = await submitWhenDue({
      reader: o.reader,
      wallet: o.wallet,
      registry: o.chain.registry,
      result,
      signatures,
      position,
      fallbackMs: o.submitFallbackMs,
      pollIntervalMs: o.pollIntervalMs,
      graceMs: o.submitFallbackMs,
      logger,
    });
    return { requestId, action: "completed", groupPubkey: result.groupPubkey, lockPath, ...outcome };
  } finally {
    await exchange.close();
  }
}

/** Attests a ceremony's outcome if an attestor is set; a failure is logged (the deadline upkeep tries again). */
async function attestOutcome(
  o: OnchainOperatorOptions,
  round: DkgRound,
  position: number,
  digest: Hex,
  logger: OnchainOperatorOptions["ceremony"]["logger"],
): Promise<void> {
  if (o.attestor === undefined) return;
  try {
    const out = await o.attestor.attest(round, position, digest);
    if (out.outcome === "stale") logger.info("DKG round over before this node attested", { reason: out.reason });
  } catch (e) {
    logger.warn("Could not attest the DKG outcome on-chain; retrying before the DKG timeout", { digest }, e as Error);
  }
}

/** Run the ceremony, or load the lock a previous run of this node wrote for the same definition. */
async function ceremonyLock(
  definition: ClusterDefinition,
  sessionId: Uint8Array,
  deps: CeremonyDeps,
): Promise<{ lock: ClusterLock; lockPath: string; ran: boolean }> {
  const existing = join(ceremonyOutputDir(deps.dataDir, sessionId), LOCK_FILE);
  if (existsSync(existing)) {
    const lock = JSON.parse(readFileSync(existing, "utf8")) as ClusterLock;
    if (lock.definitionHash !== bytesToHex(definitionHash(definition))) {
      throw new ChainError({
        code: "ERR_CHAIN_RESULT_MISMATCH",
        requestId: definition.requestId.toString(),
        operator: 0,
        reason: `existing lock ${existing} belongs to another definition`,
      });
    }
    deps.logger.info("Reusing the ceremony outputs written before a restart", { lock: existing });
    return { lock, lockPath: existing, ran: false };
  }
  const outcome = await runDkgCeremony(definition, deps);
  return { lock: JSON.parse(readFileSync(outcome.lock, "utf8")) as ClusterLock, lockPath: outcome.lock, ran: true };
}
