import type { BeaconChain } from "../chain/chain.ts";
import { buildExecutionPayload } from "../chain/executionPayload.ts";
import type { BuilderPayloadSource } from "./localBuilder.ts";

/**
 * The local builder's view of the devnet chain (in-process stand-in for `payload_attributes` events): the payload the
 * chain expects at a slot on the head's execution block, with the execution requests (deposits, withdrawal requests)
 * a block on the head includes. The builder then sets its own fee recipient, gas limit, extra data and block hash.
 */
export function chainPayloadSource(chain: BeaconChain): BuilderPayloadSource {
  return (slot, parentHash) => {
    const attributes = chain.payloadAttributesAt(slot);
    if (attributes === null || !Buffer.from(attributes.parentHash).equals(parentHash)) return null;
    const executionRequests = chain.operations?.getExecutionRequests(chain.head.root);
    return {
      payload: buildExecutionPayload(attributes.state, new Uint8Array(20)),
      executionRequests: executionRequests ?? { deposits: [], withdrawals: [], consolidations: [] },
    };
  };
}
