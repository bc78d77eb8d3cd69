import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { Registry } from "prom-client";
import { getAddress } from "viem";
import { type CeremonyDeps, runDkgCeremony } from "../../src/dkg/ceremony.ts";
import { type ClusterDefinition, DEFINITION_VERSION } from "../../src/dkg/definition.ts";
import { createDkgMetrics } from "../../src/dkg/metrics.ts";
import type { OperatorIdentity } from "../../src/identity/identity.ts";
import { PeerAllowlist } from "../../src/p2p/gater.ts";
import { createP2pMetrics } from "../../src/p2p/metrics.ts";
import { createOperatorNode, type OperatorNode } from "../../src/p2p/node.ts";
import { silentLogger } from "./p2pHarness.ts";

export const WITHDRAWAL_CREDENTIALS = `0x01${"00".repeat(11)}${"ab".repeat(20)}` as const;

export function elAddress(i: number): `0x${string}` {
  return getAddress(`0x${(i + 1).toString(16).padStart(40, "0")}`);
}

/** A cluster definition over the given peers and addresses (32 ETH, chain 1, mainnet genesis fork version). */
export function makeDefinition(
  operators: { peerId: string; multiaddrs: string[] }[],
  threshold: number,
  requestId = 1n,
): ClusterDefinition {
  return {
    version: DEFINITION_VERSION,
    name: "test cluster",
    registryAddress: `0x${"42".repeat(20)}`,
    requestId,
    operators: operators.map((o, i) => ({ ...o, elAddress: elAddress(i) })),
    threshold,
    withdrawalCredentials: WITHDRAWAL_CREDENTIALS,
    forkVersion: "0x00000000",
    chainId: 1,
    depositAmountGwei: 32_000_000_000n,
  };
}

export type InProcessOperator = { identity: OperatorIdentity; node: OperatorNode; deps: CeremonyDeps };

/** `n` operators in this process, each with its own node, allowlist, metrics and data directory. */
export async function inProcessOperators(n: number): Promise<InProcessOperator[]> {
  const out: InProcessOperator[] = [];
  for (let i = 0; i < n; i++) {
    const privateKey = await generateKeyPair("Ed25519");
    const peerId = peerIdFromPrivateKey(privateKey);
    const identity: OperatorIdentity = {
      privateKey,
      peerId,
      record: {
        version: 1,
        peerId: peerId.toString(),
        identityPubkey: `0x${Buffer.from(privateKey.publicKey.raw).toString("hex")}`,
        elAccount: { address: elAddress(i) },
      },
    };
    const allowlist = new PeerAllowlist();
    const registry = new Registry();
    const p2pMetrics = createP2pMetrics(registry);
    const node = await createOperatorNode({
      privateKey,
      listen: ["/ip4/127.0.0.1/tcp/0"],
      allowlist,
      metrics: p2pMetrics,
    });
    out.push({
      identity,
      node,
      deps: {
        identity,
        node,
        allowlist,
        dataDir: mkdtempSync(join(tmpdir(), `stinger-op${i + 1}-`)),
        keystorePassword: "share password",
        kdf: "pbkdf2",
        timeouts: { joinTimeoutMs: 10_000, roundTimeoutMs: 5_000 },
        logger: silentLogger,
        p2pMetrics,
        dkgMetrics: createDkgMetrics(registry),
        lingerMs: 200,
      },
    });
  }
  return out;
}

export function definitionFor(ops: InProcessOperator[], threshold: number, requestId = 1n): ClusterDefinition {
  return makeDefinition(
    ops.map((o) => ({ peerId: o.node.peerId.toString(), multiaddrs: o.node.getMultiaddrs().map((a) => a.toString()) })),
    threshold,
    requestId,
  );
}

export { runDkgCeremony };
