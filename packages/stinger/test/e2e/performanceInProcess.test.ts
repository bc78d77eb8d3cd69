/**
 * Per-share performance statements produced by the real wired code: 16-member clusters in one process (duty pipeline,
 * recorder, `PerformanceExchange` over the in-memory cluster transport) against beacon-devnet (minimal preset, 2 s
 * slots), with operator 16 stopped for the whole run. Each statement the 15 running members agree on is checked with
 * `PerformanceStatement.verify` (EIP-2537) on a Hardhat EDR chain.
 */

// The minimal preset, before anything imports @lodestar/params.
import "@nektar/beacon-devnet";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { g1PointFromPublicKey, g2PointFromSignature } from "@nektar/crypto";
import { bytesToHex, createPublicClient, createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { DutyNode } from "../../src/node/dutyNode.ts";
import type { SignedPerformanceStatement } from "../../src/performance/store.ts";
import { type InProcessCluster, startInProcessCluster } from "./dutiesSupport/inProcessCluster.ts";
import { type HardhatNode, startHardhatNode } from "./onchainSupport.ts";

const N = 16;
const T = 11;
const INTEROP = 32;
const DVS = 2;
/** One minimal-preset epoch per frame: a statement per validator about every 16 s. */
const FRAME_SLOTS = 8;
const STOPPED = 16;
const ORACLE = "0x00000000000000000000000000000000000000aa";
/** Hardhat's first default account (funded on `hardhat node`). */
const DEPLOYER = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const HARNESS = new URL(
  "../../../../contracts/artifacts/src/test-doubles/PerformanceStatementHarness.sol/PerformanceStatementHarness.json",
  import.meta.url,
);

describe("performance statements: 16 members in process, one stopped, verified on-chain", { timeout: 240_000 }, () => {
  let cluster: InProcessCluster;
  let chain: HardhatNode;
  let nodes: DutyNode[];
  let fork: Hex;

  before(async () => {
    chain = await startHardhatNode(20_000 + Math.floor(Math.random() * 20_000));
    // Operator 16 is stopped for the whole run: it never starts.
    cluster = await startInProcessCluster({
      operators: N,
      threshold: T,
      validators: DVS,
      interop: INTEROP,
      performance: { frameSlots: FRAME_SLOTS, statements: { chainId: 31337n, oracle: ORACLE } },
      stopped: [STOPPED - 1],
    });
    nodes = cluster.nodes.filter((n): n is DutyNode => n !== undefined);
    fork = cluster.beacon.genesisForkVersion;
  });

  after(async () => {
    await cluster?.stop();
    await chain?.stop();
  });

  it("every running member holds the same statement; the stopped share shows 0; it verifies with EIP-2537", async () => {
    // From frame 1 on (frame 0 began before the nodes ran): the first frame where every running member holds a
    // statement for the same validators (a validator whose duties all failed under load has none that frame).
    const statementsOf = (n: DutyNode, frame: number) =>
      cluster.fixture.validators.flatMap((v) => {
        const s = n.performance?.store.loadStatement(v.dealt.pubkey, frame);
        return s === undefined ? [] : [s];
      });
    const agreedFrame = () => {
      const current = Math.floor(cluster.devnet.clock.currentSlot() / FRAME_SLOTS);
      for (let frame = 1; frame < current; frame++) {
        const held = nodes.map((n) => statementsOf(n, frame).length);
        if ((held[0] ?? 0) > 0 && held.every((h) => h === held[0])) return frame;
      }
      return undefined;
    };
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline && agreedFrame() === undefined) await new Promise((r) => setTimeout(r, 1_000));
    const frame = agreedFrame();
    assert.ok(frame !== undefined, "a frame whose statements every running member holds");
    const all = nodes.map((n) => statementsOf(n, frame));
    const first = all[0] as SignedPerformanceStatement[];
    for (const s of all) assert.deepEqual(s, first, "identical at every running member");
    for (const s of first) {
      const { expected, contributed } = s.statement;
      assert.equal(contributed[STOPPED - 1], 0, "the stopped operator's share contributed nothing");
      assert.ok((expected[STOPPED - 1] ?? 0) > 0, "its duties were expected");
      assert.ok(
        contributed.filter((c, i) => i !== STOPPED - 1 && c > 0).length >= T,
        `at least ${T} running shares contributed: ${contributed.join(",")}`,
      );
    }

    const artifact = JSON.parse(readFileSync(HARNESS, "utf8")) as { abi: unknown[]; bytecode: Hex };
    const account = privateKeyToAccount(DEPLOYER);
    const wallet = createWalletClient({ account, transport: http(chain.rpcUrl) });
    const client = createPublicClient({ transport: http(chain.rpcUrl) });
    const chainId = await client.getChainId();
    const hash = await wallet.deployContract({
      abi: artifact.abi,
      bytecode: artifact.bytecode,
      chain: {
        id: chainId,
        name: "edr",
        nativeCurrency: { name: "ETH", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [chain.rpcUrl] } },
      },
    });
    const address = (await client.waitForTransactionReceipt({ hash })).contractAddress as Hex;
    const verifyOnChain = (s: SignedPerformanceStatement, signature: Uint8Array) =>
      client.readContract({
        address,
        abi: artifact.abi,
        functionName: "verify",
        args: [
          {
            chainId: BigInt(s.statement.chainId),
            oracle: s.statement.oracle,
            validatorPubkey: bytesToHex(s.statement.validatorPubkey),
            frame: BigInt(s.statement.frame),
            expected: [...s.statement.expected],
            contributed: [...s.statement.contributed],
          },
          fork,
          bytesToHex(g1PointFromPublicKey(s.statement.validatorPubkey)),
          bytesToHex(signature),
          bytesToHex(g2PointFromSignature(signature)),
        ],
      });
    for (const s of first) assert.equal(await verifyOnChain(s, s.signature), true, "the statement verifies on-chain");
    // The same signature over another statement (the stopped share credited) does not.
    const s0 = first[0] as SignedPerformanceStatement;
    const forged: SignedPerformanceStatement = {
      ...s0,
      statement: {
        ...s0.statement,
        contributed: s0.statement.contributed.map((c, i) => (i === STOPPED - 1 ? 1 : c)),
      },
    };
    assert.equal(await verifyOnChain(forged, s0.signature), false);
    // Nor does the signature of the next frame's statement (the key signs each frame's statement, never a blanket one).
    const next = async () => {
      for (let i = 0; i < 60; i++) {
        const s = statementsOf(nodes[0] as DutyNode, frame + 1)[0];
        if (s !== undefined) return s;
        await new Promise((r) => setTimeout(r, 1_000));
      }
      return undefined;
    };
    const later = await next();
    assert.ok(later !== undefined, "a statement of the next frame");
    assert.equal(await verifyOnChain(later, later.signature), true);
    assert.equal(await verifyOnChain(s0, later.signature), false, "another statement's signature does not verify");
  });
});
