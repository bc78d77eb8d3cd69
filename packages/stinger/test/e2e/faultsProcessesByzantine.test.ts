/**
 * Byzantine operators as real OS processes: 16 `stinger run` processes on beacon-devnet (minimal preset, 4 s slots;
 * see faultsProcesses.test.ts on a loaded machine),
 * four of them started through the test-only child entry `byzantine/operator.ts`, which runs the real node with a
 * wrapped transport:
 *   operator 13 — a forging leader: in every attester/proposer instance where it leads a round r ≤ 6, it sends at the
 *                 instance start a round-r proposal voting for an unknown head root or paying its own fee recipient
 *                 (r > 1 races the honest round-1 leader); honest operators must refuse it and the duty complete;
 *   operator 14 — an equivocating leader (two valid, different leader-signed proposals per attester instance it leads);
 *   operator 15 — bad partial signatures (valid points, wrong key);
 *   operator 16 — replays its own authentic old messages (older than gossip's 2-minute duplicate window).
 * Over ≥ 4 epochs after every operator runs and until each misbehaviour has happened: duties still complete, every
 * canonical block of the cluster pays the lock's fee recipient, nothing
 * slashable (every operator's slashing DB exported as EIP-3076 interchange, the group signatures the beacon node
 * accepted, the chain), and each culprit is counted by the honest operators' /metrics under its own operator index
 * (and never an honest one) and named in their logs.
 * Env: DUTIES_VALIDATORS (default 4), DUTIES_SECONDS_PER_SLOT (default 4).
 */
import "@nektar/beacon-devnet";
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { WITHDRAWAL_CREDENTIALS } from "../support/ceremonyHarness.ts";
import {
  type DvProcessCluster,
  dkgCluster,
  scrapeCounter,
  startDvProcessCluster,
  statusUrl,
} from "./dutiesSupport/processDv.ts";
import { readSignedData, slashability } from "./dutiesSupport/signedData.ts";
import type { ProcessCluster } from "./support/processCluster.ts";

const N = 16;
const T = 11;
const VALIDATORS = Number(process.env.DUTIES_VALIDATORS ?? 4);
const SECONDS_PER_SLOT = Number(process.env.DUTIES_SECONDS_PER_SLOT ?? 4);
const BYZANTINE_ENTRY = new URL("./byzantine/operator.ts", import.meta.url).pathname;
const ALL = Array.from({ length: N }, (_, i) => i);
/** 0-based indices; the metrics and logs use 1-based operator numbers. */
const FORGER = 12;
const EQUIVOCATOR = 13;
const BAD_PARTIALS = 14;
const REPLAYER = 15;
const HONEST = ALL.filter((i) => i < FORGER);
/** The fee recipient every lock of the cluster binds (its 0x01 withdrawal credentials' address). */
const FEE_RECIPIENT = WITHDRAWAL_CREDENTIALS.slice(-40);
const FAULTS = "stinger_operator_faults_total";

describe(`${N} stinger run processes with 3 byzantine operators`, { timeout: 1_800_000 }, () => {
  let cluster: ProcessCluster | undefined;
  let dv: DvProcessCluster | undefined;
  after(async () => {
    await dv?.shutdown();
    cluster?.cleanup();
  });

  it("forging and equivocating leaders, bad partials, replays: duties complete, nothing slashable, culprits counted", async () => {
    const started = Date.now();
    const dkg = await dkgCluster(N, T, VALIDATORS);
    cluster = dkg.cluster;
    const byzantine: Record<number, string> = {
      [FORGER]: "forge-leader",
      [EQUIVOCATOR]: "equivocate",
      [BAD_PARTIALS]: "bad-partials",
      [REPLAYER]: "replay",
    };
    const c = await startDvProcessCluster(cluster, dkg.pubkeys, {
      secondsPerSlot: SECONDS_PER_SLOT,
      starts: (i) =>
        byzantine[i] === undefined ? undefined : { script: BYZANTINE_ENTRY, env: { STINGER_BYZANTINE: byzantine[i] } },
    });
    dv = c;
    await c.waitRunning(ALL, 240_000);
    const spe = c.slotsPerEpoch;
    const E = c.currentEpoch() + 1;
    const urls = ALL.map((i) => statusUrl(c.runs[i] as NonNullable<(typeof c.runs)[number]>));
    const acts = (i: number, re: RegExp) => c.runs[i]?.output.filter((l) => re.test(l)).length ?? 0;
    const counted = async (culprit: number, reason: string) =>
      Promise.all(
        HONEST.map((i) => scrapeCounter(urls[i] as string, FAULTS, { operator: String(culprit + 1), reason })),
      );

    // At least 4 epochs, and until the equivocator led twice and the replayer's replays were counted (bounded).
    const deadline = (E + 14) * spe;
    for (;;) {
      c.assertAlive(ALL);
      const slot = c.devnet.clock.currentSlot();
      const enough =
        slot >= (E + 4) * spe &&
        acts(EQUIVOCATOR, /two proposals/) >= 2 &&
        acts(FORGER, /racing round 1/) >= 1 &&
        acts(FORGER, /round 1: forged/) >= 1 &&
        (await counted(REPLAYER, "partials_stale_slot")).some((n) => n > 0);
      if (enough || slot >= deadline) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const last = c.currentEpoch() - 1;
    await c.waitForSlot((last + 1) * spe + 2);
    const report = c.watcher.report(E, last);

    const equivocation = await counted(EQUIVOCATOR, "equivocation");
    const forgedRefused = await counted(FORGER, "invalid_value");
    // Honest leaders refused by honest nodes (e.g. a head one slot staler than the lag allowed): logged, not asserted.
    let honestRefused = 0;
    for (const i of HONEST)
      for (const culprit of HONEST)
        honestRefused += await scrapeCounter(urls[i] as string, FAULTS, {
          operator: String(culprit + 1),
          reason: "invalid_value",
        });
    const foreignFees = report.proposals.slots.flatMap((slot) => {
      const fee = c.devnet.chain.getCanonicalBlockAtSlot(slot)?.signedBlock.message.body.executionPayload.feeRecipient;
      return fee === undefined || Buffer.from(fee).toString("hex") === FEE_RECIPIENT ? [] : [slot];
    });
    const badPartials = await counted(BAD_PARTIALS, "bad_partial");
    const stale = await counted(REPLAYER, "partials_stale_slot");
    // Faults of these kinds blamed on an honest operator would be a false accusation.
    let misattributed = 0;
    for (const i of HONEST)
      for (const culprit of HONEST)
        for (const reason of ["equivocation", "bad_partial"])
          misattributed += await scrapeCounter(urls[i] as string, FAULTS, { operator: String(culprit + 1), reason });
    const logsNaming = (msg: string, names: (fields: Record<string, unknown>) => boolean) =>
      HONEST.filter((i) =>
        c.runs[i]?.output.some((l) => {
          if (!l.includes(msg)) return false;
          try {
            const fields = JSON.parse(l) as Record<string, unknown>;
            return fields.msg === msg && names(fields);
          } catch {
            return false;
          }
        }),
      ).length;
    const loggedBadPartials = logsNaming("Bad partial signatures", (f) =>
      String(f.operators)
        .split(",")
        .includes(String(BAD_PARTIALS + 1)),
    );
    const loggedEquivocation = logsNaming(
      "Agreement fault",
      (f) => f.shareIndex === EQUIVOCATOR + 1 && f.reason === "equivocation",
    );
    console.log(
      JSON.stringify({
        validators: VALIDATORS,
        epochs: [E, last],
        inclusion: report.attestationRate,
        missed: report.missed,
        proposals: report.proposals,
        acts: {
          forged: acts(FORGER, /forged/),
          forgedRacing: acts(FORGER, /racing round 1/),
          forgedFeeRecipient: acts(FORGER, /fee recipient proposal/),
          equivocations: acts(EQUIVOCATOR, /two proposals/),
          badPartialBatches: acts(BAD_PARTIALS, /wrong key/),
          replayRounds: acts(REPLAYER, /re-sent/),
        },
        countedByHonest: { forgedRefused, equivocation, badPartials, stale },
        foreignFees,
        honestRefused,
        logsNaming: { badPartials: loggedBadPartials, equivocation: loggedEquivocation },
        misattributed,
      }),
    );
    // Why a proposal was missed, from the honest nodes' own accounts (read before they stop): their proposer and
    // RANDAO failures by step and reason, and their log lines about the missed slots.
    const proposalDiagnosis = JSON.stringify({
      proposals: report.proposals,
      failures: await Promise.all(
        HONEST.map(async (i) => {
          const text = await (await fetch(`${urls[i]}/metrics`)).text();
          return text.split("\n").filter((l) => /^stinger_duty_failures_total\{duty="(proposer|randao)"/.test(l));
        }),
      ),
      logs: HONEST.map((i) =>
        (c.runs[i]?.output ?? []).filter((l) =>
          report.proposals.slots.some((slot) => l.includes(`"slot":${slot},`) && /proposer|randao/.test(l)),
        ),
      ),
    });
    await Promise.all(ALL.map((i) => c.stop(i)));
    const gvr = c.genesisValidatorsRoot();
    const signed = [];
    for (const i of ALL)
      signed.push(
        await readSignedData(i + 1, join(cluster.operators[i]?.dataDir as string, "slashing-protection"), gvr),
      );
    const s = slashability(signed, T);
    console.log("slashing DBs", JSON.stringify({ ...s, submittedPairs: c.submissions.slashablePairs().length }));
    assert.ok(s.records > 0);
    assert.deepEqual(s.perOperator, []);
    assert.deepEqual(s.groupSignable, []);
    assert.deepEqual(c.submissions.slashablePairs(), []);
    assert.deepEqual(c.submissions.onChainSlashings(), {
      slashedValidators: [],
      proposerSlashings: 0,
      attesterSlashings: 0,
    });
    assert.ok(last - E + 1 >= 4, `only epochs ${E}..${last} judged`);
    assert.ok(acts(EQUIVOCATOR, /two proposals/) >= 1, "the equivocator led at least one attester instance");
    assert.ok(acts(FORGER, /racing round 1/) >= 1, "the forger raced a round-1 leader at least once");
    assert.ok(
      forgedRefused.filter((n) => n > 0).length >= HONEST.length / 2,
      "forged proposals refused (invalid_value) by half of the honest nodes at least",
    );
    assert.deepEqual(foreignFees, [], "a canonical block of the cluster pays another fee recipient");
    const devnetFinality = `devnet finalized epoch ${c.devnet.chain.finalizedCheckpoint.epoch} at epoch ${c.currentEpoch()}`;
    assert.ok(
      report.attestationRate >= 0.95,
      `inclusion ${report.attestationRate} (${devnetFinality}): ${JSON.stringify(report.missed)}`,
    );
    assert.equal(report.proposals.canonical, report.proposals.expected, proposalDiagnosis);
    // Counted where both versions reach a node's instance of the duty; under load the second can arrive after the
    // instance closed, so not every honest node sees the pair.
    assert.ok(
      equivocation.filter((n) => n > 0).length >= HONEST.length / 3,
      "equivocation counted by a third of the honest nodes at least",
    );
    assert.ok(
      badPartials.some((n) => n > 0),
      "bad partials attributed to their sender",
    );
    assert.ok(
      stale.some((n) => n > 0),
      "replays dropped and counted",
    );
    assert.equal(misattributed, 0, "no honest operator blamed");
    assert.ok(loggedBadPartials > 0, "bad partials' sender named in a log");
    assert.ok(loggedEquivocation > 0, "equivocator named in a log");

    console.log(`total ${(Date.now() - started) / 1000} s`);
  });
});
