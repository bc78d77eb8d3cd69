import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { TOTAL_ROUNDS } from "../../src/dkg/ceremony.ts";
import type { ClusterLock } from "../../src/dkg/lock.ts";
import { assertDepositIndependentlyValid } from "./support/depositCheck.ts";
import {
  exitWithin,
  killAll,
  type OperatorProcess,
  type ProcessCluster,
  prepareCluster,
  readLock,
  STINGER_BIN,
  spawnOperator,
} from "./support/processCluster.ts";

const N = Number(process.env.STINGER_E2E_OPERATORS ?? 16);
const T = Math.ceil((2 * N) / 3);

describe(`DKG ceremony between ${N} operator processes on 127.0.0.1 (threshold ${T})`, () => {
  let cluster: ProcessCluster | undefined;
  let processes: OperatorProcess[] = [];
  after(() => {
    killAll(processes);
    cluster?.cleanup();
  });

  it("completes everywhere with identical locks whose deposit data verifies independently", async () => {
    cluster = await prepareCluster(N, T);
    const c = cluster;
    processes = c.operators.map((_, i) => spawnOperator(c, i));
    const codes = await Promise.all(processes.map((p) => exitWithin(p, 600_000)));
    codes.forEach((code, i) => {
      assert.equal(code, 0, `operator ${i + 1} exited ${code}:\n${processes[i]?.output.join("\n")}`);
    });
    for (const p of processes) {
      for (let round = 1; round <= TOTAL_ROUNDS; round++)
        assert.ok(
          p.output.some((l) => l.includes(`round ${round}/${TOTAL_ROUNDS}`)),
          "per-round progress",
        );
    }
    const locks = c.operators.map((o) => readLock(o.dataDir));
    assert.ok(
      locks.every((l) => l === locks[0]),
      "all locks are byte-identical",
    );
    const lock = JSON.parse(locks[0] as string) as ClusterLock;
    assert.equal(lock.sharePublicKeys.length, N);
    assert.equal(lock.qualifiedDealers.length, N);
    assertDepositIndependentlyValid(lock);

    const lockPath = join(c.root, "lock.json");
    writeFileSync(lockPath, locks[0] as string);
    const out = execFileSync(process.execPath, [STINGER_BIN, "dkg", "verify", lockPath], { encoding: "utf8" });
    assert.match(out, /Lock OK/);
    const tampered = { ...lock, depositData: { ...lock.depositData, amount: 1_000_000_000 } };
    writeFileSync(lockPath, JSON.stringify(tampered));
    assert.throws(() => execFileSync(process.execPath, [STINGER_BIN, "dkg", "verify", lockPath], { stdio: "pipe" }));
  });
});
