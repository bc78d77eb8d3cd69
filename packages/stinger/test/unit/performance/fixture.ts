import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PerformanceStatement } from "@nektar/crypto";
import {
  buildProposal,
  combineStatement,
  evaluateProposal,
  type PerformanceContext,
  performanceLeader,
  signStatement,
  signView,
} from "../../../src/performance/agreement.ts";
import { PerformanceStore } from "../../../src/performance/store.ts";
import { clusterContexts, FORK, N } from "./cluster.ts";
import { simulateViews, VALIDATOR } from "./simulation.ts";

/** Where the contracts' on-chain verification test reads the statement Stinger signed. */
export const PERFORMANCE_FIXTURE_URL = new URL(
  "../../../../../contracts/test/fixtures/performance-statement.json",
  import.meta.url,
);

/**
 * A statement agreed and signed by 16 simulated members through `src/performance/agreement.ts` (deterministic: the
 * key is dealt from a seed and BLS signatures are deterministic). Regenerate with
 * `node packages/stinger/test/unit/performance/generateFixture.ts`.
 */
export function performanceFixture() {
  const frame = 12;
  const ctxs = clusterContexts(21, frame, VALIDATOR);
  const ctx = (i: number) => ctxs[i - 1] as PerformanceContext;
  const counts = simulateViews({ duties: 225, offline: [4], slow: [9], down: { 12: 60 }, seed: 11 });
  const views = counts.flatMap((c, i) => (c === undefined ? [] : [signView(ctx(i + 1), c)]));
  const leader = performanceLeader(frame, VALIDATOR, 0, N);
  const proposal = buildProposal(ctx(leader), 0, views);
  const dir = mkdtempSync(join(tmpdir(), "perf-fixture-"));
  try {
    const partials = [1, 2, 3, 5, 6, 7, 8, 10, 11, 13, 16].map((m) => {
      const e = evaluateProposal(ctx(m), leader, proposal, views.find((v) => v.view.shareIndex === m) as never);
      if (!e.ok) throw new Error(e.reason);
      return signStatement(ctx(m), e.statement, new PerformanceStore(join(dir, String(m))));
    });
    const e = evaluateProposal(ctx(1), leader, proposal, views[0] as never);
    const statement = (e as { statement: PerformanceStatement }).statement;
    const signed = combineStatement(ctx(1), statement, partials);
    const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;
    return {
      genesisForkVersion: hex(FORK),
      statement: {
        chainId: String(statement.chainId),
        oracle: statement.oracle,
        validatorPubkey: hex(statement.validatorPubkey),
        frame: String(statement.frame),
        expected: [...statement.expected],
        contributed: [...statement.contributed],
      },
      signature: hex(signed.signature),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
