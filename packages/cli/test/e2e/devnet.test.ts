/**
 * `npm start`, headless, end to end: Hardhat node, contracts, beacon devnet, 18 operators each running one
 * `stinger run` (registry follower + duties), stakers, oracle. Two distributed validators go request → DKG → deposit
 * → active and attest; rewards rebase divETH; a withdrawal is finalized and claimed; the example finality-relay
 * Network runs in half of the nodes (certify → reward → equivocate with `--demo-slash` → slash); every process is
 * gone after shutdown. Operator LIAR's node is started as a lying reporter (`--demo-lying-reporter`): it posts a wrong report
 * in every frame; the other nodes dispute each within the window and divETH never rebases on its numbers. The
 * operators' nodes, not the orchestrator, request the validators and finalize the withdrawal. Each DV's members agree
 * on and sign a per-share performance statement per oracle frame (read from the nodes' GET /performance).
 * Env: DEVNET_E2E_SLOT_SECONDS (default 2), DEVNET_E2E_OPERATORS (default 18).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { getFinalityRelayState } from "@nektar/finality-network/client";
import {
  accountingOracleAbi,
  claimRestakingRewards,
  getBalances,
  getOperator,
  getRestakingRewards,
  getWithdrawalStatus,
  listDistributors,
  listValidators,
  loadManifest,
  nektarChain,
  restakingVaultAbi,
} from "@nektar/sdk";
import { fetchPerformance } from "@nektar/stinger";
import { createPublicClient, getAddress, http } from "viem";
import { devnetClient, FIRST_STAKER_ACCOUNT } from "../../src/devnet/accounts.ts";
import { beaconHead, beaconValidators } from "../../src/devnet/beacon.ts";
import { createInclusionTracker } from "../../src/devnet/inclusion.ts";
import { isAlive, readState } from "../../src/devnet/state.ts";
import { devnetUp, type RunningDevnet } from "../../src/devnet/up.ts";

const SLOT_SECONDS = Number(process.env.DEVNET_E2E_SLOT_SECONDS ?? 2);
const OPERATORS = Number(process.env.DEVNET_E2E_OPERATORS ?? 18);
const VALIDATORS = 2;
/** The operator (1-based) whose Stinger posts wrong oracle reports. */
const LIAR = 3;
const dir = mkdtempSync(join(tmpdir(), "nektar-devnet-"));
let devnet: RunningDevnet | undefined;
let passed = false;
after(async () => {
  await devnet?.stop();
  // A failed run keeps its logs (every process's, under logs/) for the post-mortem.
  if (passed) rmSync(dir, { recursive: true, force: true });
  else console.log(`devnet directory kept for inspection: ${dir}`);
});

const events: string[] = [];

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}; devnet events:\n${events.slice(-25).join("\n")}`);
}

type Health = { healthy: boolean; validators: number; known: number; clusters: unknown[] };

describe(`npm start, headless (${SLOT_SECONDS} s slots, ${OPERATORS} operators with Stinger, ${VALIDATORS} DVs)`, {
  timeout: 900_000,
}, () => {
  it("creates distributed validators by DKG that attest, rebases divETH, serves a withdrawal, and stops every process", async () => {
    devnet = await devnetUp({
      dir,
      operators: OPERATORS,
      stakers: 2,
      slotSeconds: SLOT_SECONDS,
      validators: VALIDATORS,
      resume: false,
      rpcPort: 0,
      beaconPort: 0,
      marketplacePort: 0,
      interopValidators: 64,
      demoSlash: true,
      demoLyingReporter: LIAR,
      onEvent: (e) => events.push(`${new Date().toISOString().slice(11, 19)} ${e}`),
    });
    const d = devnet;
    const manifest = loadManifest(d.manifestPath);
    assert.equal(manifest.beaconUrl, d.beaconUrl);
    const client = createPublicClient({ transport: http(d.rpcUrl) });
    const { contracts } = manifest;
    // The marketplace web app is served with the devnet (`npm test` builds it before the tests).
    assert.ok(d.marketplaceUrl, "marketplace served");
    const served = (await (await fetch(`${d.marketplaceUrl}/config.json`)).json()) as { manifest: { chainId: number } };
    assert.equal(served.manifest.chainId, manifest.chainId);

    // Operators: Stinger identities registered as node identities, bonded, each running one Stinger node.
    assert.equal(d.operators.length, OPERATORS);
    assert.equal(d.stingers.length, OPERATORS);
    for (const op of d.operators) {
      const record = await getOperator(client, { contracts, operatorId: op.operatorId });
      assert.equal(record.nodeIdentity, op.identityPubkey);
      assert.ok(record.bondUnits > 0n);
    }

    // Two validators are requested, their DKG runs among the 16 drawn Stinger nodes, the deposits are processed and
    // they activate on the beacon chain (the oracle marks them active in the registry).
    const dvs = await until("both distributed validators active", 480_000, async () => {
      const { validators } = await listValidators(client, { contracts });
      const active = validators.filter((v) => v.status === "active");
      return active.length >= VALIDATORS ? active : undefined;
    });
    for (const v of dvs) assert.equal(new Set(v.operatorIds).size, 16, `validator ${v.validatorId}: 16 operators`);
    const onBeacon = await beaconValidators(
      d.beaconUrl,
      dvs.map((v) => v.pubkey as string),
    );
    assert.equal(onBeacon.length, VALIDATORS);
    for (const v of onBeacon) assert.match(v.status, /^active/);
    const activation = Math.max(...onBeacon.map((v) => v.activationEpoch ?? Number.POSITIVE_INFINITY));

    // Each DV's share holders serve it, whichever operator set it belongs to: 16 shares per DV across the nodes.
    const health = await Promise.all(
      d.stingers.map(async (s) => (await (await fetch(`${s.statusUrl}/health`)).json()) as Health),
    );
    assert.equal(
      health.reduce((n, h) => n + h.known, 0),
      16 * VALIDATORS,
      JSON.stringify(health),
    );

    // Attestation inclusion of the DVs over at least 2 full epochs after activation.
    const staker = devnetClient(nektarChain(manifest.chainId, d.rpcUrl), d.rpcUrl, FIRST_STAKER_ACCOUNT + 1);
    const before = await getBalances(client, { contracts, account: staker.account.address });
    const tracker = createInclusionTracker(d.beaconUrl);
    const indices = onBeacon.map((v) => v.index);
    const measured = await until("2 epochs of DV attestations after activation", 180_000, async () => {
      const head = await beaconHead(d.beaconUrl);
      await tracker.update(head.slot, indices);
      const epochs = tracker.results.filter((r) => r.epoch >= activation && r.expected > 0);
      return epochs.length >= 2 ? epochs : undefined;
    });
    const expected = measured.reduce((n, r) => n + r.expected, 0);
    const included = measured.reduce((n, r) => n + r.included, 0);
    console.log(`DV attestation inclusion: ${included}/${expected} over epochs ${measured.map((r) => r.epoch)}`);
    assert.ok(
      included / expected >= 0.95,
      `DV inclusion ${included}/${expected}: ${JSON.stringify(measured)}\n${events.slice(-15).join("\n")}`,
    );

    // The DVs' rewards reach divETH through the oracle: a staker's balance grows (same shares, higher rate).
    // Operators report every ORACLE_FRAME_EPOCHS (4) epochs and a report applies a two-epoch window after its post:
    // at 2 s slots up to ~90 s from the activation to the first rebase.
    const grown = await until("the staker's divETH to grow after a report", 180_000, async () => {
      const now = await getBalances(client, { contracts, account: staker.account.address });
      return now.divETH > before.divETH ? now : undefined;
    });
    assert.equal(grown.shares, before.shares);
    // Posted by the operators' Stinger nodes (the orchestrator no longer reports) and applied after the window.
    assert.ok(events.some((e) => /oracle frame \d+: report posted by operator \d+ \([1-9]\d* validators/.test(e)));
    assert.ok(events.some((e) => /oracle report frame \d+ applied: [1-9]\d* validators/.test(e)));

    // The first staker's withdrawal was finalized after a report (the orchestrator finalizes each epoch, the staker
    // claims at its next round).
    const withdrawal = await until("the first withdrawal finalized and claimed", 120_000, async () => {
      const [w] = await getWithdrawalStatus(client, { contracts, requestIds: [1n] });
      return w?.isFinalized && w.isClaimed ? w : undefined;
    });
    assert.ok(withdrawal.isFinalized, "the withdrawal is finalized");
    assert.ok(withdrawal.isClaimed, "the withdrawal is claimed");

    // The finality relay: the opted-in half of the nodes certify finalized checkpoints, the relay's rewards are paid
    // through the vault and claimable by a delegator, and the --demo-slash operator's equivocation is slashed.
    const { finality } = d;
    assert.equal(finality.members.length, Math.floor(OPERATORS / 2));
    const equivocatorIndex = finality.equivocator;
    assert.ok(equivocatorIndex !== undefined, "--demo-slash picked an operator");
    const equivocator = d.operators[equivocatorIndex]?.client.account.address as `0x${string}`;
    const relay = await until("certificates, rewards paid and the demo operator slashed", 240_000, async () => {
      const s = await getFinalityRelayState(client, { relay: finality.relay, fromBlock: finality.deploymentBlock });
      return s.certificates >= 2 && s.rewardsPaid > 0n && s.offences.length > 0 ? s : undefined;
    });
    console.log(
      `finality relay: ${relay.certificates} certificates (last epoch ${relay.latest?.epoch}, ${relay.latest?.signers.length} signers), ${relay.rewardsPaid} wei paid, offences ${JSON.stringify(relay.offences, (_, v) => (typeof v === "bigint" ? v.toString() : v))}`,
    );
    assert.equal(relay.operators.length, finality.members.length, "every opted-in operator registered its key");
    assert.deepEqual(
      relay.offences.map((o) => [o.operator, o.offence]),
      [[getAddress(equivocator), "DoubleSign"]],
    );
    // All of its stake at the slash's capture is gone; what the devnet's Distributor delegated to it after the capture
    // (pending until the next restaking epoch) is not slashable and stays.
    const [distributor] = (await listDistributors(client, { contracts })).distributors;
    assert.ok(distributor !== undefined, "the devnet's Distributor exists");
    const [distributorActive, distributorPending] = await client.readContract({
      address: contracts.restakingVault,
      abi: restakingVaultAbi,
      functionName: "positionOf",
      args: [distributor, equivocator],
    });
    assert.equal(
      await client.readContract({
        address: contracts.restakingVault,
        abi: restakingVaultAbi,
        functionName: "operatorStake",
        args: [equivocator],
      }),
      distributorActive + distributorPending,
      "the equivocating operator's stake is slashed, except the Distributor's delegation made after the capture",
    );
    assert.ok(events.some((e) => /finality relay: operator 0x[0-9a-fA-F]{40} slashed \(DoubleSign/.test(e)));
    // The devnet's Distributor: a holder's 2 wdivETH spread over the relay's operators by the reference strategy.
    assert.ok(
      events.some((e) => /Distributor 0x[0-9a-fA-F]{40} over \d+ operators: .* the rebalance delegated [1-9]/.test(e)),
      "the devnet's Distributor was created and delegated",
    );
    // The modules follow the relay's events through Stinger's log feed: a member's node counts the certificates that
    // carry its signature, under the module's own metric names on its /metrics.
    const memberUrls = d.stingers.filter((s) => finality.members.includes(s.index)).map((s) => s.statusUrl);
    await until("a member's module counted a certificate it signed, from the relay's logs", 60_000, async () => {
      for (const url of memberUrls) {
        const text = await (await fetch(`${url}/metrics`)).text();
        if (/stinger_network_finality_relay_certificates_seen_total\{signed="true"\} [1-9]/.test(text)) return true;
      }
      return undefined;
    });
    const member = d.operators[0]?.client.account.address as `0x${string}`;
    const reward = await until("the delegator's relay reward claimable", 180_000, async () => {
      const [r] = await getRestakingRewards(client, {
        contracts,
        account: staker.account.address,
        operators: [member],
      });
      return r !== undefined && r.amount > 0n ? r : undefined;
    });
    const claimed = await claimRestakingRewards(staker, { contracts, operator: member });
    assert.equal(claimed.amount, reward.amount);

    // Per-share performance: at each oracle frame end the 16 members of each DV agree on a statement (per share:
    // duties expected / contributed) and sign it with the validator key (11 of 16 shares); each node lists it on
    // GET /performance. A frame is ORACLE_FRAME_EPOCHS (4) × 8 slots ≈ 64 s at 2-s slots and the statement follows
    // about a slot after the frame's end; the DVs have been active for several frames by now, and the wait covers four
    // more, so a slow machine only delays it.
    const statements = await until("a performance statement signed by a validator key", 300_000, async () => {
      const listings = await Promise.all(
        d.stingers.map((s) => fetchPerformance(s.statusUrl, 8).catch(() => undefined)),
      );
      const signed = listings
        .flatMap((l) => l?.validators ?? [])
        .flatMap((v) => v.frames.filter((f) => f.closed && f.signed).map((f) => ({ pubkey: v.pubkey, ...f })));
      return signed.length > 0 ? signed : undefined;
    });
    const statement = statements[0] as (typeof statements)[number];
    assert.equal(statement.expected.length, 16, "one entry per key share");
    assert.ok(
      statement.expected.some((e) => e > 0),
      `duties expected: ${JSON.stringify(statement)}`,
    );
    // One statement per validator and frame: every node holding it holds the same signature.
    for (const s of statements) {
      if (s.pubkey === statement.pubkey && s.frame === statement.frame) assert.equal(s.signature, statement.signature);
    }
    console.log(
      `performance: validator ${statement.pubkey.slice(0, 18)}… frame ${statement.frame} contributed ${statement.contributed.join(",")} of ${statement.expected.join(",")} (${statements.length} signed entries across nodes)`,
    );

    // Validators were requested and the withdrawal finalized by operators' nodes (the orchestrator does neither).
    assert.ok(
      events.some((e) => /validator \d+ requested by operator \d+'s node/.test(e)),
      "requested by a node",
    );
    assert.ok(
      events.some((e) => /withdrawals up to \d+ finalized by operator \d+'s node/.test(e)),
      "finalized by a node",
    );

    // The lying reporter: every lie it posted was disputed by another operator's node and voided, and no applied
    // report is a lie, so divETH never rebased on its numbers. A lie is known by its transaction, which the lying node
    // logs: after its lie of a frame is voided the same node may post that frame's true report on its turn, and that
    // one may apply.
    const liarId = d.operators.find((o) => o.index === LIAR - 1)?.operatorId;
    assert.ok(liarId !== undefined);
    const lieTxs = new Set(
      readFileSync(join(dir, "logs", `stinger-${LIAR}.log`), "utf8")
        .split("\n")
        .filter((line) => line.includes("TEST ONLY: posted a LYING oracle report"))
        .map((line) => (JSON.parse(line) as { tx: string }).tx.toLowerCase()),
    );
    const logs = async (eventName: "ReportPosted" | "ReportDisputed" | "ReportApplied") =>
      client.getContractEvents({
        address: contracts.accountingOracle,
        abi: accountingOracleAbi,
        eventName,
        fromBlock: manifest.deploymentBlock,
        strict: true,
      });
    const [posted, disputed, applied] = await Promise.all([
      logs("ReportPosted"),
      logs("ReportDisputed"),
      logs("ReportApplied"),
    ]);
    const lies = posted.filter((l) => lieTxs.has(l.transactionHash.toLowerCase()));
    assert.ok(lies.length > 0, "the lying node posted");
    assert.equal(lies.length, lieTxs.size, "every lie the node logged is on chain");
    for (const lie of lies) {
      assert.equal((lie.args as { operatorId: bigint }).operatorId, liarId, "a lie is the lying operator's");
    }
    const disputedFrames = new Set(disputed.map((l) => (l.args as { frame: bigint }).frame));
    const appliedFrames = new Set(applied.map((l) => (l.args as { frame: bigint }).frame));
    for (const lie of lies) {
      const frame = (lie.args as { frame: bigint }).frame;
      // A lie posted just before the end of the run may still be pending; a settled frame must show its dispute.
      if (disputedFrames.has(frame) || appliedFrames.has(frame)) {
        assert.ok(disputedFrames.has(frame), `the lie of frame ${frame} was disputed`);
      }
    }
    assert.ok(disputed.length > 0, "at least one lie disputed");
    const operatorAddresses = new Map(d.operators.map((o) => [o.client.account.address.toLowerCase(), o.operatorId]));
    for (const l of disputed) {
      const by = operatorAddresses.get((l.args as { disputer: string }).disputer.toLowerCase());
      assert.ok(by !== undefined && by !== liarId, "disputed by another operator's node");
    }
    for (const a of applied) {
      const frame = (a.args as { frame: bigint }).frame;
      const last = posted
        .filter((p) => (p.args as { frame: bigint }).frame === frame && p.blockNumber <= a.blockNumber)
        .at(-1);
      assert.ok(last !== undefined, `frame ${frame} applied a posted report`);
      assert.ok(!lieTxs.has(last.transactionHash.toLowerCase()), `frame ${frame} applied a lie`);
    }

    const pids = (readState(dir)?.processes ?? []).map((p) => p.pid);
    assert.ok(pids.length >= 2 + OPERATORS, `tracked ${pids.length} processes`);
    await d.stop();
    assert.deepEqual(pids.filter(isAlive), [], "every devnet process is gone after shutdown");
    passed = true;
  });
});
