import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { createHardhatRuntimeEnvironment, importUserConfig } from "hardhat/hre";
import { createPublicClient, createWalletClient, custom, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { nektarChain } from "../../src/chain.ts";
import {
  assertLocalChain,
  DepositContractChainError,
  deployDepositContract,
  deployNektar,
  getOperatorRewards,
  LOCAL_CHAIN_IDS,
  operatorRewardsAbi,
  stakingPoolAbi,
} from "../../src/index.ts";

const CONTRACTS = fileURLToPath(new URL("../../../../contracts/", import.meta.url));

/** A transport for a node that reports `chainId` and records what it is asked; anything else fails. */
function node(chainId: number) {
  const methods: string[] = [];
  const transport = custom({
    async request({ method }: { method: string }) {
      methods.push(method);
      if (method === "eth_chainId") return `0x${chainId.toString(16)}`;
      throw new Error(`${method} is not served here`);
    },
  });
  return { methods, transport };
}

const account = privateKeyToAccount(`0x${"11".repeat(32)}`);

describe("the devnet deposit contract is deployed only on a local chain", () => {
  it("local chain ids are Hardhat/Anvil/devnet and Ganache/geth --dev", () => {
    assert.deepEqual(LOCAL_CHAIN_IDS, [31_337, 1_337]);
    for (const id of LOCAL_CHAIN_IDS) assert.doesNotThrow(() => assertLocalChain(id));
  });
  it("deployDepositContract refuses a public chain before signing, by the id the node reports", async () => {
    const { methods, transport } = node(1);
    // The client's chain claims to be local: the node's answer is what counts.
    const client = createWalletClient({ chain: nektarChain(31_337, "http://127.0.0.1:8545"), account, transport });
    await assert.rejects(deployDepositContract(client), (e: unknown) => {
      assert.ok(e instanceof DepositContractChainError);
      assert.equal(e.type.code, "ERR_DEPOSIT_CONTRACT_CHAIN");
      assert.equal(e.type.chainId, 1);
      assert.match(e.hint ?? "", /--deposit-contract <address>/);
      return true;
    });
    assert.deepEqual(methods, ["eth_chainId"]);
  });
  it("deployNektar refuses it too, and goes on when given the network's deposit contract", async () => {
    const refused = node(17_000);
    await assert.rejects(
      deployNektar({ rpcUrl: "http://127.0.0.1:8545", transport: refused.transport, account }),
      DepositContractChainError,
    );
    assert.deepEqual(refused.methods, ["eth_chainId"]);
    const given = node(17_000);
    await assert.rejects(
      deployNektar({
        rpcUrl: "http://127.0.0.1:8545",
        transport: given.transport,
        account,
        depositContract: "0x4242424242424242424242424242424242424242",
      }),
      (e: unknown) => !(e instanceof DepositContractChainError),
    );
    assert.deepEqual(given.methods.slice(0, 2), ["eth_chainId", "eth_blockNumber"]);
  });
});

describe("deployNektar on a local chain with a local key", () => {
  it("signs with the given account and reuses a deposit contract deployed first (the devnet's order)", async () => {
    const hre = await createHardhatRuntimeEnvironment(
      await importUserConfig(`${CONTRACTS}hardhat.config.ts`),
      {},
      CONTRACTS,
    );
    const connection = await hre.network.create();
    try {
      const transport = custom(connection.provider, { retryCount: 0 });
      const chain = nektarChain(31_337, "http://127.0.0.1:8545");
      await connection.provider.request({
        method: "hardhat_setBalance",
        params: [account.address, `0x${parseEther("10").toString(16)}`],
      });
      const depositContract = await deployDepositContract(createWalletClient({ chain, account, transport }));
      const manifest = await deployNektar({ rpcUrl: "http://127.0.0.1:8545", transport, account, depositContract });
      assert.equal(manifest.deployer, account.address);
      assert.equal(manifest.contracts.depositContract, depositContract);
      const reader = createPublicClient({ chain, transport });
      assert.equal(
        await reader.readContract({
          address: manifest.contracts.stakingPool,
          abi: stakingPoolAbi,
          functionName: "depositContract",
        }),
        depositContract,
      );
      // The operator fee goes to the per-share `OperatorRewards`, bound to this pool.
      const rewards = await getOperatorRewards(reader, { contracts: manifest.contracts, operatorId: 1n });
      assert.equal(
        await reader.readContract({
          address: manifest.contracts.stakingPool,
          abi: stakingPoolAbi,
          functionName: "operatorRewardsRecipient",
        }),
        rewards.address,
      );
      assert.equal(
        await reader.readContract({ address: rewards.address, abi: operatorRewardsAbi, functionName: "stakingPool" }),
        manifest.contracts.stakingPool,
      );
      assert.deepEqual(
        { ...rewards, address: undefined },
        {
          address: undefined,
          feeCount: 0n,
          finalCount: 0n,
          bond: parseEther("1"),
          challengeWindow: 3_600n,
          marginBps: 300n,
          claimed: 0n,
          frames: [],
        },
      );
    } finally {
      await connection.close();
    }
  });
});
