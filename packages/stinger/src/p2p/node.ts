import { createHash } from "node:crypto";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { type GossipSub, gossipsub, StrictNoSign } from "@libp2p/gossipsub";
import { type Identify, identify } from "@libp2p/identify";
import type { Ed25519PrivateKey, Libp2p } from "@libp2p/interface";
import { type Ping, ping } from "@libp2p/ping";
import { tcp } from "@libp2p/tcp";
import { createLibp2p } from "libp2p";
import { operatorConnectionGater, type PeerAllowlist } from "./gater.ts";
import { libp2pComponentLogger } from "./libp2pLogger.ts";
import type { P2pMetrics } from "./metrics.ts";
import { nodeNoiseCrypto } from "./noiseCrypto.ts";

/**
 * Largest gossip RPC a node reads: one duty message carrying mainnet's largest block (10 MiB plus agreement overhead,
 * `core/blockLimits.ts`) and its framing. libp2p's default (4 MiB) would silently drop a large block proposal.
 */
export const MAX_GOSSIP_RPC_BYTES = 11 * 1024 * 1024;

export type OperatorNodeServices = { identify: Identify; ping: Ping; pubsub: GossipSub };
export type OperatorNode = Libp2p<OperatorNodeServices>;

export type OperatorNodeOptions = {
  privateKey: Ed25519PrivateKey;
  /** Multiaddrs to listen on, e.g. `/ip4/0.0.0.0/tcp/9000`. */
  listen: string[];
  allowlist: PeerAllowlist;
  metrics?: P2pMetrics | undefined;
};

/**
 * The operator's libp2p host: TCP + Noise + Yamux, identify, ping and gossipsub, behind a gater that admits only
 * known operators. Gossip is unsigned at the libp2p level (every Stinger envelope is signed by its author) and
 * deduplicated by content hash. Settings follow the loopback/colocation pitfalls in shared/TOOLCHAIN.md: operators
 * may share an IP (tests, one-host clusters), so IP colocation scoring is off and inbound rate limits are raised.
 */
export async function createOperatorNode(opts: OperatorNodeOptions): Promise<OperatorNode> {
  const msgId = (msg: { data: Uint8Array }) => createHash("sha256").update(msg.data).digest();
  const logger = libp2pComponentLogger();
  return createLibp2p({
    ...(logger !== undefined ? { logger } : {}),
    privateKey: opts.privateKey,
    addresses: { listen: opts.listen },
    transports: [tcp()],
    connectionEncrypters: [noise({ crypto: nodeNoiseCrypto })],
    streamMuxers: [yamux()],
    connectionGater: operatorConnectionGater(opts.allowlist, (direction) =>
      opts.metrics?.connectionsDenied.inc({ direction }),
    ),
    // A cluster's members connect to each other all at once: the default of 10 pending inbound connections drops
    // some of the 15 arriving together, and each drop costs a dial backoff.
    connectionManager: { inboundConnectionThreshold: 100, maxConnections: 200, maxIncomingPendingConnections: 64 },
    connectionMonitor: { abortConnectionOnPingFailure: false },
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub({
        globalSignaturePolicy: StrictNoSign,
        msgIdFn: msgId,
        fastMsgIdFn: (msg) =>
          createHash("sha1")
            .update(msg.data ?? new Uint8Array(0))
            .digest("base64"),
        floodPublish: true,
        allowPublishToZeroTopicPeers: true,
        D: 3,
        Dlo: 2,
        Dhi: 5,
        scoreParams: { IPColocationFactorWeight: 0 },
        emitSelf: false,
        maxInboundDataLength: MAX_GOSSIP_RPC_BYTES,
      }),
    },
  });
}
