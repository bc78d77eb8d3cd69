import { peerIdFromString } from "@libp2p/peer-id";
import { bytesToHex } from "viem";
import {
  type IdentitySigner,
  type IdentityVerifier,
  identitySigner,
  identityVerifier,
  peerIdPublicKey,
} from "../identity/ed25519.ts";
import { ClusterNetwork } from "../p2p/clusterNetwork.ts";
import { BROADCAST, MessageKind } from "../p2p/envelope.ts";
import type { CeremonyDeps } from "./ceremony.ts";
import type { CeremonyContext } from "./ceremonyContext.ts";
import type { ClusterDefinition } from "./definition.ts";
import { CeremonyError } from "./errors.ts";
import { CeremonyInbox } from "./inbox.ts";
import { ReliableBroadcast } from "./reliableBroadcast.ts";

export type CeremonySession = {
  ctx: CeremonyContext;
  signer: IdentitySigner;
  /** Identity verifier of every member, by 0-based index. */
  verifiers: IdentityVerifier[];
  /**
   * Which members may still stop the ceremony with an abort (by 0-based index); all until set. A DKG narrows it to
   * the qualified dealers once the key is fixed: a disqualified dealer may well try.
   */
  acceptAbortFrom: (sender: number) => boolean;
  /**
   * End the session: after a failure, tell the peers why (unless a peer's abort ended it); keep serving this node's
   * messages a while for peers still finishing; stop the network and withdraw the members' admission.
   */
  close(failure?: unknown): Promise<void>;
};

/**
 * Open the network side of a ceremony (DKG or resharing) among `definition`'s operators: admit them, connect, and route
 * their envelopes into the ceremony's inbox through the reliable broadcast (an abort from a member fails every wait, so
 * all nodes stop together).
 */
export async function openCeremonySession(
  definition: ClusterDefinition,
  sessionId: Uint8Array,
  selfIndex: number,
  deps: CeremonyDeps,
  logFields: Record<string, string | number>,
): Promise<CeremonySession> {
  const progress = deps.onProgress ?? (() => {});
  const logger = deps.logger.child({ ...logFields, session: bytesToHex(sessionId).slice(0, 18) });
  const verifiers = definition.operators.map((o) => identityVerifier(peerIdPublicKey(peerIdFromString(o.peerId))));
  const signer = identitySigner(deps.identity.privateKey);
  const release = deps.allowlist.admit(definition.operators.map((o) => o.peerId));
  const network = new ClusterNetwork({
    node: deps.node,
    sessionId,
    members: definition.operators.map((o, i) => ({
      peerId: o.peerId,
      multiaddrs: o.multiaddrs,
      verifier: verifiers[i] as IdentityVerifier,
    })),
    selfIndex,
    signer,
    metrics: deps.p2pMetrics,
    logger,
  });
  const inbox = new CeremonyInbox();
  // Complaints and answers travel by reliable broadcast (echoed by every member), and a second, different signed
  // message of a member for one round is kept as evidence instead of "first wins".
  const broadcast = new ReliableBroadcast({ network, inbox, selfIndex, metrics: deps.dkgMetrics, logger, progress });
  const session: CeremonySession = {
    ctx: {
      definition,
      sessionId,
      selfIndex,
      network,
      inbox,
      logger,
      metrics: deps.dkgMetrics,
      timeouts: deps.timeouts,
      progress,
    },
    signer,
    verifiers,
    acceptAbortFrom: () => true,
    async close(failure?: unknown) {
      const peerAborted = failure instanceof CeremonyError && failure.type.code === "ERR_CEREMONY_PEER_ABORTED";
      if (failure !== undefined && !peerAborted) {
        const code = (failure as { type?: { code?: string } }).type?.code ?? "ERR_CEREMONY_INTERNAL";
        const metadata = (failure as { getMetadata?: () => unknown }).getMetadata?.();
        const detail = metadata !== undefined ? JSON.stringify(metadata) : (failure as Error).message;
        const reason = Buffer.from(`${code}: ${detail}`.slice(0, 512), "utf8");
        await network.send(MessageKind.abort, 1, BROADCAST, reason).catch(() => {});
      }
      await new Promise((r) => setTimeout(r, failure === undefined ? (deps.lingerMs ?? 2000) : 500));
      await network.stop();
      release();
    },
  };
  network.onEnvelope((e) => {
    if (e.message.kind !== MessageKind.abort) {
      broadcast.admitted(e);
      return inbox.push(e);
    }
    if (!session.acceptAbortFrom(e.message.sender)) return;
    const reason = Buffer.from(e.message.payload).toString("utf8").slice(0, 512);
    inbox.fail(new CeremonyError({ code: "ERR_CEREMONY_PEER_ABORTED", operator: e.message.sender + 1, reason }));
  });
  network.onEquivocation((first, second) => broadcast.equivocated(first, second));
  await network.start();
  progress({
    type: "joined",
    operator: selfIndex + 1,
    operators: definition.operators.length,
    sessionId: bytesToHex(sessionId),
  });
  return session;
}
