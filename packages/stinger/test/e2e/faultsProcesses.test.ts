/**
 * Fault scenarios with real OS processes: 16 `stinger run` processes (keys from 16-process `stinger dkg` ceremonies,
 * one per distributed validator) perform the DVs' duties on beacon-devnet (minimal preset, 8-slot epochs, 4 s slots).
 * The beacon node runs in this test process: when other jobs load the machine heavily it is starved, its API times
 * out for the 16 clients and even its own interop validators stop finalizing; the liveness failure messages carry the
 * devnet's finalized epoch so that case is told apart from the cluster's.
 * One cluster, one timeline, epochs counted from the first full epoch with every operator running (E):
 *
 *   E … E+3      all 16 up: ≥ 99 % of the DVs' attestations included, their proposals canonical, finality.
 *   E+4          5 operators stopped at its start (transition, reported only).
 *   E+5          5 down: ≥ 95 % included.
 *   E+6          the 6th stopped at its start (transition).
 *   E+7          6 down (10 < 11): no DV attestation for this target reaches the beacon node or the chain.
 *   E+8 (R)      the 6 restarted at its start; operator 6 through a child that SIGKILLs itself right after its
 *                slashing DB recorded an attestation of target ≥ R+1 (between signing and broadcasting); the test
 *                restarts it at once with the real binary.
 *   Rr           the first full epoch after the restarted processes run (process start-up is CPU-bound and can
 *                take longer than an epoch on a loaded machine): recovery, ≥ 95 % included.
 *   Rc           the first full epoch after the crashed operator's restart: ≥ 95 % included.
 *
 * Measured through the standard rewards endpoints (as the availability bench measures, `bench/availability/`): in
 * E+5 (5 down) ≥ 75 % of the DVs' attestations are timely in source, target and head (head at inclusion delay 1)
 * and the DVs earn ≥ 50 % of a perfect validator's attestation rewards. A restarted operator rejoins: from the slot it
 * printed "Stinger running", its partial signature is in a group signature (the contributors an always-up operator's
 * `/duties` lists) within one epoch and two slots.
 *
 * Stopping is SIGTERM (the graceful shutdown an operator performs) and restarting a fresh process, so a restart goes
 * through everything a real one does: keystores decrypted, the slashing DB reopened from disk, libp2p reconnected.
 * SIGSTOP would freeze a process with its connections and timers intact, which tests neither restart nor reopening.
 * Safety at the end, with every process stopped: each operator's slashing DB exported as EIP-3076 interchange (the
 * DB's export plus the complete journal history); no operator signed a slashable pair, no slashable pair among data
 * signed by ≥ 11 operators; every group signature the beacon node accepted recorded (no double/surround vote, no
 * double proposal); nothing slashed on chain. The crashed operator's record survived the SIGKILL and its DB refuses
 * conflicting data for that target.
 * Env: DUTIES_VALIDATORS (default 4), DUTIES_SECONDS_PER_SLOT (default 4).
 */
import "@nektar/beacon-devnet";
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { getClient } from "@lodestar/api";
import { earnedFraction, measureEffectiveness } from "../../bench/availability/effectiveness.ts";
import type { DutyRecord } from "../../src/core/tracker/tracker.ts";
import { SlashingProtectionDB } from "../../src/slashing/db.ts";
import {
  type DvProcessCluster,
  diagnose,
  dkgCluster,
  INTEROP_VALIDATORS,
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
const CRASHER = 5;
/** Restarted operators must be combined again within this many slots of printing "Stinger running". */
const REJOIN_BOUND_SLOTS = 8 + 2;
/** The 5-down epoch: least fraction of DV attestations timely in source, target and head, and of rewards earned. */
const FIVE_DOWN_TIMELY = 0.75;
const FIVE_DOWN_EARNED = 0.5;

describe(`${N} stinger run processes: stop 5, stop 6, restart, kill -9`, { timeout: 1_800_000 }, () => {
  let cluster: ProcessCluster | undefined;
  let dv: DvProcessCluster | undefined;
  after(async () => {
    await dv?.shutdown();
    cluster?.cleanup();
  });

  it("duties continue with 5 down, stop with 6 down, recover after restart; nothing slashable", async () => {
    const started = Date.now();
    const dkg = await dkgCluster(N, T, VALIDATORS);
    cluster = dkg.cluster;
    const dkgSeconds = (Date.now() - started) / 1000;
    const c = await startDvProcessCluster(cluster, dkg.pubkeys, { secondsPerSlot: SECONDS_PER_SLOT });
    dv = c;
    await c.waitRunning(ALL, 240_000);
    const spe = c.slotsPerEpoch;
    const E = c.currentEpoch() + 1;
    const up = new Set(ALL);
    /** Waits for the first slot of `epoch`, failing fast if an operator that should be up has exited. */
    const untilEpoch = async (epoch: number) => {
      while (c.devnet.clock.currentSlot() < epoch * spe) {
        c.assertAlive([...up]);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const stop = async (ops: number[]) => {
      const codes = await Promise.all(ops.map((i) => c.stop(i)));
      for (const i of ops) up.delete(i);
      assert.deepEqual(
        codes,
        codes.map(() => 0),
        "graceful exit on SIGTERM",
      );
    };

    await untilEpoch(E + 4);
    const baseline = c.watcher.report(E, E + 3);
    console.log("baseline", JSON.stringify(baseline));
    if (baseline.attestationRate < 0.99) console.log(await diagnose(c.runs[15]));
    await stop([0, 1, 2, 3, 4]);
    await untilEpoch(E + 6);
    await stop([5]);
    await untilEpoch(E + 8);
    const R = E + 8;
    const restartedAt = Date.now();
    for (const i of [0, 1, 2, 3, 4]) c.start(i);
    c.start(CRASHER, {
      script: BYZANTINE_ENTRY,
      env: { STINGER_BYZANTINE: "crash-after-sign", STINGER_CRASH_TARGET_EPOCH: String(R + 1) },
    });
    const crashing = c.runs[CRASHER];
    assert.ok(crashing !== undefined);
    for (const i of [0, 1, 2, 3, 4]) up.add(i);
    // Process start-up is CPU-bound: on a loaded machine it can take longer than an epoch, which is the machine's
    // cost, not the node's; recovery is judged from the first full epoch after the restarted processes run.
    // The slot each restarted operator printed its running line (rejoin is counted from there).
    const runningAt = new Map<number, number>();
    while (runningAt.size < 5) {
      for (const i of [0, 1, 2, 3, 4])
        if (!runningAt.has(i) && c.runs[i]?.output.some((l) => l.includes("Stinger running")))
          runningAt.set(i, c.devnet.clock.currentSlot());
      c.assertAlive([0, 1, 2, 3, 4]);
      assert.ok(Date.now() - restartedAt < 300_000, "the restarted operators never ran");
      await new Promise((r) => setTimeout(r, 100));
    }
    await c.waitRunning([0, 1, 2, 3, 4, CRASHER], 300_000);
    const restartSeconds = (Date.now() - restartedAt) / 1000;
    const Rr = c.currentEpoch() + 1;
    // The crash comes at the crasher's first attestation of target ≥ R+1; restart it the moment it is gone.
    while (crashing.child.exitCode === null && crashing.child.signalCode === null) {
      c.assertAlive([...up]);
      assert.ok(c.devnet.clock.currentSlot() < (Rr + 3) * spe, "the crasher never recorded an attestation");
      await new Promise((r) => setTimeout(r, 100));
    }
    const crashedAt = c.devnet.clock.currentSlot();
    assert.equal(crashing.child.signalCode, "SIGKILL", crashing.output.slice(-20).join("\n"));
    const record = crashing.output.find((l) => l.startsWith("BYZANTINE crash-after-sign: recorded"));
    assert.ok(record !== undefined, "the crash happened right after the slashing DB write");
    c.start(CRASHER);
    await c.waitRunning([CRASHER], 300_000);
    up.add(CRASHER);
    const Rc = c.currentEpoch() + 1;
    const lastEpoch = Math.max(Rr, Rc);
    await untilEpoch(lastEpoch + 1);
    await c.waitForSlot((lastEpoch + 1) * spe + 2);

    const five = c.watcher.report(E + 5, E + 5);
    const six = c.watcher.report(E + 7, E + 7);
    const restartEpoch = c.watcher.report(R, R);
    const recovered = c.watcher.report(Rr, Rr);
    const afterCrash = c.watcher.report(Rc, Rc);
    const whole = c.watcher.report(E, lastEpoch);
    const sixSubmitted = c.submissions.attestationsForTargets(E + 7, E + 7);
    // Rejoin, from an operator up the whole time: the first slot at or after each restarted operator ran in which
    // its share is among a group signature's contributors.
    const listed = (await (
      await fetch(`${statusUrl(c.runs[15] as NonNullable<(typeof c.runs)[0]>)}/duties?limit=2048`)
    ).json()) as {
      duties: DutyRecord[];
    };
    const rejoinSlots: Record<string, number | null> = {};
    for (const [i, ran] of runningAt) {
      const combined = listed.duties.filter((d) => d.slot >= ran && d.contributors?.includes(i + 1)).map((d) => d.slot);
      rejoinSlots[`operator ${i + 1}`] = combined.length === 0 ? null : Math.min(...combined) - ran;
    }
    // The 5-down epoch through the standard rewards endpoints (JSON: penalties are negative).
    const api = getClient(
      { baseUrl: c.devnet.url, globalInit: { timeoutMs: 600_000 } },
      { config: c.devnet.chain.config },
    );
    const rewards = await measureEffectiveness(api, {
      validators: c.indices,
      reference: Array.from({ length: INTEROP_VALIDATORS }, (_, k) => k),
      fromEpoch: E + 5,
      toEpoch: E + 5,
      slotsPerEpoch: spe,
      proposerDuties: [],
    });
    const fiveTimely = rewards.measured.attestations.succeeded / rewards.measured.attestations.duties;
    const fiveEarned = rewards.measured.attestations.earned / rewards.measured.attestations.ideal;
    console.log(
      JSON.stringify({
        validators: VALIDATORS,
        dkgSeconds,
        epochs: { E, R, Rr, Rc },
        inclusion: {
          baseline: baseline.attestationRate,
          fiveDown: five.attestationRate,
          sixDown: six.attestationRate,
          restartEpoch: restartEpoch.attestationRate,
          recovered: recovered.attestationRate,
          afterCrash: afterCrash.attestationRate,
        },
        missed: whole.missed,
        baselineProposals: baseline.proposals,
        allProposals: whole.proposals,
        finalizedAfterBaseline: baseline.finalizedEpoch,
        finalized: c.devnet.chain.finalizedCheckpoint.epoch,
        restartSeconds,
        rejoinSlots,
        fiveDownRewards: {
          timely: fiveTimely,
          earnedAttestations: fiveEarned,
          earnedAll: earnedFraction(rewards.measured),
          devnetOwnEarned: earnedFraction(rewards.reference),
        },
        crashedAtSlot: crashedAt,
        submissions: { attestations: c.submissions.attestations.length, blocks: c.submissions.blocks.length },
      }),
    );
    // Safety, from every operator's slashing DB once all processes are stopped.
    await stop([...up]);
    const gvr = c.genesisValidatorsRoot();
    const signed = [];
    for (const i of ALL) {
      signed.push(
        await readSignedData(i + 1, join(cluster.operators[i]?.dataDir as string, "slashing-protection"), gvr),
      );
    }
    const s = slashability(signed, T);
    console.log("slashing DBs", JSON.stringify({ ...s, submittedPairs: c.submissions.slashablePairs().length }));
    assert.ok(s.records > 0, "the DBs recorded signings");
    assert.deepEqual(s.perOperator, []);
    assert.deepEqual(s.groupSignable, []);
    assert.deepEqual(c.submissions.slashablePairs(), []);
    assert.deepEqual(c.submissions.onChainSlashings(), {
      slashedValidators: [],
      proposerSlashings: 0,
      attesterSlashings: 0,
    });

    // The crashed operator: the record it made just before SIGKILL is on disk, and its DB refuses to sign anything
    // conflicting with it.
    const m = record?.match(/recorded (\S+) source (\d+) target (\d+) root (0x[0-9a-f]{64})/);
    assert.ok(m !== null && m !== undefined, record);
    const [, , source, target, root] = m;
    const crasherHistory = signed[CRASHER]?.history.data.flatMap((v) => v.signed_attestations) ?? [];
    assert.ok(
      crasherHistory.some((a) => a.target_epoch === target && a.signing_root === root),
      "the attestation recorded before the SIGKILL is in the journal",
    );
    const pubkey = signed[CRASHER]?.history.data.find((v) =>
      v.signed_attestations.some((a) => a.target_epoch === target && a.signing_root === root),
    )?.pubkey as string;
    const db = await SlashingProtectionDB.open({
      dir: join(cluster.operators[CRASHER]?.dataDir as string, "slashing-protection"),
      genesisValidatorsRoot: gvr,
    });
    try {
      const other = `0x${"5a".repeat(32)}`;
      const double = await db.checkAndInsertAttestation({
        pubkey,
        source: BigInt(source as string),
        target: BigInt(target as string),
        signingRoot: other,
      });
      const surrounding = await db.checkAndInsertAttestation({
        pubkey,
        source: BigInt(source as string) - 1n,
        target: BigInt(target as string) + 1n,
        signingRoot: other,
      });
      console.log("crashed operator's DB", JSON.stringify({ double, surrounding }));
      assert.equal(double.ok, false, "double vote refused");
      assert.equal(surrounding.ok, false, "surround vote refused");
    } finally {
      await db.close();
    }
    // Liveness, last: on a machine other jobs load heavily the beacon node's API times out, and that must not hide
    // the safety results above.
    const devnetFinality = `devnet finalized epoch ${c.devnet.chain.finalizedCheckpoint.epoch} at epoch ${c.currentEpoch()}`;
    assert.ok(baseline.attestationRate >= 0.99, `baseline (${devnetFinality}): ${JSON.stringify(baseline.missed)}`);
    assert.equal(baseline.proposals.canonical, baseline.proposals.expected, JSON.stringify(baseline.proposals));
    assert.ok(baseline.finalizedEpoch >= E + 1, `finalized ${baseline.finalizedEpoch} after the baseline`);
    assert.ok(c.devnet.chain.finalizedCheckpoint.epoch >= E + 3, "the baseline epochs are finalized");
    assert.ok(five.attestationRate >= 0.95, `5 down: ${JSON.stringify(five.missed)}`);
    assert.ok(fiveTimely >= FIVE_DOWN_TIMELY, `5 down: ${(100 * fiveTimely).toFixed(1)}% timely (s+t+h)`);
    assert.ok(fiveEarned >= FIVE_DOWN_EARNED, `5 down: earned ${(100 * fiveEarned).toFixed(1)}% of the ideal`);
    for (const [op, slots] of Object.entries(rejoinSlots))
      assert.ok(slots !== null && slots <= REJOIN_BOUND_SLOTS, `${op} combined again after ${slots} slots`);
    assert.equal(six.attestationRate, 0, "6 down: no group signature can exist");
    assert.deepEqual(sixSubmitted, [], "6 down: nothing reached the beacon node");
    assert.ok(recovered.attestationRate >= 0.95, `epoch after the restart: ${JSON.stringify(recovered.missed)}`);
    assert.ok(afterCrash.attestationRate >= 0.95, `epoch after the crash: ${JSON.stringify(afterCrash.missed)}`);

    console.log(`total ${(Date.now() - started) / 1000} s`);
  });
});
