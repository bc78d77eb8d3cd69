import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { ClusterLock } from "../../src/dkg/lock.ts";
import { assertDepositIndependentlyValid } from "./support/depositCheck.ts";
import {
  exitWithin,
  killAll,
  type OperatorProcess,
  outputDirs,
  type ProcessCluster,
  prepareCluster,
  readLock,
  spawnOperator,
} from "./support/processCluster.ts";

const N = Number(process.env.STINGER_E2E_FAULT_OPERATORS ?? 5);
const T = Math.ceil((2 * N) / 3);
const BAD_SHARE_SCRIPT = new URL("./support/badShareOperator.ts", import.meta.url).pathname;

describe(`ceremony faults with ${N} operator processes (threshold ${T})`, () => {
  const clusters: ProcessCluster[] = [];
  let processes: OperatorProcess[] = [];
  after(() => {
    killAll(processes);
    for (const c of clusters) c.cleanup();
  });

  it("disqualifies a dealer that sends a bad share and withholds its answer; the others complete", async () => {
    const c = await prepareCluster(N, T);
    clusters.push(c);
    const bad = N - 1; // operator N misbehaves against operator 1
    processes = c.operators.map((_, i) =>
      i === bad
        ? spawnOperator(c, i, { script: BAD_SHARE_SCRIPT, env: { BAD_SHARE_TO: "1" }, roundTimeoutMs: 5000 })
        : spawnOperator(c, i, { roundTimeoutMs: 5000 }),
    );
    const codes = await Promise.all(processes.map((p) => exitWithin(p, 180_000)));
    const honest = c.operators.map((_, i) => i).filter((i) => i !== bad);
    for (const i of honest) assert.equal(codes[i], 0, `operator ${i + 1}:\n${processes[i]?.output.join("\n")}`);
    assert.notEqual(codes[bad], 0, "the misbehaving operator does not complete");
    const locks = honest.map((i) => readLock(c.operators[i]?.dataDir as string));
    assert.ok(
      locks.every((l) => l === locks[0]),
      "honest operators hold identical locks",
    );
    const lock = JSON.parse(locks[0] as string) as ClusterLock;
    assert.deepEqual(
      lock.qualifiedDealers,
      honest.map((i) => i + 1),
    );
    assert.equal(lock.operatorSignatures[bad], null);
    assertDepositIndependentlyValid(lock);
    assert.ok(processes[0]?.output.some((l) => l.includes(`dealers disqualified: ${N}`)));
  });

  it("aborts with a clear error on every node when an operator crashes before dealing", async () => {
    const c = await prepareCluster(N, T);
    clusters.push(c);
    const crashed = 1;
    processes = c.operators.map((_, i) => spawnOperator(c, i, { joinTimeoutMs: 20_000 }));
    processes[crashed]?.child.kill("SIGKILL");
    const codes = await Promise.all(processes.map((p) => exitWithin(p, 180_000)));
    for (const [i, p] of processes.entries()) {
      if (i === crashed) continue;
      assert.equal(codes[i], 1, `operator ${i + 1} must fail:\n${p.output.join("\n")}`);
      const text = p.output.join("\n");
      assert.ok(
        /ceremony deal timed out .*missing operators 2$/m.test(text) || /aborted the ceremony/.test(text),
        `operator ${i + 1} names the absent operator:\n${text}`,
      );
      assert.deepEqual(outputDirs(c.operators[i]?.dataDir as string), [], "no output written");
    }
  });

  it("keeps a process whose identity is not a member out; the members complete without it", async () => {
    const c = await prepareCluster(4, 3);
    clusters.push(c);
    // Members 1-3 run a 3-operator definition; operator 4 runs one that lists itself with them.
    const definition = JSON.parse(readFileSync(c.definitionPath, "utf8"));
    const membersOnly = join(c.root, "members-definition.json");
    writeFileSync(
      membersOnly,
      JSON.stringify({ ...definition, operators: definition.operators.slice(0, 3), threshold: 2 }),
    );
    const stranger = spawnOperator(c, 3, { joinTimeoutMs: 15_000 });
    await stranger.waitForLine(/joined ceremony/, 120_000);
    processes = [0, 1, 2].map((i) => spawnOperator(c, i, { definitionPath: membersOnly }));
    processes.push(stranger);
    const codes = await Promise.all(processes.map((p) => exitWithin(p, 180_000)));
    for (const i of [0, 1, 2]) assert.equal(codes[i], 0, processes[i]?.output.join("\n"));
    assert.equal(codes[3], 1);
    assert.match(stranger.output.join("\n"), /timed out .*missing operators 1,2,3$/m);
    const lock = JSON.parse(readLock(c.operators[0]?.dataDir as string)) as ClusterLock;
    assert.equal(lock.sharePublicKeys.length, 3);
  });

  it("lets a participant killed mid-round restart and rejoin while the round is open", async () => {
    const c = await prepareCluster(N, T);
    clusters.push(c);
    const victim = 1;
    const late = N - 1;
    processes = c.operators.map((_, i) => (i === late ? null : spawnOperator(c, i))).filter((p) => p !== null);
    const first = processes[victim] as OperatorProcess;
    await first.waitForLine(/round 1\/6 deal: started/, 120_000);
    // Long enough for its deal to reach the members already running: the restart must replay that deal.
    await new Promise((r) => setTimeout(r, 3000));
    first.child.kill("SIGKILL");
    await first.exited;
    const restarted = spawnOperator(c, victim);
    processes[victim] = restarted;
    await restarted.waitForLine(/round 1\/6 deal: started/, 120_000);
    processes.push(spawnOperator(c, late));
    const codes = await Promise.all(processes.map((p) => exitWithin(p, 180_000)));
    codes.forEach((code, i) => {
      assert.equal(code, 0, `process ${i}:\n${processes[i]?.output.join("\n")}`);
    });
    // The restarted dealer read its seed back and sent the identical deal: nobody saw two versions of it (a fresh
    // polynomial after the restart would be an equivocation, and members could end with different qualified sets).
    for (const p of processes) {
      assert.ok(
        !p.output.some((l) => l.includes(`operator ${victim + 1} equivocated`)),
        `the restarted dealer's deal is the same as before the crash:\n${p.output.join("\n")}`,
      );
    }
    const locks = c.operators.map((o) => readLock(o.dataDir));
    assert.ok(locks.every((l) => l === locks[0]));
    assert.equal((JSON.parse(locks[0] as string) as ClusterLock).qualifiedDealers.length, N);
  });
});
