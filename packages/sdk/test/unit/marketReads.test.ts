import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createPublicClient, http, parseEther } from "viem";
import {
  bondOperator,
  ContractRevertedError,
  claimWithdrawal,
  finalizeWithdrawals,
  getRegistryState,
  getShareRateHistory,
  getWithdrawalRequests,
  RpcError,
  registerOperator,
  requestWithdrawal,
  stake,
} from "../../src/index.ts";
import { startNetwork } from "../helpers/network.ts";

let net: Awaited<ReturnType<typeof startNetwork>>;
before(async () => {
  net = await startNetwork();
});
after(() => net.close());

const ONE = 10n ** 18n;

let reporterClient: ReturnType<typeof net.client> | undefined;
/** A registered operator with free bond, which posts the oracle reports of these tests. */
async function reporter() {
  if (reporterClient) return reporterClient;
  const owner = net.client(5);
  const { contracts } = net;
  const { operatorId } = await registerOperator(owner, {
    contracts,
    signer: owner.account.address,
    nodeIdentity: `0x${"cd".repeat(32)}`,
    metadataURI: "",
  });
  await bondOperator(owner, { contracts, operatorId, amount: parseEther("2") });
  reporterClient = owner;
  return owner;
}

/** Reports the next oracle frame (operator 0's report, applied after the window); returns its reference time. */
async function report(withdrawalVaultBalance: bigint) {
  const { contracts } = net;
  if (withdrawalVaultBalance > 0n) {
    await net.client(0).sendTransaction({ to: contracts.withdrawalVault, value: withdrawalVaultBalance });
  }
  const applied = await net.reportNextFrame(await reporter());
  return applied.refTimestamp;
}

describe("getShareRateHistory", () => {
  it("lists the share rate after each oracle report, oldest first", async () => {
    const { contracts, manifest } = net;
    const fromBlock = manifest.deploymentBlock;
    assert.deepEqual(await getShareRateHistory(net.client(0), { contracts, fromBlock }), []);
    await stake(net.client(2), { contracts, amount: parseEther("10") });
    const first = await report(parseEther("0.2"));
    const second = await report(0n);
    const history = await getShareRateHistory(net.client(0), { contracts, fromBlock });
    assert.deepEqual(
      history.map((h) => h.refTimestamp),
      [first, second],
    );
    const [a, b] = history;
    assert.ok(a && b);
    assert.ok(a.shareRate > ONE, "rewards raised the rate above 1");
    assert.equal(a.shareRate, (a.totalPooledEther * ONE) / a.totalShares);
    assert.equal(a.rewards, parseEther("0.2"));
    assert.equal(b.rewards, 0n);
    assert.equal(b.shareRate, a.shareRate, "a report without rewards leaves the rate");
    const onlyFirst = await getShareRateHistory(net.client(0), { contracts, fromBlock, toBlock: a.blockNumber });
    assert.equal(onlyFirst.length, 1);
  });

  it("reports an unreachable RPC as RpcError", async () => {
    // Port 1 on loopback: nothing listens there.
    const down = createPublicClient({ transport: http("http://127.0.0.1:1", { retryCount: 0 }) });
    await assert.rejects(
      getShareRateHistory(down, { contracts: net.contracts, fromBlock: 0n }),
      (e: unknown) => e instanceof RpcError,
    );
  });
});

describe("getWithdrawalRequests", () => {
  it("lists the receipts an account holds until it claims or transfers them", async () => {
    const { contracts, manifest } = net;
    const fromBlock = manifest.deploymentBlock;
    const alice = net.client(3);
    const me = alice.account.address;
    assert.deepEqual(await getWithdrawalRequests(alice, { contracts, owner: me, fromBlock }), []);
    await stake(alice, { contracts, amount: parseEther("3") });
    const one = await requestWithdrawal(alice, { contracts, amount: parseEther("1") });
    const two = await requestWithdrawal(alice, { contracts, amount: parseEther("1") });
    const listed = await getWithdrawalRequests(alice, { contracts, owner: me, fromBlock });
    assert.deepEqual(
      listed.map((r) => [r.requestId, r.isFinalized]),
      [
        [one.requestId, false],
        [two.requestId, false],
      ],
    );
    // Someone else's receipts are not listed.
    assert.deepEqual(await getWithdrawalRequests(alice, { contracts, owner: net.accounts[4] ?? me, fromBlock }), []);
    await report(0n);
    await finalizeWithdrawals(net.client(0), { contracts });
    await claimWithdrawal(alice, { contracts, requestId: one.requestId });
    const bob = net.client(4).account.address;
    await alice.writeContract({
      address: contracts.withdrawalQueue,
      abi: [
        {
          type: "function",
          name: "transferFrom",
          stateMutability: "nonpayable",
          inputs: [
            { name: "from", type: "address" },
            { name: "to", type: "address" },
            { name: "tokenId", type: "uint256" },
          ],
          outputs: [],
        },
      ],
      functionName: "transferFrom",
      args: [me, bob, two.requestId],
    });
    assert.deepEqual(await getWithdrawalRequests(alice, { contracts, owner: me, fromBlock }), []);
    const bobs = await getWithdrawalRequests(alice, { contracts, owner: bob, fromBlock });
    assert.deepEqual(
      bobs.map((r) => [r.requestId, r.isFinalized, r.claimableEther > 0n]),
      [[two.requestId, true, true]],
    );
  });
});

describe("getRegistryState", () => {
  it("counts operators and requests and reads the bond parameters", async () => {
    const { contracts } = net;
    const before = await getRegistryState(net.client(0), { contracts });
    // The oracle reports of the tests above come from one registered operator.
    assert.equal(before.operatorCount, 1n);
    assert.equal(before.requestCount, 0n);
    assert.ok(before.bondUnitShares > 0n);
    assert.ok(before.bondPerKeyShare > 0n);
    assert.ok(before.currentLockUnits > 0n);
    const owner = net.client(6);
    const { operatorId } = await registerOperator(owner, {
      contracts,
      signer: owner.account.address,
      nodeIdentity: `0x${"ab".repeat(32)}`,
      metadataURI: "",
    });
    const { units } = await bondOperator(owner, { contracts, operatorId, amount: parseEther("2") });
    const after = await getRegistryState(net.client(0), { contracts });
    assert.equal(after.operatorCount, 2n);
    assert.equal(after.totalDrawableUnits, before.totalDrawableUnits + units);
  });

  it("reports a registry address without code as a revert or RPC error", async () => {
    await assert.rejects(
      getRegistryState(net.client(0), { contracts: { operatorRegistry: net.accounts[7] ?? "0x" } }),
      (e: unknown) => e instanceof ContractRevertedError || e instanceof RpcError,
    );
  });
});
