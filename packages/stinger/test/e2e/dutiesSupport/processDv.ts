/**
 * TEST SUPPORT: a cluster of `stinger run` OS processes performing the duties of several distributed validators on
 * beacon-devnet, for the multi-process fault scenarios. Keys come from real `stinger dkg` ceremonies (one per
 * validator), the devnet runs in this process so the test can read its chain and record what reached it.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Devnet, startDevnet } from "@nektar/beacon-devnet";
import { serializeClusterDefinition } from "../../../src/dkg/definition.ts";
import type { ClusterLock } from "../../../src/dkg/lock.ts";
import { makeDefinition } from "../../support/ceremonyHarness.ts";
import {
  exitWithin,
  killAll,
  outputDirs,
  type ProcessCluster,
  prepareCluster,
  spawnOperator,
} from "../support/processCluster.ts";
import { testWithdrawalCredentials } from "./dutyCluster.ts";
import { InclusionWatcher } from "./inclusion.ts";
import { type RunProcess, spawnRun, stopRun } from "./runCluster.ts";
import { SubmissionRecorder } from "./submissions.ts";

export const INTEROP_VALIDATORS = 32;

/**
 * Runs one `stinger dkg` ceremony per validator (request ids 1..`validators`, one after the other: a node runs one
 * ceremony at a time) and returns the cluster and the group public keys.
 */
export async function dkgCluster(
  n: number,
  threshold: number,
  validators: number,
): Promise<{ cluster: ProcessCluster; pubkeys: Uint8Array[] }> {
  const cluster = await prepareCluster(n, threshold);
  try {
    for (let k = 0; k < validators; k++) {
      const definition = makeDefinition(
        cluster.operators.map((o) => ({ peerId: o.peerId, multiaddrs: [`/ip4/127.0.0.1/tcp/${o.port}`] })),
        threshold,
        BigInt(k + 1),
      );
      const definitionPath = join(cluster.root, `cluster-definition-${k + 1}.json`);
      writeFileSync(definitionPath, serializeClusterDefinition(definition));
      const dkg = cluster.operators.map((_, i) => spawnOperator(cluster, i, { definitionPath }));
      const codes = await Promise.all(dkg.map((p) => exitWithin(p, 300_000)));
      killAll(dkg);
      assert.deepEqual(
        codes,
        codes.map(() => 0),
        `ceremony ${k + 1}:\n${dkg.map((p) => p.output.slice(-5).join("\n")).join("\n---\n")}`,
      );
    }
    const dirs = outputDirs(cluster.operators[0]?.dataDir as string).filter((d) => !d.includes(".staging-"));
    assert.equal(dirs.length, validators, `operator 1 holds ${dirs.length} validators`);
    const pubkeys = dirs.map((d) => {
      const lock = JSON.parse(readFileSync(join(d, "cluster-lock.json"), "utf8")) as ClusterLock;
      return Uint8Array.from(Buffer.from(lock.groupPublicKey.slice(2), "hex"));
    });
    return { cluster, pubkeys };
  } catch (e) {
    cluster.cleanup();
    throw e;
  }
}

export type DvProcessCluster = {
  cluster: ProcessCluster;
  devnet: Devnet;
  /** Beacon indices of the distributed validators (after the devnet's interop validators). */
  indices: number[];
  pubkeys: Uint8Array[];
  watcher: InclusionWatcher;
  submissions: SubmissionRecorder;
  /** The current (last started) process of each operator. */
  runs: (RunProcess | undefined)[];
  /** Every process started, for clean-up. */
  all: RunProcess[];
  slotsPerEpoch: number;
  /** Starts operator `i` (0-based); `script` replaces bin/stinger.js (e.g. a byzantine child entry). */
  start(i: number, opts?: { script?: string; env?: Record<string, string> }): RunProcess;
  /** Graceful stop by PID (SIGTERM) and its exit code. */
  stop(i: number): Promise<number | null>;
  /** Resolves once every given operator printed its "Stinger running" line. */
  waitRunning(ops: number[], timeoutMs: number): Promise<void>;
  waitForSlot(slot: number): Promise<void>;
  currentEpoch(): number;
  /** Fails fast when an operator that should be running has exited. */
  assertAlive(ops: number[]): void;
  genesisValidatorsRoot(): string;
  shutdown(): Promise<void>;
};

/** Devnet (minimal preset, 2 s slots unless told) with the validators in genesis, then one `stinger run` per operator. */
export async function startDvProcessCluster(
  cluster: ProcessCluster,
  pubkeys: Uint8Array[],
  opts: {
    starts?: (i: number) => { script?: string; env?: Record<string, string> } | undefined;
    secondsPerSlot?: number;
  } = {},
): Promise<DvProcessCluster> {
  const devnet = await startDevnet({
    validators: INTEROP_VALIDATORS,
    secondsPerSlot: opts.secondsPerSlot ?? 2,
    genesisTime: Math.floor(Date.now() / 1000) + 4,
    extraValidators: pubkeys.map((pubkey) => ({ pubkey, withdrawalCredentials: testWithdrawalCredentials() })),
  });
  const indices = pubkeys.map((_, k) => INTEROP_VALIDATORS + k);
  const watcher = new InclusionWatcher(devnet, indices);
  const submissions = new SubmissionRecorder(devnet, indices);
  const slotsPerEpoch = devnet.chain.headState.epochCtx.proposers.length;
  const runs: (RunProcess | undefined)[] = cluster.operators.map(() => undefined);
  const all: RunProcess[] = [];
  const start = (i: number, o: { script?: string; env?: Record<string, string> } = {}) => {
    const p = spawnRun(cluster, i, devnet.url, { ...o, logLevel: "warn" });
    runs[i] = p;
    all.push(p);
    return p;
  };
  for (let i = 0; i < cluster.operators.length; i++) start(i, opts.starts?.(i));
  const waitForSlot = async (slot: number) => {
    while (devnet.clock.currentSlot() < slot) await new Promise((r) => setTimeout(r, 200));
  };
  const assertAlive = (ops: number[]) => {
    for (const i of ops) {
      const p = runs[i];
      if (p === undefined || p.child.exitCode !== null || p.child.signalCode !== null) {
        assert.fail(`operator ${i + 1} is not running:\n${p?.output.slice(-20).join("\n")}`);
      }
    }
  };
  return {
    cluster,
    devnet,
    indices,
    pubkeys,
    watcher,
    submissions,
    runs,
    all,
    slotsPerEpoch,
    start,
    stop: async (i) => {
      const p = runs[i];
      if (p === undefined) return null;
      await stopRun(p, 15_000);
      return p.child.exitCode;
    },
    waitRunning: async (ops, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const waiting = ops.filter((i) => !runs[i]?.output.some((l) => l.includes("Stinger running")));
        if (waiting.length === 0) return;
        assertAlive(waiting);
        if (Date.now() > deadline) assert.fail(`operators ${waiting.map((i) => i + 1).join(",")} not running`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    waitForSlot,
    currentEpoch: () => Math.floor(devnet.clock.currentSlot() / slotsPerEpoch),
    assertAlive,
    genesisValidatorsRoot: () => `0x${Buffer.from(devnet.chain.headState.genesisValidatorsRoot).toString("hex")}`,
    shutdown: async () => {
      await Promise.all(all.map((p) => stopRun(p)));
      watcher.stop();
      await devnet.stop();
    },
  };
}

/** What a test prints when an outcome misses: an operator's last log lines and its duty failure counters. */
export async function diagnose(p: RunProcess | undefined): Promise<string> {
  if (p === undefined) return "(not running)";
  let failures = "";
  try {
    const text = await (await fetch(`${statusUrl(p)}/metrics`)).text();
    failures = text
      .split("\n")
      .filter((l) => /^stinger_duty_(failures_total|latency_seconds_count)/.test(l))
      .join("\n");
  } catch (e) {
    failures = `metrics unavailable: ${(e as Error).message}`;
  }
  return `${p.output.slice(-15).join("\n")}\n${failures}`;
}

/** The status server URL a run process printed ("… status http://127.0.0.1:port"). */
export function statusUrl(p: RunProcess): string {
  const line = p.output.find((l) => l.includes("Stinger running"));
  const url = line?.match(/status (http:\/\/[0-9.:]+)/)?.[1];
  if (url === undefined) throw new Error(`no status URL in: ${line}`);
  return url;
}

/** Sum of a Prometheus counter's samples whose labels include `labels`, scraped from `<url>/metrics`. */
export async function scrapeCounter(url: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? ([0-9.eE+-]+|NaN)$/);
    if (m === null || m[1] !== name) continue;
    const have = new Map([...(m[2] ?? "").matchAll(/([a-zA-Z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) sum += Number(m[3]);
  }
  return sum;
}
