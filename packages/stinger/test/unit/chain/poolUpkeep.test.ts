import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  attestDkgResult,
  bondOperator,
  completeDeposit,
  getDkgResultDigest,
  getExitState,
  getPendingDraw,
  getPoolState,
  getRegistryState,
  getValidatorExit,
  getValidatorRequest,
  getValidatorRequestedEvents,
  getWithdrawalQueueState,
  getWithdrawalsFinalizedEvents,
  requestWithdrawal,
  stake,
  submitDkgResult,
} from "@nektar/sdk";
import { publishCredentialsProof, signedDkgResult } from "@nektar/sdk/testing";
import { type Hex, parseEther } from "viem";
import { PoolUpkeep, type PoolUpkeepEvent, rotationPlace } from "../../../src/chain/poolUpkeep.ts";
import { silentLogger } from "../../support/p2pHarness.ts";
import { type FixtureOperator, type RegistryNetwork, registryWith16Operators } from "./registryFixture.ts";

describe("rotationPlace", () => {
  it("gives the task's turn holder place 0 and the others their distance after it, wrapping", () => {
    // Key 1 of 16 operators: operator 2's turn, then 3, …, 16, 1.
    assert.equal(rotationPlace(1n, 2n, 16n), 0n);
    assert.equal(rotationPlace(1n, 3n, 16n), 1n);
    assert.equal(rotationPlace(1n, 1n, 16n), 15n);
    assert.equal(rotationPlace(17n, 2n, 16n), 0n);
    const places = Array.from({ length: 16 }, (_, i) => rotationPlace(5n, BigInt(i + 1), 16n));
    assert.deepEqual(
      [...places].sort((a, b) => Number(a - b)),
      Array.from({ length: 16 }, (_, i) => BigInt(i)),
    );
  });
  it("is 0 for an unregistered node or an empty registry", () => {
    assert.equal(rotationPlace(4n, 0n, 16n), 0n);
    assert.equal(rotationPlace(4n, 3n, 0n), 0n);
  });
});

const FALLBACK = 12n;

type UpkeepNode = { upkeep: PoolUpkeep; events: PoolUpkeepEvent[]; operatorId: bigint };

/** One pool upkeep per fixture operator, signing with its signer key; each records what it sent. */
function upkeepNodes(
  net: RegistryNetwork,
  operators: readonly FixtureOperator[],
  tasks: { finalizeWithdrawals: boolean; requestValidators: boolean },
): UpkeepNode[] {
  return operators.map((op) => {
    const events: PoolUpkeepEvent[] = [];
    const upkeep = new PoolUpkeep({
      client: net.localClient(`stinger-chain-test-signer-${op.peerSeed}`),
      contracts: net.contracts,
      nodeIdentity: op.identityPubkey,
      ...tasks,
      fallbackSeconds: FALLBACK,
      pollIntervalMs: 1_000,
      logger: silentLogger,
      onEvent: (e) => events.push(e),
    });
    return { upkeep, events, operatorId: op.operatorId };
  });
}

describe("pool upkeep (16 operators on Hardhat)", () => {
  let net: RegistryNetwork;
  let operators: FixtureOperator[];
  const nodes: UpkeepNode[] = [];

  before(async () => {
    ({ net, operators } = await registryWith16Operators());
    nodes.push(...upkeepNodes(net, operators, { finalizeWithdrawals: true, requestValidators: true }));
  });

  after(async () => {
    for (const n of nodes) n.upkeep.stop();
    await net?.close();
  });

  const contracts = () => net.contracts;
  const senders = (action: PoolUpkeepEvent["action"]) =>
    nodes.flatMap((n) => n.events.filter((e) => e.action === action).map(() => n.operatorId));
  const clear = () => {
    for (const n of nodes) n.events.length = 0;
  };
  const tick = async (skip: bigint[] = []) => {
    for (const n of nodes) if (!skip.includes(n.operatorId)) await n.upkeep.tick();
  };

  it("requests a validator once 32 ETH are depositable and draws it once its block is mined: only the turn holder sends", async (t) => {
    // The 16 operators' bonds (2 ETH each, staked) are the first 32 ETH of the buffer.
    const pool = await getPoolState(net.client(0), { contracts: contracts() });
    assert.ok(pool.depositableEther >= parseEther("32"));
    await tick();
    // Request 1 is operator (1 mod 16) + 1 = 2's turn; the other 15 wait their place and then see it done.
    assert.deepEqual(senders("requested"), [2n]);
    const requested = nodes.flatMap((n) => n.events).find((e) => e.action === "requested");
    t.diagnostic(`requestValidator gas ${requested?.gasUsed}`);
    assert.equal((await getRegistryState(net.client(0), { contracts: contracts() })).requestCount, 1n);
    const pending = await getPendingDraw(net.client(0), { contracts: contracts() });
    assert.equal(pending.requestId, 1n);
    // Step 2: nobody draws before the draw block is mined; then the turn holder of request 1 (operator 2) draws.
    await tick();
    assert.deepEqual(senders("drawn"), []);
    await net.mine(Number(pending.drawBlock - (await net.client(0).getBlockNumber({ cacheTime: 0 })) + 1n));
    await tick();
    assert.deepEqual(senders("drawn"), [2n]);
    const drawn = nodes.flatMap((n) => n.events).find((e) => e.action === "drawn");
    assert.equal(drawn?.action === "drawn" && new Set(drawn.operatorIds).size, 16);
    t.diagnostic(`drawCluster gas ${drawn?.gasUsed}`);
    assert.equal((await getPendingDraw(net.client(0), { contracts: contracts() })).requestId, 0n);
    await net.increaseTime(Number(16n * FALLBACK));
    await tick();
    assert.deepEqual(senders("requested"), [2n], "no second request: the buffer is reserved");
    assert.deepEqual(senders("drawn"), [2n], "no second draw");
  });

  it("when the turn holder is silent, the next operator requests after one fallback delay, the others later", async () => {
    clear();
    await stake(net.client(17), { contracts: contracts(), amount: parseEther("32") });
    // Request 2: operator 3's turn, which is down.
    await tick([3n]);
    assert.deepEqual(senders("requested"), []);
    await net.increaseTime(Number(FALLBACK));
    await tick([3n]);
    assert.deepEqual(senders("requested"), [4n], "place 1 after the silent turn holder");
    assert.equal((await getRegistryState(net.client(0), { contracts: contracts() })).requestCount, 2n);
  });

  it("finalizes withdrawals a report made payable, once, before a new validator takes the ether", async (t) => {
    clear();
    const staker = net.client(17);
    const before = (await getPoolState(staker, { contracts: contracts() })).depositableEther;
    assert.ok(before < parseEther("1"));
    await stake(staker, { contracts: contracts(), amount: parseEther("34") });
    const { requestId } = await requestWithdrawal(staker, { contracts: contracts(), amount: parseEther("3") });
    // 34 ETH more unreserved, 3 owed: 31 more depositable, not a validator.
    const pool = await getPoolState(staker, { contracts: contracts() });
    assert.equal(pool.depositableEther, before + parseEther("31"));
    await tick();
    assert.deepEqual(senders("finalized"), [], "not payable before a report covers the request");
    // Operator 1's owner reports (enough free bond for the reporter bond after the two clusters' locks).
    await bondOperator(net.client(1), { contracts: contracts(), operatorId: 1n, amount: parseEther("2") });
    await net.reportNextFrame(net.client(1));
    await tick();
    // The first waiting request (1) names the turn: operator 2.
    assert.deepEqual(senders("finalized"), [2n]);
    const q = await getWithdrawalQueueState(staker, { contracts: contracts() });
    assert.equal(q.lastFinalizedRequestId, requestId);
    const sent = nodes.flatMap((n) => n.events).find((e) => e.action === "finalized");
    t.diagnostic(`finalizeWithdrawals (1 request) gas ${sent?.gasUsed}`);
    const logs = await getWithdrawalsFinalizedEvents(staker, {
      contracts: contracts(),
      fromBlock: 0n,
      toBlock: await staker.getBlockNumber(),
    });
    assert.deepEqual(
      logs.map((l) => [l.transactionHash, l.lastRequestId]),
      [[sent?.tx, requestId]],
    );
    await net.increaseTime(Number(16n * FALLBACK));
    await tick();
    assert.deepEqual(senders("finalized"), [2n], "nothing left to finalize");
    // The reporter's 2 ETH bond was staked into the buffer: 33 ETH depositable, so request 3 (operator 4's turn)
    // reserves 32 and waits for its draw.
    assert.deepEqual(senders("requested"), [4n]);
  });

  it("a node with a task turned off never sends it, even on its turn", async () => {
    const events: PoolUpkeepEvent[] = [];
    const op3 = operators[2] as FixtureOperator;
    const off = new PoolUpkeep({
      client: net.localClient(`stinger-chain-test-signer-${op3.peerSeed}`),
      contracts: net.contracts,
      nodeIdentity: op3.identityPubkey,
      finalizeWithdrawals: false,
      requestValidators: false,
      fallbackSeconds: FALLBACK,
      pollIntervalMs: 1_000,
      logger: silentLogger,
      onEvent: (e) => events.push(e),
    });
    // 32 ETH depositable and every fallback delay past: an enabled node of any place would request now.
    await stake(net.client(17), { contracts: contracts(), amount: parseEther("32") });
    await net.increaseTime(Number(16n * FALLBACK));
    await off.tick();
    assert.deepEqual(events, []);
    assert.equal((await getRegistryState(net.client(0), { contracts: contracts() })).requestCount, 3n);
  });
});

describe("pool upkeep: exits for withdrawal demand (16 operators on Hardhat)", () => {
  let net: RegistryNetwork;
  let operators: FixtureOperator[];
  const nodes: UpkeepNode[] = [];

  before(async () => {
    ({ net, operators } = await registryWith16Operators());
    const { contracts } = net;
    // The bonds' 32 ETH and a staker's 32 ETH become two validator requests: nothing of the buffer is left unreserved.
    await net.increaseTime(1);
    await stake(net.client(17), { contracts, amount: parseEther("32") });
    await net.requestAndDrawValidator(net.client(0));
    await net.requestAndDrawValidator(net.client(0));
    // Request 1 completes its DKG and deposit (a synthetic result and credentials proof); request 2 stays requested.
    const [first] = await getValidatorRequestedEvents(net.client(0), {
      contracts,
      fromBlock: 0n,
      toBlock: await net.client(0).getBlockNumber(),
    });
    assert.ok(first !== undefined);
    const { result, points } = signedDkgResult(first.requestId, first.withdrawalCredentials);
    const resultDigest = await getDkgResultDigest(net.client(0), { contracts, result });
    const { operatorIds } = await getValidatorRequest(net.client(0), { contracts, requestId: first.requestId });
    for (const id of operatorIds) {
      const op = operators.find((o) => o.operatorId === BigInt(id)) as FixtureOperator;
      await attestDkgResult(net.localClient(`stinger-chain-test-signer-${op.peerSeed}`), {
        contracts,
        requestId: first.requestId,
        resultDigest,
      });
    }
    const empty: Hex[] = Array.from({ length: 16 }, () => "0x");
    await submitDkgResult(net.client(0), { contracts, result, points, signatures: empty });
    const timestamp = 1_700_000_000n;
    const credentials = first.withdrawalCredentials;
    const proof = await publishCredentialsProof(net.setBeaconRoot, {
      pubkey: result.groupPubkey,
      credentials,
      index: 3n,
      timestamp,
    });
    await completeDeposit(net.client(0), {
      contracts,
      pubkey: result.groupPubkey,
      beaconTimestamp: timestamp,
      beaconIndex: 3n,
      withdrawalCredentials: credentials,
      proof,
    });
    nodes.push(...upkeepNodes(net, operators, { finalizeWithdrawals: false, requestValidators: false }));
  });

  after(async () => {
    for (const n of nodes) n.upkeep.stop();
    await net?.close();
  });

  const exits = () =>
    nodes.flatMap((n) => n.events.filter((e) => e.action === "exit-requested").map((e) => [n.operatorId, e]));
  const tick = async (skip: bigint[] = []) => {
    for (const n of nodes) if (!skip.includes(n.operatorId)) await n.upkeep.tick();
  };

  it("does nothing while the buffer and inflows cover the withdrawal demand", async () => {
    const x = await getExitState(net.client(0), { contracts: net.contracts });
    assert.equal(x.shortfall, 0n);
    assert.equal(x.nextDemandExit, 1n, "the deposited validator is in line");
    await tick();
    assert.deepEqual(exits(), []);
  });

  it("asks the deposited validator to exit once withdrawals owe more than the buffer: only the turn holder sends", async (t) => {
    const { contracts } = net;
    await requestWithdrawal(net.client(17), { contracts, amount: parseEther("10") });
    const before = await getExitState(net.client(0), { contracts });
    assert.equal(before.demand, parseEther("10"));
    assert.ok(before.available < parseEther("0.01"), "the buffer is reserved for the two validators");
    assert.equal(before.shortfall, before.demand - before.available);
    // Validator 1 names the task: operator (1 mod 16) + 1 = 2's turn, which is down; place 1 (operator 3) steps in.
    await tick([2n]);
    assert.deepEqual(exits(), []);
    await net.increaseTime(Number(FALLBACK));
    await tick([2n]);
    const sent = exits();
    assert.equal(sent.length, 1);
    const [by, e] = sent[0] as [bigint, Extract<PoolUpkeepEvent, { action: "exit-requested" }>];
    assert.equal(by, 3n);
    assert.equal(e.validatorId, 1n);
    assert.equal(e.shortfall, before.shortfall);
    t.diagnostic(`requestExitForDemand gas ${e.gasUsed}`);
    const record = await getValidatorExit(net.client(0), { contracts, validatorId: 1n });
    assert.equal(record.reason, "withdrawal-demand");
    // The exit in flight counts as 32 ETH of inflow: the demand is covered, nobody asks for a second exit.
    const after = await getExitState(net.client(0), { contracts });
    assert.equal(after.pendingExits, 1n);
    assert.equal(after.shortfall, 0n);
    await net.increaseTime(Number(16n * FALLBACK));
    await tick();
    assert.equal(exits().length, 1);
  });
});
