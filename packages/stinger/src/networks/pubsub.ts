import type { GossipSub } from "@libp2p/gossipsub";
import type { NetworkPubSub } from "./interfaces.ts";

/**
 * The host's topic surface over the node's gossipsub. `from` is the peer that delivered the message (gossip is
 * unsigned at the libp2p level; modules authenticate their messages with their Network keys).
 */
export function gossipsubNetworkPubSub(gossipsub: GossipSub): NetworkPubSub {
  return {
    subscribe: (topic) => gossipsub.subscribe(topic),
    unsubscribe: (topic) => gossipsub.unsubscribe(topic),
    publish: async (topic, data) => {
      await gossipsub.publish(topic, data);
    },
    onMessage(handler) {
      const listener = (
        evt: CustomEvent<{ propagationSource: { toString(): string }; msg: { topic: string; data: Uint8Array } }>,
      ) => handler(evt.detail.msg.topic, evt.detail.propagationSource.toString(), evt.detail.msg.data);
      gossipsub.addEventListener("gossipsub:message", listener);
      return () => gossipsub.removeEventListener("gossipsub:message", listener);
    },
  };
}
