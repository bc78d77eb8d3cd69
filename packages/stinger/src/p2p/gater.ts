import type { ConnectionGater, PeerId } from "@libp2p/interface";

/**
 * Peers this node may talk to: operators of the on-chain registry and of the cluster definitions it takes part in.
 * Sources add and remove peer ids; the gater reads it on every connection.
 */
export class PeerAllowlist {
  private readonly allowed = new Map<string, number>();

  /** Admit `peerIds`; returns a function that withdraws this admission (peers stay admitted while any source lists them). */
  admit(peerIds: Iterable<string>): () => void {
    const ids = [...peerIds];
    for (const id of ids) this.allowed.set(id, (this.allowed.get(id) ?? 0) + 1);
    return () => {
      for (const id of ids) {
        const n = (this.allowed.get(id) ?? 1) - 1;
        if (n <= 0) this.allowed.delete(id);
        else this.allowed.set(id, n);
      }
    };
  }

  has(peerId: PeerId | string): boolean {
    return this.allowed.has(peerId.toString());
  }
}

/**
 * Connection gater admitting only allowlisted operators. The check runs after the Noise handshake, when the remote
 * identity is proven; a stranger's connection is closed before any stream opens.
 */
export function operatorConnectionGater(
  allowlist: PeerAllowlist,
  onDenied?: (direction: "inbound" | "outbound") => void,
): ConnectionGater {
  return {
    denyDialPeer: (peerId) => !allowlist.has(peerId),
    denyInboundEncryptedConnection: (peerId) => {
      const deny = !allowlist.has(peerId);
      if (deny) onDenied?.("inbound");
      return deny;
    },
    denyOutboundEncryptedConnection: (peerId) => {
      const deny = !allowlist.has(peerId);
      if (deny) onDenied?.("outbound");
      return deny;
    },
  };
}
