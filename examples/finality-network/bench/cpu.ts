// Stinger CPU per epoch for the finality-relay module: four operators' module hosts in one process, against the
// contracts on Hardhat's in-process EVM. Prints the CPU time the host measured around the module's handlers (which
// includes the in-process EVM executing the module's reads and transactions: an upper bound for a real node).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createLogger, NetworkKey, NetworkModuleHost, type NetworkPubSub, StatementProtection } from "@nektar/stinger";
import { network } from "hardhat";
import { Registry } from "prom-client";
import { parseEther } from "viem";
import finalityRelayModule from "../module/index.ts";
import { deployFinality } from "../test/contracts/fixture.ts";

const OPERATORS = 4;
const EPOCHS = 10;

const { viem } = await network.create();
const f = await deployFinality(
  viem,
  Array.from({ length: OPERATORS }, () => parseEther("10")),
);
const chainId = await f.publicClient.getChainId();
type Handler = (t: string, from: string, d: Uint8Array) => void;
const peers = new Map<string, { topics: Set<string>; handler?: Handler }>();
const connect = (id: string): NetworkPubSub => {
  const me: { topics: Set<string>; handler?: Handler } = { topics: new Set() };
  peers.set(id, me);
  return {
    subscribe: (t) => void me.topics.add(t),
    unsubscribe: (t) => void me.topics.delete(t),
    publish: async (t, d) => {
      for (const [pid, p] of peers) if (pid !== id && p.topics.has(t)) setImmediate(() => p.handler?.(t, id, d));
    },
    onMessage: (h) => {
      me.handler = h;
      return () => delete me.handler;
    },
  };
};
const dir = mkdtempSync(join(tmpdir(), "fr-bench-"));
const registries: Registry[] = [];
const hosts: NetworkModuleHost[] = [];
const peerOf = new Map(f.members.map((m, i) => [m.address.toLowerCase(), `peer${i}`]));
for (const [i, m] of f.members.entries()) {
  const metrics = new Registry();
  registries.push(metrics);
  const host = new NetworkModuleHost({
    logger: createLogger({ level: "fatal" }),
    metrics,
    pubsub: connect(`peer${i}`),
  });
  await host.add(finalityRelayModule, {
    network: { contract: f.relay.address, registry: f.registry.address, networkId: f.networkId, chainId },
    operator: m.address,
    key: new NetworkKey(m.sk),
    protection: StatementProtection.open(join(dir, String(i)), "finality-relay"),
    chain: { publicClient: f.publicClient, walletClient: m.wallet },
    options: {},
  });
  await host.refreshMembers(async (operator) => peerOf.get(operator.toLowerCase()));
  hosts.push(host);
}
for (let k = 0; k < EPOCHS; k++) {
  await f.testClient.increaseTime({ seconds: 48 });
  await f.testClient.mine({ blocks: 1 });
  const s = await f.statement();
  const checkpoint = { epoch: s.epoch, root: s.checkpointRoot, executionBlockHash: s.executionBlockHash };
  for (const h of hosts) h.dispatch({ kind: "finalized", checkpoint });
  const end = Date.now() + 30_000;
  while ((await f.relay.read.certificateOf([s.epoch])).certifiedAt === 0n) {
    if (Date.now() > end) throw new Error(`epoch ${s.epoch} not certified`);
    await sleep(10);
  }
  await sleep(50); // let the last signatures reach every host
}
let total = 0;
for (const r of registries) {
  const metric = (await r.getMetricsAsJSON()).find(
    (m) => m.name === "stinger_network_module_handler_cpu_seconds_total",
  );
  for (const v of (metric as { values?: { value: number }[] } | undefined)?.values ?? []) total += v.value;
}
for (const h of hosts) await h.stop();
rmSync(dir, { recursive: true, force: true });
console.log(
  `finality-relay module, ${OPERATORS} operators, ${EPOCHS} certified epochs: ` +
    `${((total / OPERATORS / EPOCHS) * 1000).toFixed(1)} ms CPU per epoch per operator ` +
    "(handlers incl. in-process EVM reads/transactions; upper bound)",
);
