/**
 * A block proposal of mainnet size over real libp2p gossip. Gossipsub frames every RPC with a 4 MiB bound (fixed on
 * the sending side, the default on the receiving side), so a larger duty payload goes out as signed fragments that the
 * receiver reassembles (`node/dutyFragments.ts`).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { MAX_BEACON_BLOCK_BYTES } from "../../../src/core/blockLimits.ts";
import { DutyMessageKind } from "../../../src/core/transport.ts";
import { identitySigner, identityVerifier } from "../../../src/identity/ed25519.ts";
import { createLogger } from "../../../src/logger/logger.ts";
import { FRAGMENT_CHUNK_BYTES, FragmentReassembler, fragmentPayload } from "../../../src/node/dutyFragments.ts";
import { DutyNetwork } from "../../../src/node/dutyNetwork.ts";
import { PeerAllowlist } from "../../../src/p2p/gater.ts";
import { createOperatorNode, type OperatorNode } from "../../../src/p2p/node.ts";
import {
  decodePerformanceMessage,
  encodePerformanceMessage,
  MAX_PROPOSAL_ITEMS,
  PerformanceMessageType,
} from "../../../src/performance/messages.ts";
import { waitFor } from "../../support/p2pHarness.ts";

describe("duty network: a mainnet-size block proposal, the performance batches", { timeout: 60_000 }, () => {
  const nodes: OperatorNode[] = [];
  const networks: DutyNetwork[] = [];

  before(async () => {
    const keys = await Promise.all([0, 1].map(() => generateKeyPair("Ed25519")));
    const allowlist = new PeerAllowlist();
    allowlist.admit(keys.map((k) => peerIdFromPrivateKey(k).toString()));
    for (const key of keys) {
      nodes.push(await createOperatorNode({ privateKey: key, listen: ["/ip4/127.0.0.1/tcp/0"], allowlist }));
    }
    const members = nodes.map((n, i) => ({
      peerId: n.peerId.toString(),
      multiaddrs: n.getMultiaddrs().map((a) => a.toString()),
      verifier: identityVerifier((keys[i] as (typeof keys)[0]).publicKey.raw),
    }));
    for (const [i, node] of nodes.entries()) {
      const network = new DutyNetwork({
        node,
        clusterId: new Uint8Array(32).fill(6),
        members,
        selfIndex: i,
        signer: identitySigner(keys[i] as (typeof keys)[0]),
        logger: createLogger({ level: "fatal" }),
      });
      await network.start();
      networks.push(network);
    }
  });

  after(async () => {
    for (const n of networks) await n.stop();
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it("delivers a 10 MiB agreement message intact", async () => {
    const [sender, receiver] = networks as [DutyNetwork, DutyNetwork];
    const topic = sender.topic;
    await waitFor(
      () => (nodes[0] as OperatorNode).services.pubsub.getSubscribers(topic).length > 0,
      20_000,
      "subscription",
    );
    const received: Uint8Array[] = [];
    receiver.onMessage(DutyMessageKind.agreement, (_from, payload) => received.push(payload));
    const payload = new Uint8Array(MAX_BEACON_BLOCK_BYTES + 1024).map((_, i) => (i * 31) % 251);
    await sender.broadcast(DutyMessageKind.agreement, payload);
    await waitFor(() => received.length > 0, 30_000, "the large message");
    assert.equal(received[0]?.length, payload.length);
    assert.ok(Buffer.from(received[0] as Uint8Array).equals(Buffer.from(payload)));
  });

  it("carries the end-of-frame performance batches (a full proposals batch), attributed to the signed sender", async () => {
    const [sender, receiver] = networks as [DutyNetwork, DutyNetwork];
    const received: { from: number; payload: Uint8Array }[] = [];
    receiver.onMessage(DutyMessageKind.performance, (from, payload) => received.push({ from, payload }));
    const view = {
      shareIndex: 1,
      duties: 225,
      contributed: new Array<number>(16).fill(200),
      signature: new Uint8Array(96).fill(7),
    };
    const payload = encodePerformanceMessage({
      type: PerformanceMessageType.proposals,
      body: {
        frame: 9,
        round: 1,
        items: Array.from({ length: MAX_PROPOSAL_ITEMS }, (_, v) => ({
          validatorIndex: v,
          views: Array(16).fill(view),
        })),
      },
    });
    assert.ok(payload.length > 150_000, `a full proposals batch: ${payload.length} bytes`);
    await sender.broadcast(DutyMessageKind.performance, payload);
    await waitFor(() => received.length > 0, 30_000, "the performance batch");
    assert.equal(received[0]?.from, 0, "the sender's member index, proven by its signed envelope");
    const decoded = decodePerformanceMessage(received[0]?.payload as Uint8Array);
    assert.equal(decoded?.type, PerformanceMessageType.proposals);
    assert.equal(
      decoded?.type === PerformanceMessageType.proposals ? decoded.body.items.length : 0,
      MAX_PROPOSAL_ITEMS,
    );
  });
});

describe("duty payload fragments", () => {
  const payload = new Uint8Array(FRAGMENT_CHUNK_BYTES * 2 + 5).map((_, i) => i % 253);

  it("reassembles a payload per sender in any order, once", () => {
    const parts = fragmentPayload(DutyMessageKind.agreement, payload);
    assert.equal(parts.length, 3);
    const r = new FragmentReassembler();
    assert.equal(r.add(4, parts[2] as Uint8Array), null);
    assert.equal(r.add(5, parts[0] as Uint8Array), null, "another sender's fragments do not complete sender 4's");
    assert.equal(r.add(4, parts[0] as Uint8Array), null);
    const whole = r.add(4, parts[1] as Uint8Array);
    assert.ok(whole !== null && whole !== "malformed");
    assert.equal(whole.innerKind, DutyMessageKind.agreement);
    assert.ok(Buffer.from(whole.payload).equals(Buffer.from(payload)));
  });

  it("refuses tampered, truncated and inconsistent fragments", () => {
    const parts = fragmentPayload(DutyMessageKind.agreement, payload);
    const r = new FragmentReassembler();
    const tampered = (parts[1] as Uint8Array).slice();
    tampered[100] = (tampered[100] as number) ^ 1;
    r.add(1, parts[0] as Uint8Array);
    r.add(1, tampered);
    assert.equal(r.add(1, parts[2] as Uint8Array), "malformed", "the digest does not match");
    assert.equal(r.add(1, new Uint8Array(10)), "malformed");
    assert.equal(r.add(1, (parts[0] as Uint8Array).subarray(0, 1000)), "malformed", "a short non-final chunk");
    const badCount = (parts[0] as Uint8Array).slice();
    badCount[34] = 200;
    assert.equal(r.add(1, badCount), "malformed");
  });
});
