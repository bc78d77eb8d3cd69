import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { generateKeyPair } from "@libp2p/crypto/keys";
import {
  bondOperator,
  expireRequest,
  getOperator,
  getOperatorStrikes,
  getRegistryState,
  getValidatorRequest,
  registerOperator,
  stakingPoolAbi,
  type ValidatorRequest,
} from "@nektar/sdk";
import { type Hex, keccak256, type PublicClient, parseEther, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { RequestCursor } from "../../src/chain/cursor.ts";
import { AttestationStore, DkgAttestor, NO_RESULT_DIGEST } from "../../src/chain/dkgAttestation.ts";
import { dkgResultDigest } from "../../src/chain/dkgResult.ts";
import { DkgUpkeep, type DkgUpkeepEvent } from "../../src/chain/dkgUpkeep.ts";
import {
  executeValidatorRequest,
  type OnchainOperatorOptions,
  prepareValidatorRequest,
} from "../../src/chain/onchainOperator.ts";
import { RegistryReader } from "../../src/chain/registryReader.ts";
import { type RequestedEvent, RequestWatcher } from "../../src/chain/requestWatcher.ts";
import { submitWhenDue } from "../../src/chain/submitter.ts";
import { ceremonySessionId } from "../../src/dkg/ceremony.ts";
import { type InProcessOperator, inProcessOperators } from "../support/ceremonyHarness.ts";
import { silentLogger } from "../support/p2pHarness.ts";
import {
  type FixtureOperator,
  fakeResult,
  type RegistryNetwork,
  registryWith16Operators,
  requestOneValidator,
} from "../unit/chain/registryFixture.ts";

/** Two more operators than a cluster, so a missed seat can be redrawn. */
const EXTRA = 2;
const FALLBACK = 30n;
/** The operator that missed the DKG of the first scenario (the ejection scenario continues with it). */
let absentOperator = 0n;

let net: RegistryNetwork;
let operators: FixtureOperator[];
let chainId: number;
let timeout: bigint;
const dir = mkdtempSync(join(tmpdir(), "stinger-dkg-upkeep-"));

before(async () => {
  ({ net, operators } = await registryWith16Operators());
  chainId = net.manifest.chainId;
  const { contracts } = net;
  for (let i = 0; i < EXTRA; i++) {
    const owner = net.localClient(`dkg-upkeep-owner-${i}`);
    await net.client(0).sendTransaction({ to: owner.account.address, value: parseEther("20") });
    const signer = privateKeyToAccount(keccak256(toHex(`stinger-chain-test-signer-${17 + i}`)));
    const identityPubkey = toHex((await generateKeyPair("Ed25519")).publicKey.raw);
    const { operatorId } = await registerOperator(owner, {
      contracts,
      signer: signer.address,
      nodeIdentity: identityPubkey,
    });
    await bondOperator(owner, { contracts, operatorId, amount: parseEther("6") });
    await owner.sendTransaction({ to: signer.address, value: parseEther("1") });
    operators.push({ operatorId, signer, identityPubkey, peerSeed: 17 + i });
  }
  // Room for several open requests: 6 ETH of bond each (a lock is 1 ETH).
  for (let i = 1; i <= 16; i++) {
    await bondOperator(net.client(i), { contracts, operatorId: BigInt(i), amount: parseEther("4") });
  }
  timeout = (await getRegistryState(net.client(0), { contracts })).dkgTimeout;
});
after(async () => {
  await net.close();
  rmSync(dir, { recursive: true, force: true });
});

function signerClient(o: FixtureOperator) {
  return net.localClient(`stinger-chain-test-signer-${o.peerSeed}`);
}

function storeOf(o: FixtureOperator, name = "a"): AttestationStore {
  return AttestationStore.open(
    join(dir, `op${o.operatorId}-${name}`, "dkg-attestations.json"),
    `${chainId}:${net.contracts.operatorRegistry}`,
  );
}

function attestorOf(o: FixtureOperator, store = storeOf(o)): DkgAttestor {
  return new DkgAttestor({ client: signerClient(o), contracts: net.contracts, store, logger: silentLogger });
}

const byId = (id: number | bigint) => operators.find((o) => o.operatorId === BigInt(id)) as FixtureOperator;
const request = (requestId: bigint) => getValidatorRequest(net.client(0), { contracts: net.contracts, requestId });
const roundOf = (r: ValidatorRequest) => ({ requestId: r.requestId, requestedAt: r.requestedAt });

/** Every operator's node except `offline` runs the upkeep (each with its own attestation store). */
function upkeeps(offline: readonly bigint[], events: DkgUpkeepEvent[]): DkgUpkeep[] {
  return operators
    .filter((o) => !offline.includes(o.operatorId))
    .map(
      (o) =>
        new DkgUpkeep({
          client: signerClient(o),
          contracts: net.contracts,
          nodeIdentity: o.identityPubkey,
          attestor: attestorOf(o, storeOf(o, "upkeep")),
          fallbackSeconds: FALLBACK,
          attestMarginSeconds: 60n,
          pollIntervalMs: 10,
          logger: silentLogger,
          onEvent: (e) => events.push(e),
        }),
    );
}

async function tickAll(nodes: DkgUpkeep[]): Promise<void> {
  for (const n of nodes) await n.tick();
}

/** The members of `r` other than `absent` attest `digest` through their attestors. */
async function attestAllBut(r: ValidatorRequest, absent: readonly bigint[], digest: Hex): Promise<void> {
  for (const [p, id] of r.operatorIds.entries()) {
    if (absent.includes(BigInt(id))) continue;
    assert.equal((await attestorOf(byId(id)).attest(roundOf(r), p, digest)).outcome, "attested");
  }
}

describe("DKG attestations", () => {
  it("attest once per round, survive a restart, never downgrade a result, and skip a round that is over", async () => {
    const requestId = await requestOneValidator(net);
    const r = await request(requestId);
    const op = byId(r.operatorIds[0] as number);
    const digest = dkgResultDigest(
      chainId,
      net.contracts.operatorRegistry,
      fakeResult(requestId, `0x${"00".repeat(32)}`),
    );
    const first = attestorOf(op);
    const sent = await first.attest(roundOf(r), 0, digest);
    assert.equal(sent.outcome, "attested");
    assert.equal((await request(requestId)).attestedBitmap & 1n, 1n);
    const nonce = await net.client(0).getTransactionCount({ address: op.signer.address });
    assert.deepEqual(await first.attest(roundOf(r), 0, digest), {
      outcome: "already-attested",
      tx: sent.outcome === "attested" ? sent.tx : "0x",
    });
    // A restarted node reads its store: nothing is sent again, and "no result" never replaces the result.
    const restarted = attestorOf(op);
    assert.equal((await restarted.attest(roundOf(r), 0, digest)).outcome, "already-attested");
    assert.equal((await restarted.attest(roundOf(r), 0, NO_RESULT_DIGEST)).outcome, "kept-result");
    assert.equal(await net.client(0).getTransactionCount({ address: op.signer.address }), nonce);
    assert.match(
      readFileSync(join(dir, `op${op.operatorId}-a`, "dkg-attestations.json"), "utf8"),
      new RegExp(digest.slice(2)),
    );
    // Another round of the request (a redraw restarts `requestedAt`) is not this one.
    assert.deepEqual(await restarted.attest({ requestId, requestedAt: r.requestedAt - 1n }, 0, digest), {
      outcome: "stale",
      reason: `request requested, round ${r.requestedAt}`,
    });
    // A node not in the cluster cannot attest: the registry refuses it in simulation and nothing is recorded.
    const outsider = operators.find((o) => !r.operatorIds.includes(Number(o.operatorId))) as FixtureOperator;
    assert.deepEqual(await attestorOf(outsider).attest(roundOf(r), 1, digest), {
      outcome: "stale",
      reason: "NotRequestOperator",
    });
    assert.equal(storeOf(outsider).get(roundOf(r)), undefined);
    // Everyone else attests "no result": this request will time out with nobody to blame (see below).
    await attestAllBut(r, [op.operatorId], NO_RESULT_DIGEST);
  });
});

describe("DKG upkeep: an operator offline for the whole DKG", () => {
  let requestId: bigint;
  let absent: bigint;
  let first: ValidatorRequest;
  const events: DkgUpkeepEvent[] = [];
  let nodes: DkgUpkeep[];

  it("the others attest; before the timeout nothing is expired", async () => {
    requestId = await requestOneValidator(net);
    first = await request(requestId);
    absent = BigInt(first.operatorIds[5] as number);
    await attestAllBut(
      first,
      [absent],
      dkgResultDigest(chainId, net.contracts.operatorRegistry, fakeResult(requestId, `0x${"00".repeat(32)}`)),
    );
    nodes = upkeeps([absent], events);
    await tickAll(nodes);
    assert.deepEqual(events, []);
    assert.equal((await request(requestId)).status, "requested");
  });

  it("after the timeout one node expires it: the absent operator is struck, penalized and loses its seat", async () => {
    const bondBefore = (await getOperator(net.client(0), { contracts: net.contracts, operatorId: absent })).bondUnits;
    await net.increaseTime(Number(timeout));
    await tickAll(nodes);
    const expired = events.filter((e) => e.action === "expired");
    // Request 1 (everyone attested, no result) expires blaming nobody; this one strikes exactly the absent operator.
    const mine = expired.filter((e) => e.action === "expired" && e.requestId === requestId);
    assert.equal(mine.length, 1, "exactly one node expired the request");
    assert.deepEqual(mine[0], { ...mine[0], missedOperatorIds: [absent], redraw: true });
    const other = expired.find((e) => e.action === "expired" && e.requestId !== requestId);
    assert.deepEqual(other && other.action === "expired" ? [other.missedOperatorIds, other.redraw] : [], [[], false]);
    const strikes = await getOperatorStrikes(net.client(0), { contracts: net.contracts, operatorId: absent });
    assert.equal(strikes.inWindow, 1n);
    const bondAfter = (await getOperator(net.client(0), { contracts: net.contracts, operatorId: absent })).bondUnits;
    assert.equal(bondBefore - bondAfter, (first.lockUnits * 1_000n) / 10_000n, "10% of its lock burnt");
    for (const o of operators.filter((o) => o.operatorId !== absent)) {
      const s = await getOperatorStrikes(net.client(0), { contracts: net.contracts, operatorId: o.operatorId });
      assert.equal(s.total, 0n, `operator ${o.operatorId} attested and is not struck`);
    }
  });

  it("the upkeep draws the seat once the draw block is mined; the newcomer's follower joins the retried DKG", async () => {
    const cursorPath = join(dir, "cursor.json");
    const seen: RequestedEvent[] = [];
    // A fresh client per poll (viem caches the block number per client), and the cursor re-opened as after a restart.
    const watcher = () =>
      new RequestWatcher({
        client: net.client(0) as unknown as PublicClient,
        registry: net.contracts.operatorRegistry,
        cursor: RequestCursor.open(cursorPath, `${chainId}:${net.contracts.operatorRegistry}`, 0n),
        confirmations: 0,
        maxBlockRange: 1_000n,
        pollIntervalMs: 10,
        logger: silentLogger,
        onRequest: async (e) => void seen.push(e),
      });
    await watcher().poll();
    await net.mine(5);
    await tickAll(nodes);
    const redrawn = events.filter((e) => e.action === "redrawn");
    assert.equal(redrawn.length, 1, "exactly one node drew the seat");
    const second = await request(requestId);
    assert.equal(second.status, "requested");
    assert.ok(second.requestedAt > first.requestedAt, "the DKG clock restarts at the redraw");
    assert.equal(second.attestedBitmap, 0n);
    const newcomer = BigInt(second.operatorIds[5] as number);
    assert.ok(!first.operatorIds.includes(Number(newcomer)), "a newcomer takes the seat");
    assert.deepEqual(
      second.operatorIds.filter((_, p) => p !== 5),
      first.operatorIds.filter((_, p) => p !== 5),
    );
    // The watcher hands on the same request's second `ValidatorRequested` (and nothing it handled before).
    await watcher().poll();
    const again = seen.filter((e) => e.requestId === requestId);
    assert.equal(again.length, 2);
    const reader = new RegistryReader(net.client(0) as unknown as PublicClient, net.contracts.operatorRegistry);
    const options = (o: FixtureOperator) =>
      ({
        chain: { chainId, registry: net.contracts.operatorRegistry, forkVersion: "0x00000000" },
        reader,
        signer: o.signer,
        peers: [],
        attestor: attestorOf(o),
        ceremony: { identity: { record: { identityPubkey: o.identityPubkey } }, logger: silentLogger },
      }) as unknown as OnchainOperatorOptions;
    const joined = await prepareValidatorRequest(again[1] as RequestedEvent, options(byId(newcomer)));
    assert.ok("definition" in joined, "the newcomer is drawn");
    assert.equal(joined.position, 5);
    assert.equal(joined.round.requestedAt, second.requestedAt);
    const stayed = await prepareValidatorRequest(
      again[1] as RequestedEvent,
      options(byId(second.operatorIds[0] as number)),
    );
    assert.ok("definition" in stayed);
    assert.deepEqual(ceremonySessionId(stayed.definition), ceremonySessionId(joined.definition));
    assert.deepEqual(await prepareValidatorRequest(again[1] as RequestedEvent, options(byId(absent))), {
      requestId,
      action: "skipped",
      reason: "not-member",
    });
  });

  it("the DKG completes with the replacement: 16 attestations of the result stand in for the signatures", async () => {
    const second = await request(requestId);
    const wc = await net.client(0).readContract({
      address: net.contracts.stakingPool,
      abi: stakingPoolAbi,
      functionName: "withdrawalCredentials",
    });
    const result = fakeResult(requestId, wc);
    await attestAllBut(second, [], dkgResultDigest(chainId, net.contracts.operatorRegistry, result));
    const outcome = await submitWhenDue({
      reader: new RegistryReader(net.client(0) as unknown as PublicClient, net.contracts.operatorRegistry),
      wallet: net.client(1),
      registry: net.contracts.operatorRegistry,
      result,
      signatures: Array(16).fill("0x"),
      position: 0,
      fallbackMs: 1,
      pollIntervalMs: 5,
      graceMs: 1_000,
      logger: silentLogger,
    });
    assert.deepEqual(outcome, { ...outcome, submittedBy: "self", status: "predeposited" });
    absentOperator = absent;
  });
});

describe("DKG upkeep: ejection at the strike limit", () => {
  it("attests presence near the deadline for a round without a result, and ejects an operator with three strikes", async () => {
    const target = absentOperator;
    const events: DkgUpkeepEvent[] = [];
    const nodes = upkeeps([target], events);
    const strikesOf = async () =>
      (await getOperatorStrikes(net.client(0), { contracts: net.contracts, operatorId: target })).inWindow;
    let guarded = false;
    for (let round = 0; (await strikesOf()) < 3n; round++) {
      assert.ok(round < 12, "the target is drawn into a cluster within a few requests");
      const requestId = await requestOneValidator(net);
      const r = await request(requestId);
      const inCluster = r.operatorIds.includes(Number(target));
      await attestAllBut(r, inCluster ? [target] : [], NO_RESULT_DIGEST);
      await net.increaseTime(Number(timeout));
      await tickAll(nodes);
      if (!inCluster) continue;
      await net.mine(5);
      await tickAll(nodes);
      // The retried round: nobody's ceremony runs here, so the running nodes' upkeep attests presence just before
      // the timeout (once), and the round then expires blaming nobody.
      await net.increaseTime(Number(timeout) - 30);
      const before = events.length;
      await tickAll(nodes);
      const present = events.slice(before).filter((e) => e.action === "attested-no-result");
      assert.equal(present.length, 16, "each member of the retried round attested presence");
      await tickAll(nodes);
      const presentAgain = events.slice(before).filter((e) => e.action === "attested-no-result");
      assert.equal(presentAgain.length, 16, "and only once");
      guarded = true;
      await net.increaseTime(60);
      await tickAll(nodes);
      assert.equal((await request(requestId)).status, "expired");
    }
    assert.ok(guarded);
    await tickAll(nodes);
    const ejected = events.filter((e) => e.action === "ejected");
    assert.equal(ejected.length, 1, "exactly one node ejected it");
    assert.deepEqual(ejected[0], { ...ejected[0], operatorId: target, strikes: 3n });
    assert.equal((await getOperator(net.client(0), { contracts: net.contracts, operatorId: target })).ejected, true);
  });
});

describe("a drawn node whose ceremony fails", () => {
  it("attests 'no result' on-chain once, and skips the round's later events", async () => {
    const [self] = await inProcessOperators(1);
    const me = self as InProcessOperator;
    try {
      const owner = net.localClient("dkg-upkeep-owner-failing");
      await net.client(0).sendTransaction({ to: owner.account.address, value: parseEther("10") });
      const signer = privateKeyToAccount(keccak256(toHex("stinger-chain-test-signer-failing")));
      await net.client(0).sendTransaction({ to: signer.address, value: parseEther("1") });
      const identityPubkey = me.identity.record.identityPubkey;
      const { operatorId } = await registerOperator(owner, {
        contracts: net.contracts,
        signer: signer.address,
        nodeIdentity: identityPubkey,
      });
      await bondOperator(owner, { contracts: net.contracts, operatorId, amount: parseEther("6") });
      const reader = new RegistryReader(net.client(0) as unknown as PublicClient, net.contracts.operatorRegistry);
      const store = AttestationStore.open(
        join(dir, "failing", "dkg-attestations.json"),
        `${chainId}:${net.contracts.operatorRegistry}`,
      );
      const attestor = new DkgAttestor({
        client: net.localClient("stinger-chain-test-signer-failing"),
        contracts: net.contracts,
        store,
        logger: silentLogger,
      });
      const options = {
        chain: { chainId, registry: net.contracts.operatorRegistry, forkVersion: "0x00000000" },
        reader,
        signer,
        wallet: net.localClient("stinger-chain-test-signer-failing"),
        peers: [],
        ceremony: { ...me.deps, timeouts: { joinTimeoutMs: 1_000, roundTimeoutMs: 1_000 } },
        signatureTimeoutMs: 1_000,
        submitFallbackMs: 1_000,
        pollIntervalMs: 10,
        attestor,
      } as unknown as OnchainOperatorOptions;
      // Requests until this operator is drawn; the others are settled as nobody's fault (all attest "no result").
      for (let round = 0; ; round++) {
        assert.ok(round < 10, "drawn within a few requests");
        const requestId = await requestOneValidator(net);
        const r = await request(requestId);
        const event = { requestId, threshold: 11n, withdrawalCredentials: "0x" as Hex, blockNumber: 0n, logIndex: 0 };
        const prepared = await prepareValidatorRequest(event, options);
        if (!("definition" in prepared)) {
          await attestAllBut(r, [], NO_RESULT_DIGEST);
          await net.increaseTime(Number(timeout));
          await expireRequest(net.client(0), { contracts: net.contracts, requestId });
          continue;
        }
        // Nobody else runs its ceremony: the join round times out and the node attests its presence.
        await assert.rejects(executeValidatorRequest(prepared, options), /ERR_CEREMONY/);
        const after = await request(requestId);
        assert.equal((after.attestedBitmap >> BigInt(prepared.position)) & 1n, 1n, "attested on-chain");
        assert.equal(store.get(prepared.round)?.digest, NO_RESULT_DIGEST);
        assert.deepEqual(await prepareValidatorRequest(event, options), {
          requestId,
          action: "skipped",
          reason: "gave-up",
          status: "requested",
        });
        break;
      }
    } finally {
      await me.node.stop();
    }
  });
});
