import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, describe, it } from "node:test";
import { Registry } from "prom-client";
import { identitySigner, identityVerifier } from "../../../src/identity/ed25519.ts";
import { ClusterNetwork, DIRECT_PROTOCOL } from "../../../src/p2p/clusterNetwork.ts";
import { BROADCAST, MessageKind, type SignedEnvelope } from "../../../src/p2p/envelope.ts";
import { PeerAllowlist } from "../../../src/p2p/gater.ts";
import { createP2pMetrics } from "../../../src/p2p/metrics.ts";
import { createOperatorNode } from "../../../src/p2p/node.ts";
import { silentLogger, startCluster, stopCluster, type TestMember, waitFor } from "../../support/p2pHarness.ts";

describe("envelope streams between members", () => {
  const clusters: TestMember[][] = [];
  after(async () => {
    for (const c of clusters) await stopCluster(c);
  });

  it("carry every envelope to a member over one long-lived stream, in order", async () => {
    const members = await startCluster(2, randomBytes(32));
    clusters.push(members);
    const [a, b] = members as [TestMember, TestMember];
    const got: SignedEnvelope[] = [];
    b.network.onEnvelope((e) => got.push(e));
    // Sent before and after the connection is up: the early ones wait in the outbox for the stream to open.
    // One envelope per (round, recipient) slot: a second one in a slot would be equivocation.
    for (let i = 0; i < 60; i++) {
      if (i === 30) await waitFor(() => a.network.connectedMembers().length === 1, 10_000, "connected");
      await a.network.send(MessageKind.dkg, 1 + i, i % 2 === 0 ? BROADCAST : 1, Uint8Array.of(i));
    }
    await waitFor(() => got.length === 60, 10_000, "60 envelopes");
    assert.deepEqual(
      got.map((e) => e.message.payload[0]),
      Array.from({ length: 60 }, (_, i) => i),
      "in the order sent",
    );
    const streams = a.node
      .getConnections(b.node.peerId)
      .flatMap((c) => c.streams)
      .filter((s) => s.protocol === DIRECT_PROTOCOL && s.direction === "outbound");
    assert.equal(streams.length, 1, "one outbound envelope stream");
  });

  it("re-sends what a member missed when it comes back on a new connection (restart)", async () => {
    const members = await startCluster(2, randomBytes(32));
    clusters.push(members);
    const [a, b] = members as [TestMember, TestMember];
    await waitFor(() => a.network.connectedMembers().length === 1, 10_000, "connected");
    await a.network.send(MessageKind.dkg, 1, BROADCAST, Uint8Array.of(1));
    await a.network.send(MessageKind.dkg, 1, 1, Uint8Array.of(2));
    // Member b crashes: node and network gone, then it comes back with the same identity and address.
    const addr = b.node.getMultiaddrs()[0]?.toString() as string;
    await b.network.stop();
    await b.node.stop();
    await waitFor(() => a.network.connectedMembers().length === 0, 10_000, "disconnect seen");
    await a.network.send(MessageKind.dkg, 2, BROADCAST, Uint8Array.of(3));
    const allowlist = new PeerAllowlist();
    allowlist.admit([a.node.peerId.toString(), b.node.peerId.toString()]);
    const registry = new Registry();
    const metrics = createP2pMetrics(registry);
    const node = await createOperatorNode({
      privateKey: b.key,
      listen: [addr.replace(/\/p2p\/.*$/, "")],
      allowlist,
      metrics,
    });
    const network = new ClusterNetwork({
      node,
      sessionId: (a.network as unknown as { opts: { sessionId: Uint8Array } }).opts.sessionId,
      members: [a, b].map((m) => ({
        peerId: m.node.peerId.toString(),
        multiaddrs: [m === b ? addr : (m.node.getMultiaddrs()[0]?.toString() as string)],
        verifier: identityVerifier(m.key.publicKey.raw),
      })),
      selfIndex: 1,
      signer: identitySigner(b.key),
      metrics,
      logger: silentLogger,
    });
    const got: number[] = [];
    network.onEnvelope((e) => got.push(e.message.payload[0] as number));
    await network.start();
    members[1] = { key: b.key, node, network, metrics, registry };
    await waitFor(() => got.length === 3, 10_000, "the three envelopes a authored for b");
    assert.deepEqual(
      got.sort((x, y) => x - y),
      [1, 2, 3],
    );
  });
});
