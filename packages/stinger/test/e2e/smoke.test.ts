import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { ClusterLock } from "../../src/dkg/lock.ts";
import { verifyClusterLock } from "../../src/dkg/verifyLock.ts";
import { assertDepositIndependentlyValid } from "./support/depositCheck.ts";
import {
  exitWithin,
  killAll,
  type OperatorProcess,
  type ProcessCluster,
  prepareCluster,
  readLock,
  spawnOperator,
} from "./support/processCluster.ts";

// Default-suite smoke test: the real CLI in 3 OS processes. The 16-process ceremony and the fault scenarios are in
// `npm run test:slow` (ceremony.test.ts, faults.test.ts): on 2 shared cores 16 process start-ups alone take ~20 s.
describe("stinger dkg: 3 operator processes on 127.0.0.1", () => {
  let cluster: ProcessCluster | undefined;
  let processes: OperatorProcess[] = [];
  after(() => {
    killAll(processes);
    cluster?.cleanup();
  });

  it("complete a ceremony with identical, verifiable locks", async () => {
    cluster = await prepareCluster(3, 2);
    const c = cluster;
    processes = c.operators.map((_, i) => spawnOperator(c, i));
    const codes = await Promise.all(processes.map((p) => exitWithin(p, 120_000)));
    codes.forEach((code, i) => {
      assert.equal(code, 0, `operator ${i + 1}:\n${processes[i]?.output.join("\n")}`);
    });
    const locks = c.operators.map((o) => readLock(o.dataDir));
    assert.ok(locks.every((l) => l === locks[0]));
    const lock = JSON.parse(locks[0] as string) as ClusterLock;
    verifyClusterLock(lock);
    assertDepositIndependentlyValid(lock);
  });
});
