import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { ssz } from "@lodestar/types";
import {
  bondOperator,
  depositContractAbi,
  drawCluster,
  type NektarManifest,
  operatorRegistryAbi,
  registerOperator,
  requestValidator,
  stake,
  stakingPoolAbi,
} from "@nektar/sdk";
import { createPublicClient, http, parseEther } from "viem";
import { type VerifiedLock, verifyClusterLock } from "../../src/dkg/verifyLock.ts";
import { createIdentity } from "../../src/identity/identity.ts";
import { chainOf, deploySystem, fundedKey, type HardhatNode, startHardhatNode } from "./onchainSupport.ts";
import { assertDepositIndependentlyValid } from "./support/depositCheck.ts";
import { PASSWORD, readLock, STINGER_BIN } from "./support/processCluster.ts";

const N = 16;
const FORK_VERSION = "0x10000038";
const run = promisify(execFile);
const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/^0x/, ""), "hex"));

/** Distinct ports below the ephemeral range (see processCluster's freePort for why). */
function ports(n: number): number[] {
  const base = 20000 + Math.floor(Math.random() * 8000);
  return [...Array(n).keys()].map((i) => base + i);
}

type Follower = { child: ChildProcess; output: string[]; exited: Promise<number> };

function spawnFollower(args: string[]): Follower {
  const child = spawn(process.execPath, [STINGER_BIN, "operator", "follow", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const onData = (b: Buffer) => output.push(...b.toString("utf8").split("\n").filter(Boolean));
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 128)));
  return { child, output, exited };
}

async function stinger(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run(process.execPath, [STINGER_BIN, ...args], { encoding: "utf8" });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, out: (err.stdout ?? "") + (err.stderr ?? "") };
  }
}

describe(`on-chain: ${N} Stinger processes follow the operator registry on a Hardhat node`, () => {
  const root = mkdtempSync(join(tmpdir(), "stinger-onchain-"));
  let node: HardhatNode | undefined;
  let followers: Follower[] = [];
  after(async () => {
    for (const f of followers) if (f.child.exitCode === null && f.child.signalCode === null) f.child.kill("SIGKILL");
    await node?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("stake 32 ETH → requestValidator → ceremony → result submitted → DepositEvent with the group key", async () => {
    const [rpcPort, ...p2pPorts] = ports(N + 1) as [number, ...number[]];
    node = await startHardhatNode(rpcPort);
    const manifestPath = join(root, "manifest.json");
    const manifest: NektarManifest = await deploySystem(node.rpcUrl, manifestPath, FORK_VERSION);
    const chain = chainOf(manifest, node.rpcUrl);
    const { contracts } = manifest;
    const passwordFile = join(root, "password.txt");
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    const chainFlags = ["--manifest", manifestPath];

    const ops = [];
    for (let i = 0; i < N; i++) {
      const dataDir = join(root, `op${i + 1}`);
      const owner = await fundedKey(node.rpcUrl, chain, root, `owner-${i + 1}`);
      const signer = await fundedKey(node.rpcUrl, chain, root, `signer-${i + 1}`, "10");
      const identity = await createIdentity({
        dataDir,
        password: PASSWORD,
        elAccount: { address: owner.account.address },
      });
      ops.push({ dataDir, owner, signer, identity, port: p2pPorts[i] as number });
    }

    // Operator 1 goes through the CLI (register, bond, bad input, status); the others through the SDK.
    const first = ops[0] as (typeof ops)[number];
    const cliBase = ["--data-dir", first.dataDir, ...chainFlags, "--owner-key-file", first.owner.keyFile];
    const reg = await stinger([
      "operator",
      "register",
      ...cliBase,
      "--signer-key-file",
      first.signer.keyFile,
      "--json",
    ]);
    assert.equal(reg.code, 0, reg.out);
    assert.equal(JSON.parse(reg.out.trim().split("\n").at(-1) as string).operatorId, "1");
    const bad = await stinger(["operator", "bond", ...cliBase, "--amount", "-1"]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.out, /invalid amount "-1": must not be negative/);
    const wrongChain = await stinger(["operator", "status", ...chainFlags, "--operator-id", "1", "--chain-id", "1"]);
    assert.notEqual(wrongChain.code, 0);
    assert.match(wrongChain.out, /WRONG_NETWORK|chain/i);
    const tooMuch = await stinger(["operator", "bond", ...cliBase, "--amount", "1000000"]);
    assert.notEqual(tooMuch.code, 0);
    assert.match(tooMuch.out, /insufficient ETH balance/);
    const bonded = await stinger(["operator", "bond", ...cliBase, "--amount", "2"]);
    assert.equal(bonded.code, 0, bonded.out);
    const status = await stinger(["operator", "status", "--data-dir", first.dataDir, ...chainFlags, "--json"]);
    assert.equal(status.code, 0, status.out);
    const shown = JSON.parse(status.out.trim().split("\n").at(-1) as string);
    assert.equal(shown.nodeIdentity, first.identity.record.identityPubkey);
    assert.equal(shown.signer, first.signer.account.address);
    assert.ok(BigInt(shown.freeUnits) > 0n);

    for (const op of ops.slice(1)) {
      const { operatorId } = await registerOperator(op.owner.client, {
        contracts,
        signer: op.signer.account.address,
        nodeIdentity: op.identity.record.identityPubkey,
      });
      await bondOperator(op.owner.client, { contracts, operatorId, amount: parseEther("2") });
    }
    const staker = await fundedKey(node.rpcUrl, chain, root, "staker");
    await stake(staker.client, { contracts, amount: parseEther("32") });
    const { requestId, drawBlock } = await requestValidator(staker.client, { contracts });
    // Step 2 of the request: mine up to the draw block, then draw the cluster from its RANDAO mix.
    const head = await staker.client.getBlockNumber({ cacheTime: 0 });
    if (head <= drawBlock) {
      await staker.client.request({
        method: "hardhat_mine",
        params: [`0x${(drawBlock - head + 1n).toString(16)}`],
      } as never);
    }
    await drawCluster(staker.client, { contracts, requestId });

    const peers = ops.map((o) => `/ip4/127.0.0.1/tcp/${o.port}/p2p/${o.identity.peerId.toString()}`).join(",");
    const started = performance.now();
    followers = ops.map((o) =>
      spawnFollower([
        "--data-dir",
        o.dataDir,
        "--password-file",
        passwordFile,
        ...chainFlags,
        "--signer-key-file",
        o.signer.keyFile,
        "--fork-version",
        FORK_VERSION,
        "--listen",
        `/ip4/127.0.0.1/tcp/${o.port}`,
        "--bootnodes",
        peers,
        "--no-metrics",
        "--log-level",
        "warn",
        "--poll-interval-ms",
        "500",
        "--submit-fallback-ms",
        "15000",
        "--max-requests",
        "1",
        "--json",
      ]),
    );
    const timers = followers.map((f) => setTimeout(() => f.child.kill("SIGKILL"), 240_000));
    const codes = await Promise.all(followers.map((f) => f.exited));
    for (const t of timers) clearTimeout(t);
    const seconds = (performance.now() - started) / 1000;
    codes.forEach((code, i) => {
      assert.equal(code, 0, `operator ${i + 1} exited ${code}:\n${followers[i]?.output.join("\n")}`);
    });
    const outcomes = followers.map((f) => JSON.parse(f.output.filter((l) => l.startsWith("{")).at(-1) as string));
    outcomes.forEach((o, i) => {
      assert.equal(o.action, "completed", `operator ${i + 1}: ${followers[i]?.output.join("\n")}`);
      // The result deposits 1 ETH; the other 31 ETH follow a beacon proof of the credentials (`completeDeposit`).
      assert.equal(o.status, "predeposited");
      assert.equal(o.requestId, requestId.toString());
    });
    assert.equal(outcomes.filter((o) => o.submittedBy === "self").length, 1, "exactly one operator submitted");

    // Each node builds its lock's definition from the chain plus its own dialing hints (bootnodes and listen
    // addresses), which the lock hash leaves out: the locks must agree on everything hashed (each verifies from
    // scratch under one lock hash) and, as every node here got the same bootnodes, list each member's address once.
    const verified = ops.map((o) => verifyClusterLock(JSON.parse(readLock(o.dataDir))));
    const withoutHints = ({ lock, definition }: VerifiedLock) => ({
      ...lock,
      definition: { ...definition, operators: definition.operators.map((o) => ({ ...o, multiaddrs: [] })) },
    });
    const addressOf = new Map(ops.map((o) => [o.identity.peerId.toString(), [`/ip4/127.0.0.1/tcp/${o.port}`]]));
    const { lock } = verified[0] as VerifiedLock;
    verified.forEach((v, i) => {
      assert.equal(v.lock.lockHash, lock.lockHash, `operator ${i + 1} locked another hash`);
      assert.deepEqual(withoutHints(v), withoutHints(verified[0] as VerifiedLock), `operator ${i + 1}'s lock differs`);
      for (const member of v.definition.operators) {
        assert.deepEqual(
          member.multiaddrs,
          addressOf.get(member.peerId),
          `operator ${i + 1}'s hints for ${member.peerId}`,
        );
      }
    });
    assertDepositIndependentlyValid(lock);
    const reader = createPublicClient({ chain, transport: http(node.rpcUrl) });
    const [deposit] = await reader.getContractEvents({
      address: contracts.depositContract,
      abi: depositContractAbi,
      eventName: "DepositEvent",
      fromBlock: manifest.deploymentBlock,
      strict: true,
    });
    assert.ok(deposit, "the deposit contract emitted a DepositEvent");
    const wc = await reader.readContract({
      address: contracts.stakingPool,
      abi: stakingPoolAbi,
      functionName: "withdrawalCredentials",
    });
    assert.equal(deposit.args.pubkey, lock.groupPublicKey);
    assert.equal(deposit.args.withdrawal_credentials, wc);
    const amountGwei = Buffer.from(hex(deposit.args.amount)).readBigUInt64LE();
    // The ceremony signs the 1 ETH predeposit (the registry verifies it on-chain); 31 ETH follow a credentials proof.
    assert.equal(amountGwei, 1_000_000_000n);
    const dataRoot = ssz.phase0.DepositData.hashTreeRoot({
      pubkey: hex(deposit.args.pubkey),
      withdrawalCredentials: hex(deposit.args.withdrawal_credentials),
      amount: Number(amountGwei),
      signature: hex(deposit.args.signature),
    });
    assert.equal(Buffer.from(dataRoot).toString("hex"), lock.depositData.deposit_data_root);
    const [, sharePubkeysHash] = await reader.readContract({
      address: contracts.operatorRegistry,
      abi: operatorRegistryAbi,
      functionName: "validatorKeys",
      args: [requestId],
    });
    assert.ok(/^0x[0-9a-f]{64}$/.test(sharePubkeysHash));
    console.log(`# ${N} followers: request → deposit in ${seconds.toFixed(1)} s`);
    assert.ok(
      readFileSync(join(first.dataDir, "registry-cursor.json"), "utf8").includes(
        manifest.contracts.operatorRegistry.toLowerCase(),
      ),
    );
  });
});
