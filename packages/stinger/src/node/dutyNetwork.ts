import { createHash } from "node:crypto";
import { ByteListType, ByteVectorType, byteArrayEquals, ContainerType, UintNumberType } from "@chainsafe/ssz";
import { TopicValidatorResult } from "@libp2p/gossipsub";
import type { PeerId } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import type { Counter } from "prom-client";
import { MAX_AGREEMENT_MESSAGE_BYTES } from "../core/blockLimits.ts";
import type { DutyMessageKind, DutyTransport } from "../core/transport.ts";
import type { IdentitySigner, IdentityVerifier } from "../identity/ed25519.ts";
import type { Logger } from "../logger/logger.ts";
import { MemberDialer } from "../p2p/dialer.ts";
import type { OperatorNode } from "../p2p/node.ts";
import { FRAGMENT_CHUNK_BYTES, FragmentReassembler, fragmentPayload } from "./dutyFragments.ts";

/**
 * Largest duty payload: an agreement message carrying mainnet's largest block (`core/blockLimits.ts`); partial
 * batches stay far below it (`core/parsigex` splits them).
 */
export const MAX_DUTY_PAYLOAD_BYTES = MAX_AGREEMENT_MESSAGE_BYTES;
/**
 * v2: the envelope signature covers SHA-256(domain ‖ SSZ serialisation) instead of the SSZ hash tree root, which cost
 * ~8 ms per 40 KB partial batch (16 per slot per node); v1 messages are dropped as "version".
 */
const DUTY_MESSAGE_VERSION = 2;
/** A fragment of a payload larger than one gossip message (`dutyFragments.ts`); never handed to the pipeline as is. */
const FRAGMENT_KIND = 3;
const KINDS = new Set([1, 2, FRAGMENT_KIND, 4]);
const DOMAIN = Buffer.from("nektar/stinger/duty-message/v2", "utf8");

const DutyMessageSsz = new ContainerType({
  version: new UintNumberType(1),
  kind: new UintNumberType(1),
  clusterId: new ByteVectorType(32),
  /** Member index of the author (0-based, its share index − 1). */
  sender: new UintNumberType(1),
  payload: new ByteListType(MAX_DUTY_PAYLOAD_BYTES),
});
const SignedDutyMessageSsz = new ContainerType({ message: DutyMessageSsz, signature: new ByteVectorType(64) });

function signingRoot(message: ReturnType<typeof DutyMessageSsz.defaultValue>): Uint8Array {
  return createHash("sha256").update(DOMAIN).update(DutyMessageSsz.serialize(message)).digest();
}

/** What sealing and opening a duty message need: the cluster, the operators' identity verifiers and our index. */
export type DutyEnvelopeContext = {
  clusterId: Uint8Array;
  members: readonly { verifier: IdentityVerifier }[];
  selfIndex: number;
};

export type OpenedDutyMessage =
  | { readonly ok: true; readonly kind: DutyMessageKind; readonly sender: number; readonly payload: Uint8Array }
  | {
      readonly ok: false;
      readonly reason: "malformed" | "version" | "wrong_cluster" | "unknown_sender" | "bad_signature";
    };

/** Wraps a payload in the signed envelope of `ctx.selfIndex` (what `DutyNetwork.broadcast` publishes). */
export function sealDutyMessage(
  ctx: Pick<DutyEnvelopeContext, "clusterId" | "selfIndex">,
  signer: IdentitySigner,
  kind: DutyMessageKind | typeof FRAGMENT_KIND,
  payload: Uint8Array,
): Uint8Array {
  const message = { version: DUTY_MESSAGE_VERSION, kind, clusterId: ctx.clusterId, sender: ctx.selfIndex, payload };
  return SignedDutyMessageSsz.serialize({ message, signature: signer.sign(signingRoot(message)) });
}

/**
 * Checks a received envelope: well-formed, this cluster, a known operator other than us, signed by that operator's
 * identity key. Only then is `sender` proven. Never throws.
 */
export function openDutyMessage(ctx: DutyEnvelopeContext, data: Uint8Array): OpenedDutyMessage {
  let signed: ReturnType<typeof SignedDutyMessageSsz.deserialize>;
  try {
    signed = SignedDutyMessageSsz.deserialize(data);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const m = signed.message;
  if (m.version !== DUTY_MESSAGE_VERSION || !KINDS.has(m.kind)) return { ok: false, reason: "version" };
  if (!byteArrayEquals(m.clusterId, ctx.clusterId)) return { ok: false, reason: "wrong_cluster" };
  const member = ctx.members[m.sender];
  if (member === undefined || m.sender === ctx.selfIndex) return { ok: false, reason: "unknown_sender" };
  if (!member.verifier.verify(signingRoot(m), signed.signature)) return { ok: false, reason: "bad_signature" };
  return { ok: true, kind: m.kind as DutyMessageKind, sender: m.sender, payload: m.payload };
}

type GossipSubWithPublishOpts = {
  publish(topic: string, data: Uint8Array, opts: { batchPublish?: boolean }): Promise<unknown>;
};

export type DutyNetworkOptions = {
  node: OperatorNode;
  clusterId: Uint8Array;
  members: { peerId: string; multiaddrs: string[]; verifier: IdentityVerifier }[];
  selfIndex: number;
  signer: IdentitySigner;
  logger: Logger;
  dropped?: Counter<"reason">;
};

/**
 * The duty pipeline's transport over libp2p: one gossip topic per cluster, every message signed by its author's
 * Ed25519 identity and checked against the cluster lock's operator list before the pipeline sees it (so `from` is
 * proven). Gossip drops exact duplicates by content hash; replays of old slots are dropped by the steps' slot window.
 */
export class DutyNetwork implements DutyTransport {
  readonly topic: string;
  private readonly opts: DutyNetworkOptions;
  private readonly handlers = new Map<number, (from: number, payload: Uint8Array) => void>();
  private readonly dialer: MemberDialer;
  private readonly fragments = new FragmentReassembler();

  constructor(opts: DutyNetworkOptions) {
    this.opts = opts;
    this.topic = `/nektar/stinger/duties/${Buffer.from(opts.clusterId).toString("hex")}/1`;
    this.dialer = new MemberDialer(opts.node, opts.logger);
  }

  async start(): Promise<void> {
    const pubsub = this.opts.node.services.pubsub;
    pubsub.topicValidators.set(this.topic, (_from: PeerId, msg) => this.validate(msg.data));
    pubsub.subscribe(this.topic);
    await this.dialer.start(
      this.opts.members
        .map((m, i) => ({ peerId: peerIdFromString(m.peerId), addrs: m.multiaddrs, index: i }))
        .filter((m) => m.index !== this.opts.selfIndex),
    );
  }

  async stop(): Promise<void> {
    this.dialer.stop();
    const pubsub = this.opts.node.services.pubsub;
    pubsub.unsubscribe(this.topic);
    pubsub.topicValidators.delete(this.topic);
  }

  /** Number of other operators currently connected. */
  connectedMembers(): number {
    return this.opts.members.filter(
      (m, i) => i !== this.opts.selfIndex && this.opts.node.getConnections(peerIdFromString(m.peerId)).length > 0,
    ).length;
  }

  onMessage(kind: DutyMessageKind, handler: (from: number, payload: Uint8Array) => void): void {
    this.handlers.set(kind, handler);
  }

  async broadcast(kind: DutyMessageKind, payload: Uint8Array): Promise<void> {
    // batchPublish: the RPC is encoded once for all members instead of once per member (control messages that
    // would have piggybacked go out with the next heartbeat instead). The implementation takes PublishOpts; the
    // exported GossipSub interface does not declare them.
    const pubsub = this.opts.node.services.pubsub as unknown as GossipSubWithPublishOpts;
    const messages =
      payload.length <= FRAGMENT_CHUNK_BYTES
        ? [sealDutyMessage(this.opts, this.opts.signer, kind, payload)]
        : fragmentPayload(kind, payload).map((f) => sealDutyMessage(this.opts, this.opts.signer, FRAGMENT_KIND, f));
    for (const message of messages) await pubsub.publish(this.topic, message, { batchPublish: true });
  }

  private validate(data: Uint8Array): TopicValidatorResult {
    const opened = openDutyMessage(this.opts, data);
    if (!opened.ok) {
      this.opts.dropped?.inc({ reason: opened.reason });
      return TopicValidatorResult.Reject;
    }
    let { kind, payload } = opened as { kind: number; payload: Uint8Array };
    if (kind === FRAGMENT_KIND) {
      const whole = this.fragments.add(opened.sender, payload);
      if (whole === "malformed" || (whole !== null && whole.innerKind === FRAGMENT_KIND)) {
        this.opts.dropped?.inc({ reason: "malformed" });
        return TopicValidatorResult.Reject;
      }
      if (whole === null) return TopicValidatorResult.Accept;
      ({ innerKind: kind, payload } = whole);
    }
    try {
      this.handlers.get(kind)?.(opened.sender, payload);
    } catch (e) {
      this.opts.logger.error("Duty message handler failed", { kind, sender: opened.sender }, e);
    }
    return TopicValidatorResult.Accept;
  }
}
