import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { ssz } from "@lodestar/types";
import { AnchoredBeaconState, EMPTY_LEAF_HASH, ReportTree, type ReportTreeNode } from "@nektar/crypto";
import {
  accountingOracleAbi,
  BEACON_ROOTS_ADDRESS,
  bondOperator,
  getOracleFrameSnapshot,
  getOracleLeafRequests,
  getOracleReport,
  getOracleState,
  type OracleState,
  postOracleReport,
  registerOperator,
  requestOracleLeaf,
  revealOracleLeaf,
  snapshotOracleFrame,
} from "@nektar/sdk";
import { serveAnchoredBeaconState, startNetwork } from "@nektar/sdk/testing";
import { keccak256, numberToHex, parseEther, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { OracleUpkeep, type OracleUpkeepEvent } from "../../../src/chain/oracleUpkeep.ts";
import { silentLogger } from "../../support/p2pHarness.ts";

type Net = Awaited<ReturnType<typeof startNetwork>>;

const word = (n: bigint) => numberToHex(n, { size: 32 });

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

const EMPTY: ReportTreeNode = { hash: EMPTY_LEAF_HASH, count: 0n, sum: 0n };

describe("oracle upkeep (Hardhat + a Lodestar-built beacon state)", () => {
  let net: Net;
  let beacon: Awaited<ReturnType<typeof serveAnchoredBeaconState>>;
  let anchored: AnchoredBeaconState;
  let o: OracleState;
  /** How far the simulated beacon chain has come (Unix seconds): the last slot anchored by the test. */
  let beaconNow = 0n;
  const nodes: { upkeep: OracleUpkeep; events: OracleUpkeepEvent[]; operatorId: bigint }[] = [];

  before(async () => {
    net = await startNetwork();
    const state = ssz.electra.BeaconState.defaultViewDU();
    anchored = new AnchoredBeaconState(state, {
      slot: 0,
      proposerIndex: 0,
      parentRoot: new Uint8Array(32),
      bodyRoot: new Uint8Array(32),
    });
    beacon = await serveAnchoredBeaconState(anchored, state.serialize(), toHex(state.hashTreeRoot()));
    o = await getOracleState(net.client(0), { contracts: net.contracts });
    for (let i = 1; i <= 3; i++) {
      const seed = `oracle-upkeep-signer-${i}`;
      const signer = privateKeyToAccount(keccak256(toHex(seed)));
      const nodeIdentity = toHex((await generateKeyPair("Ed25519")).publicKey.raw);
      const owner = net.client(i);
      const { operatorId } = await registerOperator(owner, {
        contracts: net.contracts,
        signer: signer.address,
        nodeIdentity,
      });
      await bondOperator(owner, { contracts: net.contracts, operatorId, amount: parseEther("2") });
      await owner.sendTransaction({ to: signer.address, value: parseEther("1") });
      const events: OracleUpkeepEvent[] = [];
      const upkeep = new OracleUpkeep({
        client: net.localClient(seed),
        contracts: net.contracts,
        beaconUrls: [beacon.url],
        beaconGenesisTime: o.genesisTime,
        // The test moves execution time by hand: the beacon chain has reached the last anchored slot.
        beaconNow: () => beaconNow,
        nodeIdentity,
        pollIntervalMs: 1_000,
        logger: silentLogger,
        onEvent: (e) => events.push(e),
      });
      nodes.push({ upkeep, events, operatorId });
    }
  });

  after(async () => {
    for (const n of nodes) n.upkeep.stop();
    await beacon?.close();
    await net?.close();
  });

  /** Mines a block at `t` and records the state's block root for it in the EIP-4788 contract (as the chain would). */
  async function anchorAt(t: bigint) {
    const c = net.client(0);
    if (t > beaconNow) beaconNow = t;
    await c.request({ method: "evm_mine" as never, params: [Number(t)] as never });
    await c.request({
      method: "hardhat_setStorageAt" as never,
      params: [BEACON_ROOTS_ADDRESS, word(t % 8191n), word(t)] as never,
    });
    await c.request({
      method: "hardhat_setStorageAt" as never,
      params: [BEACON_ROOTS_ADDRESS, word((t % 8191n) + 8191n), anchored.blockRoot] as never,
    });
  }

  /** The frame's snapshot anchor (0n: none yet). */
  async function snapshotOf(frame: bigint): Promise<bigint> {
    return (await getOracleFrameSnapshot(net.client(0), { contracts: net.contracts, frame })).anchorTimestamp;
  }

  /**
   * Opens `frame`'s anchor window for a report posted by hand: snapshots the frame in a block at its first anchor
   * slot time (so that slot is the anchor) and records the state's root there.
   */
  async function openFrame(frame: bigint): Promise<bigint> {
    const t = frameOpens(frame);
    const c = net.client(0);
    // A block in the frame first (the transaction is simulated on the latest block), then the snapshot's block at t.
    await c.request({ method: "evm_mine" as never, params: [Number(t - 1n)] as never });
    await c.request({ method: "evm_setNextBlockTimestamp" as never, params: [Number(t)] as never });
    await snapshotOracleFrame(c, { contracts: net.contracts, frame });
    assert.equal(await snapshotOf(frame), t);
    await anchorAt(t);
    return t;
  }

  const tickAll = async () => {
    for (const n of nodes) await n.upkeep.tick();
  };
  const frameOpens = (frame: bigint) => o.genesisTime + frame * o.frameSeconds + o.secondsPerSlot;
  const turnOf = (frame: bigint) => (frame % 3n) + 1n;
  const node = (operatorId: bigint) => nodes.find((n) => n.operatorId === operatorId) as (typeof nodes)[number];

  it("the turn holder posts once the anchor window opens; the others verify and apply after the window", async () => {
    const frame = (await getOracleState(net.client(0), { contracts: net.contracts })).currentFrame + 1n;
    await anchorAt(frameOpens(frame));
    await tickAll();
    // The turn holder anchors the frame on-chain first (its block's slot; the vault is read there) and posts once
    // that slot's root exists.
    const snapshotted = nodes.flatMap((n) =>
      n.events.filter((e) => e.action === "snapshotted" && e.frame === frame).map(() => n.operatorId),
    );
    assert.deepEqual(snapshotted, [turnOf(frame)], "only the turn holder snapshots");
    const anchor = await snapshotOf(frame);
    assert.equal(anchor, frameOpens(frame) + o.secondsPerSlot, "the slot of the snapshot's block");
    assert.ok(!nodes.some((n) => n.events.some((e) => e.action === "posted")), "no root for the anchor yet");
    await anchorAt(anchor);
    await tickAll();
    const posted = nodes.flatMap((n) => n.events.filter((e) => e.action === "posted").map(() => n.operatorId));
    assert.deepEqual(posted, [turnOf(frame)], "only the turn holder posts");
    const r = await getOracleReport(net.client(0), { contracts: net.contracts, frame });
    assert.equal(r.status, "pending");
    assert.equal(r.reporterOperatorId, turnOf(frame));
    assert.equal(r.blockRoot, anchored.blockRoot);
    assert.equal(r.count, 0n);

    // A watcher asks for a leaf (data availability): a node that rebuilt the same tree reveals it, or the honest
    // report would be voided. Before the window closes nobody applies; the others have verified it.
    await requestOracleLeaf(net.client(5), { contracts: net.contracts, frame, position: 1n });
    await tickAll();
    const opened = await getOracleReport(net.client(0), { contracts: net.contracts, frame });
    assert.equal(opened.openReveals, 0, "the request was answered");
    assert.equal((await getOracleReport(net.client(0), { contracts: net.contracts, frame })).status, "pending");
    for (const n of nodes.filter((x) => x.operatorId !== turnOf(frame))) {
      assert.ok(n.events.some((e) => e.action === "verified" && e.frame === frame));
    }

    await net.increaseTime(Number(o.challengeWindow));
    await tickAll();
    const applied = nodes.flatMap((n) => n.events.filter((e) => e.action === "applied" && e.frame === frame));
    assert.equal(applied.length, 1, "applied once; later nodes find it done");
    assert.equal((await getOracleReport(net.client(0), { contracts: net.contracts, frame })).status, "applied");
  });

  it("a wrong report by another operator is flagged, its leaf requested and, unrevealed, voided", async () => {
    const frame = (await getOracleState(net.client(0), { contracts: net.contracts })).currentFrame + 1n;
    const t = await openFrame(frame);
    const liar = turnOf(frame);
    const liarSeed = `oracle-upkeep-signer-${liar}`;
    // Same count and sum as the truth, another tree: only a rebuild from the beacon state shows it.
    await postOracleReport(net.localClient(liarSeed), {
      contracts: net.contracts,
      frame,
      anchorTimestamp: t,
      root: { hash: keccak256(toHex("a tree that is not the state's")), count: 0n, sum: 0n },
    });
    const honest = nodes.filter((n) => n.operatorId !== liar);
    for (const n of honest) await n.upkeep.tick();
    assert.equal((await getOracleReport(net.client(0), { contracts: net.contracts, frame })).openReveals, 0);
    // The nodes ask in turn after the reporter (one slot per place), so their requests do not race.
    await net.increaseTime(Number(2n * o.secondsPerSlot));
    for (const n of honest) await n.upkeep.tick();
    for (const n of honest) {
      const m = n.events.find((e) => e.action === "mismatch" && e.frame === frame);
      assert.ok(m, `operator ${n.operatorId} flags the report`);
      assert.equal(m.action === "mismatch" && m.reporterOperatorId, liar);
    }
    const asked = await getOracleReport(net.client(0), { contracts: net.contracts, frame });
    assert.equal(asked.openReveals, 1, "one honest node asked for a leaf (the others wait for it)");
    // The liar does not reveal: after a window the report is voided and the bond pays the requester.
    await net.increaseTime(Number(o.challengeWindow + 2n * o.secondsPerSlot));
    for (const n of honest) await n.upkeep.tick();
    assert.equal((await getOracleReport(net.client(0), { contracts: net.contracts, frame })).status, "voided");
    const disputed = honest.flatMap((n) => n.events.filter((e) => e.action === "disputed" && e.frame === frame));
    assert.equal(disputed.length, 1);
    assert.ok(!honest.some((n) => n.events.some((e) => e.action === "applied" && e.frame === frame)));
  });

  it("when the turn holder is silent, the next operator posts after half a frame, the one after later", async () => {
    const frame = (await getOracleState(net.client(0), { contracts: net.contracts })).currentFrame + 1n;
    const silent = turnOf(frame);
    const next = (silent % 3n) + 1n;
    const later = (next % 3n) + 1n;
    await anchorAt(frameOpens(frame));
    await node(next).upkeep.tick();
    await node(later).upkeep.tick();
    assert.equal((await getOracleReport(net.client(0), { contracts: net.contracts, frame })).status, "none");
    // Half a frame and one slot after the window opened: the next operator's place.
    await anchorAt(frameOpens(frame) + o.frameSeconds / 2n + o.secondsPerSlot);
    await node(later).upkeep.tick();
    assert.equal((await getOracleReport(net.client(0), { contracts: net.contracts, frame })).status, "none");
    await node(next).upkeep.tick();
    // It anchors the frame (the silent turn holder did not), then posts once the anchor's root exists.
    assert.equal((await getOracleReport(net.client(0), { contracts: net.contracts, frame })).status, "none");
    await anchorAt(await snapshotOf(frame));
    await node(next).upkeep.tick();
    const r = await getOracleReport(net.client(0), { contracts: net.contracts, frame });
    assert.equal(r.status, "pending");
    assert.equal(r.reporterOperatorId, next);
  });

  /** Has the frame's turn holder post `root` (a lie) for the frame whose anchor window just opened. */
  async function postLie(root: ReportTreeNode) {
    const frame = (await getOracleState(net.client(0), { contracts: net.contracts })).currentFrame + 1n;
    const t = await openFrame(frame);
    const liar = turnOf(frame);
    const client = net.localClient(`oracle-upkeep-signer-${liar}`);
    await postOracleReport(client, {
      contracts: net.contracts,
      frame,
      anchorTimestamp: t,
      root,
    });
    return { frame, liar, client, honest: nodes.filter((n) => n.operatorId !== liar) };
  }

  /** Ticks the honest nodes, then again two slots later (every one's place after the reporter has come). */
  async function tickTwice(honest: typeof nodes) {
    for (const n of honest) await n.upkeep.tick();
    await net.increaseTime(Number(2n * o.secondsPerSlot));
    for (const n of honest) await n.upkeep.tick();
  }

  async function disputeKinds(frame: bigint) {
    const logs = await net.client(0).getContractEvents({
      address: net.contracts.accountingOracle,
      abi: accountingOracleAbi,
      eventName: "ReportDisputed",
      args: { frame },
      fromBlock: 0n,
    });
    return logs.map((l) => DISPUTE_KINDS[l.args.kind as number]);
  }

  it("a root whose claimed sum is not its children's is disputed at once with disputeNodeSum", async () => {
    // The state's tree (no protocol validators): the honest root hash, with a balance sum made up.
    const truth = new ReportTree([]);
    const { frame, liar, honest } = await postLie({ ...truth.root, sum: 64_000_000_000n });
    await tickTwice(honest);
    assert.equal((await getOracleReport(net.client(0), { contracts: net.contracts, frame })).status, "voided");
    assert.deepEqual(await disputeKinds(frame), ["NodeSum"]);
    const disputed = honest.flatMap((n) => n.events.filter((e) => e.action === "disputed" && e.frame === frame));
    assert.equal(disputed.length, 1);
    assert.equal(disputed[0]?.action === "disputed" && disputed[0].reporterOperatorId, liar);
  });

  for (const lie of [
    { where: "in the opened leaf's own node", position: 0 },
    { where: "in the opened leaf's sibling", position: 1 },
  ]) {
    it(`an invented balance ${lie.where} is found through one opening and disputed with disputeLeafSum`, async () => {
      // An empty leaf whose node claims 32 ETH: the root sums it; the reporter opens what it is asked for.
      const nodesAt = [EMPTY, EMPTY];
      nodesAt[lie.position] = { hash: EMPTY_LEAF_HASH, count: 0n, sum: 32_000_000_000n };
      const lying = new ReportTree([], { leafNodes: nodesAt });
      const { frame, client, honest } = await postLie(lying.root);
      await tickTwice(honest);
      const requested = await getOracleLeafRequests(net.client(0), {
        contracts: net.contracts,
        frame,
        version: (await getOracleReport(net.client(0), { contracts: net.contracts, frame })).version,
        fromBlock: 0n,
      });
      assert.deepEqual(
        requested.map((q) => q.position),
        [0n],
        "one request: the search starts at the first leaf",
      );
      await revealOracleLeaf(client, { contracts: net.contracts, frame, position: 0n, tree: lying });
      for (const n of honest) await n.upkeep.tick();
      assert.equal((await getOracleReport(net.client(0), { contracts: net.contracts, frame })).status, "voided");
      assert.deepEqual(await disputeKinds(frame), ["LeafSum"]);
      assert.ok(!nodes.some((n) => n.events.some((e) => e.action === "applied" && e.frame === frame)));
    });
  }
});
