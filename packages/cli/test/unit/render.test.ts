import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PoolState } from "@nektar/sdk";
import { summarizePerformance } from "../../src/devnet/performance.ts";
import { renderStatus, statusLine } from "../../src/devnet/render.ts";
import type { DevnetStatus } from "../../src/devnet/status.ts";

const E = 10n ** 18n;
const pool: PoolState = {
  totalPooledEther: 100n * E,
  totalShares: 99n * E,
  shareRate: 1_010_101_010_101_010_101n,
  bufferedEther: 67n * E,
  reservedEther: 63n * E,
  pendingTopUps: 1n,
  unreservedBufferedEther: 4n * E,
  depositableEther: 4n * E,
  depositedValidators: 2n,
  beaconValidators: 2n,
  beaconBalance: 64n * E,
  unfinalizedEther: 1n * E,
  lockedEther: 0n,
  lastRequestId: 3n,
  lastFinalizedRequestId: 2n,
};
const status: DevnetStatus = {
  slot: 42,
  epoch: 5,
  justifiedEpoch: 4,
  finalizedEpoch: 3,
  validators: {
    none: 0,
    requested: 1,
    predeposited: 1,
    deposited: 0,
    active: 2,
    exiting: 0,
    exited: 0,
    withdrawn: 0,
    expired: 0,
    unusable: 0,
  },
  operatorsRegistered: 20,
  operatorsOnline: 18,
  operatorsHealthy: 17,
  dvInclusionRate: 0.987,
  dvBlocks: { proposed: 3, payingVault: 3 },
  effectiveness: { dv: 0.9731, devnet: 0.9912 },
  pool,
  restaking: {
    epoch: 7n,
    epochDuration: 3_600n,
    restakedShares: 3n * E,
    restakedEther: 3n * E,
    operators: [{ operator: "0x00000000000000000000000000000000000000a1", stakeShares: 2n * E, stakeEther: 2n * E }],
    networks: [
      {
        networkId: 1n,
        admin: "0x00000000000000000000000000000000000000b2",
        kind: "veto",
        metadataURI: "ipfs://example",
        maxStakePerOperator: 100n * E,
      },
    ],
  },
  notes: ["something to know"],
};
const urls = { rpcUrl: "http://127.0.0.1:8545", beaconUrl: "http://127.0.0.1:5052", manifest: "/m.json" };

describe("status screen", () => {
  it("shows every figure of the issue on one screen", () => {
    const text = renderStatus(status, urls).join("\n");
    for (const expected of [
      "Slot 42   epoch 5   justified 4   finalized 3",
      "requested 1   1 ETH predeposited 1 (top-up pending)   deposited 0   active 2",
      "18 Stinger nodes online (17 healthy) / 20 registered",
      "DV inclusion 98.7%",
      "DV blocks    3 proposed, 3 paying the withdrawal vault (fee recipient)",
      "distributed validators earned 97.3% of a perfect validator's attestation rewards (devnet's own validators 99.1%)",
      "1 share = 1.010101010 ETH",
      "Buffer       67.0000 ETH (reserved 63.0000 ETH, of which 31.0000 ETH for 1 pending top-ups)",
      "requests 3   finalized 2   pending 1.0000 ETH",
      "! something to know",
      "http://127.0.0.1:5052",
      "Restaking    3.0000 ETH divETH restaked   epoch 7 (3600s)   1 operators   1 networks",
      "Delegations  0x00000000… 2.0000 ETH",
      "Networks     #1 veto ipfs://example",
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}" in\n${text}`);
    }
    assert.ok(renderStatus(status, urls).length <= 24, "fits a terminal");
  });

  it("shows the DVs' builder vs local blocks when the builder flow is on, and how to turn it on when off", () => {
    const off = renderStatus(status, urls).join("\n");
    assert.ok(off.includes("builder flow off (npm start -- --builder)"), off);
    const on = { ...status, builderFlow: true, dvBlocks: { proposed: 5, payingVault: 5, builder: 3 } };
    const text = renderStatus(on, urls).join("\n");
    assert.ok(
      text.includes("DV blocks    5 proposed, 5 paying the withdrawal vault (fee recipient)   3 builder, 2 local"),
      text,
    );
    assert.match(statusLine(on), /DV blocks 5\/5 to vault builder 3 \|/);
    assert.doesNotMatch(statusLine(status), /builder/);
  });

  it("says when no distributed validator is active", () => {
    const text = renderStatus({ ...status, dvInclusionRate: undefined, notes: [] }, urls).join("\n");
    assert.match(text, /DV inclusion n\/a/);
    assert.doesNotMatch(text, /!/);
  });

  it("says when nothing is restaked or registered yet", () => {
    const restaking = { ...status.restaking, operators: [], networks: [] };
    const text = renderStatus({ ...status, restaking }, urls).join("\n");
    assert.match(text, /Delegations {2}none active yet/);
    assert.match(text, /Networks {5}none registered/);
    const none = renderStatus({ ...status, effectiveness: { dv: undefined, devnet: 1 } }, urls).join("\n");
    assert.match(none, /Rewards {6}n\/a \(no epoch with an active distributed validator completed yet\)/);
  });

  it("shows the devnet's Distributor: assets, delegation across its operators, idle, in flight, share price", () => {
    const address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    const distributor = {
      address,
      symbol: "dnDIST",
      totalAssets: 2n * E,
      delegated: E,
      operatorsDelegated: 2,
      operators: 3,
      rebalancingInFlight: E / 4n,
      assetsPerShare: 1_000_250_000_000_000_000n,
      decimals: 24,
    } as const;
    const lines = renderStatus({ ...status, distributor }, urls);
    assert.ok(
      lines.includes(
        `  Distributor  dnDIST ${address}   2.0000 wdivETH: 1.0000 wdivETH delegated to 2 of 3 operators, 0.7500 wdivETH idle, 0.2500 wdivETH in flight   1 share = 1.000250 wdivETH`,
      ),
      lines.join("\n"),
    );
    assert.equal(
      renderStatus(status, urls).some((l) => l.includes("Distributor")),
      false,
    );
  });

  it("shows the finality relay: opt-ins, keys, the last certificate, rewards and a slashed operator", () => {
    const finality = {
      networkId: 2n,
      relay: "0x00000000000000000000000000000000000000c3" as const,
      optedIn: 10,
      keyed: 9,
      lastEpoch: 12n,
      lastSigners: 8,
      certificates: 7,
      rewardsEarned: 7n * 10n ** 16n,
      rewardsPaid: 4n * 10n ** 16n,
      claimable: 3n * 10n ** 16n,
      offences: [
        { operator: "0x00000000000000000000000000000000000000d4" as const, epoch: 11n, offence: "DoubleSign" },
      ],
    };
    const lines = renderStatus({ ...status, finality }, urls);
    const text = lines.join("\n");
    for (const expected of [
      "Finality     Network #2 0x00000000000000000000000000000000000000c3   10 operators opted in, 9 Network keys   last certified epoch 12 (8 signers)",
      "7 certificates   rewards earned 0.0700 ETH, paid 0.0400 ETH, claimable 0.0300 ETH (nektar restake claim)   SLASHED 0x00000000… DoubleSign epoch 11",
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}" in\n${text}`);
    }
    assert.ok(lines.length <= 24, "fits a terminal");
    assert.match(statusLine({ ...status, finality }), /finality certified 12 \(7\) slashed 1$/);
    const fresh = { ...finality, lastEpoch: undefined, certificates: 0, offences: [], claimable: 0n };
    const none = renderStatus({ ...status, finality: fresh }, urls).join("\n");
    assert.match(none, /no certificate yet/);
    assert.doesNotMatch(none, /restake claim/, "the claim command shows once something is claimable");
    assert.match(none, /none slashed/);
    assert.doesNotMatch(renderStatus(status, urls).join("\n"), /Finality/);
  });

  it("has a one-line form for headless runs", () => {
    const line = statusLine(status);
    assert.equal(line.includes("\n"), false);
    assert.match(
      line,
      /slot 42 epoch 5 justified 4 finalized 3 \| validators req 1 pre 1 dep 0 active 2 \| operators 18\/20 online \| DV inclusion 98\.7% \| DV blocks 3\/3 to vault \| rewards DV 97\.3% devnet 99\.1% \| rate 1\.010101010/,
    );
  });
});

describe("status screen: validator exits", () => {
  const exits = {
    exitManager: "0x0000000000000000000000000000000000000e11" as const,
    voluntaryExitWindow: 60n,
    pendingExits: 1n,
    demand: 40n * E,
    available: 35n * E,
    shortfall: 5n * E,
    nextDemandExit: 4n,
    withdrawalRequestFee: 1n,
  };
  it("shows exits in flight, the shortfall and the validator in line to exit", () => {
    const text = renderStatus({ ...status, exits }, urls).join("\n");
    assert.ok(text.includes("exits in flight 1   shortfall 5.0000 ETH → exit validator 4"), text);
  });
  it("names no validator while the buffer and exits in flight cover the demand", () => {
    const text = renderStatus({ ...status, exits: { ...exits, shortfall: 0n } }, urls).join("\n");
    assert.ok(text.includes("exits in flight 1   shortfall 0.0000 ETH"), text);
    assert.doesNotMatch(text, /exit validator/);
  });

  it("shows each operator's share performance of the last frame with signed statements; a stopped node as offline", () => {
    const frames = (contributed: number, signed: boolean, frame = 7) => ({
      frame,
      closed: true,
      signed,
      expected: [10, 10, 10],
      contributed: [contributed, contributed, contributed],
    });
    const listing = (shareIndex: number, ...f: ReturnType<typeof frames>[]) => ({
      frameSlots: 32,
      validators: [{ index: 40, pubkey: "0x01" as const, shareIndex, clusterId: "0x02", frames: f }],
    });
    // Operator 2 missed frame 7's agreement (it was stopped): it is measured from operator 1's copy of the statement.
    const performance = summarizePerformance([
      { operator: 1, listing: listing(1, { ...frames(9, true), contributed: [9, 0, 9] }, frames(2, true, 6)) },
      { operator: 2, listing: listing(2, frames(10, false, 8), frames(0, true, 6)) },
      { operator: 3, listing: undefined },
    ]);
    assert.deepEqual(
      performance.map((o) => [o.frame, o.contributed, o.expected, o.signed, o.online]),
      [
        [7, 9, 10, 1, true],
        [7, 0, 10, 1, true],
        [7, 0, 0, 0, false],
      ],
    );
    const lines = renderStatus({ ...status, performance }, urls);
    const text = lines.join("\n");
    assert.match(
      text,
      /Performance {2}frame 7, each operator's key shares: duties contributed \/ expected \(2\/2 shares/,
    );
    assert.match(text, / 1:90% 2:0% 3:offline$/m);
    assert.ok(lines.length <= 24, "fits a terminal");
    assert.match(statusLine({ ...status, performance }), /performance signed 2$/);
    const none = renderStatus(
      { ...status, performance: summarizePerformance([{ operator: 1, listing: listing(1) }]) },
      urls,
    ).join("\n");
    assert.match(none, /no signed per-share statement yet/);
    assert.doesNotMatch(renderStatus(status, urls).join("\n"), /Performance/);
  });

  it("shows operators with strikes in the window and ejected ones", () => {
    const strikes = [
      { operatorId: 3n, inWindow: 1n, strikesToEject: 3n, ejected: false },
      { operatorId: 7n, inWindow: 3n, strikesToEject: 3n, ejected: false },
      { operatorId: 9n, inWindow: 0n, strikesToEject: 3n, ejected: true },
    ];
    const lines = renderStatus({ ...status, strikes }, urls);
    assert.ok(lines.includes("  Strikes      3:1/3 7:3/3 ejectable 9:ejected"), lines.join("\n"));
    assert.ok(
      renderStatus({ ...status, strikes: [] }, urls).includes("  Strikes      none (a missed DKG is a strike)"),
    );
    assert.doesNotMatch(renderStatus(status, urls).join("\n"), /Strikes/);
  });
});
