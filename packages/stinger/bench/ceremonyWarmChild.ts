/**
 * One long-running operator for `bench/ceremonyWarm.ts`: starts its node like `stinger run` does (identity from the
 * data dir, bootnodes = the other operators), reports READY once it is connected to all of them, then runs one DKG
 * ceremony per `go <requestId>` line on stdin, the way the registry follower triggers them, and prints its timings.
 * argv: <cluster.json> <operator index>
 */
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { peerIdFromString } from "@libp2p/peer-id";
import { multiaddr } from "@multiformats/multiaddr";
import { DEFAULT_CONFIG } from "../src/config/config.ts";
import { runDkgCeremony } from "../src/dkg/ceremony.ts";
import { loadIdentity } from "../src/identity/identity.ts";
import { createLogger } from "../src/logger/logger.ts";
import { startOperatorRuntime } from "../src/node/runtime.ts";
import { makeDefinition } from "../test/support/ceremonyHarness.ts";

type ClusterFile = {
  password: string;
  threshold: number;
  operators: { dataDir: string; port: number; peerId: string }[];
};
const cluster = JSON.parse(readFileSync(process.argv[2] as string, "utf8")) as ClusterFile;
const index = Number(process.argv[3]);
const self = cluster.operators[index];
if (self === undefined) throw new Error(`no operator ${index}`);
const logger = createLogger({ level: "error" });
const identity = await loadIdentity(self.dataDir, cluster.password);
const addr = (o: { port: number; peerId: string }) => `/ip4/127.0.0.1/tcp/${o.port}/p2p/${o.peerId}`;
const runtime = await startOperatorRuntime(
  {
    ...DEFAULT_CONFIG,
    dataDir: self.dataDir,
    logLevel: "error",
    listen: [`/ip4/127.0.0.1/tcp/${self.port}`],
    bootnodes: cluster.operators.filter((_, i) => i !== index).map(addr),
    metrics: { ...DEFAULT_CONFIG.metrics, enabled: false },
  },
  identity,
  logger,
);
const otherOps = cluster.operators.filter((_, i) => i !== index);
const others = otherOps.map((o) => peerIdFromString(o.peerId));
// A node that has been running for a while is connected to its peers; lower indices dial, and retry until all are up.
for (;;) {
  const missing = others.filter((p) => runtime.node.getConnections(p).length === 0);
  if (missing.length === 0) break;
  for (const [j, p] of others.entries()) {
    if (missing.includes(p) && j >= index)
      void runtime.node.dial(multiaddr(addr(otherOps[j] as ClusterFile["operators"][number]))).catch(() => {});
  }
  await new Promise((r) => setTimeout(r, 500));
}
console.log("READY");
const definitionFor = (requestId: bigint) =>
  makeDefinition(
    cluster.operators.map((o) => ({ peerId: o.peerId, multiaddrs: [`/ip4/127.0.0.1/tcp/${o.port}`] })),
    cluster.threshold,
    requestId,
  );
for await (const line of createInterface({ input: process.stdin })) {
  const m = /^go (\d+)$/.exec(line.trim());
  if (m === null) {
    if (line.trim() === "exit") break;
    continue;
  }
  const requestId = BigInt(m[1] as string);
  const cpu = process.cpuUsage();
  let completedAt = 0;
  try {
    const outcome = await runDkgCeremony(definitionFor(requestId), {
      identity,
      node: runtime.node,
      allowlist: runtime.allowlist,
      dataDir: self.dataDir,
      keystorePassword: cluster.password,
      kdf: DEFAULT_CONFIG.keystoreKdf,
      timeouts: { joinTimeoutMs: 60_000, roundTimeoutMs: 15_000 },
      logger,
      p2pMetrics: runtime.p2pMetrics,
      dkgMetrics: runtime.dkgMetrics,
      lingerMs: 500,
      onProgress: (e) => {
        if (e.type === "completed") completedAt = Date.now();
      },
    });
    const used = process.cpuUsage(cpu);
    console.log(
      `DONE ${requestId} completed_at=${completedAt} seconds=${outcome.seconds.toFixed(3)} ` +
        `cpu=${((used.user + used.system) / 1e6).toFixed(3)} lock=${outcome.lockHash}`,
    );
  } catch (e) {
    console.log(`FAILED ${requestId} ${(e as Error).message}`);
  }
}
await runtime.stop();
process.exit(0);
