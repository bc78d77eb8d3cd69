import { TopicValidatorResult } from "@libp2p/gossipsub";
import type { Connection, PeerId, Stream } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import { lpStream } from "@libp2p/utils";
import type { IdentitySigner, IdentityVerifier } from "../identity/ed25519.ts";
import type { Logger } from "../logger/logger.ts";
import { EnvelopeAdmission } from "./admission.ts";
import { MemberDialer } from "./dialer.ts";
import {
  BROADCAST,
  decodeSignedEnvelope,
  ENVELOPE_VERSION,
  encodeSignedEnvelope,
  envelopeSigningRoot,
  MAX_ENVELOPE_BYTES,
  MessageKind,
  type SignedEnvelope,
} from "./envelope.ts";
import type { P2pMetrics } from "./metrics.ts";
import type { OperatorNode } from "./node.ts";

/** Private (point-to-point) messages: a stream of length-prefixed signed envelopes. */
export const DIRECT_PROTOCOL = "/nektar/stinger/envelope/1.0.0";
const MAX_FRAMES_PER_STREAM = 256;
const DIAL_GRACE_MS = 300;

export type ClusterMember = { peerId: string; multiaddrs: string[]; verifier: IdentityVerifier };

export type ClusterNetworkOptions = {
  node: OperatorNode;
  sessionId: Uint8Array;
  members: ClusterMember[];
  selfIndex: number;
  signer: IdentitySigner;
  metrics: P2pMetrics;
  logger: Logger;
};

export type EnvelopeHandler = (envelope: SignedEnvelope) => void;

/**
 * The ceremony's view of the operator network: one gossip topic per cluster session for broadcasts and a versioned
 * request protocol for private messages, both carrying author-signed, size-bounded envelopes. Every inbound envelope
 * goes through `EnvelopeAdmission`; rejects are counted by reason and never reach the handler. Delivery to every
 * member is this node's job for what it authored: a broadcast also goes directly to connected members gossip did not
 * reach, and everything authored is re-delivered to a member when it (re)subscribes to the cluster topic (which it
 * does on every new connection, after its private-message handler is up), so a late or
 * restarted member catches up on rounds that are still open. Receivers drop the duplicates.
 */
export class ClusterNetwork {
  readonly topic: string;
  private readonly opts: ClusterNetworkOptions;
  private readonly admission: EnvelopeAdmission;
  private readonly dialer: MemberDialer;
  private readonly outbox: SignedEnvelope[] = [];
  private readonly indexByPeer = new Map<string, number>();
  private readonly peerIds: PeerId[];
  private handler: EnvelopeHandler = () => {};
  private readonly lastResend = new Map<string, number>();
  private stopped = false;
  private readonly onSubscription = (
    evt: CustomEvent<{ peerId: PeerId; subscriptions: { topic: string; subscribe: boolean }[] }>,
  ) => {
    if (!evt.detail.subscriptions.some((s) => s.topic === this.topic && s.subscribe)) return;
    const index = this.indexByPeer.get(evt.detail.peerId.toString());
    if (index !== undefined) void this.redeliver(index);
  };

  constructor(opts: ClusterNetworkOptions) {
    this.opts = opts;
    this.topic = `/nektar/stinger/cluster/${Buffer.from(opts.sessionId).toString("hex")}/1`;
    this.admission = new EnvelopeAdmission(
      opts.sessionId,
      opts.members.map((m) => m.verifier),
      opts.selfIndex,
    );
    opts.members.forEach((m, i) => {
      this.indexByPeer.set(m.peerId, i);
    });
    this.peerIds = opts.members.map((m) => peerIdFromString(m.peerId));
    this.dialer = new MemberDialer(opts.node, opts.logger);
  }

  onEnvelope(handler: EnvelopeHandler): void {
    this.handler = handler;
  }

  async start(): Promise<void> {
    const { node } = this.opts;
    const pubsub = node.services.pubsub;
    pubsub.topicValidators.set(this.topic, (from, msg) => this.validateGossip(from, msg.data));
    pubsub.subscribe(this.topic);
    await node.handle(DIRECT_PROTOCOL, (stream, connection) => this.readDirect(stream, connection), {
      maxInboundStreams: 64,
    });
    pubsub.addEventListener("subscription-change", this.onSubscription);
    // The lower index dials; the higher one dials too, but only if no connection exists after a grace period.
    const others = this.opts.members
      .map((m, i) => ({
        peerId: this.peerIds[i] as PeerId,
        addrs: m.multiaddrs,
        delayMs: i > this.opts.selfIndex ? 0 : DIAL_GRACE_MS,
      }))
      .filter((_, i) => i !== this.opts.selfIndex);
    await this.dialer.start(others);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.dialer.stop();
    const { node } = this.opts;
    node.services.pubsub.removeEventListener("subscription-change", this.onSubscription);
    node.services.pubsub.unsubscribe(this.topic);
    node.services.pubsub.topicValidators.delete(this.topic);
    await node.unhandle(DIRECT_PROTOCOL);
  }

  /** Operator indices currently connected (excluding self). */
  connectedMembers(): number[] {
    return this.peerIds
      .map((p, i) => (i !== this.opts.selfIndex && this.opts.node.getConnections(p).length > 0 ? i : -1))
      .filter((i) => i >= 0);
  }

  /** Sign and send an envelope: gossip for `BROADCAST`, a private stream otherwise. Delivery is retried on reconnect. */
  async send(kind: MessageKind, round: number, recipient: number, payload: Uint8Array): Promise<void> {
    const signed = this.sign(kind, round, recipient, payload);
    this.outbox.push(signed);
    const bytes = encodeSignedEnvelope(signed);
    if (recipient === BROADCAST) {
      const result = await this.opts.node.services.pubsub.publish(this.topic, bytes);
      this.opts.metrics.bytesSent.inc({ protocol: "gossip" }, bytes.length * result.recipients.length);
      // Gossip is the fast path; members it did not reach right now (subscription not yet known) get it directly.
      const reached = new Set(result.recipients.map((p) => p.toString()));
      const missed = this.connectedMembers().filter((i) => !reached.has(this.peerIds[i]?.toString() ?? ""));
      await Promise.all(missed.map((i) => this.sendDirect(i, [bytes])));
    } else {
      await this.sendDirect(recipient, [bytes]);
    }
  }

  /** Ask `member` to send again everything it authored for `round` (no-op if it is not connected). */
  async requestResend(member: number, round: number): Promise<void> {
    const signed = this.sign(MessageKind.resendRequest, round, member, new Uint8Array(0));
    await this.sendDirect(member, [encodeSignedEnvelope(signed)]);
  }

  private sign(kind: MessageKind, round: number, recipient: number, payload: Uint8Array): SignedEnvelope {
    const message = {
      version: ENVELOPE_VERSION,
      kind,
      sessionId: this.opts.sessionId,
      sender: this.opts.selfIndex,
      recipient,
      round,
      payload,
    };
    return { message, signature: this.opts.signer.sign(envelopeSigningRoot(message)) };
  }

  private async redeliver(index: number, round?: number): Promise<void> {
    const frames = this.outbox
      .filter((e) => e.message.recipient === BROADCAST || e.message.recipient === index)
      .filter((e) => round === undefined || e.message.round === round)
      .map(encodeSignedEnvelope);
    if (frames.length > 0) await this.sendDirect(index, frames);
  }

  private async sendDirect(index: number, frames: Uint8Array[]): Promise<void> {
    const peer = this.peerIds[index];
    if (peer === undefined || this.stopped) return;
    // Not connected: the frames stay in the outbox and go out when the peer subscribes (see onSubscription).
    if (this.opts.node.getConnections(peer).length === 0) return;
    try {
      const stream = await this.opts.node.dialProtocol(peer, DIRECT_PROTOCOL, { signal: AbortSignal.timeout(5000) });
      const lp = lpStream(stream, { maxDataLength: MAX_ENVELOPE_BYTES });
      for (let i = 0; i < frames.length; i += MAX_FRAMES_PER_STREAM) {
        await lp.writeV(frames.slice(i, i + MAX_FRAMES_PER_STREAM));
      }
      await stream.close();
      const total = frames.reduce((n, f) => n + f.length, 0);
      this.opts.metrics.bytesSent.inc({ protocol: "direct" }, total);
    } catch (e) {
      this.opts.logger.debug("Private send failed; will redeliver on reconnect", {
        peer: peer.toString(),
        reason: (e as Error).message,
      });
    }
  }

  private async readDirect(stream: Stream, connection: Connection): Promise<void> {
    const from = this.indexByPeer.get(connection.remotePeer.toString());
    const lp = lpStream(stream, { maxDataLength: MAX_ENVELOPE_BYTES });
    try {
      for (let i = 0; i < MAX_FRAMES_PER_STREAM; i++) {
        let frame: Uint8Array;
        try {
          frame = (await lp.read({ signal: AbortSignal.timeout(10_000) })).subarray();
        } catch (e) {
          const name = (e as Error).name;
          if (name === "InvalidDataLengthError" || name === "InvalidMessageLengthError")
            this.opts.metrics.dropped("oversized");
          break;
        }
        this.opts.metrics.bytesReceived.inc({ protocol: "direct" }, frame.length);
        this.accept(frame, from);
      }
    } finally {
      stream.abort?.(new Error("done"));
    }
  }

  /** Answer a resend request, at most once per second per (member, round): a replayed request costs little. */
  private answerResend(member: number, round: number): void {
    const key = `${member}/${round}`;
    const now = Date.now();
    if ((this.lastResend.get(key) ?? 0) > now - 1000) return;
    this.lastResend.set(key, now);
    void this.redeliver(member, round);
  }

  private validateGossip(from: PeerId, data: Uint8Array): TopicValidatorResult {
    this.opts.metrics.bytesReceived.inc({ protocol: "gossip" }, data.length);
    const outcome = this.accept(data, undefined, from);
    return outcome === "accepted"
      ? TopicValidatorResult.Accept
      : outcome === "ignored"
        ? TopicValidatorResult.Ignore
        : TopicValidatorResult.Reject;
  }

  /** Decode, admit and dispatch one frame; never throws. */
  private accept(
    bytes: Uint8Array,
    transportSender: number | undefined,
    _relay?: PeerId,
  ): "accepted" | "ignored" | "rejected" {
    const decoded = decodeSignedEnvelope(bytes);
    if (!decoded.ok) {
      this.opts.metrics.dropped(decoded.reason);
      return "rejected";
    }
    if (decoded.envelope.message.recipient !== BROADCAST && transportSender === undefined) {
      // Private envelopes never travel over gossip.
      this.opts.metrics.dropped("wrong_recipient");
      return "rejected";
    }
    const verdict = this.admission.admit(decoded.envelope, transportSender);
    if (!verdict.ok) {
      this.opts.metrics.dropped(verdict.reason);
      return verdict.reason === "duplicate" ? "ignored" : "rejected";
    }
    this.opts.metrics.messagesReceived.inc({ kind: String(decoded.envelope.message.kind) });
    if (decoded.envelope.message.kind === MessageKind.resendRequest) {
      this.answerResend(decoded.envelope.message.sender, decoded.envelope.message.round);
      return "accepted";
    }
    try {
      this.handler(decoded.envelope);
    } catch (e) {
      this.opts.logger.error("Envelope handler failed", { kind: decoded.envelope.message.kind }, e);
    }
    return "accepted";
  }
}
