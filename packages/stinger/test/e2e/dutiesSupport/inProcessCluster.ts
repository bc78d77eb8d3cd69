/** TEST SUPPORT: N duty nodes in one process over the memory transport, against an in-process beacon-devnet. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Devnet, type DevnetOptions, startDevnet } from "@nektar/beacon-devnet";
import { Registry } from "prom-client";
import type { AgreementProtocol } from "../../../src/core/agreement/types.ts";
import { decodePartialBatch } from "../../../src/core/parsigex/codec.ts";
import { DutyMessageKind } from "../../../src/core/transport.ts";
import { createLogger } from "../../../src/logger/logger.ts";
import { type BeaconConnection, connectBeaconNode } from "../../../src/node/beaconConnection.ts";
import { type DutyNode, type PerformanceOptions, startDutyNode } from "../../../src/node/dutyNode.ts";
import { MemoryCluster } from "../../support/memoryTransport.ts";
import { type ClusterFixture, clusterFixture, testWithdrawalCredentials } from "./dutyCluster.ts";
import { InclusionWatcher } from "./inclusion.ts";

export type InProcessCluster = {
  devnet: Devnet;
  /** The nodes' beacon node connection (genesis, fork version, clock). */
  beacon: BeaconConnection;
  net: MemoryCluster;
  fixture: ClusterFixture;
  /** The cluster id the nodes run with (it seeds the agreement's leader rotation). */
  clusterId: Uint8Array;
  nodes: (DutyNode | undefined)[];
  registries: Registry[];
  watcher: InclusionWatcher;
  /** Distinct signing roots each operator sent per (validator, duty type, slot-or-target) — >1 would be slashable. */
  signedRoots: Map<string, Set<string>>;
  startNode(i: number): Promise<void>;
  stopNode(i: number): Promise<void>;
  waitForSlot(slot: number): Promise<void>;
  stop(): Promise<void>;
};

export async function startInProcessCluster(opts: {
  operators: number;
  threshold: number;
  validators: number;
  interop: number;
  /** Slot length of the devnet (default 2 s). */
  secondsPerSlot?: number;
  protocol?: AgreementProtocol;
  /** Blobs each block produced by the devnet carries (default 0). */
  blobsPerBlock?: number;
  /** Per-share performance of every node (`startDutyNode`'s option; its `dataDir` is the node's directory). */
  performance?: Omit<PerformanceOptions, "dataDir">;
  /** Operators (0-based) not started: stopped for the whole run. */
  stopped?: readonly number[];
  /** The devnet's builder flow (local builder) — see beacon-devnet's `startDevnet({ builder })`. */
  builder?: DevnetOptions["builder"];
  /** `builder_boost_factor` of every node's block requests (default 0: local only). */
  builderBoostFactor?: bigint;
  /** The devnet's post-state cache (see beacon-devnet's `startDevnet({ stateCacheSize })`). */
  stateCacheSize?: number;
}): Promise<InProcessCluster> {
  const dir = await mkdtemp(join(tmpdir(), "stinger-duties-"));
  const fixture = clusterFixture({
    operators: opts.operators,
    threshold: opts.threshold,
    validators: opts.validators,
    firstIndex: opts.interop,
    // Blocks must pay the address of the validators' 0x01 withdrawal credentials, as the lock makes them.
    feeRecipient: testWithdrawalCredentials().slice(12),
  });
  const devnet = await startDevnet({
    validators: opts.interop,
    secondsPerSlot: opts.secondsPerSlot ?? 2,
    blobsPerBlock: opts.blobsPerBlock ?? 0,
    ...(opts.builder !== undefined ? { builder: opts.builder } : {}),
    ...(opts.stateCacheSize !== undefined ? { stateCacheSize: opts.stateCacheSize } : {}),
    genesisTime: Math.floor(Date.now() / 1000) + 3,
    extraValidators: fixture.validators.map((v) => ({
      pubkey: v.dealt.pubkey,
      withdrawalCredentials: testWithdrawalCredentials(),
    })),
  });
  const watcher = new InclusionWatcher(
    devnet,
    fixture.validators.map((v) => v.index),
  );
  const net = new MemoryCluster(opts.operators);
  const signedRoots = new Map<string, Set<string>>();
  net.policy = (from, _to, kind, payload) => {
    if (kind === DutyMessageKind.partials && _to === (from + 1) % opts.operators) {
      const d = decodePartialBatch(payload, from + 1);
      if (d.ok) {
        for (const p of d.partials) {
          const key = `${from + 1}/${p.duty.validator}/${p.duty.type}/${p.duty.slot}`;
          const set = signedRoots.get(key) ?? new Set();
          set.add(Buffer.from(p.signingRoot).toString("hex"));
          signedRoots.set(key, set);
        }
      }
    }
    return 1 + Math.floor(Math.random() * 5);
  };
  const clusterId = new Uint8Array(32).fill(3);
  const nodes: (DutyNode | undefined)[] = Array.from({ length: opts.operators }, () => undefined);
  const registries = Array.from({ length: opts.operators }, () => new Registry());
  const logger = createLogger({ level: (process.env.STINGER_TEST_LOG as "error" | undefined) ?? "error" });
  const beacon = await connectBeaconNode(devnet.url);
  const startNode = async (i: number) => {
    registries[i] = new Registry();
    net.setDown(i, false);
    nodes[i] = await startDutyNode({
      beacon,
      transport: net.transports[i] as MemoryCluster["transports"][0],
      keys: fixture.keysFor(i + 1),
      clusterId,
      operators: opts.operators,
      threshold: opts.threshold,
      protocol: opts.protocol ?? "one-round",
      sign: fixture.signAs(i),
      verify: fixture.verify,
      slashingDbDir: join(dir, `op${i}`),
      registry: registries[i] as Registry,
      logger: logger.child({ op: i + 1 }),
      ...(opts.performance === undefined ? {} : { performance: { ...opts.performance, dataDir: join(dir, `op${i}`) } }),
      ...(opts.builderBoostFactor !== undefined ? { builderBoostFactor: opts.builderBoostFactor } : {}),
    });
  };
  const stopNode = async (i: number) => {
    net.setDown(i, true);
    await nodes[i]?.stop();
    nodes[i] = undefined;
  };
  for (let i = 0; i < opts.operators; i++) {
    if (opts.stopped?.includes(i)) net.setDown(i, true);
    else await startNode(i);
  }
  return {
    devnet,
    beacon,
    net,
    fixture,
    clusterId,
    nodes,
    registries,
    watcher,
    signedRoots,
    startNode,
    stopNode,
    waitForSlot: async (slot) => {
      while (devnet.clock.currentSlot() < slot) await new Promise((r) => setTimeout(r, 200));
    },
    stop: async () => {
      for (let i = 0; i < nodes.length; i++) await nodes[i]?.stop();
      net.stop();
      watcher.stop();
      await devnet.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Sum of a counter's values matching `labels` in a registry. */
export async function counterValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  const data = await metric.get();
  return data.values
    .filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))
    .reduce((n, v) => n + v.value, 0);
}
