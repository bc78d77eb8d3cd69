/**
 * End to end, all real: N operator processes run a DKG ceremony (`stinger dkg`), the resulting group key goes into the
 * genesis of beacon-devnet (minimal preset, 2 s slots), then N `stinger run` processes perform the DV's duties over
 * libp2p. Checks attestation inclusion and canonical proposals from the devnet's own chain.
 * Env: STINGER_E2E_OPERATORS (default 4), DUTIES_EPOCHS (default 2), DUTIES_PROTOCOL (one-round|qbft).
 */
import "@nektar/beacon-devnet";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { type Devnet, startDevnet } from "@nektar/beacon-devnet";
import type { ClusterLock } from "../../src/dkg/lock.ts";
import { testWithdrawalCredentials } from "./dutiesSupport/dutyCluster.ts";
import { InclusionWatcher } from "./dutiesSupport/inclusion.ts";
import { type RunProcess, spawnRun, stopRun } from "./dutiesSupport/runCluster.ts";
import {
  exitWithin,
  killAll,
  type OperatorProcess,
  outputDirs,
  type ProcessCluster,
  prepareCluster,
  spawnOperator,
} from "./support/processCluster.ts";

const N = Number(process.env.STINGER_E2E_OPERATORS ?? 4);
const T = Math.ceil((2 * N) / 3) + (N === 16 ? 0 : 0);
const EPOCHS = Number(process.env.DUTIES_EPOCHS ?? 2);
const PROTOCOL = (process.env.DUTIES_PROTOCOL ?? "one-round") as "one-round" | "qbft";
const INTEROP = 32;

describe(`${N} stinger run processes against beacon-devnet (${PROTOCOL})`, { timeout: 600_000 }, () => {
  let cluster: ProcessCluster | undefined;
  let dkg: OperatorProcess[] = [];
  const runs: RunProcess[] = [];
  let devnet: Devnet | undefined;
  let watcher: InclusionWatcher | undefined;

  after(async () => {
    killAll(dkg);
    await Promise.all(runs.map((r) => stopRun(r)));
    watcher?.stop();
    await devnet?.stop();
    cluster?.cleanup();
  });

  it(`DKG, then ${EPOCHS} epochs of duties with every attestation included`, async () => {
    cluster = await prepareCluster(N, T);
    const c = cluster;
    dkg = c.operators.map((_, i) => spawnOperator(c, i, { protocol: PROTOCOL }));
    const codes = await Promise.all(dkg.map((p) => exitWithin(p, 300_000)));
    assert.deepEqual(
      codes,
      codes.map(() => 0),
      dkg.map((p) => p.output.join("\n")).join("\n---\n"),
    );
    const lockDir = outputDirs(c.operators[0]?.dataDir as string)[0] as string;
    const lock = JSON.parse(readFileSync(join(lockDir, "cluster-lock.json"), "utf8")) as ClusterLock;
    const pubkey = Uint8Array.from(Buffer.from(lock.groupPublicKey.slice(2), "hex"));

    devnet = await startDevnet({
      validators: INTEROP,
      secondsPerSlot: 2,
      genesisTime: Math.floor(Date.now() / 1000) + 4,
      extraValidators: [{ pubkey, withdrawalCredentials: testWithdrawalCredentials() }],
    });
    watcher = new InclusionWatcher(devnet, [INTEROP]);
    for (let i = 0; i < N; i++) runs.push(spawnRun(c, i, devnet.url, { protocol: PROTOCOL }));

    const spe = 8;
    const endSlot = (EPOCHS + 1) * spe + 1;
    const d = devnet;
    while (d.clock.currentSlot() < endSlot) {
      await new Promise((r) => setTimeout(r, 500));
      const dead = runs.findIndex((r) => r.child.exitCode !== null);
      assert.equal(dead, -1, `operator ${dead + 1} exited:\n${runs[dead]?.output.join("\n")}`);
    }
    const report = watcher.report(1, EPOCHS);
    console.log("inclusion", JSON.stringify(report));
    assert.ok(
      runs.every((r) => r.output.some((l) => l.includes("Stinger running"))),
      runs.map((r) => r.output.slice(-5).join("\n")).join("\n---\n"),
    );
    assert.ok(
      report.attestationRate >= 0.99,
      `attestation inclusion ${report.attestationRate}: ${JSON.stringify(report.missed)}`,
    );
    assert.equal(report.proposals.canonical, report.proposals.expected, JSON.stringify(report.proposals));
  });
});
