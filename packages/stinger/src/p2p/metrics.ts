import { Counter, Gauge, type Registry } from "prom-client";
import type { DropReason } from "./admission.ts";

export type P2pMetrics = {
  messagesReceived: Counter<"kind">;
  messagesDropped: Counter<"reason">;
  bytesSent: Counter<"protocol">;
  bytesReceived: Counter<"protocol">;
  connectionsDenied: Counter<"direction">;
  connectedPeers: Gauge;
  dropped(reason: DropReason): void;
};

export function createP2pMetrics(registry: Registry): P2pMetrics {
  const messagesDropped = new Counter({
    name: "stinger_p2p_messages_dropped_total",
    help: "Messages dropped before reaching a protocol: malformed, oversized, non-member, replayed, equivocating",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  return {
    messagesReceived: new Counter({
      name: "stinger_p2p_messages_received_total",
      help: "Messages admitted (valid, from a member, first time seen)",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
    messagesDropped,
    bytesSent: new Counter({
      name: "stinger_p2p_sent_bytes_total",
      help: "Application bytes sent (envelopes, before Noise/Yamux framing)",
      labelNames: ["protocol"] as const,
      registers: [registry],
    }),
    bytesReceived: new Counter({
      name: "stinger_p2p_received_bytes_total",
      help: "Application bytes received (envelopes, before Noise/Yamux framing)",
      labelNames: ["protocol"] as const,
      registers: [registry],
    }),
    connectionsDenied: new Counter({
      name: "stinger_p2p_connections_denied_total",
      help: "Connections refused by the gater because the peer is not a known operator",
      labelNames: ["direction"] as const,
      registers: [registry],
    }),
    connectedPeers: new Gauge({
      name: "stinger_p2p_connected_peers_count",
      help: "Operators currently connected",
      registers: [registry],
    }),
    dropped: (reason) => messagesDropped.inc({ reason }),
  };
}
