import "../../src/preset.ts";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { interopSecretKey } from "@lodestar/state-transition";
import { deployDepositContract } from "@nektar/sdk";
import { type Address, bytesToHex, createPublicClient, createWalletClient, defineChain, http } from "viem";
import { createEvmBridge } from "../../src/bridge/evmBridge.ts";
import { type Devnet, startDevnet } from "../../src/node/devnet.ts";
import { executionCredentials, makeDeposit, sendDeposit } from "../helpers/deposit.ts";
import { type HardhatNode, startHardhatNode } from "../helpers/hardhatNode.ts";

const hardhat = defineChain({
  id: 31337,
  name: "hardhat",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [] } },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("deposit to activation through the EVM bridge", { timeout: 300_000 }, () => {
  let node: HardhatNode;
  let devnet: Devnet;

  before(async () => {
    node = await startHardhatNode();
  });
  after(async () => {
    await devnet?.stop();
    await node?.stop();
  });

  it("a 33 ETH deposit on the EVM activates a validator, and its excess is withdrawn to the EL address", async () => {
    const pub = createPublicClient({ chain: hardhat, transport: http(node.url) });
    const [deployer, staker, payee] = await createWalletClient({
      chain: hardhat,
      transport: http(node.url),
    }).getAddresses();
    const deployerWallet = createWalletClient({
      chain: hardhat,
      transport: http(node.url),
      account: deployer as Address,
    });
    const depositContract = await deployDepositContract(deployerWallet);
    devnet = await startDevnet({
      validators: 16,
      secondsPerSlot: 1,
      depositContract,
      bridge: (chain, logger) => createEvmBridge({ chain, logger, rpcUrl: node.url, depositContract }),
    });

    const deposit = makeDeposit(
      devnet.chain.config,
      interopSecretKey(2000),
      executionCredentials(payee as Address),
      33e9,
    );
    const hash = await sendDeposit({
      rpcUrl: node.url,
      depositContract,
      from: staker as Address,
      deposit,
      valueWei: 33n * 10n ** 18n,
    });
    assert.equal((await pub.waitForTransactionReceipt({ hash })).status, "success");
    const payeeStart = await pub.getBalance({ address: payee as Address });

    const pubkeyHex = bytesToHex(deposit.pubkey);
    let status = "";
    const seen = new Set<string>();
    const deadline = Date.now() + 240_000;
    while (status !== "active_ongoing" && Date.now() < deadline) {
      await sleep(1000);
      const res = await fetch(`${devnet.url}/eth/v1/beacon/states/head/validators/${pubkeyHex}`);
      if (res.status === 200) {
        status = ((await res.json()) as { data: { status: string } }).data.status;
        seen.add(status);
      }
    }
    assert.equal(status, "active_ongoing", `statuses seen: ${[...seen].join(", ")}`);
    assert.ok(seen.has("pending_queued") || seen.has("pending_initialized"), "went through the activation queue");

    // The 1 ETH above the 32 ETH maximum of a 0x01 validator is swept to the payee on the EL.
    let credited = 0n;
    const sweepDeadline = Date.now() + 30_000;
    while (credited < 10n ** 18n - 10n ** 16n && Date.now() < sweepDeadline) {
      await sleep(1000);
      credited = (await pub.getBalance({ address: payee as Address })) - payeeStart;
    }
    assert.ok(credited >= 10n ** 18n - 10n ** 16n, `payee credited ${credited} wei`);
  });
});
