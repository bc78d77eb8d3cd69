import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Hex, keccak256, parseEther, toHex } from "viem";
import {
  attestDkgResult,
  bondOperator,
  ContractRevertedError,
  completeDeposit,
  createNektarClients,
  ExitConditionError,
  ejectOperator,
  expireRequest,
  getDkgResultDigest,
  getExitState,
  getOperator,
  getOperatorCount,
  getOperatorEvents,
  getOperatorIdByNodeIdentity,
  getOperatorStrikes,
  getOracleState,
  getPoolState,
  getRequestOperators,
  getValidator,
  getValidatorExit,
  getValidatorRequest,
  getValidatorRequestedEvents,
  getWithdrawalQueueState,
  InvalidUrlError,
  listOperatorStrikes,
  operatorRegistryAbi,
  registerOperator,
  requestExitForDemand,
  requestExitForLostBond,
  requestWithdrawal,
  sendWithdrawalRequest,
  setOperatorPaused,
  settleExit,
  stake,
  stakingPoolAbi,
  submitDkgResult,
  type ValidatorRequestedEvent,
  WrongNetworkError,
  watchValidatorRequested,
} from "../../src/index.ts";
import { startNetwork } from "../helpers/network.ts";
import { publishCredentialsProof, signedDkgResult } from "../helpers/validators.ts";

let net: Awaited<ReturnType<typeof startNetwork>>;
/** Node account index of the owner (and DKG-result signer) of operator `id`: operators 1..16 are accounts 1..16. */
const identity = (id: number) => keccak256(toHex(`sdk-registry-node-${id}`));
/** The head block (viem otherwise serves a cached block number up to its polling interval old). */
const head = () => net.client(0).getBlockNumber({ cacheTime: 0 });
/** The last block before any operator registered. */
let beforeOperators: bigint;
/** The first validator request: deposited below, asked to exit in "validator exits". */
let first: ValidatorRequestedEvent;

before(async () => {
  net = await startNetwork();
  beforeOperators = await head();
  for (let i = 1; i <= 16; i++) {
    const owner = net.client(i);
    const { operatorId } = await registerOperator(owner, {
      contracts: net.contracts,
      signer: owner.account.address,
      nodeIdentity: identity(i),
    });
    await bondOperator(owner, { contracts: net.contracts, operatorId, amount: parseEther("3") });
  }
  await net.increaseTime(1);
  await stake(net.client(17), { contracts: net.contracts, amount: parseEther("64") });
});
after(() => net.close());

function isRevert(errorName: string) {
  return (e: unknown) => e instanceof ContractRevertedError && e.errorName === errorName;
}

describe("registry reads", () => {
  it("counts operators and finds one by its node identity", async () => {
    const { contracts } = net;
    const client = net.client(0);
    assert.equal(await getOperatorCount(client, { contracts }), 16n);
    assert.equal(await getOperatorIdByNodeIdentity(client, { contracts, nodeIdentity: identity(5) }), 5n);
    assert.equal(await getOperatorIdByNodeIdentity(client, { contracts, nodeIdentity: identity(99) }), 0n);
    assert.equal(await getOperatorCount(client, { contracts, blockNumber: beforeOperators }), 0n);
  });

  it("lists the operator-record events of a block range in chain order", async () => {
    const events = await getOperatorEvents(net.client(0), {
      contracts: { operatorRegistry: net.contracts.operatorRegistry },
      fromBlock: net.manifest.deploymentBlock,
      toBlock: await head(),
    });
    const registered = events.filter((e) => e.eventName === "OperatorRegistered").map((e) => e.operatorId);
    assert.deepEqual(
      registered,
      Array.from({ length: 16 }, (_, i) => BigInt(i + 1)),
    );
    assert.equal(events.filter((e) => e.eventName === "BondChanged").length, 16);
    for (let i = 1; i < events.length; i++) {
      const [a, b] = [events[i - 1], events[i]];
      assert.ok(
        a && b && (a.blockNumber < b.blockNumber || (a.blockNumber === b.blockNumber && a.logIndex < b.logIndex)),
      );
    }
  });
});

describe("a validator request from draw to deposit, and one that expires", () => {
  it("watchValidatorRequested and getValidatorRequestedEvents see the request with its event fields", async () => {
    const { contracts } = net;
    const client = net.client(0);
    const seen: ValidatorRequestedEvent[] = [];
    const errors: unknown[] = [];
    const fromBlock = (await head()) + 1n;
    const unwatch = watchValidatorRequested(client, {
      contracts,
      pollingInterval: 20,
      onRequests: (events) => seen.push(...events),
      onError: (e) => errors.push(e),
    });
    try {
      const { requestId } = await net.requestAndDrawValidator(net.client(0));
      for (let i = 0; i < 250 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(
        seen.map((e) => e.requestId),
        [requestId],
      );
    } finally {
      unwatch();
    }
    assert.deepEqual(errors, []);
    const events = await getValidatorRequestedEvents(client, {
      contracts,
      fromBlock,
      toBlock: await head(),
    });
    assert.equal(events.length, 1);
    first = events[0] as ValidatorRequestedEvent;
    assert.deepEqual(first, seen[0]);
    assert.equal(first.threshold, 11n);
    assert.ok(first.lockUnits > 0n);
    const poolCredentials = await client.readContract({
      address: contracts.stakingPool,
      abi: stakingPoolAbi,
      functionName: "withdrawalCredentials",
    });
    assert.equal(first.withdrawalCredentials, poolCredentials);
    assert.deepEqual(
      await getValidatorRequestedEvents(client, { contracts, fromBlock: 0n, toBlock: fromBlock - 1n }),
      [],
    );
  });

  it("reads the request and its 16 drawn operators, at the event's block too", async () => {
    const { contracts } = net;
    const client = net.client(0);
    const request = await getValidatorRequest(client, { contracts, requestId: first.requestId });
    assert.equal(request.status, "requested");
    assert.equal(request.attestedBitmap, 0n);
    assert.equal(request.lockUnits, first.lockUnits);
    assert.deepEqual(request.operatorIds, first.operatorIds);
    assert.equal(new Set(request.operatorIds).size, 16);
    const drawn = await getRequestOperators(client, {
      contracts,
      requestId: first.requestId,
      blockNumber: first.blockNumber,
    });
    assert.deepEqual(drawn.operatorIds.map(Number), request.operatorIds);
    drawn.operatorIds.forEach((id, i) => {
      assert.equal(drawn.signers[i], net.client(Number(id)).account.address);
      assert.equal(drawn.nodeIdentities[i], identity(Number(id)));
    });
    await assert.rejects(getValidatorRequest(client, { contracts, requestId: 999n }), isRevert("UnknownRequest"));
  });

  it("attestations of all 16 signers let anyone submit the result with empty signatures; the pool deposits", async () => {
    const { contracts } = net;
    const { result, points } = signedDkgResult(first.requestId, first.withdrawalCredentials);
    const resultDigest = await getDkgResultDigest(net.client(0), { contracts, result });
    const empty: Hex[] = Array.from({ length: 16 }, () => "0x");
    await assert.rejects(
      submitDkgResult(net.client(0), { contracts, result, points, signatures: empty }),
      isRevert("InvalidOperatorSignature"),
    );
    await assert.rejects(
      attestDkgResult(net.client(18), { contracts, requestId: first.requestId, resultDigest }),
      isRevert("NotRequestOperator"),
    );
    const { operatorIds } = await getValidatorRequest(net.client(0), { contracts, requestId: first.requestId });
    for (const id of operatorIds) {
      await attestDkgResult(net.client(id), { contracts, requestId: first.requestId, resultDigest });
    }
    const attested = await getValidatorRequest(net.client(0), { contracts, requestId: first.requestId });
    assert.equal(attested.attestedBitmap, 0xffffn);
    const submitted = await submitDkgResult(net.client(0), { contracts, result, points, signatures: empty });
    assert.ok(submitted.gasUsed > 0n);
    const validator = await getValidator(net.client(0), { contracts, validatorId: first.requestId });
    assert.equal(validator.status, "predeposited");
    assert.equal(validator.pubkey, result.groupPubkey);
    assert.equal((await getPoolState(net.client(0), { contracts })).pendingTopUps, 1n);
    await assert.rejects(
      submitDkgResult(net.client(0), { contracts, result, points, signatures: empty }),
      isRevert("InvalidStatus"),
    );
  });

  it("completes the predeposit from a credentials proof; bad proofs are refused with the verifier's errors", async () => {
    const { contracts } = net;
    const { result } = signedDkgResult(first.requestId, first.withdrawalCredentials);
    const pubkey = result.groupPubkey;
    const credentials = first.withdrawalCredentials;
    const timestamp = 1_700_000_000n;
    const proof = await publishCredentialsProof(net.setBeaconRoot, { pubkey, credentials, index: 5n, timestamp });
    const base = { contracts, pubkey, beaconTimestamp: timestamp, beaconIndex: 5n, withdrawalCredentials: credentials };
    await assert.rejects(
      completeDeposit(net.client(0), { ...base, pubkey: toHex(new Uint8Array(48).fill(1)), proof }),
      isRevert("UnknownValidatorPubkey"),
    );
    await assert.rejects(
      completeDeposit(net.client(0), { ...base, beaconTimestamp: timestamp + 1n, proof }),
      isRevert("BeaconRootNotFound"),
    );
    await assert.rejects(
      completeDeposit(net.client(0), { ...base, beaconIndex: 6n, proof }),
      isRevert("InvalidMerkleProof"),
    );
    await assert.rejects(
      completeDeposit(net.client(0), { ...base, proof: proof.slice(1) }),
      isRevert("PubkeyNotAtBeaconIndex"),
    );
    const done = await completeDeposit(net.client(18), { ...base, proof });
    assert.equal(done.deposited, true);
    const validator = await getValidator(net.client(0), { contracts, validatorId: first.requestId });
    assert.equal(validator.status, "deposited");
    const pool = await getPoolState(net.client(0), { contracts });
    assert.equal(pool.pendingTopUps, 0n);
    assert.equal(pool.depositedValidators, 1n);
    await assert.rejects(completeDeposit(net.client(0), { ...base, proof }), isRevert("InvalidStatus"));
  });

  it("a request whose DKG does not complete, with nobody attesting, expires after the timeout naming every silent operator", async () => {
    const { contracts } = net;
    const { requestId } = await net.requestAndDrawValidator(net.client(0));
    await assert.rejects(expireRequest(net.client(0), { contracts, requestId }), isRevert("RequestNotExpired"));
    const timeout = await net.client(0).readContract({
      address: contracts.operatorRegistry,
      abi: operatorRegistryAbi,
      functionName: "DKG_TIMEOUT",
    });
    await net.increaseTime(Number(timeout) + 1);
    // Nobody attested: nothing on-chain tells a staller from the rest, so nobody is struck and the request expires.
    const expired = await expireRequest(net.client(0), { contracts, requestId });
    assert.equal(expired.redraw, false);
    assert.equal(expired.penaltyUnits, 0n);
    assert.equal((await getOperatorStrikes(net.client(0), { contracts, operatorId: 1n })).total, 0n);
    assert.equal(expired.missedBitmap, 0xffffn);
    const request = await getValidatorRequest(net.client(0), { contracts, requestId });
    assert.equal(request.status, "expired");
    assert.equal(request.missedBitmap, 0xffffn);
  });
});

describe("operator pause and ejection", () => {
  it("the owner pauses and resumes; only the ejector role ejects", async () => {
    const { contracts } = net;
    await setOperatorPaused(net.client(1), { contracts, operatorId: 1n, paused: true });
    assert.equal((await getOperator(net.client(0), { contracts, operatorId: 1n })).paused, true);
    await assert.rejects(
      setOperatorPaused(net.client(1), { contracts, operatorId: 1n, paused: true }),
      isRevert("PauseUnchanged"),
    );
    await assert.rejects(
      setOperatorPaused(net.client(2), { contracts, operatorId: 1n, paused: false }),
      isRevert("NotOperatorOwner"),
    );
    await setOperatorPaused(net.client(1), { contracts, operatorId: 1n, paused: false });
    assert.equal((await getOperator(net.client(0), { contracts, operatorId: 1n })).paused, false);

    // Ejection needs strikes, not a role: below the limit anyone is refused.
    await assert.rejects(ejectOperator(net.client(0), { contracts, operatorId: 2n }), isRevert("NotEjectable"));
    await assert.rejects(ejectOperator(net.client(0), { contracts, operatorId: 999n }), isRevert("UnknownOperator"));
    await assert.rejects(
      getOperatorStrikes(net.client(0), { contracts, operatorId: 999n }),
      isRevert("UnknownOperator"),
    );
    const admin = net.client(5);
    await net.strikeOperator(2n, 3);
    const strikes = await getOperatorStrikes(admin, { contracts, operatorId: 2n });
    assert.equal(strikes.inWindow, 3n);
    assert.equal(strikes.strikesToEject, 3n);
    assert.equal(strikes.windowFrames, 6n);
    assert.equal(strikes.ejectable, true);
    const listed = await listOperatorStrikes(admin, { contracts, operatorIds: [2n, 1n] });
    assert.equal(listed.strikesToEject, 3n);
    assert.equal(listed.windowFrames, 6n);
    assert.deepEqual(
      listed.operators.map((o) => [o.operatorId, o.inWindow, o.total]),
      [
        [2n, 3n, 3n],
        [1n, 0n, 0n],
      ],
    );
    assert.equal(listed.operators[0]?.lastFrame, strikes.lastFrame);
    await assert.rejects(
      listOperatorStrikes(admin, { contracts, operatorIds: [1n, 999n] }),
      isRevert("UnknownOperator"),
    );
    const before = await head();
    await ejectOperator(admin, { contracts, operatorId: 2n });
    assert.equal((await getOperator(admin, { contracts, operatorId: 2n })).ejected, true);
    assert.equal((await getOperator(admin, { contracts, operatorId: 2n, blockNumber: before })).ejected, false);
    assert.equal((await getOperatorStrikes(admin, { contracts, operatorId: 2n })).ejectable, false);
    await assert.rejects(ejectOperator(admin, { contracts, operatorId: 2n }), isRevert("OperatorIsEjected"));
    const changes = await getOperatorEvents(admin, {
      contracts,
      fromBlock: before + 1n,
      toBlock: await head(),
    });
    assert.deepEqual(
      changes.map((e) => [e.eventName, e.operatorId]),
      [["OperatorStatusChanged", 2n]],
    );
  });
});

describe("oracle and withdrawal queue getters", () => {
  it("follow a report and a withdrawal request", async () => {
    const { contracts } = net;
    const client = net.client(0);
    const oracle = await getOracleState(client, { contracts });
    assert.ok(oracle.lastReportTimestamp > 0n, "the oracle starts its clock at deployment");
    assert.equal(oracle.maxShareRateIncreaseBpPerDay, 10_000n);
    assert.ok(oracle.maxShareRateDecreaseBpPerReport > 0n);
    const empty = await getWithdrawalQueueState(client, { contracts });
    assert.deepEqual(empty, {
      lastRequestId: 0n,
      lastFinalizedRequestId: 0n,
      finalizableRequestId: 0n,
      unfinalizedEther: 0n,
      lockedEther: 0n,
    });
    const { requestId, amountOfEther } = await requestWithdrawal(net.client(17), {
      contracts,
      amount: parseEther("1"),
    });
    const requested = await client.getBlock();
    await net.increaseTime(60);
    // The next frame's reference time is after the request, so its report may finalize it.
    await net.reportNextFrame(net.client(1));
    void requested;
    const reported = await getOracleState(client, { contracts });
    const latest = await client.getBlock();
    assert.equal(reported.lastReportTimestamp, latest.timestamp);
    assert.ok(reported.lastReportTimestamp > oracle.lastReportTimestamp);
    const queue = await getWithdrawalQueueState(client, { contracts });
    assert.equal(queue.lastRequestId, requestId);
    assert.equal(queue.finalizableRequestId, requestId);
    assert.equal(queue.unfinalizedEther, amountOfEther);
  });
});

describe("createNektarClients", () => {
  it("connects to the manifest's chain over HTTP, with a wallet client for a given account", async () => {
    const rpc = await net.serveHttp();
    try {
      const reader = await createNektarClients({ rpc: rpc.url, manifest: net.manifest });
      assert.equal(reader.chainId, 31337);
      assert.equal(reader.walletClient, undefined);
      assert.equal(await getOperatorCount(reader.publicClient, { contracts: reader.contracts }), 16n);
      const account = net.localClient("clients").account;
      await net.client(0).sendTransaction({ to: account.address, value: parseEther("2") });
      const { walletClient } = await createNektarClients({ rpc: rpc.url, manifest: net.manifest, account });
      assert.equal(walletClient.chain.id, 31337);
      const staked = await stake(walletClient, { contracts: net.contracts, amount: parseEther("1") });
      assert.equal(staked.amount, parseEther("1"));
      await assert.rejects(
        createNektarClients({ rpc: rpc.url, manifest: { ...net.manifest, chainId: 1 } }),
        (e: unknown) => e instanceof WrongNetworkError && e.type.expected === 1 && e.type.actual === 31337,
      );
    } finally {
      await rpc.close();
    }
    await assert.rejects(
      createNektarClients({ rpc: "127.0.0.1:8545", manifest: net.manifest }),
      (e: unknown) => e instanceof InvalidUrlError,
    );
  });
});

describe("validator exits", () => {
  it("a cluster with an ejected operator is asked to exit; after the window anyone sends the EIP-7002 request", async () => {
    const { contracts } = net;
    const c = net.client(0);
    const validatorId = first.requestId;
    const before = await getExitState(c, { contracts });
    assert.equal(before.pendingExits, 0n);
    assert.equal(before.withdrawalRequestFee, undefined, "EDR has no EIP-7002 contract");
    assert.equal(before.nextDemandExit, validatorId);
    assert.equal(before.shortfall, 0n);
    await assert.rejects(requestExitForDemand(c, { contracts }), isRevert("DemandCovered"));

    // Operator 2 was ejected above, and every one of the 16 operators runs a share of the validator.
    const exit = await requestExitForLostBond(net.client(18), { contracts, validatorId });
    assert.equal(exit.operatorId, 2n);
    assert.equal(exit.pubkey, signedDkgResult(validatorId, first.withdrawalCredentials).result.groupPubkey);
    await assert.rejects(requestExitForLostBond(c, { contracts, validatorId }), isRevert("ExitAlreadyRequested"));
    const record = await getValidatorExit(c, { contracts, validatorId });
    assert.equal(record.reason, "lost-bond");
    assert.equal(record.withdrawalRequestAfter, exit.withdrawalRequestAfter);
    assert.equal(record.withdrawalRequestAfter, record.requestedAt + before.voluntaryExitWindow);

    await assert.rejects(
      sendWithdrawalRequest(c, { contracts, validatorId }),
      (e: unknown) => e instanceof ExitConditionError && e.shortMessage.includes("no EIP-7002"),
    );
    await net.installWithdrawalRequestContract(5n);
    await assert.rejects(sendWithdrawalRequest(c, { contracts, validatorId }), isRevert("WithdrawalRequestTooEarly"));
    await net.increaseTime(Number(before.voluntaryExitWindow));
    await assert.rejects(
      sendWithdrawalRequest(c, { contracts, validatorId, maxFee: 4n }),
      (e: unknown) => e instanceof ExitConditionError && e.shortMessage.includes("above the 4 wei"),
    );
    const sent = await sendWithdrawalRequest(net.client(18), { contracts, validatorId, maxFee: 100n });
    assert.equal(sent.fee, 5n);
    assert.ok((await getValidatorExit(c, { contracts, validatorId })).lastWithdrawalRequestAt > record.requestedAt);
    await assert.rejects(settleExit(c, { contracts, validatorId }), isRevert("NotWithdrawn"));
    const after = await getExitState(c, { contracts });
    assert.equal(after.pendingExits, 1n);
    assert.equal(after.withdrawalRequestFee, 5n);
    assert.equal(after.available - before.available, 32n * 10n ** 18n, "the exit counts as 32 ETH of expected inflow");
  });
});
