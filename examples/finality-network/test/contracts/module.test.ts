import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  createLogger,
  NetworkKey,
  NetworkModuleHost,
  type NetworkPubSub,
  networkTopicName,
  StatementProtection,
} from "@nektar/stinger";
import { network } from "hardhat";
import { Registry } from "prom-client";
import { maxUint256, parseEther, type WalletClient, zeroAddress } from "viem";
import finalityRelayModule from "../../module/index.ts";
import { decodeSignedStatement } from "../../module/messages.ts";
import { popMessage, statementDigest } from "../../module/statement.ts";
import { deployFinality, type Member, networkKey } from "./fixture.ts";

/** Gossip between the hosts of one test: every subscribed peer but the sender receives. */
function bus() {
  const peers = new Map<string, { topics: Set<string>; handler?: (t: string, f: string, d: Uint8Array) => void }>();
  return (id: string): NetworkPubSub => {
    const me: { topics: Set<string>; handler?: (t: string, f: string, d: Uint8Array) => void } = { topics: new Set() };
    peers.set(id, me);
    return {
      subscribe: (t) => void me.topics.add(t),
      unsubscribe: (t) => void me.topics.delete(t),
      publish: async (t, d) => {
        for (const [pid, p] of peers) if (pid !== id && p.topics.has(t)) setImmediate(() => p.handler?.(t, id, d));
      },
      onMessage: (h) => {
        me.handler = h;
        return () => delete me.handler;
      },
    };
  };
}

async function until(what: string, check: () => Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await sleep(20);
  }
}

type Fixture = Awaited<ReturnType<typeof deployFinality>>;

/** One module host per operator on one gossip bus; `options[i]` are operator i's module options. */
async function startHosts(
  f: Fixture,
  dirs: string[],
  operators: { wallet: WalletClient; key: NetworkKey; options?: Record<string, unknown> }[],
): Promise<NetworkModuleHost[]> {
  const chainId = await f.publicClient.getChainId();
  const connect = bus();
  const peers = operators.map((_, i) => `peer${i}`);
  const hosts: NetworkModuleHost[] = [];
  for (const [i, o] of operators.entries()) {
    const dir = mkdtempSync(join(tmpdir(), "fr-"));
    dirs.push(dir);
    const host = new NetworkModuleHost({
      logger: createLogger({ level: "fatal" }),
      metrics: new Registry(),
      pubsub: connect(peers[i] as string),
    });
    const ok = await host.add(finalityRelayModule, {
      network: { contract: f.relay.address, registry: f.registry.address, networkId: f.networkId, chainId },
      operator: o.wallet.account?.address ?? zeroAddress,
      key: o.key,
      protection: StatementProtection.open(dir, "finality-relay"),
      chain: { publicClient: f.publicClient, walletClient: o.wallet },
      options: o.options ?? {},
    });
    assert.equal(ok, true, `module of operator ${i} started`);
    host.setMembers(
      "finality-relay",
      peers.filter((p) => p !== peers[i]),
    );
    hosts.push(host);
  }
  return hosts;
}

describe("finality-relay module on Stinger's module host, against the contracts", async () => {
  const { viem } = await network.create();
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("computes the digests the contract computes", async () => {
    const f = await deployFinality(viem, [parseEther("10")]);
    const chainId = await f.publicClient.getChainId();
    const s = await f.statement();
    assert.equal(statementDigest(chainId, f.relay.address, s), await f.relay.read.statementDigest([s]));
    const m = f.members[0] as Member;
    assert.equal(
      popMessage(chainId, f.relay.address, m.address, m.pubkey),
      await f.relay.read.popMessage([m.address, m.pubkey]),
    );
  });

  it("certifies an epoch, pays its reward through the vault, and slashes an equivocating operator", async () => {
    const f = await deployFinality(viem, [parseEther("10"), parseEther("10"), parseEther("10")]);
    const first = await f.statement();
    const equivocateAt = first.epoch + 1n;
    const hosts = await startHosts(
      f,
      dirs,
      f.members.map((m, i) => ({
        wallet: m.wallet,
        key: new NetworkKey(m.sk),
        options: i === 2 ? { unsafeEquivocateAtEpoch: equivocateAt.toString() } : {},
      })),
    );
    const finalize = (s: typeof first) => {
      const checkpoint = { epoch: s.epoch, root: s.checkpointRoot, executionBlockHash: s.executionBlockHash };
      for (const h of hosts) h.dispatch({ kind: "finalized", checkpoint });
    };

    // certify
    const vaultEpoch = await f.vault.read.currentEpoch();
    finalize(first);
    await until(
      "certificate of the first epoch",
      async () => (await f.relay.read.certificateOf([first.epoch])).certifiedAt > 0n,
    );
    const signers = (await f.relay.read.certificateOf([first.epoch])).signers;
    assert.ok(
      signers === 0b111n || signers === 0b011n || signers === 0b101n || signers === 0b110n,
      `signers ${signers}`,
    );

    // reward: the next vault epoch's payer pays the finished one through the vault
    await f.nextVaultEpoch();
    for (const h of hosts) h.dispatch({ kind: "epoch", epoch: 0n });
    await until("rewards paid", async () => {
      let owed = 0n;
      for (const m of f.members) owed += await f.relay.read.owedRewards([vaultEpoch, m.address]);
      return owed === 0n;
    });
    let commissions = 0n;
    for (const m of f.members) commissions += await f.vault.read.operatorRewardsOf([m.address, zeroAddress]);
    assert.ok(commissions > 0n, "10% commissions credited in the vault");

    // equivocate → slash
    await f.testClient.increaseTime({ seconds: 48 });
    await f.testClient.mine({ blocks: 1 });
    const second = await f.statement(equivocateAt);
    const offender = f.members[2] as Member;
    assert.equal(await f.vault.read.operatorStake([offender.address]), parseEther("10"));
    finalize(second);
    await until("offender slashed", async () => (await f.vault.read.operatorStake([offender.address])) === 0n);
    for (const h of hosts) await h.stop();
  });

  it("registers its key at the first epoch after the opt-in; the demo switch equivocates once certified and is slashed", async () => {
    // Stakes 10 / 10 / 30: every certificate needs the late operator (two thirds of 50).
    const f = await deployFinality(viem, [parseEther("10"), parseEther("10")]);
    const late = f.accounts.outsider;
    const account = late.account;
    await f.vault.write.registerOperator([1_000n], { account });
    await f.pool.write.stake({ account, value: parseEther("31") });
    await f.pool.write.approve([f.vault.address, maxUint256], { account });
    await f.vault.write.deposit([account.address, parseEther("30")], { account });
    // A module whose operator is not opted in yet still starts.
    const hosts = await startHosts(f, dirs, [
      ...f.members.map((m) => ({ wallet: m.wallet, key: new NetworkKey(m.sk) })),
      { wallet: late, key: new NetworkKey(networkKey(77).sk), options: { unsafeEquivocateOnceCertified: true } },
    ]);
    const lateHost = hosts[2] as NetworkModuleHost;
    assert.equal(await f.relay.read.operatorCount(), 2n);
    lateHost.dispatch({ kind: "epoch", epoch: 0n });
    await sleep(200);
    assert.equal(await f.relay.read.operatorCount(), 2n, "no key before the opt-in");
    await f.registry.write.optIn([f.networkId], { account });
    lateHost.dispatch({ kind: "epoch", epoch: 1n });
    await until(
      "the late operator's key registered",
      async () => (await f.relay.read.indexOf([account.address])) === 3n,
    );
    await f.nextVaultEpoch();
    await f.nextVaultEpoch();
    const finalize = (s: Awaited<ReturnType<typeof f.statement>>) => {
      const checkpoint = { epoch: s.epoch, root: s.checkpointRoot, executionBlockHash: s.executionBlockHash };
      for (const h of hosts) h.dispatch({ kind: "finalized", checkpoint });
    };
    const first = await f.statement();
    finalize(first);
    await until("certificate with the late operator", async () => {
      const c = await f.relay.read.certificateOf([first.epoch]);
      return c.certifiedAt > 0n && (c.signers & 0b100n) !== 0n;
    });
    assert.equal(await f.vault.read.operatorStake([account.address]), parseEther("30"), "no equivocation before");
    await f.testClient.increaseTime({ seconds: 48 });
    await f.testClient.mine({ blocks: 1 });
    finalize(await f.statement(first.epoch + 1n));
    await until(
      "the equivocating operator slashed",
      async () => (await f.vault.read.operatorStake([account.address])) === 0n,
    );
    for (const h of hosts) await h.stop();
  });
  it("refuses to sign a conflicting root after a restart, and follows the relay's certificates from its logs", async () => {
    const f = await deployFinality(viem, [parseEther("10"), parseEther("10"), parseEther("10")]);
    const chainId = await f.publicClient.getChainId();
    const m = f.members[0] as Member;
    const network = { contract: f.relay.address, registry: f.registry.address, networkId: f.networkId, chainId };
    const connect = bus();
    // Another operator's node on the topic: what the module publishes is what leaves the process.
    const spy = connect("spy");
    const published: Uint8Array[] = [];
    spy.onMessage((_, __, data) => void published.push(data));
    spy.subscribe(networkTopicName(network, "finality-relay"));
    const dir = mkdtempSync(join(tmpdir(), "fr-restart-"));
    dirs.push(dir);
    const start = async (metrics: Registry) => {
      const host = new NetworkModuleHost({ logger: createLogger({ level: "fatal" }), metrics, pubsub: connect("p0") });
      const ok = await host.add(finalityRelayModule, {
        network,
        operator: m.address,
        key: new NetworkKey(m.sk),
        protection: StatementProtection.open(dir, "finality-relay"),
        chain: { publicClient: f.publicClient, walletClient: m.wallet },
        options: {},
      });
      assert.equal(ok, true);
      return host;
    };
    const s = await f.statement();
    const finalize = (host: NetworkModuleHost, root: `0x${string}`) =>
      host.dispatch({
        kind: "finalized",
        checkpoint: { epoch: s.epoch, root, executionBlockHash: s.executionBlockHash },
      });

    const before = await start(new Registry());
    finalize(before, s.checkpointRoot);
    await until("the first statement published", async () => published.length === 1);
    assert.equal(decodeSignedStatement(published[0] as Uint8Array)?.statement.checkpointRoot, s.checkpointRoot);
    await before.stop();

    // Restart: a new process over the same data folder is offered another root for the same epoch.
    const metrics = new Registry();
    const after = await start(metrics);
    finalize(after, `0x${"ee".repeat(32)}`);
    await until("the conflicting request refused", async () => after.status()[0]?.errors === 1);
    assert.equal(after.status()[0]?.lastError, "ERR_NETWORK_CONFLICTING_SIGNATURE");
    await sleep(50);
    assert.equal(published.length, 1, "no signature over the conflicting root left the module");
    // The same root again is a re-broadcast, not a conflict.
    finalize(after, s.checkpointRoot);
    await until("the same statement re-broadcast", async () => published.length === 2);
    assert.equal(decodeSignedStatement(published[1] as Uint8Array)?.statement.checkpointRoot, s.checkpointRoot);

    // The relay's logs (as Stinger's log feed delivers them): a certificate with this operator's signature.
    assert.deepEqual(after.watchedAddresses(), [f.relay.address]);
    const hash = await f.relay.write.submitCertificate(await f.certificate(s, [0, 1, 2]));
    const { logs } = await f.publicClient.waitForTransactionReceipt({ hash });
    after.dispatch({ kind: "logs", logs });
    await until("the certificate counted", async () =>
      /stinger_network_finality_relay_certificates_seen_total\{signed="true"\} 1/.test(await metrics.metrics()),
    );
    assert.match(await metrics.metrics(), /stinger_network_finality_relay_statements_signed_total 1/);
    await after.stop();
  });
  it("admits on its topic only the nodes of operators opted in to the Network with a Network key (opt-out removes them)", async () => {
    const f = await deployFinality(viem, [parseEther("10"), parseEther("10"), parseEther("10")]);
    const [a, b, c] = f.members as [Member, Member, Member];
    const hosts = await startHosts(f, dirs, [{ wallet: a.wallet, key: new NetworkKey(a.sk) }]);
    const host = hosts[0] as NetworkModuleHost;
    // An opted-in operator without a Network key is not a member either.
    const keyless = f.accounts.outsider.account;
    await f.vault.write.registerOperator([1_000n], { account: keyless });
    await f.registry.write.optIn([f.networkId], { account: keyless });
    const peerOf = async (operator: `0x${string}`) => `node-${operator.toLowerCase()}`;
    await host.refreshMembers(peerOf);
    assert.deepEqual(host.memberPeers().sort(), (await Promise.all([a, b, c].map((m) => peerOf(m.address)))).sort());

    await f.registry.write.optOut([f.networkId], { account: c.wallet.account });
    await f.nextVaultEpoch();
    await f.nextVaultEpoch();
    await host.refreshMembers(peerOf);
    assert.deepEqual(
      host.memberPeers().sort(),
      (await Promise.all([a, b].map((m) => peerOf(m.address)))).sort(),
      "the opted-out operator's node is no longer admitted",
    );
    for (const h of hosts) await h.stop();
  });
  it("backs up an offline aggregator: the next in turn certifies one epoch later and pays what its payer left owed", async () => {
    const f = await deployFinality(viem, [parseEther("10"), parseEther("10"), parseEther("10")]);
    const [a, b, c] = f.members as [Member, Member, Member];
    // Operator 2's node is down; 0 and 1 hold two thirds of the stake.
    const hosts = await startHosts(
      f,
      dirs,
      [a, b].map((m) => ({ wallet: m.wallet, key: new NetworkKey(m.sk) })),
    );
    const everyHost = (event: Parameters<NetworkModuleHost["dispatch"]>[0]) => {
      for (const h of hosts) h.dispatch(event);
    };
    // A vault epoch whose payer (by turn, the next vault epoch's number mod 3) is the offline operator.
    while ((await f.vault.read.currentEpoch()) % 3n !== 1n) await f.nextVaultEpoch();
    const vaultEpoch = await f.vault.read.currentEpoch();
    const latest = (await f.statement()).epoch;
    const s = await f.statement(latest - ((latest + 1n) % 3n)); // its aggregator is operator 2
    everyHost({
      kind: "finalized",
      checkpoint: { epoch: s.epoch, root: s.checkpointRoot, executionBlockHash: s.executionBlockHash },
    });
    await sleep(300);
    assert.equal((await f.relay.read.certificateOf([s.epoch])).certifiedAt, 0, "its aggregator is offline");
    everyHost({ kind: "epoch", epoch: s.epoch + 3n });
    await until("the backup's certificate", async () => (await f.relay.read.certificateOf([s.epoch])).certifiedAt > 0);
    assert.equal((await f.relay.read.certificateOf([s.epoch])).signers, 0b011n);

    await f.nextVaultEpoch();
    everyHost({ kind: "epoch", epoch: s.epoch + 4n });
    await sleep(300);
    assert.ok((await f.relay.read.owedRewards([vaultEpoch, a.address])) > 0n, "its payer is offline");
    await f.nextVaultEpoch();
    everyHost({ kind: "epoch", epoch: s.epoch + 5n });
    await until("the owed rewards paid by the next payer", async () => {
      let owed = 0n;
      for (const m of [a, b, c]) owed += await f.relay.read.owedRewards([vaultEpoch, m.address]);
      return owed === 0n;
    });
    for (const h of hosts) await h.stop();
  });
});
