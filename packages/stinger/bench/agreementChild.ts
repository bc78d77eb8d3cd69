/**
 * One operator of bench/agreementLatency.ts: a libp2p node with two duty topics (one-round and QBFT agreement), runs
 * the instances the parent schedules at fixed wall-clock times and prints each decision latency as JSON lines.
 */
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { generateKeyPairFromSeed } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { type phase0, ssz } from "@lodestar/types";
import { decodeEnvelope, MessageKind } from "../src/core/agreement/codec.ts";
import { AgreementRunner } from "../src/core/agreement/runner.ts";
import type { AgreementProtocol } from "../src/core/agreement/types.ts";
import { attestationProblem, headProblem } from "../src/core/validity/rules.ts";
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
const clock = () => performance.timeOrigin + performance.now();
const emit = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
const firstSeen = new Set<string>();
/** Slot of a round-1 leader message (one-round proposal or QBFT pre-prepare), else undefined. */
function proposalSlot(payload: Uint8Array): number | undefined {
  try {
    const m = decodeEnvelope(payload).message;
    const first = m.kind === MessageKind.proposal || m.kind === MessageKind.prePrepare;
    return first && m.round === 1 ? m.duty.slot : undefined;
  } catch {
    return undefined;
  }
}
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const gc = { count: 0, totalMs: 0, maxMs: 0 };
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (Date.now() < (startAtArg as number)) continue;
    gc.count++;
    gc.totalMs += e.duration;
    gc.maxMs = Math.max(gc.maxMs, e.duration);
  }
});
gcObserver.observe({ entryTypes: ["gc"] });
for (const protocol of ["one-round", "qbft"] as const) {
  const clusterId = new Uint8Array(32).fill(protocol === "qbft" ? 2 : 1);
  const network = new DutyNetwork({ node, clusterId, members, selfIndex: self, signer, logger });
  await network.start();
  // Timestamps (ms, shared clock of the host) of proposals sent and first received per instance, for the breakdown.
  const sendProposal = network.broadcast.bind(network);
  network.broadcast = async (kind, payload) => {
    const k = proposalSlot(payload);
    if (k !== undefined) emit({ ev: "sent", protocol, k: k - 1, t: clock() });
    return sendProposal(kind, payload);
  };
  const register = network.onMessage.bind(network);
  network.onMessage = (kind, handler) =>
    register(kind, (from, payload) => {
      const k = proposalSlot(payload);
      if (k !== undefined && !firstSeen.has(`${protocol}/${k}`)) {
        firstSeen.add(`${protocol}/${k}`);
        emit({ ev: "received", protocol, k: k - 1, self, from, t: clock() });
      }
      handler(from, payload);
    });
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
      shareIndex: self + 1,
      sign: (b) => signer.sign(b),
      verify: (from, b, s) => members[from]?.verifier.verify(b, s) ?? false,
      logger,
      acceptSlot: () => true,
    }),
  );
}
/**
 * The value is real attestation data and every operator judges it with the validity rules of the pipeline (source,
 * target, head against its own view: the checks added by issue 20), so their cost is in the measured latency.
 */
const own = (k: number): phase0.AttestationData => ({
  slot: k + 1,
  index: 0,
  beaconBlockRoot: new Uint8Array(32).fill(9),
  source: { epoch: 2, root: new Uint8Array(32).fill(1) },
  target: { epoch: 3, root: new Uint8Array(32).fill(2) },
});
const acceptable = (k: number) => (v: Uint8Array) => {
  const data = ssz.phase0.AttestationData.deserialize(v);
  return attestationProblem(data, own(k)) === null && headProblem(data, own(k), undefined, undefined) === null;
};
const startAt = startAtArg as number;
const spacing = spacingArg as number;
const jobs: Promise<void>[] = [];
let cpuAtStart = process.cpuUsage();
setTimeout(
  () => {
    cpuAtStart = process.cpuUsage();
  },
  Math.max(0, startAt - Date.now()),
);
for (let k = 0; k < (instancesArg as number); k++) {
  for (const [j, protocol] of (["one-round", "qbft"] as const).entries()) {
    const at = startAt + k * spacing + j * (spacing / 2);
    jobs.push(
      new Promise<void>((resolve) => {
        setTimeout(
          async () => {
            const t0 = clock();
            try {
              const value = ssz.phase0.AttestationData.serialize(own(k));
              await runners.get(protocol)?.decide(k + 1, "attester", value, acceptable(k), AbortSignal.timeout(10_000));
              const t = clock();
              emit({ ev: "decided", protocol, k, self, ms: t - t0, lateStartMs: t0 - at, t });
            } catch {
              emit({ ev: "decided", protocol, k, self, failed: true });
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
loopDelay.disable();
const cpu = process.cpuUsage(cpuAtStart);
emit({
  ev: "loop",
  self,
  p99Ms: loopDelay.percentile(99) / 1e6,
  maxMs: loopDelay.max / 1e6,
  cpuMs: (cpu.user + cpu.system) / 1000,
  gcMs: gc.totalMs,
  gcMaxMs: gc.maxMs,
});
gcObserver.disconnect();
await new Promise((r) => setTimeout(r, 1500));
for (const r of runners.values()) r.stop();
await node.stop();
process.exit(0);
