import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ssz } from "@lodestar/types";
import { AnchoredBeaconState, EMPTY_LEAF_HASH, type ReportLeaf, ReportTree, reportLeafNode } from "@nektar/crypto";
import {
  accountingOracleAbi,
  attestDkgResult,
  bondOperator,
  completeDeposit,
  getDkgResultDigest,
  getOracleLeafRequests,
  getOracleReport,
  getOracleState,
  getPoolState,
  getValidatorRequest,
  getValidatorRequestedEvents,
  listValidators,
  type OracleState,
  postOracleReport,
  revealOracleLeaf,
  stake,
  stakingPoolAbi,
  submitDkgResult,
} from "@nektar/sdk";
import { publishCredentialsProof, serveAnchoredBeaconState, signedDkgResult } from "@nektar/sdk/testing";
import { type Hex, hexToBytes, numberToHex, parseEther, toHex } from "viem";
import { OracleUpkeep, type OracleUpkeepEvent } from "../../../src/chain/oracleUpkeep.ts";
import { silentLogger } from "../../support/p2pHarness.ts";
import { type FixtureOperator, type RegistryNetwork, registryWith16Operators } from "./registryFixture.ts";

/** `IAccountingOracle.DisputeKind` in declaration order. */
const DISPUTE_KINDS = [
  "NodeSum",
  "LeafSum",
  "LeafPosition",
  "LeafFacts",
  "LeafBeyondRegistry",
  "LeafOrder",
  "MissingValidator",
  "Unrevealed",
] as const;

const GWEI = 10n ** 9n;
const VALIDATORS = 4;
/** The lying reporter: operator 16 (the watchers are operators 1–3, one to three slots after it in the rotation). */
const LIAR = 16;
const WATCHERS = [1, 2, 3];

type Watcher = { upkeep: OracleUpkeep; events: OracleUpkeepEvent[]; operatorId: bigint; address: Hex };

/**
 * Lies whose fact only shows once the reporter opened leaves of its tree, posted on a Hardhat chain with every real
 * contract and four fully deposited protocol validators (real DKG results with BLS deposit signatures, credentials
 * proofs, 31 ETH top-ups); three Stinger oracle upkeeps rebuild the report from a Beacon API serving a Lodestar-built
 * state, search the reporter's tree with leaf requests and send the one dispute the openings prove.
 */
describe("oracle upkeep disputes (Hardhat + deposited protocol validators + a Lodestar-built beacon state)", () => {
  let net: RegistryNetwork;
  let operators: FixtureOperator[];
  let beacon: Awaited<ReturnType<typeof serveAnchoredBeaconState>>;
  let anchored: AnchoredBeaconState;
  let o: OracleState;
  /** The state's protocol leaves, in beacon index order (what an honest report holds). */
  let truth: ReportLeaf[];
  let beaconValidatorCount = 0;
  const watchers: Watcher[] = [];

  const liarClient = () => net.localClient(`stinger-chain-test-signer-${LIAR}`);

  before(async () => {
    ({ net, operators } = await registryWith16Operators());
    const { contracts } = net;
    // Each operator bonds 2 ETH more (every cluster of 16 locks bond) and the liar enough for its reporter bonds;
    // with a staker's 64 ETH the buffer holds the four validators' 128 ETH.
    for (let i = 1; i <= 16; i++) {
      const amount = parseEther(i === LIAR ? "8" : "2");
      await bondOperator(net.client(i), { contracts, operatorId: BigInt(i), amount });
    }
    await net.increaseTime(1);
    await stake(net.client(17), { contracts, amount: parseEther("70") });
    for (let i = 0; i < VALIDATORS; i++) await net.requestAndDrawValidator(net.client(0));
    const requested = await getValidatorRequestedEvents(net.client(0), {
      contracts,
      fromBlock: 0n,
      toBlock: await net.client(0).getBlockNumber(),
    });
    assert.equal(requested.length, VALIDATORS);
    const pubkeys: Hex[] = [];
    let credentials: Hex = "0x";
    for (const [i, req] of requested.entries()) {
      credentials = req.withdrawalCredentials;
      const { result, points } = signedDkgResult(req.requestId, req.withdrawalCredentials);
      const resultDigest = await getDkgResultDigest(net.client(0), { contracts, result });
      const { operatorIds } = await getValidatorRequest(net.client(0), { contracts, requestId: req.requestId });
      for (const id of operatorIds) {
        const op = operators.find((x) => x.operatorId === BigInt(id)) as FixtureOperator;
        await attestDkgResult(net.localClient(`stinger-chain-test-signer-${op.peerSeed}`), {
          contracts,
          requestId: req.requestId,
          resultDigest,
        });
      }
      const signatures: Hex[] = Array.from({ length: 16 }, () => "0x");
      await submitDkgResult(net.client(0), { contracts, result, points, signatures });
      const timestamp = 1_700_000_000n + BigInt(i);
      const index = BigInt(2 * i + 1);
      const proof = await publishCredentialsProof(net.setBeaconRoot, {
        pubkey: result.groupPubkey,
        credentials,
        index,
        timestamp,
      });
      await completeDeposit(net.client(0), {
        contracts,
        pubkey: result.groupPubkey,
        beaconTimestamp: timestamp,
        beaconIndex: index,
        withdrawalCredentials: credentials,
        proof,
      });
      pubkeys.push(result.groupPubkey);
    }
    assert.equal((await getPoolState(net.client(0), { contracts })).depositedValidators, BigInt(VALIDATORS));

    // The beacon state: a foreign validator (other credentials) before each protocol one, the protocol validators
    // at odd indices 1, 3, 5, 7 with the pool's credentials and a little reward each.
    const state = ssz.electra.BeaconState.defaultViewDU();
    const push = (pubkey: Hex, wc: Hex, balance: bigint) => {
      state.validators.push(
        ssz.phase0.Validator.toViewDU({
          pubkey: hexToBytes(pubkey),
          withdrawalCredentials: hexToBytes(wc),
          effectiveBalance: 32_000_000_000,
          slashed: false,
          activationEligibilityEpoch: 0,
          activationEpoch: 0,
          exitEpoch: Infinity,
          withdrawableEpoch: Infinity,
        }),
      );
      state.balances.push(Number(balance));
    };
    for (const [i, pubkey] of pubkeys.entries()) {
      push(numberToHex(BigInt(i) + 0xabcdefn, { size: 48 }), numberToHex(1n, { size: 32 }), 32n * GWEI);
      push(pubkey, credentials, 32n * GWEI + BigInt(i + 1) * 1_000_000n);
    }
    beaconValidatorCount = state.validators.length;
    anchored = new AnchoredBeaconState(state, {
      slot: 0,
      proposerIndex: 0,
      parentRoot: new Uint8Array(32),
      bodyRoot: new Uint8Array(32),
    });
    beacon = await serveAnchoredBeaconState(anchored, state.serialize(), toHex(state.hashTreeRoot()));
    const known = new Set(pubkeys.map((p) => p.toLowerCase()));
    truth = anchored.protocolLeaves((pk, wc) => known.has(pk.toLowerCase()) && wc === credentials.toLowerCase());
    assert.deepEqual(
      truth.map((l) => l.beaconIndex),
      [1n, 3n, 5n, 7n],
    );

    o = await getOracleState(net.client(0), { contracts });
    for (const id of WATCHERS) {
      const op = operators[id - 1] as FixtureOperator;
      const client = net.localClient(`stinger-chain-test-signer-${op.peerSeed}`);
      const events: OracleUpkeepEvent[] = [];
      const upkeep = new OracleUpkeep({
        client,
        contracts,
        beaconUrls: [beacon.url],
        beaconGenesisTime: o.genesisTime,
        // No slot has a root but the ones this test anchors by hand: the watchers post nothing and prove no status.
        beaconNow: () => 0n,
        nodeIdentity: op.identityPubkey,
        pollIntervalMs: 1_000,
        logger: silentLogger,
        onEvent: (e) => events.push(e),
      });
      watchers.push({ upkeep, events, operatorId: op.operatorId, address: client.account.address });
    }
  });

  after(async () => {
    for (const w of watchers) w.upkeep.stop();
    await beacon?.close();
    await net?.close();
  });

  async function poolNumbers() {
    const c = net.client(0);
    const read = <F extends "getTotalPooledEther" | "getTotalShares">(functionName: F) =>
      c.readContract({ address: net.contracts.stakingPool, abi: stakingPoolAbi, functionName });
    const beaconStats = await c.readContract({
      address: net.contracts.stakingPool,
      abi: stakingPoolAbi,
      functionName: "beaconStats",
    });
    return { pooled: await read("getTotalPooledEther"), shares: await read("getTotalShares"), beaconStats };
  }

  /**
   * Posts `tree` as operator 16 for the next frame (anchored at the served state), then lets the watchers work: every
   * round moves four slots (every watcher's place after the reporter has come), ticks them, and has the liar open
   * every leaf they asked for (an unopened leaf would void the report without showing the lie's kind). Checks the
   * report is voided by exactly `kind`, the reporter's bond paid a watcher and the share rate did not move.
   */
  async function lieAndExpect(tree: ReportTree, kind: (typeof DISPUTE_KINDS)[number]) {
    const { contracts } = net;
    const c = net.client(0);
    // A frame whose turn holder is the liar (frame mod 16 + 1 = 16): after the void no watcher's turn comes within
    // the test's few minutes (the others fall back only after half a frame), so nothing honest is posted or applied.
    const current = (await getOracleState(c, { contracts })).currentFrame;
    const skip = (BigInt(LIAR) - 1n - ((current + 1n) % 16n) + 16n) % 16n;
    if (skip > 0n) await net.increaseTime(Number(skip * o.frameSeconds));
    const { frame, anchorTimestamp } = await net.anchorNextFrame();
    assert.equal(frame % 16n, BigInt(LIAR) - 1n);
    await net.setBeaconRoot(anchorTimestamp, anchored.blockRoot);
    await postOracleReport(liarClient(), { contracts, frame, anchorTimestamp, root: tree.root });
    const before = await poolNumbers();
    const version = (await getOracleReport(c, { contracts, frame })).version;
    let requests = 0;
    for (let round = 0; round < 8; round++) {
      await net.increaseTime(Number(4n * o.secondsPerSlot));
      for (const w of watchers) await w.upkeep.tick();
      if ((await getOracleReport(c, { contracts, frame })).status !== "pending") break;
      const asked = await getOracleLeafRequests(c, { contracts, frame, version, fromBlock: 0n });
      requests = asked.length;
      for (const q of asked.filter((x) => !x.answered)) {
        await revealOracleLeaf(liarClient(), { contracts, frame, position: q.position, tree });
      }
    }
    assert.equal((await getOracleReport(c, { contracts, frame })).status, "voided");
    const logs = await c.getContractEvents({
      address: contracts.accountingOracle,
      abi: accountingOracleAbi,
      eventName: "ReportDisputed",
      args: { frame },
      fromBlock: 0n,
    });
    assert.deepEqual(
      logs.map((l) => DISPUTE_KINDS[l.args.kind as number]),
      [kind],
    );
    const disputed = logs[0]?.args;
    assert.ok(disputed?.disputer !== undefined && disputed.disputerShares !== undefined);
    const payee = watchers.find((w) => w.address.toLowerCase() === disputed.disputer?.toLowerCase());
    assert.ok(payee, "a watcher sent the dispute");
    assert.ok(payee.events.some((e) => e.action === "disputed" && e.frame === frame));
    assert.ok((disputed.disputerShares ?? 0n) > 0n, "the reporter's bond paid the disputer");
    // The lie never reaches the pool: same pooled ether, same beacon figures; only the burned half of the bond
    // leaves the share supply (the rate can only rise for holders).
    const after = await poolNumbers();
    assert.equal(after.pooled, before.pooled);
    assert.deepEqual(after.beaconStats, before.beaconStats);
    assert.equal(after.shares, before.shares - (disputed.burnedShares ?? 0n));
    assert.ok(!watchers.some((w) => w.events.some((e) => e.action === "applied" && e.frame === frame)));
    for (const w of watchers) {
      assert.ok(
        w.events.some((e) => e.action === "mismatch" && e.frame === frame),
        `${w.operatorId} flags it`,
      );
    }
    return { requests };
  }

  /** The state's i-th protocol leaf (beacon indices 1, 3, 5, 7). */
  const leaf = (i: number) => truth[i] as ReportLeaf;
  const a = () => leaf(0);
  const b = () => leaf(1);
  const c = () => leaf(2);
  const d = () => leaf(3);

  it("two true leaves out of order ([A, B, D, C]) are found by three openings and disputed with disputeLeafOrder", async () => {
    const { requests } = await lieAndExpect(new ReportTree([a(), b(), d(), c()]), "LeafOrder");
    assert.equal(requests, 3, "positions 0, 2 and 3 opened");
  });

  it("a validator left out ([A, B, C]) is proven missing after the last opening with disputeMissingValidator", async () => {
    await lieAndExpect(new ReportTree([a(), b(), c()]), "MissingValidator");
  });

  it("a leaf past the claimed count ([A, B, -, C] claiming 3) is disputed with disputeLeafPosition", async () => {
    const gap: ReportLeaf = { beaconIndex: 0n, balance: 0n, exited: false, slashed: false };
    const empty = { hash: EMPTY_LEAF_HASH, count: 0n, sum: 0n };
    const tree = new ReportTree([a(), b(), gap, c()], {
      leafNodes: [reportLeafNode(a()), reportLeafNode(b()), empty, reportLeafNode(c())],
    });
    assert.equal(tree.root.count, 3n);
    await lieAndExpect(tree, "LeafPosition");
  });

  it("a leaf whose beacon index is past the state's validator list is disputed with disputeLeafBeyondRegistry", async () => {
    const beyond = { ...d(), beaconIndex: BigInt(beaconValidatorCount + 100) };
    await lieAndExpect(new ReportTree([a(), b(), c(), beyond]), "LeafBeyondRegistry");
  });
  it("the frame's turn holder proves the deposited validators Active from their beacon records (lifecycle upkeep)", async () => {
    const { contracts } = net;
    const c = net.client(0);
    // Into the next frame, whose turn holder (frame mod 16 + 1) is operator 1.
    await net.increaseTime(Number(o.frameSeconds));
    const frame = (await getOracleState(c, { contracts })).currentFrame;
    const turn = (frame % 16n) + 1n;
    assert.equal(turn, 1n);
    const before = await listValidators(c, { contracts, limit: 10n });
    assert.deepEqual(
      before.validators.map((v) => v.status),
      ["deposited", "deposited", "deposited", "deposited"],
    );
    // The served state (slot 0, every validator activated at epoch 0) is the newest beacon block the node knows,
    // two slots before the chain's time (so it is not the frame's snapshot anchor: nothing is posted).
    const now = (await c.getBlock()).timestamp;
    const slotTime = o.genesisTime + ((now - o.genesisTime) / o.secondsPerSlot - 2n) * o.secondsPerSlot;
    await net.setBeaconRoot(slotTime, anchored.blockRoot);
    const op = operators[Number(turn) - 1] as FixtureOperator;
    const events: OracleUpkeepEvent[] = [];
    const upkeep = new OracleUpkeep({
      client: net.localClient(`stinger-chain-test-signer-${op.peerSeed}`),
      contracts,
      beaconUrls: [beacon.url],
      beaconGenesisTime: o.genesisTime,
      beaconNow: () => slotTime,
      nodeIdentity: op.identityPubkey,
      pollIntervalMs: 1_000,
      logger: silentLogger,
      onEvent: (e) => events.push(e),
    });
    await upkeep.tick();
    const proven = events.flatMap((e) => (e.action === "status" ? [[e.validatorId, e.status]] : []));
    assert.deepEqual(proven, [
      [1n, "active"],
      [2n, "active"],
      [3n, "active"],
      [4n, "active"],
    ]);
    const after = await listValidators(c, { contracts, limit: 10n });
    assert.deepEqual(
      after.validators.map((v) => v.status),
      ["active", "active", "active", "active"],
    );
    assert.ok(!events.some((e) => e.action === "posted"), "no report: the anchor has no root");
    // Once per epoch: the same round again proves nothing.
    await upkeep.tick();
    assert.equal(events.filter((e) => e.action === "status").length, 4);
  });
});
