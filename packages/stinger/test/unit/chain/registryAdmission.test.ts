import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generateKeyPair } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey } from "@libp2p/interface";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { operatorRegistryAbi, registerOperator } from "@nektar/sdk";
import { Registry } from "prom-client";
import { keccak256, type PublicClient, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { RegistryAdmission } from "../../../src/chain/registryAdmission.ts";
import { nodeIdentityPeerId } from "../../../src/chain/requestDefinition.ts";
import { PeerAllowlist } from "../../../src/p2p/gater.ts";
import { createP2pMetrics } from "../../../src/p2p/metrics.ts";
import { createOperatorNode, type OperatorNode } from "../../../src/p2p/node.ts";
import { silentLogger } from "../../support/p2pHarness.ts";
import { type FixtureOperator, type RegistryNetwork, registryWith16Operators } from "./registryFixture.ts";

let net: RegistryNetwork;
let operators: FixtureOperator[];
let publicClient: PublicClient;

before(async () => {
  ({ net, operators } = await registryWith16Operators());
  publicClient = net.client(0) as unknown as PublicClient;
});
after(async () => {
  await net.close();
});

function admission(allowlist: PeerAllowlist, onRevoke?: (peerId: string) => void) {
  return new RegistryAdmission({
    client: publicClient,
    registry: net.contracts.operatorRegistry,
    allowlist,
    pollIntervalMs: 60_000,
    confirmations: 0,
    maxBlockRange: 3n,
    logger: silentLogger,
    ...(onRevoke ? { onRevoke } : {}),
  });
}

async function registerWithKey(ownerIndex: number, key: Ed25519PrivateKey): Promise<bigint> {
  const signer = privateKeyToAccount(keccak256(toHex(`registry-admission-signer-${ownerIndex}`)));
  const { operatorId } = await registerOperator(net.client(ownerIndex), {
    contracts: net.contracts,
    signer: signer.address,
    nodeIdentity: toHex(key.publicKey.raw),
  });
  return operatorId;
}

describe("RegistryAdmission", () => {
  it("admits every registered operator's node identity and nobody else", async () => {
    const allowlist = new PeerAllowlist();
    const metrics = new Registry();
    const a = new RegistryAdmission({
      client: publicClient,
      registry: net.contracts.operatorRegistry,
      allowlist,
      pollIntervalMs: 60_000,
      confirmations: 0,
      logger: silentLogger,
      metricsRegistry: metrics,
    });
    assert.equal(await a.sync(), 16);
    for (const op of operators) assert.ok(allowlist.has(nodeIdentityPeerId(op.identityPubkey)));
    const stranger = peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString();
    assert.equal(allowlist.has(stranger), false);
    assert.match(await metrics.metrics(), /stinger_registry_admitted_operators_count 16/);
    await a.stop();
    for (const op of operators) assert.equal(allowlist.has(nodeIdentityPeerId(op.identityPubkey)), false);
  });

  it("follows registrations, identity updates and ejections; pausing keeps the admission", async () => {
    const allowlist = new PeerAllowlist();
    const revoked: string[] = [];
    const a = admission(allowlist, (p) => revoked.push(p));
    await a.sync();

    const key = await generateKeyPair("Ed25519");
    const peer = peerIdFromPrivateKey(key).toString();
    const id = await registerWithKey(17, key);
    assert.equal(allowlist.has(peer), false, "not admitted before the node syncs");
    await a.sync();
    assert.ok(allowlist.has(peer), "a new registration is admitted");

    const owner = net.client(17);
    const rotated = await generateKeyPair("Ed25519");
    const rotatedPeer = peerIdFromPrivateKey(rotated).toString();
    const op = await publicClient.readContract({
      address: net.contracts.operatorRegistry,
      abi: operatorRegistryAbi,
      functionName: "getOperator",
      args: [id],
    });
    await owner.writeContract({
      address: net.contracts.operatorRegistry,
      abi: operatorRegistryAbi,
      functionName: "updateOperator",
      args: [id, op.signer, toHex(rotated.publicKey.raw), "rotated"],
    });
    await a.sync();
    assert.equal(allowlist.has(peer), false, "the old identity loses its admission");
    assert.ok(allowlist.has(rotatedPeer), "the new identity is admitted");
    assert.deepEqual(revoked, [peer]);

    await owner.writeContract({
      address: net.contracts.operatorRegistry,
      abi: operatorRegistryAbi,
      functionName: "setOperatorPaused",
      args: [id, true],
    });
    await a.sync();
    assert.ok(allowlist.has(rotatedPeer), "a paused operator still holds shares and stays reachable");

    await net.strikeOperator(id, 3);
    await net.client(0).writeContract({
      address: net.contracts.operatorRegistry,
      abi: operatorRegistryAbi,
      functionName: "ejectOperator",
      args: [id],
    });
    await a.sync();
    assert.equal(allowlist.has(rotatedPeer), false, "an ejected operator is no longer admitted");
    assert.deepEqual(revoked, [peer, rotatedPeer]);
    assert.equal(a.peers().has(id), false);
    await a.stop();
  });

  it("keeps a peer admitted by another source (a cluster lock) when the registry withdraws it", async () => {
    const allowlist = new PeerAllowlist();
    const revoked: string[] = [];
    const a = admission(allowlist, (p) => revoked.push(p));
    await a.sync();
    const first = operators[0] as FixtureOperator;
    const peer = nodeIdentityPeerId(first.identityPubkey);
    const fromLock = allowlist.admit([peer]);
    const registryOnly = a.peers().size - 1;
    await a.stop();
    assert.ok(allowlist.has(peer), "the lock's admission remains");
    assert.equal(revoked.includes(peer), false, "no revocation while another source lists the peer");
    assert.equal(revoked.length, registryOnly, "every other registry-only peer was revoked");
    fromLock();
    assert.equal(allowlist.has(peer), false);
  });

  it("the connection gater accepts a registered operator and refuses an unregistered one", async () => {
    const allowlist = new PeerAllowlist();
    const a = admission(allowlist);
    const hostKey = await generateKeyPair("Ed25519");
    await registerWithKey(18, hostKey);
    const memberKey = await generateKeyPair("Ed25519");
    await registerWithKey(19, memberKey);
    await a.sync();
    const strangerKey = await generateKeyPair("Ed25519");
    const nodes: OperatorNode[] = [];
    const start = async (key: Ed25519PrivateKey, list: PeerAllowlist) => {
      const node = await createOperatorNode({
        privateKey: key,
        listen: ["/ip4/127.0.0.1/tcp/0"],
        allowlist: list,
        metrics: createP2pMetrics(new Registry()),
      });
      nodes.push(node);
      return node;
    };
    try {
      const host = await start(hostKey, allowlist);
      // The dialers admit the host themselves, so only the host's gater (fed by the registry) decides.
      const dialerList = new PeerAllowlist();
      dialerList.admit([host.peerId.toString()]);
      const member = await start(memberKey, dialerList);
      const stranger = await start(strangerKey, dialerList);
      const target = host.getMultiaddrs()[0];
      assert.ok(target);
      await member.dial(target);
      await assert.rejects(async () => {
        await stranger.dial(target);
        // An inbound refusal after the handshake can surface as a closed connection rather than a dial error.
        await new Promise((r) => setTimeout(r, 300));
        if (stranger.getConnections(host.peerId).length === 0) throw new Error("refused");
      });
      assert.ok(host.getConnections(member.peerId).length > 0, "the registered operator is connected");
      assert.equal(host.getConnections(stranger.peerId).length, 0, "the unregistered peer is not");
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
      await a.stop();
    }
  });
});
