/**
 * One operator of bench/agreementLatency.ts: a libp2p node with two duty topics (one-round and QBFT agreement), runs
 * the instances the parent schedules at fixed wall-clock times and prints each decision latency as JSON lines.
 */
import { generateKeyPairFromSeed } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { AgreementRunner } from "../src/core/agreement/runner.ts";
import type { AgreementProtocol } from "../src/core/agreement/types.ts";
import { identitySigner, identityVerifier, peerIdPublicKey } from "../src/identity/ed25519.ts";
import { createLogger } from "../src/logger/logger.ts";
import { DutyNetwork } from "../src/node/dutyNetwork.ts";
import { PeerAllowlist } from "../src/p2p/gater.ts";
import { createOperatorNode } from "../src/p2p/node.ts";

const [selfArg, nArg, basePortArg, startAtArg, instancesArg, spacingArg] = process.argv.slice(2).map(Number);
const self = selfArg as number;
const n = nArg as number;
const quorum = Math.ceil((2 * n) / 3) + (n === 16 ? 0 : 0);
const seed = (i: number) => new Uint8Array(32).fill(i + 1);
const keys = await Promise.all(Array.from({ length: n }, (_, i) => generateKeyPairFromSeed("Ed25519", seed(i))));
const peerIds = keys.map((k) => peerIdFromPrivateKey(k));
const allowlist = new PeerAllowlist();
allowlist.admit(peerIds.map((p) => p.toString()));
const logger = createLogger({ level: "error" });
const node = await createOperatorNode({
  privateKey: keys[self] as (typeof keys)[0],
  listen: [`/ip4/127.0.0.1/tcp/${(basePortArg as number) + self}`],
  allowlist,
});
const members = peerIds.map((p, i) => ({
  peerId: p.toString(),
  multiaddrs: [`/ip4/127.0.0.1/tcp/${(basePortArg as number) + i}`],
  verifier: identityVerifier(peerIdPublicKey(p)),
}));
const signer = identitySigner(keys[self] as Parameters<typeof identitySigner>[0]);
const runners = new Map<AgreementProtocol, AgreementRunner>();
for (const protocol of ["one-round", "qbft"] as const) {
  const clusterId = new Uint8Array(32).fill(protocol === "qbft" ? 2 : 1);
  const network = new DutyNetwork({ node, clusterId, members, selfIndex: self, signer, logger });
  await network.start();
  runners.set(
    protocol,
    new AgreementRunner({
      transport: network,
      config: {
        protocol,
        clusterId,
        operators: n,
        quorum,
        roundTimeoutMs: () => 1000,
        maxRounds: 4,
        relayProposals: false,
      },
      self,
      sign: (b) => signer.sign(b),
      verify: (from, b, s) => members[from]?.verifier.verify(b, s) ?? false,
      logger,
      acceptSlot: () => true,
    }),
  );
}
const value = new Uint8Array(128).fill(7);
const startAt = startAtArg as number;
const spacing = spacingArg as number;
const jobs: Promise<void>[] = [];
for (let k = 0; k < (instancesArg as number); k++) {
  for (const [j, protocol] of (["one-round", "qbft"] as const).entries()) {
    const at = startAt + k * spacing + j * (spacing / 2);
    jobs.push(
      new Promise<void>((resolve) => {
        setTimeout(
          async () => {
            const t0 = Date.now();
            try {
              await runners.get(protocol)?.decide(k + 1, "attester", value, () => true, AbortSignal.timeout(10_000));
              process.stdout.write(`${JSON.stringify({ protocol, k, ms: Date.now() - t0, lateStartMs: t0 - at })}\n`);
            } catch {
              process.stdout.write(`${JSON.stringify({ protocol, k, failed: true })}\n`);
            }
            resolve();
          },
          Math.max(0, at - Date.now()),
        );
      }),
    );
  }
}
await Promise.all(jobs);
await new Promise((r) => setTimeout(r, 1500));
for (const r of runners.values()) r.stop();
await node.stop();
process.exit(0);
