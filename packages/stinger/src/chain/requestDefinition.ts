import { publicKeyFromRaw } from "@libp2p/crypto/keys";
import { peerIdFromPublicKey } from "@libp2p/peer-id";
import { multiaddr } from "@multiformats/multiaddr";
import { type Address, getAddress, type Hex, hexToBytes } from "viem";
import { type ClusterDefinition, DEFINITION_VERSION, MAX_OPERATOR_MULTIADDRS } from "../dkg/definition.ts";

/** Operators per distributed validator drawn by the registry. */
export const CLUSTER_SIZE = 16;
/**
 * The deposit the ceremony signs: registry validators are funded in two steps, a 1 ETH predeposit whose signature the
 * registry verifies on-chain, then 31 ETH once a beacon-state proof shows the protocol's withdrawal credentials (a
 * top-up, whose signature the beacon chain never checks). See `contracts/README.md`, "Deposit guarantee".
 */
export const PREDEPOSIT_AMOUNT_GWEI = 1_000_000_000n;

/** A `ValidatorRequested` event with the request's operators as the registry's `requestOperators` view returns them. */
export type ValidatorRequest = {
  requestId: bigint;
  threshold: number;
  withdrawalCredentials: Hex;
  operatorIds: readonly bigint[];
  signers: readonly Address[];
  /** Ed25519 node identity public keys (32 bytes each), in cluster order. */
  nodeIdentities: readonly Hex[];
};

/** Chain facts the definition needs besides the request. */
export type ChainContext = { chainId: number; registry: Address; forkVersion: Hex };

/** libp2p peer id of a registered node identity (32-byte Ed25519 public key). */
export function nodeIdentityPeerId(nodeIdentity: Hex): string {
  return peerIdFromPublicKey(publicKeyFromRaw(hexToBytes(nodeIdentity))).toString();
}

/**
 * Where to dial each peer: multiaddrs ending in `/p2p/<peerId>` (the node's bootnodes and its own listen addresses)
 * grouped by peer id, with the `/p2p` part removed as cluster definitions carry it. Each address is kept once, in
 * first-seen order, and at most `MAX_OPERATOR_MULTIADDRS` per peer: a node usually finds its own address among its
 * bootnodes too, and a duplicate or an overlong list would end up in the cluster lock (an overlong one failing
 * `stinger dkg verify`).
 */
export function addressBook(multiaddrs: readonly string[]): Map<string, string[]> {
  const book = new Map<string, string[]>();
  for (const a of multiaddrs) {
    const ma = multiaddr(a);
    const peer = ma.getComponents().findLast((c) => c.name === "p2p")?.value;
    if (peer === undefined) continue;
    const transport = ma.decapsulateCode(0x01a5).toString();
    const known = book.get(peer) ?? [];
    if (known.includes(transport) || known.length >= MAX_OPERATOR_MULTIADDRS) continue;
    book.set(peer, [...known, transport]);
  }
  return book;
}

/**
 * The cluster definition of a registry request: its 16 operators in cluster order (peer id from the registered node
 * identity, EL address = the registered DKG-result signer), the event's threshold and withdrawal credentials, 32 ETH.
 * Every operator derives the same definition (and so the same session id) from the chain alone; `book` only adds
 * dialing hints, which are not part of the definition hash.
 */
export function definitionFromRequest(
  request: ValidatorRequest,
  chain: ChainContext,
  book: ReadonlyMap<string, string[]>,
): ClusterDefinition {
  const operators = request.nodeIdentities.map((identity, i) => {
    const peerId = nodeIdentityPeerId(identity);
    return {
      peerId,
      multiaddrs: book.get(peerId) ?? [],
      elAddress: getAddress(request.signers[i] as Address),
    };
  });
  return {
    version: DEFINITION_VERSION,
    name: `registry request ${request.requestId}`,
    registryAddress: getAddress(chain.registry).toLowerCase() as `0x${string}`,
    requestId: request.requestId,
    operators,
    threshold: request.threshold,
    withdrawalCredentials: request.withdrawalCredentials.toLowerCase() as `0x${string}`,
    forkVersion: chain.forkVersion.toLowerCase() as `0x${string}`,
    chainId: chain.chainId,
    depositAmountGwei: PREDEPOSIT_AMOUNT_GWEI,
  };
}

/** Position (0-based) of `identityPubkey` in the request's cluster, or -1 if it was not drawn. */
export function clusterPosition(request: ValidatorRequest, identityPubkey: Hex): number {
  return request.nodeIdentities.findIndex((n) => n.toLowerCase() === identityPubkey.toLowerCase());
}
