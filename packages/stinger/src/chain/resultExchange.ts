import { createHash } from "node:crypto";
import { peerIdFromString } from "@libp2p/peer-id";
import { type Address, bytesToHex, concatBytes, type Hex, hexToBytes } from "viem";
import type { ClusterDefinition } from "../dkg/definition.ts";
import { CeremonyInbox } from "../dkg/inbox.ts";
import { identitySigner, identityVerifier, peerIdPublicKey } from "../identity/ed25519.ts";
import type { OperatorIdentity } from "../identity/identity.ts";
import type { Logger } from "../logger/logger.ts";
import { ClusterNetwork } from "../p2p/clusterNetwork.ts";
import { BROADCAST, MessageKind } from "../p2p/envelope.ts";
import type { PeerAllowlist } from "../p2p/gater.ts";
import type { P2pMetrics } from "../p2p/metrics.ts";
import type { OperatorNode } from "../p2p/node.ts";
import { isSignatureBy } from "./dkgResult.ts";
import { ChainError } from "./errors.ts";

const SESSION_TAG = Buffer.from("nektar/stinger/dkg-result-signatures/v1", "utf8");
/** The exchange's only round. */
const ROUND = 1;
const DIGEST_BYTES = 32;
const SIGNATURE_BYTES = 65;
/** A member still silent this long gets its connection re-established (see `collect`). */
const RECONNECT_AFTER_MS = 8_000;
/** How long signatures are awaited over P2P before on-chain attestations stand in, and how often those are read. */
const ATTESTED_AFTER_MS = 5_000;

export type ResultExchangeOptions = {
  definition: ClusterDefinition;
  /** The ceremony's session id; the exchange runs on its own session derived from it. */
  ceremonySessionId: Uint8Array;
  identity: OperatorIdentity;
  node: OperatorNode;
  allowlist: PeerAllowlist;
  p2pMetrics: P2pMetrics;
  logger: Logger;
};

/** Session id of the signature exchange of a ceremony (distinct from the ceremony's, so rounds never mix). */
export function resultSessionId(ceremonySessionId: Uint8Array): Uint8Array {
  return createHash("sha256").update(SESSION_TAG).update(ceremonySessionId).digest();
}

/**
 * Exchanges the operators' EIP-712 approvals of a DKG result over the cluster's gated P2P network: each operator
 * broadcasts (digest ‖ 65-byte ECDSA signature) in an envelope signed with its node identity, on a session of its own
 * next to the ceremony's. The envelope reuses the `lockSignature` kind (an operator's signature over the agreed
 * result); its session keeps it apart from the ceremony's lock round. A signature is kept only if it recovers to the
 * signer the registry lists at the sender's position; an approval of a different digest means the operators
 * computed different results, and the exchange fails rather than submit a result not everyone approved.
 *
 * The network stays up until `close()`, so late operators still receive this node's signature (re-delivery on
 * subscription and resend requests), while the submission phase waits for the result on-chain.
 */
export class ResultExchange {
  private readonly opts: ResultExchangeOptions;
  private readonly network: ClusterNetwork;
  private readonly inbox = new CeremonyInbox();
  private readonly release: () => void;
  private readonly selfIndex: number;

  private constructor(opts: ResultExchangeOptions, network: ClusterNetwork, release: () => void, selfIndex: number) {
    this.opts = opts;
    this.network = network;
    this.release = release;
    this.selfIndex = selfIndex;
    network.onEnvelope((e) => this.inbox.push(e));
  }

  static async open(opts: ResultExchangeOptions): Promise<ResultExchange> {
    const { definition } = opts;
    const self = opts.identity.peerId.toString();
    const selfIndex = definition.operators.findIndex((o) => o.peerId === self);
    if (selfIndex < 0) {
      throw new ChainError({
        code: "ERR_CHAIN_NOT_MEMBER",
        requestId: definition.requestId.toString(),
        identityPubkey: opts.identity.record.identityPubkey,
      });
    }
    const sessionId = resultSessionId(opts.ceremonySessionId);
    const release = opts.allowlist.admit(definition.operators.map((o) => o.peerId));
    const network = new ClusterNetwork({
      node: opts.node,
      sessionId,
      members: definition.operators.map((o) => ({
        peerId: o.peerId,
        multiaddrs: o.multiaddrs,
        verifier: identityVerifier(peerIdPublicKey(peerIdFromString(o.peerId))),
      })),
      selfIndex,
      signer: identitySigner(opts.identity.privateKey),
      metrics: opts.p2pMetrics,
      logger: opts.logger.child({ exchange: bytesToHex(sessionId).slice(0, 18) }),
    });
    const exchange = new ResultExchange(opts, network, release, selfIndex);
    await network.start();
    return exchange;
  }

  /**
   * Broadcast this operator's signature over `digest` and collect every operator's, in cluster order. Fails with
   * `ERR_CHAIN_RESULT_MISMATCH` if an operator approved another digest, `ERR_CHAIN_SIGNATURES_MISSING` on timeout.
   * With `attested` (the request's on-chain attestation bitmap), an operator whose signature is still missing but
   * that attested on-chain gets an empty entry (`0x`): the registry accepts its attestation of the same digest instead.
   */
  async collect(digest: Hex, ownSignature: Hex, timeoutMs: number, attested?: () => Promise<bigint>): Promise<Hex[]> {
    const { definition } = this.opts;
    const signers = definition.operators.map((o) => o.elAddress as Address);
    const signatures: (Hex | undefined)[] = new Array(signers.length).fill(undefined);
    signatures[this.selfIndex] = ownSignature;
    const payload = concatBytes([hexToBytes(digest), hexToBytes(ownSignature)]);
    await this.network.send(MessageKind.lockSignature, ROUND, BROADCAST, payload);
    const requestId = definition.requestId.toString();
    const deadline = Date.now() + timeoutMs;
    const started = Date.now();
    let lastReconnect = started;
    const askMissing = () => {
      const missing = signatures.flatMap((s, i) => (s === undefined && i !== this.selfIndex ? [i] : []));
      for (const i of missing) void this.network.requestResend(i, ROUND).catch(() => {});
      // A member that was still in its ceremony when this node opened its stream serves that stream from the
      // ceremony's (stopped) session, which drops everything of this one; libp2p keeps such a stream open as long
      // as the connection lives. Re-establishing the connection makes both sides open fresh streams to their
      // current sessions (the dialer reconnects members), after which the backlog and resend requests get through.
      if (Date.now() - lastReconnect >= RECONNECT_AFTER_MS) {
        lastReconnect = Date.now();
        for (const i of missing) {
          const peer = this.opts.definition.operators[i]?.peerId as string;
          void this.opts.node.hangUp(peerIdFromString(peer)).catch(() => {});
        }
      }
    };
    let consumed = 0;
    for (;;) {
      for (const e of this.inbox.takeNew(ROUND)) {
        consumed++;
        const p = e.message.payload;
        const sender = e.message.sender;
        if (e.message.kind !== MessageKind.lockSignature || p.length !== DIGEST_BYTES + SIGNATURE_BYTES) continue;
        const theirDigest = bytesToHex(p.subarray(0, DIGEST_BYTES));
        if (theirDigest !== digest.toLowerCase()) {
          throw new ChainError({
            code: "ERR_CHAIN_RESULT_MISMATCH",
            requestId,
            operator: sender + 1,
            reason: `approved ${theirDigest}, this node computed ${digest}`,
          });
        }
        const signature = bytesToHex(p.subarray(DIGEST_BYTES));
        if (await isSignatureBy(digest, signature, signers[sender] as Address)) signatures[sender] = signature;
        else this.opts.logger.warn("Dropped a result signature not by the registered signer", { operator: sender + 1 });
      }
      if (signatures.every((s) => s !== undefined)) return signatures as Hex[];
      if (attested !== undefined && Date.now() - started >= ATTESTED_AFTER_MS) {
        const bitmap = await attested();
        const stillMissing = signatures.flatMap((s, i) => (s === undefined ? [i] : []));
        if (stillMissing.every((i) => ((bitmap >> BigInt(i)) & 1n) === 1n)) {
          this.opts.logger.info("Signatures missing, attested on-chain instead", {
            operators: stillMissing.map((i) => i + 1).join(","),
          });
          return signatures.map((sig) => sig ?? "0x");
        }
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new ChainError({
          code: "ERR_CHAIN_SIGNATURES_MISSING",
          requestId,
          missing: signatures.flatMap((s, i) => (s === undefined ? [i + 1] : [])),
          timeoutMs,
        });
      }
      // In slices, so the on-chain attestations are looked at while waiting.
      const slice = attested === undefined ? left : Math.min(left, ATTESTED_AFTER_MS);
      await this.inbox.until(() => this.inbox.all(ROUND).length > consumed, slice, askMissing);
    }
  }

  async close(): Promise<void> {
    await this.network.stop();
    this.release();
  }
}
