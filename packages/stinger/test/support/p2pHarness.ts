import { generateKeyPair } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey } from "@libp2p/interface";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { Registry } from "prom-client";
import { identitySigner, identityVerifier } from "../../src/identity/ed25519.ts";
import { createLogger } from "../../src/logger/logger.ts";
import { ClusterNetwork } from "../../src/p2p/clusterNetwork.ts";
import { PeerAllowlist } from "../../src/p2p/gater.ts";
import { createP2pMetrics, type P2pMetrics } from "../../src/p2p/metrics.ts";
import { createOperatorNode, type OperatorNode } from "../../src/p2p/node.ts";

export type TestMember = {
  key: Ed25519PrivateKey;
  node: OperatorNode;
  network: ClusterNetwork;
  metrics: P2pMetrics;
  registry: Registry;
};

export const silentLogger = createLogger({ level: "fatal" });

/** Start `n` in-process operator nodes on 127.0.0.1 forming one cluster session. */
export async function startCluster(n: number, sessionId: Uint8Array): Promise<TestMember[]> {
  const keys = await Promise.all(Array.from({ length: n }, () => generateKeyPair("Ed25519")));
  const allowlist = new PeerAllowlist();
  allowlist.admit(keys.map((k) => peerIdFromPrivateKey(k).toString()));
  const nodes: { key: Ed25519PrivateKey; node: OperatorNode; registry: Registry; metrics: P2pMetrics }[] = [];
  for (const key of keys) {
    const registry = new Registry();
    const metrics = createP2pMetrics(registry);
    const node = await createOperatorNode({ privateKey: key, listen: ["/ip4/127.0.0.1/tcp/0"], allowlist, metrics });
    nodes.push({ key, node, registry, metrics });
  }
  const members = nodes.map(({ key, node }) => ({
    peerId: node.peerId.toString(),
    multiaddrs: node.getMultiaddrs().map((a) => a.toString()),
    verifier: identityVerifier(key.publicKey.raw),
  }));
  const out: TestMember[] = [];
  for (const [i, m] of nodes.entries()) {
    const network = new ClusterNetwork({
      node: m.node,
      sessionId,
      members,
      selfIndex: i,
      signer: identitySigner(m.key),
      metrics: m.metrics,
      logger: silentLogger,
    });
    await network.start();
    out.push({ ...m, network });
  }
  return out;
}

export async function stopCluster(members: TestMember[]): Promise<void> {
  for (const m of members) await m.network.stop();
  await Promise.all(members.map((m) => m.node.stop()));
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const v = metric?.values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return v?.value ?? 0;
}
