import "../../src/preset.ts";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { interopSecretKey } from "@lodestar/state-transition";
import { deployDepositContract } from "@nektar/sdk";
import {
  type Address,
  bytesToHex,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  hexToBytes,
  http,
} from "viem";
import { BEACON_ROOTS_ADDRESS } from "../../src/bridge/beaconRoots.ts";
import { createEvmBridge, type EvmBridge } from "../../src/bridge/evmBridge.ts";
import { WITHDRAWAL_REQUEST_ADDRESS } from "../../src/bridge/withdrawalRequests.ts";
import type { StoredBlock } from "../../src/chain/types.ts";
import { type Devnet, startDevnet } from "../../src/node/devnet.ts";
import { balanceFromLeaf, verifyMerkleProof } from "../../src/proofs/verify.ts";
import { executionCredentials, makeDeposit, sendDeposit } from "../helpers/deposit.ts";
import { type HardhatNode, startHardhatNode } from "../helpers/hardhatNode.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hardhat = defineChain({
  id: 31337,
  name: "hardhat",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [] } },
});
const HELD = 16;

async function until<T>(what: string, timeoutMs: number, fn: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe("EVM bridge with a Hardhat 3 node", { timeout: 180_000 }, () => {
  let node: HardhatNode;
  let devnet: Devnet;
  let depositContract: Address;
  let accounts: Address[];
  let pub: ReturnType<typeof createPublicClient>;

  before(async () => {
    node = await startHardhatNode();
    pub = createPublicClient({ chain: hardhat, transport: http(node.url) });
    accounts = await createWalletClient({ chain: hardhat, transport: http(node.url) }).getAddresses();
    const wallet = createWalletClient({ chain: hardhat, transport: http(node.url), account: accounts[0] as Address });
    depositContract = await deployDepositContract(wallet);
    // Validator HELD (not held by the devnet) withdraws to accounts[1]: it starts with 33 ETH, so the sweep
    // pays 1 ETH to that address, and accounts[1] can send its EIP-7002 exit request.
    devnet = await startDevnet({
      validators: HELD,
      extraValidators: [
        {
          pubkey: interopSecretKey(500).toPublicKey().toBytes(),
          withdrawalCredentials: executionCredentials(accounts[1] as Address),
          balance: 33e9,
        },
      ],
      secondsPerSlot: 1,
      shardCommitteePeriod: 0,
      depositContract,
      bridge: (chain, logger) => createEvmBridge({ chain, logger, rpcUrl: node.url, depositContract }),
    });
  });

  after(async () => {
    await devnet?.stop();
    await node?.stop();
  });

  it("installs the EIP-7002 stand-in where EDR has none, and finds EDR's EIP-4788 contract", async () => {
    assert.notEqual(await pub.getCode({ address: BEACON_ROOTS_ADDRESS }), undefined);
    assert.ok(((await pub.getCode({ address: WITHDRAWAL_REQUEST_ADDRESS })) ?? "0x").length > 2);
    assert.equal((devnet.bridge as EvmBridge).withdrawalRequestSupport, "devnet-stub");
  });

  it("turns a DepositEvent into a deposit request of the next block and a pending deposit", async () => {
    const sk = interopSecretKey(1000);
    const deposit = makeDeposit(devnet.chain.config, sk, executionCredentials(accounts[2] as Address), 32e9);
    const hash = await sendDeposit({
      rpcUrl: node.url,
      depositContract,
      from: accounts[2] as Address,
      deposit,
      valueWei: 32n * 10n ** 18n,
    });
    assert.equal((await pub.waitForTransactionReceipt({ hash })).status, "success");
    const including = await until<StoredBlock>("a block with the deposit request", 15_000, () => {
      const head = devnet.chain.head;
      const found = devnet.chain
        .canonicalBlocks(0, head.slot)
        .find((b) =>
          b.signedBlock.message.body.executionRequests.deposits.some(
            (d) => bytesToHex(d.pubkey) === bytesToHex(deposit.pubkey),
          ),
        );
      return found;
    });
    const request = including.signedBlock.message.body.executionRequests.deposits[0];
    assert.equal(request?.amount, 32e9);
    assert.equal(request?.index, 0n);
    const state = devnet.chain.getStateByBlockRoot(including.rootHex) as unknown as {
      pendingDeposits: { getAllReadonlyValues(): { pubkey: Uint8Array }[] };
    };
    assert.ok(
      state.pendingDeposits.getAllReadonlyValues().some((p) => bytesToHex(p.pubkey) === bytesToHex(deposit.pubkey)),
    );
  });

  it("credits beacon withdrawals to the EL address", async () => {
    const target = accounts[1] as Address;
    const start = 10_000n * 10n ** 18n; // Hardhat's default account balance
    const credited = await until("the 1 ETH sweep to reach the EL", 20_000, async () => {
      const balance = await pub.getBalance({ address: target });
      return balance >= start + 10n ** 18n - 10n ** 16n ? balance : undefined;
    });
    assert.ok(credited > start);
  });

  it("writes each block's root to EIP-4788 for its child's timestamp; a balance proof verifies against it", async () => {
    const parent = devnet.chain.head;
    const child = await until<StoredBlock>("a child block", 10_000, () => {
      const h = devnet.chain.head;
      return h.parentRootHex === parent.rootHex ? h : undefined;
    });
    const timestamp = devnet.chain.genesisTime + child.slot * devnet.clock.secondsPerSlot;
    const root = await until<Hex>("the 4788 write", 10_000, async () => {
      try {
        const r = await pub.call({
          to: BEACON_ROOTS_ADDRESS,
          data: `0x${BigInt(timestamp).toString(16).padStart(64, "0")}`,
        });
        return r.data !== undefined && r.data !== `0x${"00".repeat(32)}` ? r.data : undefined;
      } catch {
        return undefined;
      }
    });
    assert.equal(root, parent.rootHex);

    const res = await fetch(`${devnet.url}/nektar/v1/proofs/validators/${HELD}?block_id=${root}`);
    assert.equal(res.status, 200);
    const { data } = (await res.json()) as {
      data: { balance: string; balance_proof: { gindex: string; leaf: Hex; witnesses: Hex[] }; block_root: Hex };
    };
    assert.equal(data.block_root, root);
    const leaf = hexToBytes(data.balance_proof.leaf);
    assert.ok(
      verifyMerkleProof(
        leaf,
        data.balance_proof.witnesses.map((h) => hexToBytes(h)),
        BigInt(data.balance_proof.gindex),
        hexToBytes(root),
      ),
    );
    assert.equal(balanceFromLeaf(leaf, HELD).toString(), data.balance);
    // A tampered leaf does not verify.
    const tampered = Uint8Array.from(leaf);
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    assert.equal(
      verifyMerkleProof(
        tampered,
        data.balance_proof.witnesses.map((h) => hexToBytes(h)),
        BigInt(data.balance_proof.gindex),
        hexToBytes(root),
      ),
      false,
    );
  });

  it("honours an EIP-7002 exit request from the withdrawal address", async () => {
    const pubkey = interopSecretKey(500).toPublicKey().toBytes();
    const wallet = createWalletClient({ chain: hardhat, transport: http(node.url), account: accounts[1] as Address });
    const hash = await wallet.sendTransaction({
      to: WITHDRAWAL_REQUEST_ADDRESS,
      value: 1n,
      data: `0x${Buffer.from(pubkey).toString("hex")}${"00".repeat(8)}`,
    });
    assert.equal((await pub.waitForTransactionReceipt({ hash })).status, "success");
    const status = await until("the validator to start exiting", 20_000, async () => {
      const r = await fetch(`${devnet.url}/eth/v1/beacon/states/head/validators/${HELD}`);
      const { data } = (await r.json()) as { data: { status: string } };
      return data.status === "active_exiting" ? data.status : undefined;
    });
    assert.equal(status, "active_exiting");
  });
});
