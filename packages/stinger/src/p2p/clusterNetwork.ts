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
import { MemberLink } from "./memberLink.ts";
import type { P2pMetrics } from "./metrics.ts";
import type { OperatorNode } from "./node.ts";

/** Envelopes between members: one long-lived stream per member and direction, of length-prefixed signed envelopes. */
export const DIRECT_PROTOCOL = "/nektar/stinger/envelope/1.0.0";
/** Inbound envelope streams accepted per connection: one is in use; a few more cover a member replacing its stream. */
const MAX_INBOUND_STREAMS = 8;
/**
 * Of each pair of members the lower index dials (and re-dials after a drop); the higher one only if still unconnected
 * after this long, e.g. when the lower one cannot reach it. Both dialling costs a second Noise handshake, identify
 * exchange and set of streams for the pair; with a 300 ms grace a loaded 16-operator cluster opened ~3 connections
 * per pair, because handshakes there take seconds.
 */
const DIAL_GRACE_MS = 10_000;

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
/** Two validly signed, different envelopes by one author for the same slot: `first` was admitted, `second` was not. */
export type EquivocationHandler = (first: SignedEnvelope, second: SignedEnvelope) => void;

/**
 * The ceremony's view of the operator network: author-signed, size-bounded envelopes to one member or to all,
 * carried over one long-lived `DIRECT_PROTOCOL` stream per member (Noise-encrypted, authenticated by the connection).
 * A cluster is a full mesh of at most a few dozen operators, so a broadcast is written to every member's stream
 * directly, as Obol Charon's DKG does: one hop, no gossip relays or duplicates, and ordered delivery per member.
 * Every inbound envelope goes through `EnvelopeAdmission`; rejects are counted by reason and never reach the handler.
 * Delivery to every member is this node's job for what it authored: it keeps everything it sent and writes it again
 * whenever a stream to a member opens (first connection, reconnection, restart of the member), so a late or
 * restarted member catches up on rounds that are still open; receivers drop the duplicates. A member can also ask
 * for a round again (`requestResend`). For reliable broadcast, a member can `relay` another member's broadcast
 * envelope to everyone (kept and re-sent like its own); a conflicting second version of an envelope goes to the
 * `onEquivocation` handler with the first, instead of being silently dropped.
 */
export class ClusterNetwork {
  /** Name of this session's gossip topic (reserved; the ceremony's envelopes travel over `DIRECT_PROTOCOL`). */
  readonly topic: string;
  private readonly opts: ClusterNetworkOptions;
  private readonly admission: EnvelopeAdmission;
  private readonly dialer: MemberDialer;
  private readonly outbox: SignedEnvelope[] = [];
  /** Other members' broadcast envelopes this node relayed, re-sent with its own on reconnects and resend requests. */
  private readonly relayed: SignedEnvelope[] = [];
  /** Members whose streams carried envelopes of another session (a different cluster definition). */
  private readonly otherSession = new Set<number>();
  private readonly indexByPeer = new Map<string, number>();
  private readonly peerIds: PeerId[];
  private readonly links: (MemberLink | undefined)[];
  private handler: EnvelopeHandler = () => {};
  private equivocationHandler: EquivocationHandler = () => {};
  private readonly lastResend = new Map<string, number>();
  private stopped = false;
  private readonly onPeerConnect = (evt: CustomEvent<PeerId>) => {
    const index = this.indexByPeer.get(evt.detail.toString());
    if (index !== undefined) this.links[index]?.connected();
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
    this.links = this.peerIds.map((peerId, i) =>
      i === opts.selfIndex
        ? undefined
        : new MemberLink({
            node: opts.node,
            peerId,
            protocol: DIRECT_PROTOCOL,
            backlog: () => this.authoredFor(i).map(encodeSignedEnvelope),
            onSent: (bytes) => opts.metrics.bytesSent.inc({ protocol: "direct" }, bytes),
            logger: opts.logger,
          }),
    );
    this.dialer = new MemberDialer(opts.node, opts.logger);
  }

  onEnvelope(handler: EnvelopeHandler): void {
    this.handler = handler;
  }

  onEquivocation(handler: EquivocationHandler): void {
    this.equivocationHandler = handler;
  }

  /** Members (0-based) that sent this node envelopes signed for another session id, e.g. from another definition. */
  membersOnOtherSession(): number[] {
    return [...this.otherSession].sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    const { node } = this.opts;
    await node.handle(DIRECT_PROTOCOL, (stream, connection) => this.readDirect(stream, connection), {
      maxInboundStreams: MAX_INBOUND_STREAMS,
    });
    node.addEventListener("peer:connect", this.onPeerConnect);
    for (const link of this.links) link?.ensureOpen();
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
    node.removeEventListener("peer:connect", this.onPeerConnect);
    for (const link of this.links) link?.stop();
    await node.unhandle(DIRECT_PROTOCOL);
  }

  /** Operator indices currently connected (excluding self). */
  connectedMembers(): number[] {
    return this.peerIds
      .map((p, i) => (i !== this.opts.selfIndex && this.opts.node.getConnections(p).length > 0 ? i : -1))
      .filter((i) => i >= 0);
  }

  /**
   * Sign and send an envelope to `recipient` or, for `BROADCAST`, to every other member. Resolves when handed to the
   * connections; members not connected now get it when their stream opens.
   */
  async send(kind: MessageKind, round: number, recipient: number, payload: Uint8Array): Promise<void> {
    const signed = this.sign(kind, round, recipient, payload);
    this.outbox.push(signed);
    const bytes = encodeSignedEnvelope(signed);
    const targets = recipient === BROADCAST ? this.links : [this.links[recipient]];
    await Promise.all(targets.map((link) => link?.write([bytes])));
  }

  /**
   * Relay another member's admitted broadcast envelope, unchanged (its author's signature covers it), to every member
   * but its author, and keep it for members that connect or ask later. This is the echo of a reliable broadcast: what
   * one honest member received, every honest member receives, whomever the author left out.
   */
  async relay(envelope: SignedEnvelope): Promise<void> {
    const author = envelope.message.sender;
    if (envelope.message.recipient !== BROADCAST || author === this.opts.selfIndex || this.stopped) return;
    this.relayed.push(envelope);
    const bytes = encodeSignedEnvelope(envelope);
    await Promise.all(this.links.map((link, i) => (i === author ? undefined : link?.write([bytes]))));
  }

  /** Ask `member` to send again everything it authored for `round` (no-op if no stream to it is open). */
  async requestResend(member: number, round: number): Promise<void> {
    if (this.stopped) return;
    const signed = this.sign(MessageKind.resendRequest, round, member, new Uint8Array(0));
    await this.links[member]?.write([encodeSignedEnvelope(signed)]);
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

  /**
   * What this node owes `index`: what it authored for it (its broadcasts and private messages to it) and what it
   * relayed from other authors, optionally of one round.
   */
  private authoredFor(index: number, round?: number): SignedEnvelope[] {
    const own = this.outbox.filter(
      (e) =>
        (e.message.recipient === BROADCAST || e.message.recipient === index) &&
        (round === undefined || e.message.round === round),
    );
    const relayed = this.relayed.filter(
      (e) => e.message.sender !== index && (round === undefined || e.message.round === round),
    );
    return relayed.length === 0 ? own : [...own, ...relayed];
  }

  /** Read a member's envelope stream until it ends; a frame over the size limit ends it (the framing is lost). */
  private async readDirect(stream: Stream, connection: Connection): Promise<void> {
    const from = this.indexByPeer.get(connection.remotePeer.toString());
    if (from === undefined || from === this.opts.selfIndex) {
      // Admitted by the gater for another reason (a bootnode), but not an operator of this session.
      this.opts.metrics.dropped("non_member");
      stream.abort(new Error("not a member of this cluster session"));
      return;
    }
    const lp = lpStream(stream, { maxDataLength: MAX_ENVELOPE_BYTES });
    try {
      for (;;) {
        let frame: Uint8Array;
        try {
          frame = (await lp.read()).subarray();
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
      if (stream.status === "open") stream.abort(new Error("done"));
    }
  }

  /** Answer a resend request, at most once per second per (member, round): a replayed request costs little. */
  private answerResend(member: number, round: number): void {
    const key = `${member}/${round}`;
    const now = Date.now();
    if ((this.lastResend.get(key) ?? 0) > now - 1000) return;
    this.lastResend.set(key, now);
    void this.links[member]?.write(this.authoredFor(member, round).map(encodeSignedEnvelope));
  }

  private reportEquivocation(first: SignedEnvelope, second: SignedEnvelope): void {
    try {
      this.equivocationHandler(first, second);
    } catch (e) {
      this.opts.logger.error("Equivocation handler failed", { kind: second.message.kind }, e);
    }
  }

  /** Decode, admit and dispatch one frame; never throws. */
  private accept(bytes: Uint8Array, transportSender: number): void {
    const decoded = decodeSignedEnvelope(bytes);
    if (!decoded.ok) {
      this.opts.metrics.dropped(decoded.reason);
      return;
    }
    const verdict = this.admission.admit(decoded.envelope, transportSender);
    if (!verdict.ok) {
      this.opts.metrics.dropped(verdict.reason);
      if (verdict.reason === "wrong_session") this.otherSession.add(transportSender);
      if (verdict.reason === "equivocation") this.reportEquivocation(verdict.first, decoded.envelope);
      return;
    }
    this.opts.metrics.messagesReceived.inc({ kind: String(decoded.envelope.message.kind) });
    if (decoded.envelope.message.kind === MessageKind.resendRequest) {
      this.answerResend(decoded.envelope.message.sender, decoded.envelope.message.round);
      return;
    }
    try {
      this.handler(decoded.envelope);
    } catch (e) {
      this.opts.logger.error("Envelope handler failed", { kind: decoded.envelope.message.kind }, e);
    }
  }
}
