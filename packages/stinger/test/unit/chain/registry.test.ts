import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { depositContractAbi, stakingPoolAbi } from "@nektar/sdk";
import type { Hex, PublicClient } from "viem";
import { RequestCursor } from "../../../src/chain/cursor.ts";
import { dkgResultDigest, signDkgResult } from "../../../src/chain/dkgResult.ts";
import { type OnchainOperatorOptions, prepareValidatorRequest } from "../../../src/chain/onchainOperator.ts";
import { RegistryReader } from "../../../src/chain/registryReader.ts";
import { clusterPosition, definitionFromRequest } from "../../../src/chain/requestDefinition.ts";
import { type RequestedEvent, RequestWatcher } from "../../../src/chain/requestWatcher.ts";
import { submitWhenDue } from "../../../src/chain/submitter.ts";
import { ceremonySessionId } from "../../../src/dkg/ceremony.ts";
import { silentLogger } from "../../support/p2pHarness.ts";
import {
  type FixtureOperator,
  fakeResult,
  type RegistryNetwork,
  registryWith16Operators,
  requestOneValidator,
} from "./registryFixture.ts";

let net: RegistryNetwork;
let operators: FixtureOperator[];
let reader: RegistryReader;
let chainId: number;
const dir = mkdtempSync(join(tmpdir(), "stinger-chain-"));
before(async () => {
  ({ net, operators } = await registryWith16Operators());
  reader = new RegistryReader(net.client(0) as unknown as PublicClient, net.contracts.operatorRegistry);
  chainId = net.manifest.chainId;
});
after(async () => {
  await net.close();
  rmSync(dir, { recursive: true, force: true });
});

function watcher(cursorFile: string, seen: RequestedEvent[], confirmations = 0): RequestWatcher {
  return new RequestWatcher({
    client: net.client(0) as unknown as PublicClient,
    registry: net.contracts.operatorRegistry,
    cursor: RequestCursor.open(join(dir, cursorFile), `${chainId}:${net.contracts.operatorRegistry}`, 0n),
    confirmations,
    maxBlockRange: 7n,
    pollIntervalMs: 10,
    logger: silentLogger,
    onRequest: async (e) => {
      seen.push(e);
    },
  });
}

describe("operator registry, followed by Stinger", () => {
  let requestId: bigint;
  let event: RequestedEvent;

  it("the watcher hands each ValidatorRequested on once, in order, and not again after a restart", async () => {
    const seen: RequestedEvent[] = [];
    requestId = await requestOneValidator(net);
    const w = watcher("cursor-a.json", seen);
    await w.poll();
    assert.deepEqual(
      seen.map((e) => e.requestId),
      [requestId],
    );
    event = seen[0] as RequestedEvent;
    assert.equal(event.threshold, 11n);
    const poolWc = await net.client(0).readContract({
      address: net.contracts.stakingPool,
      abi: stakingPoolAbi,
      functionName: "withdrawalCredentials",
    });
    assert.equal(event.withdrawalCredentials, poolWc);
    const again: RequestedEvent[] = [];
    await watcher("cursor-a.json", again).poll();
    assert.equal(again.length, 0, "a restarted watcher does not replay handled requests");
  });

  it("waits for confirmations before acting", async () => {
    const seen: RequestedEvent[] = [];
    const head = await net.client(0).getBlockNumber();
    const w = watcher("cursor-b.json", seen, 1_000_000);
    assert.equal(await w.poll(), null);
    assert.equal(seen.length, 0);
    assert.ok(head > 0n);
  });

  it("builds the same cluster definition and session id for every drawn operator", async () => {
    const request = await reader.request(event);
    assert.equal(request.nodeIdentities.length, 16);
    const positions = operators.map((o) => clusterPosition(request, o.identityPubkey));
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      [...Array(16).keys()],
    );
    const chain = { chainId, registry: net.contracts.operatorRegistry, forkVersion: "0x10000038" as Hex };
    const a = definitionFromRequest(request, chain, new Map());
    const b = definitionFromRequest(
      request,
      chain,
      new Map([[a.operators[0]?.peerId as string, ["/ip4/127.0.0.1/tcp/1"]]]),
    );
    assert.deepEqual(ceremonySessionId(a), ceremonySessionId(b));
    assert.equal(a.threshold, 11);
    assert.equal(a.operators.length, 16);
    assert.equal(a.withdrawalCredentials, event.withdrawalCredentials.toLowerCase());
    assert.equal(clusterPosition(request, `0x${"ab".repeat(32)}`), -1);
  });

  it("the EIP-712 digest equals the registry's dkgResultDigest view, and changes with chain, request, registry", async () => {
    const result = fakeResult(requestId, event.withdrawalCredentials);
    const local = dkgResultDigest(chainId, net.contracts.operatorRegistry, result);
    assert.equal(local, await reader.dkgResultDigest(result));
    assert.notEqual(local, dkgResultDigest(chainId + 1, net.contracts.operatorRegistry, result));
    assert.notEqual(
      local,
      dkgResultDigest(chainId, net.contracts.operatorRegistry, { ...result, requestId: requestId + 1n }),
    );
    assert.notEqual(local, dkgResultDigest(chainId, net.contracts.stakingPool, result));
  });

  it("submits once the 16 signatures are in: the pool deposits to the deposit contract", async () => {
    const request = await reader.request(event);
    const result = fakeResult(requestId, event.withdrawalCredentials);
    const byIdentity = new Map(operators.map((o) => [o.identityPubkey.toLowerCase(), o]));
    const ordered = request.nodeIdentities.map((n) => byIdentity.get(n.toLowerCase()) as FixtureOperator);
    const signatures = await Promise.all(
      ordered.map((o) => signDkgResult(o.signer, chainId, net.contracts.operatorRegistry, result)),
    );
    // One signature out of order is refused by the contract (simulation), so nothing is sent and the request stays.
    const swapped = [signatures[1], signatures[0], ...signatures.slice(2)] as Hex[];
    await assert.rejects(
      submitWhenDue({
        reader,
        wallet: net.client(1),
        registry: net.contracts.operatorRegistry,
        result,
        signatures: swapped,
        position: 0,
        fallbackMs: 1,
        pollIntervalMs: 5,
        graceMs: 50,
        logger: silentLogger,
      }),
      /ERR_CHAIN_NOT_SUBMITTED/,
    );
    assert.equal(await reader.status(requestId), "requested");
    const fromBlock = await net.client(0).getBlockNumber();
    const outcome = await submitWhenDue({
      reader,
      wallet: net.client(1),
      registry: net.contracts.operatorRegistry,
      result,
      signatures,
      position: 0,
      fallbackMs: 1,
      pollIntervalMs: 5,
      graceMs: 1_000,
      logger: silentLogger,
    });
    assert.equal(outcome.submittedBy, "self");
    assert.equal(outcome.status, "predeposited");
    const deposits = await net.client(0).getContractEvents({
      address: net.contracts.depositContract,
      abi: depositContractAbi,
      eventName: "DepositEvent",
      fromBlock,
    });
    assert.equal(deposits.length, 1);
    assert.equal(deposits[0]?.args.pubkey, result.groupPubkey);
    assert.equal(deposits[0]?.args.withdrawal_credentials, event.withdrawalCredentials.toLowerCase());
    // A late submitter in the fallback line sees the result on-chain and does not send anything.
    const late = await submitWhenDue({
      reader,
      wallet: net.client(1),
      registry: net.contracts.operatorRegistry,
      result,
      signatures,
      position: 5,
      fallbackMs: 60_000,
      pollIntervalMs: 5,
      graceMs: 0,
      logger: silentLogger,
    });
    assert.deepEqual(late, { submittedBy: "other", status: "predeposited" });
  });

  it("acts only for a drawn node whose registered signer it holds, and only while the request is open", async () => {
    const drawn = (await reader.request(event)).nodeIdentities[3] as Hex;
    const op = operators.find((o) => o.identityPubkey.toLowerCase() === drawn.toLowerCase()) as FixtureOperator;
    const options = (identityPubkey: Hex, signer = op.signer) =>
      ({
        chain: { chainId, registry: net.contracts.operatorRegistry, forkVersion: "0x10000038" },
        reader,
        signer,
        peers: [],
        ceremony: { identity: { record: { identityPubkey } }, logger: silentLogger },
      }) as unknown as OnchainOperatorOptions;
    const fresh = await requestOneValidator(net);
    const freshEvent = { ...event, requestId: fresh };
    const freshDrawn = (await reader.request(freshEvent)).nodeIdentities[0] as Hex;
    const freshOp = operators.find(
      (o) => o.identityPubkey.toLowerCase() === freshDrawn.toLowerCase(),
    ) as FixtureOperator;
    const prepared = await prepareValidatorRequest(freshEvent, options(freshDrawn, freshOp.signer));
    assert.ok("definition" in prepared);
    assert.equal(prepared.position, 0);
    assert.equal(prepared.definition.requestId, fresh);
    assert.deepEqual(await prepareValidatorRequest(freshEvent, options(`0x${"cd".repeat(32)}`)), {
      requestId: fresh,
      action: "skipped",
      reason: "not-member",
    });
    const other = operators.find((o) => o !== freshOp) as FixtureOperator;
    assert.deepEqual(await prepareValidatorRequest(freshEvent, options(freshDrawn, other.signer)), {
      requestId: fresh,
      action: "skipped",
      reason: "signer-mismatch",
    });
    assert.deepEqual(await prepareValidatorRequest(event, options(drawn)), {
      requestId,
      action: "skipped",
      reason: "not-requested",
      status: "predeposited",
    });
  });
});
